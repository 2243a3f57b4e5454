//! The machine, as the engine sees it.
//!
//! Every call that changes the machine or reads its state goes through
//! [`System`]. `baton-system` implements it for Windows, macOS and Linux, and
//! as a simulated machine driven by a scenario file; the engine cannot tell
//! them apart, which is what lets the simulation test the real engine.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::catalog::{Download, Product};
use crate::scan::{FindingKind, ScanResult};
use crate::snapshot::{OsFamily, Program, Snapshot};

/// A product to remove, with what its uninstaller needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct RemovalTarget {
    /// Stable across scans: the rule id (or vendor) and the product's name.
    pub key: String,
    pub vendor: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    pub product: String,
    pub kind: FindingKind,
    /// The program entries (uninstall command, MSI product code, package name).
    #[serde(default)]
    pub programs: Vec<Program>,
}

/// What an uninstaller did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum UninstallOutcome {
    Removed,
    /// It was not installed any more (msiexec 1605).
    AlreadyGone,
    /// Removed, but the removal completes at the next restart (3010, 1641).
    RestartNeeded,
    /// The user cancelled the uninstaller or its prompt (1602, 1223).
    Cancelled,
    /// The product protects itself: a password or Self-Defense stopped it.
    Blocked {
        detail: String,
    },
    Failed {
        code: i32,
        detail: String,
    },
}

/// What an installer did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum InstallOutcome {
    Installed,
    RestartNeeded,
    /// The administrator prompt was declined (UAC 1223, pkexec 126).
    ElevationRefused,
    /// There is no installer Baton may run: the user installs it by hand.
    Manual {
        url: String,
    },
    Failed {
        code: i32,
        detail: String,
    },
}

/// Microsoft Defender's state, from its own status (not Security Center).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DefenderState {
    On {
        signatures_current: Option<bool>,
    },
    Off {
        tamper_protected: bool,
    },
    /// Not this OS, or its status cannot be read.
    Unavailable,
}

/// A downloaded installer in Baton's private download folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Artifact {
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}

/// Download progress, for the progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Progress {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes: u64,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub total: Option<u64>,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes_per_second: u64,
}

/// Why an action could not be carried out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActionError {
    /// Worth retrying: a dropped connection, a server error, a timeout.
    #[error("{0}")]
    Transient(String),
    /// The download was refused on principle: plain http, a host not on the
    /// allow-list, a body over the size cap.
    #[error("download refused: {0}")]
    Refused(String),
    /// The installer failed verification and was deleted. No override exists.
    #[error("the installer failed verification and was deleted: {0}")]
    Verification(String),
    #[error("{0}")]
    Failed(String),
    /// This machine cannot do that (for example Defender on Linux).
    #[error("not available on this computer: {0}")]
    Unsupported(String),
    /// The simulated system's kill switch: the engine stops as if the
    /// process had died here.
    #[error("killed at {0}")]
    Killed(String),
}

/// The machine. See the module docs.
pub trait System {
    fn os(&self) -> OsFamily;

    /// A fresh look at the machine: what the engine decides from.
    fn scan(&mut self) -> Result<(Snapshot, ScanResult), ActionError>;

    /// Identifies this boot, so a resumed run knows whether a restart happened.
    fn boot_id(&mut self) -> Result<String, ActionError>;

    /// Whether the OS has changes waiting for a restart.
    fn restart_pending(&mut self) -> Result<bool, ActionError>;

    /// A Windows restore point; `Ok(false)` where there is none to make.
    fn create_restore_point(&mut self) -> Result<bool, ActionError>;

    fn uninstall(&mut self, target: &RemovalTarget) -> Result<UninstallOutcome, ActionError>;

    fn defender(&mut self) -> Result<DefenderState, ActionError>;

    /// Turns Defender's real-time protection on (an elevated child process).
    fn enable_defender(&mut self) -> Result<(), ActionError>;

    /// `Update-MpSignature`.
    fn update_defender_signatures(&mut self) -> Result<(), ActionError>;

    /// Fetches the installer into the private download folder. An installer
    /// already fetched completely for `product` is reused, not fetched again.
    fn download(
        &mut self,
        product: &Product,
        download: &Download,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Artifact, ActionError>;

    /// Checks the installer before anything runs it; a failure deletes it.
    fn verify(&mut self, artifact: &Artifact, download: &Download) -> Result<(), ActionError>;

    fn install(
        &mut self,
        product: &Product,
        download: &Download,
        artifact: Option<&Artifact>,
    ) -> Result<InstallOutcome, ActionError>;

    /// Whether Windows Package Manager can install packages here.
    fn winget_available(&mut self) -> bool {
        false
    }

    /// `winget install --id <id>`: winget fetches the installer and checks it
    /// against the hash in its package manifest, and the installer asks for
    /// administrator rights itself. Baton stays unelevated.
    fn install_with_winget(
        &mut self,
        product: &Product,
        id: &str,
    ) -> Result<InstallOutcome, ActionError> {
        let _ = (product, id);
        Err(ActionError::Unsupported("winget".into()))
    }

    /// Deletes a downloaded installer and its folder.
    fn discard(&mut self, artifact: &Artifact);

    /// Starts Baton again after the next sign-in (RunOnce, autostart).
    fn schedule_resume(&mut self) -> Result<(), ActionError>;

    fn cancel_resume(&mut self) -> Result<(), ActionError>;

    /// Waits before a retry. The simulation does not really wait.
    fn pause(&mut self, duration: Duration);

    /// Called at every step boundary and after every action; the simulated
    /// system's kill switch answers `Err(Killed)` at the chosen one.
    fn checkpoint(&mut self, _boundary: &str) -> Result<(), ActionError> {
        Ok(())
    }
}
