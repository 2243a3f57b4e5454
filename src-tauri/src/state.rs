//! What the app holds while it runs.

use baton_system::bounded;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::AtomicBool;

use baton_core::{Catalog, Status, Timeline, Today};
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::machine::Machine;

/// The user's choices, kept in `settings.json` in the data folder.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// `None`: follow the system's language.
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub start_at_login: bool,
}

#[derive(Debug)]
pub struct AppState {
    pub machine: Mutex<Machine>,
    pub data_dir: PathBuf,
    pub catalog: Catalog,
    pub timeline: Timeline,
    pub settings: Mutex<Settings>,
    /// The last status the tray showed, to notify only when it gets worse.
    pub last_status: Mutex<Option<Status>>,
    /// Set by the tray's Quit: the only way the app exits.
    pub quitting: AtomicBool,
    /// A fixed "today" for tests (`BATON_TODAY`, only in builds with the
    /// `test-hooks` feature); the clock otherwise.
    pub fixed_today: Option<Today>,
    /// The machine is a scenario's: every window, the tray and notifications say so.
    /// Copied from `machine` once, because the tray reads it while a scan
    /// holds the machine's lock; a machine never changes kind.
    pub simulated: bool,
}

impl AppState {
    pub fn new(machine: Machine, data_dir: PathBuf) -> Result<Self, AppError> {
        let simulated = machine.is_simulated();
        let settings =
            bounded::read_text(&data_dir.join("settings.json"), bounded::limit::STATE_FILE)
                .ok()
                .and_then(|t| serde_json::from_str(&t).ok())
                .unwrap_or_default();
        Ok(Self {
            machine: Mutex::new(machine),
            data_dir,
            catalog: Catalog::builtin()?,
            timeline: Timeline::builtin()?,
            settings: Mutex::new(settings),
            last_status: Mutex::new(None),
            quitting: AtomicBool::new(false),
            fixed_today: None,
            simulated,
        })
    }

    /// "Today", read once per use so a long-running tray stays current.
    pub fn today(&self) -> Today {
        self.fixed_today.unwrap_or_else(Today::now)
    }

    /// The machine, for one command at a time.
    pub fn lock_machine(&self) -> Result<std::sync::MutexGuard<'_, Machine>, AppError> {
        self.machine
            .lock()
            .map_err(|e| AppError::Task(e.to_string()))
    }

    pub fn save_settings(&self, settings: &Settings) -> Result<(), AppError> {
        let text = serde_json::to_string_pretty(settings)
            .map_err(|e| AppError::Settings(e.to_string()))?;
        std::fs::create_dir_all(&self.data_dir).map_err(|e| AppError::Settings(e.to_string()))?;
        std::fs::write(self.data_dir.join("settings.json"), text)
            .map_err(|e| AppError::Settings(e.to_string()))
    }

    pub fn language(&self) -> String {
        self.settings
            .lock()
            .ok()
            .and_then(|s| s.language.clone())
            .unwrap_or_else(|| crate::i18n::system_language().to_owned())
    }
}
