//! A simulated machine, driven by a scenario file (`docs/scenarios.md`).
//!
//! It holds a snapshot and changes it the way a real machine would: an
//! uninstaller removes the product's program entry, services and processes,
//! and its drivers and folders either at once or at the next restart;
//! Windows turns Defender back on when the last other antivirus goes; an
//! installer adds the new product. Failures come from the scenario's
//! `behaviour`. It counts every action, so tests can check nothing ran
//! twice, and it has a kill switch at each checkpoint for the kill test.

use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use baton_core::catalog::{Download, InstallerKind, Product};
use baton_core::migrate::plan::target_key;
use baton_core::migrate::system::{
    ActionError, Artifact, DefenderState, InstallOutcome, Progress, RemovalTarget, System,
    UninstallOutcome,
};
use baton_core::scan::{FindingKind, Item, ScanResult};
use baton_core::snapshot::{
    OsFamily, ProductState, Program, SecurityProduct, SecurityProductKind, Service, ServiceKind,
    ServiceState,
};
use baton_core::{CoreError, Detector, Snapshot};
use serde::{Deserialize, Serialize};

pub const SCENARIO_FORMAT: &str = "baton-scenario/1";

/// A scenario file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub format: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// The replacement it runs with (a catalog id).
    pub to: String,
    #[serde(default)]
    pub remove_ultraav: bool,
    pub expect: Expectation,
    pub machine: Snapshot,
    #[serde(default)]
    pub behaviour: Behaviour,
    /// What installing a catalog product adds; a plain entry is made otherwise.
    #[serde(default)]
    pub installs: BTreeMap<String, Package>,
}

/// The outcome the scenario must end in.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    pub exit: u8,
    pub final_status: String,
}

/// How the simulated machine responds.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Behaviour {
    /// Per signature rule id (`kaspersky-home`, `ultraav`, ...).
    #[serde(default)]
    pub uninstall: BTreeMap<String, UninstallBehaviour>,
    /// How many times the administrator prompt is declined before accepted.
    #[serde(default)]
    pub elevation_refusals: u32,
    /// How many downloads fail (a dropped connection) before one works.
    #[serde(default)]
    pub download_failures: u32,
    /// The installer's signature does not check out.
    #[serde(default)]
    pub bad_signature: bool,
    /// The installer's exit code (0: success).
    #[serde(default)]
    pub installer_exit_code: i32,
    /// Defender stays off after the last other antivirus goes, even when asked.
    #[serde(default)]
    pub defender_stays_off: bool,
    /// Windows Package Manager is there, so catalog products with a winget
    /// id are installed through it.
    #[serde(default)]
    pub winget: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UninstallBehaviour {
    /// The removal completes at the next restart (exit code 3010).
    #[serde(default)]
    pub restart: bool,
    /// The uninstaller refuses: a password or Self-Defense.
    #[serde(default)]
    pub blocked: Option<String>,
    /// The user cancels the uninstaller (1602).
    #[serde(default)]
    pub cancelled: bool,
    /// The uninstaller fails with this exit code.
    #[serde(default)]
    pub exit_code: Option<i32>,
}

/// Snapshot items a product brings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Package {
    #[serde(default)]
    pub programs: Vec<Program>,
    #[serde(default)]
    pub services: Vec<Service>,
    #[serde(default)]
    pub processes: Vec<baton_core::snapshot::Process>,
    #[serde(default)]
    pub security_products: Vec<SecurityProduct>,
    #[serde(default)]
    pub paths: Vec<String>,
}

/// Why a scenario file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    #[error("{0}")]
    Json(CoreError),
    #[error(
        "{origin}: scenario format \"{found}\" is not supported (expected \"{SCENARIO_FORMAT}\")"
    )]
    Format { origin: String, found: String },
    #[error("{origin}: the machine's snapshot: {problem}")]
    Machine { origin: String, problem: String },
}

impl Scenario {
    /// Reads a scenario; errors name the file, line and column.
    pub fn from_json(text: &str, origin: &str) -> Result<Self, ScenarioError> {
        let scenario: Self = serde_json::from_str(text)
            .map_err(|e| ScenarioError::Json(CoreError::from_json_error(origin, &e)))?;
        if scenario.format != SCENARIO_FORMAT {
            return Err(ScenarioError::Format {
                origin: origin.into(),
                found: scenario.format,
            });
        }
        if scenario.machine.format != baton_core::snapshot::SNAPSHOT_FORMAT {
            return Err(ScenarioError::Machine {
                origin: origin.into(),
                problem: format!(
                    "format \"{}\" is not {}",
                    scenario.machine.format,
                    baton_core::snapshot::SNAPSHOT_FORMAT
                ),
            });
        }
        Ok(scenario)
    }
}

/// What a simulated machine remembers across runs of the app: a real
/// machine keeps its state when Baton quits, so the simulation must too.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SimulatedState {
    pub snapshot: Snapshot,
    boot: u32,
    restart_pending: bool,
    deferred_services: Vec<String>,
    deferred_paths: Vec<String>,
    restore_point_today: bool,
    downloaded: Vec<String>,
    download_failures_left: u32,
    elevation_refusals_left: u32,
    resume_scheduled: bool,
    actions: BTreeMap<String, u32>,
}

/// The simulated machine.
#[derive(Debug)]
pub struct SimulatedSystem {
    detector: Detector,
    scenario: Scenario,
    pub snapshot: Snapshot,
    boot: u32,
    restart_pending: bool,
    /// Driver names and folders that go at the next restart.
    deferred_services: Vec<String>,
    deferred_paths: Vec<String>,
    restore_point_today: bool,
    downloaded: HashSet<String>,
    download_failures_left: u32,
    elevation_refusals_left: u32,
    pub resume_scheduled: bool,
    /// How many times each action really ran ("uninstall kaspersky-home:…").
    pub actions: BTreeMap<String, u32>,
    /// Every checkpoint passed, in order.
    pub boundaries: Vec<String>,
    /// Kill the engine at this checkpoint (0-based count of checkpoints).
    pub kill_at: Option<usize>,
    pub waited: Duration,
    /// How long each action takes, so a demo can be watched (zero in tests).
    pace: Duration,
}

impl SimulatedSystem {
    pub fn new(scenario: Scenario, detector: Detector) -> Self {
        Self {
            snapshot: scenario.machine.clone(),
            download_failures_left: scenario.behaviour.download_failures,
            elevation_refusals_left: scenario.behaviour.elevation_refusals,
            scenario,
            detector,
            boot: 1,
            restart_pending: false,
            deferred_services: Vec::new(),
            deferred_paths: Vec::new(),
            restore_point_today: false,
            downloaded: HashSet::new(),
            resume_scheduled: false,
            actions: BTreeMap::new(),
            boundaries: Vec::new(),
            kill_at: None,
            waited: Duration::ZERO,
            pace: Duration::ZERO,
        }
    }

    /// Makes each action take about `pace`, and a download ten times that.
    pub fn with_pace(mut self, pace: Duration) -> Self {
        self.pace = pace;
        self
    }

    fn take_time(&self) {
        if !self.pace.is_zero() {
            std::thread::sleep(self.pace);
        }
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The machine's state, to keep while the app is closed.
    pub fn state(&self) -> SimulatedState {
        let mut downloaded: Vec<String> = self.downloaded.iter().cloned().collect();
        downloaded.sort();
        SimulatedState {
            snapshot: self.snapshot.clone(),
            boot: self.boot,
            restart_pending: self.restart_pending,
            deferred_services: self.deferred_services.clone(),
            deferred_paths: self.deferred_paths.clone(),
            restore_point_today: self.restore_point_today,
            downloaded,
            download_failures_left: self.download_failures_left,
            elevation_refusals_left: self.elevation_refusals_left,
            resume_scheduled: self.resume_scheduled,
            actions: self.actions.clone(),
        }
    }

    /// Puts back a state saved by [`Self::state`].
    pub fn restore(&mut self, state: SimulatedState) {
        self.snapshot = state.snapshot;
        self.boot = state.boot;
        self.restart_pending = state.restart_pending;
        self.deferred_services = state.deferred_services;
        self.deferred_paths = state.deferred_paths;
        self.restore_point_today = state.restore_point_today;
        self.downloaded = state.downloaded.into_iter().collect();
        self.download_failures_left = state.download_failures_left;
        self.elevation_refusals_left = state.elevation_refusals_left;
        self.resume_scheduled = state.resume_scheduled;
        self.actions = state.actions;
    }

    fn count(&mut self, action: String) {
        *self.actions.entry(action).or_default() += 1;
    }

    /// An installer run, directly or through winget: the administrator
    /// prompt, then the scenario's exit code, then the product's files.
    fn run_installer(
        &mut self,
        product: &Product,
        action: String,
    ) -> Result<InstallOutcome, ActionError> {
        if self.elevation_refusals_left > 0 {
            self.elevation_refusals_left -= 1;
            self.count("declined elevation".into());
            return Ok(InstallOutcome::ElevationRefused);
        }
        self.count(action);
        self.take_time();
        let code = self.scenario.behaviour.installer_exit_code;
        if code != 0 {
            return Ok(InstallOutcome::Failed {
                code,
                detail: "the installer reported an error".into(),
            });
        }
        let package = self.package_for(product);
        self.snapshot.programs.extend(package.programs);
        self.snapshot.services.extend(package.services);
        self.snapshot.processes.extend(package.processes);
        self.snapshot
            .security_products
            .extend(package.security_products);
        self.snapshot.paths.extend(package.paths);
        self.settle_defender();
        Ok(InstallOutcome::Installed)
    }

    /// Restarts the machine: deferred removals happen, the boot id changes.
    pub fn reboot(&mut self) {
        self.boot += 1;
        self.restart_pending = false;
        let services = std::mem::take(&mut self.deferred_services);
        let paths = std::mem::take(&mut self.deferred_paths);
        self.snapshot
            .services
            .retain(|s| !services.contains(&s.name));
        self.snapshot.paths.retain(|p| !paths.contains(p));
        self.count("reboot".into());
    }

    fn is_windows(&self) -> bool {
        self.snapshot.os.family == OsFamily::Windows
    }

    fn defender_entry(&mut self) -> Option<&mut SecurityProduct> {
        self.snapshot
            .security_products
            .iter_mut()
            .find(|p| p.kind == SecurityProductKind::Antivirus && is_defender(&p.name))
    }

    /// Windows switches Defender on when no other antivirus is on, and off
    /// when one registers.
    fn settle_defender(&mut self) {
        if !self.is_windows() {
            return;
        }
        let other_on = self.snapshot.security_products.iter().any(|p| {
            p.kind == SecurityProductKind::Antivirus
                && !is_defender(&p.name)
                && p.state == ProductState::On
        });
        let stays_off = self.scenario.behaviour.defender_stays_off;
        if let Some(d) = self.defender_entry() {
            if other_on {
                d.state = ProductState::Off;
            } else if !stays_off {
                d.state = ProductState::On;
            }
        }
    }

    fn package_for(&self, product: &Product) -> Package {
        if let Some(p) = self.scenario.installs.get(&product.id) {
            return p.clone();
        }
        match self.snapshot.os.family {
            OsFamily::Linux => Package {
                programs: product
                    .download
                    .iter()
                    .flat_map(|d| d.packages.clone())
                    .map(|name| Program {
                        name: Some(name.clone()),
                        id: Some(name),
                        version: Some("1.4.3+dfsg-0+deb12u1".into()),
                        source: Some("dpkg".into()),
                        ..Program::default()
                    })
                    .collect(),
                ..Package::default()
            },
            _ => Package {
                programs: vec![Program {
                    name: Some(product.name.clone()),
                    publisher: Some(product.vendor.clone()),
                    version: Some("1.0".into()),
                    source: Some("HKLM64".into()),
                    ..Program::default()
                }],
                security_products: vec![SecurityProduct {
                    name: product.name.clone(),
                    kind: SecurityProductKind::Antivirus,
                    state: ProductState::On,
                    signatures_up_to_date: Some(true),
                    path: None,
                    raw_state: None,
                }],
                ..Package::default()
            },
        }
    }
}

fn scan_of(detector: &Detector, snapshot: &Snapshot) -> ScanResult {
    detector.detect(snapshot)
}

impl System for SimulatedSystem {
    fn os(&self) -> OsFamily {
        self.snapshot.os.family
    }

    fn scan(&mut self) -> Result<(Snapshot, ScanResult), ActionError> {
        let scan = scan_of(&self.detector, &self.snapshot);
        Ok((self.snapshot.clone(), scan))
    }

    fn boot_id(&mut self) -> Result<String, ActionError> {
        Ok(format!("simulated-boot-{}", self.boot))
    }

    fn restart_pending(&mut self) -> Result<bool, ActionError> {
        Ok(self.restart_pending)
    }

    fn create_restore_point(&mut self) -> Result<bool, ActionError> {
        // Like Windows: at most one restore point a day.
        if !self.restore_point_today {
            self.restore_point_today = true;
            self.count("restore_point".into());
        }
        Ok(true)
    }

    fn uninstall(&mut self, target: &RemovalTarget) -> Result<UninstallOutcome, ActionError> {
        self.count(format!("uninstall {}", target.key));
        self.take_time();
        let behaviour = target
            .rule
            .as_ref()
            .and_then(|r| self.scenario.behaviour.uninstall.get(r))
            .cloned()
            .unwrap_or_default();
        if let Some(why) = behaviour.blocked {
            return Ok(UninstallOutcome::Blocked { detail: why });
        }
        if behaviour.cancelled {
            return Ok(UninstallOutcome::Cancelled);
        }
        if let Some(code) = behaviour.exit_code {
            return Ok(UninstallOutcome::Failed {
                code,
                detail: "the uninstaller reported an error".into(),
            });
        }
        let scan = scan_of(&self.detector, &self.snapshot);
        let Some(finding) = scan
            .findings
            .iter()
            .find(|f| f.kind != FindingKind::Leftover && target_key(f) == target.key)
        else {
            return Ok(UninstallOutcome::AlreadyGone);
        };
        let mut programs = HashSet::new();
        let mut services = HashSet::new();
        let mut processes = HashSet::new();
        let mut security = HashSet::new();
        let mut paths = HashSet::new();
        for item in &finding.items {
            match *item {
                Item::Program(i) => {
                    programs.insert(i);
                }
                Item::Service(i) => {
                    let is_driver = self
                        .snapshot
                        .services
                        .get(i)
                        .is_some_and(|s| s.kind == ServiceKind::Driver);
                    if behaviour.restart && is_driver {
                        if let Some(s) = self.snapshot.services.get(i) {
                            self.deferred_services.push(s.name.clone());
                        }
                    } else {
                        services.insert(i);
                    }
                }
                Item::Process(i) => {
                    processes.insert(i);
                }
                Item::SecurityProduct(i) => {
                    security.insert(i);
                }
                Item::Path(i) => {
                    if behaviour.restart {
                        if let Some(p) = self.snapshot.paths.get(i) {
                            self.deferred_paths.push(p.clone());
                        }
                    } else {
                        paths.insert(i);
                    }
                }
            }
        }
        let keep = |set: &HashSet<usize>| {
            let set = set.clone();
            move |i: usize| !set.contains(&i)
        };
        retain_by_index(&mut self.snapshot.programs, keep(&programs));
        retain_by_index(&mut self.snapshot.services, keep(&services));
        retain_by_index(&mut self.snapshot.processes, keep(&processes));
        retain_by_index(&mut self.snapshot.security_products, keep(&security));
        retain_by_index(&mut self.snapshot.paths, keep(&paths));
        self.settle_defender();
        if behaviour.restart {
            self.restart_pending = true;
            return Ok(UninstallOutcome::RestartNeeded);
        }
        Ok(UninstallOutcome::Removed)
    }

    fn defender(&mut self) -> Result<DefenderState, ActionError> {
        if !self.is_windows() {
            return Ok(DefenderState::Unavailable);
        }
        Ok(match self.defender_entry() {
            Some(d) if d.state == ProductState::On => DefenderState::On {
                signatures_current: d.signatures_up_to_date,
            },
            Some(_) => DefenderState::Off {
                tamper_protected: false,
            },
            None => DefenderState::Unavailable,
        })
    }

    fn enable_defender(&mut self) -> Result<(), ActionError> {
        self.count("enable_defender".into());
        if !self.is_windows() {
            return Err(ActionError::Unsupported("Microsoft Defender".into()));
        }
        let stays_off = self.scenario.behaviour.defender_stays_off;
        if let Some(d) = self.defender_entry() {
            if !stays_off {
                d.state = ProductState::On;
            }
        }
        Ok(())
    }

    fn update_defender_signatures(&mut self) -> Result<(), ActionError> {
        self.count("update_defender_signatures".into());
        if let Some(d) = self.defender_entry() {
            d.signatures_up_to_date = Some(true);
        }
        Ok(())
    }

    fn download(
        &mut self,
        product: &Product,
        download: &Download,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Artifact, ActionError> {
        let url = download.url.clone().unwrap_or_default();
        let file = url.rsplit('/').next().unwrap_or("installer").to_owned();
        let artifact = Artifact {
            path: format!("simulated://{}/{file}", product.id),
            bytes: 4_200_000,
            sha256: "5ca1ab1e".repeat(8),
        };
        if self.downloaded.contains(&product.id) {
            return Ok(artifact);
        }
        if self.download_failures_left > 0 {
            self.download_failures_left -= 1;
            self.count(format!("failed download {}", product.id));
            progress(Progress {
                bytes: 1_000_000,
                total: Some(artifact.bytes),
                bytes_per_second: 2_000_000,
            });
            return Err(ActionError::Transient("the connection was reset".into()));
        }
        self.count(format!("download {}", product.id));
        progress(Progress {
            bytes: artifact.bytes,
            total: Some(artifact.bytes),
            bytes_per_second: 2_000_000,
        });
        self.downloaded.insert(product.id.clone());
        Ok(artifact)
    }

    fn verify(&mut self, _artifact: &Artifact, download: &Download) -> Result<(), ActionError> {
        if self.scenario.behaviour.bad_signature {
            let expected = download
                .signer
                .clone()
                .unwrap_or_else(|| "the vendor".into());
            return Err(ActionError::Verification(format!(
                "its code signature is not valid (expected publisher \"{expected}\", found an unsigned file)"
            )));
        }
        Ok(())
    }

    fn install(
        &mut self,
        product: &Product,
        download: &Download,
        _artifact: Option<&Artifact>,
    ) -> Result<InstallOutcome, ActionError> {
        if download.installer == InstallerKind::WebPage {
            return Ok(InstallOutcome::Manual {
                url: download.url.clone().unwrap_or_default(),
            });
        }
        self.run_installer(product, format!("install {}", product.id))
    }

    fn winget_available(&mut self) -> bool {
        self.scenario.behaviour.winget && self.snapshot.os.family == OsFamily::Windows
    }

    fn install_with_winget(
        &mut self,
        product: &Product,
        id: &str,
    ) -> Result<InstallOutcome, ActionError> {
        if !self.winget_available() {
            return Err(ActionError::Unsupported("winget".into()));
        }
        // winget passes the installer's own exit code and UAC answer through.
        self.run_installer(product, format!("winget install {id}"))
    }

    fn discard(&mut self, artifact: &Artifact) {
        let id = artifact
            .path
            .trim_start_matches("simulated://")
            .split('/')
            .next()
            .unwrap_or_default()
            .to_owned();
        self.downloaded.remove(&id);
    }

    fn schedule_resume(&mut self) -> Result<(), ActionError> {
        self.count("schedule_resume".into());
        self.resume_scheduled = true;
        Ok(())
    }

    fn cancel_resume(&mut self) -> Result<(), ActionError> {
        self.resume_scheduled = false;
        Ok(())
    }

    fn pause(&mut self, duration: Duration) {
        self.waited += duration;
    }

    fn checkpoint(&mut self, boundary: &str) -> Result<(), ActionError> {
        let n = self.boundaries.len();
        self.boundaries.push(boundary.to_owned());
        if self.kill_at == Some(n) {
            self.kill_at = None;
            return Err(ActionError::Killed(boundary.to_owned()));
        }
        Ok(())
    }
}

/// Microsoft's antivirus, not Bitdefender (whose name also ends in "defender").
fn is_defender(name: &str) -> bool {
    let name = name.to_lowercase();
    name.contains("windows defender") || name.contains("microsoft defender")
}

fn retain_by_index<T>(list: &mut Vec<T>, keep: impl Fn(usize) -> bool) {
    let mut i = 0;
    list.retain(|_| {
        let k = keep(i);
        i += 1;
        k
    });
}

/// A service entry, for scenario packages written in code.
pub fn running_service(name: &str) -> Service {
    Service {
        name: name.into(),
        display_name: None,
        kind: ServiceKind::Service,
        state: ServiceState::Running,
        path: None,
    }
}
