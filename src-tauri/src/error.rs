//! Errors that cross to the UI as `{code, message}`: a stable code the UI
//! can act on, and a message in plain words.

use serde::ser::SerializeStruct;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    Plan(#[from] baton_core::migrate::PlanError),
    #[error("{0}")]
    Engine(#[from] baton_core::migrate::engine::EngineError),
    #[error("Baton could not look at this computer: {0}")]
    Scan(String),
    #[error("\"{0}\" is not a language Baton speaks (en, ru, es)")]
    Language(String),
    #[error("{0}")]
    Settings(String),
    #[error("this only works in simulated mode")]
    NotSimulated,
    #[error("Baton's own data is broken: {0}")]
    Data(#[from] baton_core::CoreError),
    #[error("a background task stopped unexpectedly: {0}")]
    Task(String),
    #[error("the timeline has no source {index} for \"{event}\"")]
    NoSuchSource { event: String, index: usize },
    #[error("the browser could not be opened: {0}")]
    Open(String),
}

impl AppError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Plan(e) => e.code(),
            Self::Engine(e) => e.code(),
            Self::Scan(_) => "scan",
            Self::Language(_) => "language",
            Self::Settings(_) => "settings",
            Self::NotSimulated => "not_simulated",
            Self::Data(e) => e.code(),
            Self::Task(_) => "task",
            Self::NoSuchSource { .. } => "no_such_source",
            Self::Open(_) => "open",
        }
    }
}

impl serde::Serialize for AppError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("AppError", 2)?;
        s.serialize_field("code", self.code())?;
        s.serialize_field("message", &self.to_string())?;
        s.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_as_code_and_message() {
        let v = serde_json::to_value(AppError::Language("fr".into())).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"code": "language", "message": "\"fr\" is not a language Baton speaks (en, ru, es)"})
        );
    }
}
