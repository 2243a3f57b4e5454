//! The computer the app works on: this one, or a scenario's simulated one.
//!
//! In simulated mode the machine's state is kept in the data folder between
//! runs of the app, as a real machine's would be; starting the app while a
//! migration waits for a restart counts as that restart, because after a
//! real restart it is the restart that starts Baton.

use std::path::{Path, PathBuf};

use baton_core::Detector;
use baton_core::migrate::journal::Journal;
use baton_core::migrate::{JournalStore, System};
use baton_system::bounded;
use baton_system::migrate::simulated::SimulatedState;
use baton_system::migrate::{FileJournal, RealSystem, Scenario, SimulatedSystem};

use crate::error::AppError;

pub enum Machine {
    Simulated(Box<SimulatedSystem>),
    Real(Box<RealSystem>),
}

impl std::fmt::Debug for Machine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.is_simulated() {
            "Machine::Simulated"
        } else {
            "Machine::Real"
        })
    }
}

impl Machine {
    pub fn system(&mut self) -> &mut dyn System {
        match self {
            Self::Simulated(s) => s.as_mut(),
            Self::Real(r) => r.as_mut(),
        }
    }

    pub fn is_simulated(&self) -> bool {
        matches!(self, Self::Simulated(_))
    }

    /// This computer. After a restart, the app itself is started again.
    pub fn real(detector: Detector, allowed_hosts: Vec<String>) -> Self {
        let exe = std::env::current_exe()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| "baton-app".into());
        Self::Real(Box::new(
            RealSystem::new(detector, allowed_hosts).with_resume_command(vec![exe]),
        ))
    }

    /// A scenario's machine, with the state it was left in.
    pub fn simulated(
        scenario_path: &Path,
        detector: Detector,
        data_dir: &Path,
    ) -> Result<Self, AppError> {
        let origin = scenario_path.display().to_string();
        let text = bounded::read_text(scenario_path, bounded::limit::STATE_FILE)
            .map_err(|e| AppError::Settings(e.to_string()))?;
        let scenario =
            Scenario::from_json(&text, &origin).map_err(|e| AppError::Settings(e.to_string()))?;
        // BATON_SIMULATE_PACE_MS slows actions down for demos and screenshots.
        let pace = std::env::var("BATON_SIMULATE_PACE_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let mut sim = SimulatedSystem::new(scenario, detector)
            .with_pace(std::time::Duration::from_millis(pace));
        if let Ok(saved) = bounded::read_text(&state_path(data_dir), bounded::limit::STATE_FILE) {
            if let Ok(state) = serde_json::from_str::<SimulatedState>(&saved) {
                sim.restore(state);
            }
        }
        let mut journal = FileJournal::new(journal_path(data_dir));
        let waiting_for_restart = journal
            .load()
            .ok()
            .flatten()
            .and_then(|t| Journal::from_json(&t).ok())
            .and_then(|j| j.restart.filter(|_| j.finished_at.is_none()))
            .is_some_and(|r| sim.boot_id().is_ok_and(|id| id == r.boot_id));
        if waiting_for_restart {
            sim.reboot();
        }
        let machine = Self::Simulated(Box::new(sim));
        machine.save(data_dir);
        Ok(machine)
    }

    /// Keeps a simulated machine's state for the next run of the app.
    pub fn save(&self, data_dir: &Path) {
        if let Self::Simulated(sim) = self {
            if let Ok(text) = serde_json::to_string(&sim.state()) {
                let _ = std::fs::create_dir_all(data_dir);
                if let Err(e) = std::fs::write(state_path(data_dir), text) {
                    tracing::warn!("cannot keep the simulated machine's state: {e}");
                }
            }
        }
    }

    /// Restarts a simulated machine (the restart screen's button in demos).
    pub fn simulated_restart(&mut self, data_dir: &Path) -> Result<(), AppError> {
        match self {
            Self::Simulated(sim) => {
                sim.reboot();
                self.save(data_dir);
                Ok(())
            }
            Self::Real(_) => Err(AppError::NotSimulated),
        }
    }
}

pub fn journal_path(data_dir: &Path) -> PathBuf {
    data_dir.join("migration.json")
}

fn state_path(data_dir: &Path) -> PathBuf {
    data_dir.join("simulated-machine.json")
}
