//! Errors of the domain. Each has a stable `code` so the CLI and the UI can
//! act on the kind of failure while the message stays free to improve.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum CoreError {
    /// Text that is not valid JSON, or JSON of the wrong shape.
    #[error("{origin}:{line}:{column}: {message}")]
    BadJson {
        origin: String,
        line: usize,
        column: usize,
        message: String,
    },

    #[error("{origin}: not a Baton snapshot: it has no \"format\" field")]
    SnapshotNoFormat { origin: String },

    #[error("{origin}: snapshot format \"{found}\" is not supported (expected \"{expected}\")", expected = crate::snapshot::SNAPSHOT_FORMAT)]
    SnapshotFormat { origin: String, found: String },

    #[error("{origin}: {field} is longer than {limit} bytes, more than any real name or path")]
    SnapshotFieldTooLong {
        origin: String,
        field: String,
        limit: usize,
    },

    /// A shipped data file is broken. This is our bug, caught by `make test`.
    #[error("data file {file}: {entry}: {problem}")]
    BadData {
        file: &'static str,
        entry: String,
        problem: String,
    },
}

impl CoreError {
    /// A short, stable identifier for the kind of error.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadJson { .. } => "bad_json",
            Self::SnapshotNoFormat { .. } => "snapshot_no_format",
            Self::SnapshotFormat { .. } => "snapshot_format",
            Self::SnapshotFieldTooLong { .. } => "snapshot_field_too_long",
            Self::BadData { .. } => "bad_data",
        }
    }

    /// Whether the error is the user's input rather than a failure of ours.
    pub fn is_bad_input(&self) -> bool {
        !matches!(self, Self::BadData { .. })
    }

    /// A JSON error with the position of the fault, for any JSON file Baton reads.
    pub fn from_json_error(origin: &str, err: &serde_json::Error) -> Self {
        // serde_json appends " at line L column C" to its message; the
        // position is already at the front, so drop the repetition.
        let full = err.to_string();
        let message = match full.rfind(" at line ") {
            Some(i) => full[..i].to_owned(),
            None => full,
        };
        Self::BadJson {
            origin: origin.to_owned(),
            line: err.line(),
            column: err.column(),
            message,
        }
    }
}
