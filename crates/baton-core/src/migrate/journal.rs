//! The journal: what a migration meant to do and how far it got.
//!
//! It records intent ("about to uninstall X") before an action and the
//! outcome after, so a run that died in between knows to look at the machine
//! rather than guess. It never overrides what a scan shows. Stored as JSON
//! (`baton-journal/1`) by a [`JournalStore`]; `baton-system` writes it
//! atomically in the app-data folder.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::migrate::plan::{Choice, Plan};
use crate::migrate::system::Artifact;
use crate::said::Said;

pub const JOURNAL_FORMAT: &str = "baton-journal/1";

/// Where the journal lives. Reading and writing are the store's business;
/// an unreadable journal is the engine's (it is set aside and reported).
pub trait JournalStore {
    /// The journal's text, or `None` when there is none.
    fn load(&mut self) -> Result<Option<String>, String>;
    /// Replaces the journal, atomically: after a crash it is either the old
    /// text or the new, never a mix.
    fn save(&mut self, text: &str) -> Result<(), String>;
    /// Moves an unreadable journal aside (never deletes it) and says where.
    fn set_aside(&mut self) -> Result<String, String>;
    /// Removes the journal once a migration has ended.
    fn clear(&mut self) -> Result<(), String>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum StepState {
    Pending,
    /// Started; an action may or may not have happened.
    Running,
    Done,
    /// Waiting for the user (a declined prompt, a password) or a restart.
    Waiting,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepRecord {
    pub id: String,
    pub state: StepState,
    /// How many times its action was started.
    #[serde(default)]
    pub attempts: u32,
    #[serde(default)]
    pub notes: Vec<Said>,
}

/// Every action the engine started, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionRecord {
    pub at: DateTime<Utc>,
    pub step: String,
    pub action: String,
    /// `None` until it returns: a record left at `None` means the run died
    /// during the action.
    #[serde(default)]
    pub result: Option<String>,
}

/// A restart the migration is waiting for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestartRecord {
    pub requested_at: DateTime<Utc>,
    /// The boot it was requested in; a different boot id means it happened.
    pub boot_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Journal {
    pub format: String,
    pub started_at: DateTime<Utc>,
    pub choice: Choice,
    pub plan: Plan,
    pub steps: Vec<StepRecord>,
    #[serde(default)]
    pub actions: Vec<ActionRecord>,
    #[serde(default)]
    pub restart: Option<RestartRecord>,
    #[serde(default)]
    pub artifact: Option<Artifact>,
    #[serde(default)]
    pub resume_scheduled: bool,
    #[serde(default)]
    pub finished_at: Option<DateTime<Utc>>,
}

/// Why a journal could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JournalProblem {
    #[error("the journal is empty")]
    Empty,
    #[error("the journal is not valid JSON: {0}")]
    NotJson(String),
    #[error("the journal was written by a newer Baton (format \"{0}\")")]
    Newer(String),
    #[error("the journal is not a Baton journal: {0}")]
    WrongShape(String),
}

impl Journal {
    /// A fresh journal for a plan, every step pending.
    pub fn new(choice: Choice, plan: Plan, now: DateTime<Utc>) -> Self {
        let steps = plan
            .steps
            .iter()
            .map(|s| StepRecord {
                id: s.id.clone(),
                state: StepState::Pending,
                attempts: 0,
                notes: Vec::new(),
            })
            .collect();
        Self {
            format: JOURNAL_FORMAT.into(),
            started_at: now,
            choice,
            plan,
            steps,
            actions: Vec::new(),
            restart: None,
            artifact: None,
            resume_scheduled: false,
            finished_at: None,
        }
    }

    pub fn from_json(text: &str) -> Result<Self, JournalProblem> {
        if text.trim().is_empty() {
            return Err(JournalProblem::Empty);
        }
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| JournalProblem::NotJson(e.to_string()))?;
        match value.get("format").and_then(|f| f.as_str()) {
            Some(JOURNAL_FORMAT) => {}
            Some(f) if f.starts_with("baton-journal/") => {
                return Err(JournalProblem::Newer(f.into()));
            }
            Some(f) => return Err(JournalProblem::WrongShape(format!("format \"{f}\""))),
            None => return Err(JournalProblem::WrongShape("no \"format\" field".into())),
        }
        let journal: Self =
            serde_json::from_value(value).map_err(|e| JournalProblem::WrongShape(e.to_string()))?;
        if journal.steps.len() != journal.plan.steps.len()
            || journal
                .steps
                .iter()
                .zip(&journal.plan.steps)
                .any(|(r, s)| r.id != s.id)
        {
            return Err(JournalProblem::WrongShape(
                "its steps do not match its plan".into(),
            ));
        }
        Ok(journal)
    }

    pub fn to_json(&self) -> String {
        // Plain structs with string keys always serialise.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    pub fn record(&self, id: &str) -> Option<&StepRecord> {
        self.steps.iter().find(|s| s.id == id)
    }

    pub fn record_mut(&mut self, id: &str) -> Option<&mut StepRecord> {
        self.steps.iter_mut().find(|s| s.id == id)
    }

    /// How many times `action` was started for `step`.
    pub fn started(&self, step: &str, action: &str) -> usize {
        self.actions
            .iter()
            .filter(|a| a.step == step && a.action == action)
            .count()
    }

    /// The last record of `action` for `step`, if it never returned.
    pub fn interrupted(&self, step: &str, action: &str) -> bool {
        self.actions
            .iter()
            .rev()
            .find(|a| a.step == step && a.action == action)
            .is_some_and(|a| a.result.is_none())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::OsFamily;

    fn journal() -> Journal {
        let plan = Plan {
            os: OsFamily::Windows,
            to: "x".into(),
            to_name: "X".into(),
            steps: vec![crate::migrate::plan::Step {
                id: "done".into(),
                title: "Done".into(),
                kind: crate::migrate::plan::StepKind::Done,
            }],
        };
        Journal::new(
            Choice {
                to: "x".into(),
                remove_ultraav: false,
            },
            plan,
            "2026-11-28T10:00:00Z".parse().unwrap(),
        )
    }

    #[test]
    fn round_trips() {
        let j = journal();
        assert_eq!(Journal::from_json(&j.to_json()).unwrap(), j);
    }

    #[test]
    fn corrupt_journals_say_what_is_wrong() {
        let good = journal().to_json();
        assert_eq!(Journal::from_json("").unwrap_err(), JournalProblem::Empty);
        assert!(matches!(
            Journal::from_json(&good[..good.len() / 2]),
            Err(JournalProblem::NotJson(_))
        ));
        assert!(matches!(
            Journal::from_json("\u{0}\u{1}garbage"),
            Err(JournalProblem::NotJson(_))
        ));
        let newer = good.replace("baton-journal/1", "baton-journal/7");
        assert_eq!(
            Journal::from_json(&newer).unwrap_err(),
            JournalProblem::Newer("baton-journal/7".into())
        );
        assert!(matches!(
            Journal::from_json("{\"format\":\"baton-journal/1\"}"),
            Err(JournalProblem::WrongShape(_))
        ));
        assert!(matches!(
            Journal::from_json("[1,2]"),
            Err(JournalProblem::WrongShape(_))
        ));
        // The plan comes first in the text, so this renames the plan's step only.
        let mismatched = good.replacen("\"id\": \"done\"", "\"id\": \"other\"", 1);
        assert!(
            matches!(
                Journal::from_json(&mismatched),
                Err(JournalProblem::WrongShape(_))
            ),
            "{mismatched}"
        );
    }
}
