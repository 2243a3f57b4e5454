//! The engine: walks the plan, one step at a time, from the machine's truth.
//!
//! Rules that make it safe to stop anywhere and run again:
//! - Before each step it scans the machine, and a step whose effect is
//!   already there is done without acting (an uninstalled product is not
//!   uninstalled again; an installed replacement is not installed again).
//! - Before each action it writes "started" to the journal and after it
//!   "returned": a run that died between the two looks at the machine (is a
//!   restart pending? is the product still there?) instead of guessing.
//! - Verification always runs on a fresh scan, and only its success ends the
//!   migration as completed.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::catalog::{Catalog, InstallerKind, Product};
use crate::clock::Today;
use crate::migrate::journal::{ActionRecord, Journal, JournalStore, RestartRecord, StepState};
use crate::migrate::plan::{self, Choice, Plan, PlanError, Step, StepKind, target_key};
use crate::migrate::system::{
    ActionError, Artifact, DefenderState, InstallOutcome, Progress, System, UninstallOutcome,
};
use crate::said::Said;
use crate::scan::{EvidenceSource, Finding, FindingKind, Protection, ScanResult};
use crate::snapshot::OsFamily;
use crate::timeline::Timeline;
use crate::verdict::{self, Status};

/// Download attempts before giving up, and the first pause between them.
const DOWNLOAD_ATTEMPTS: u32 = 3;
const FIRST_BACKOFF: Duration = Duration::from_secs(2);
/// Times a declined administrator prompt is asked again when the user said
/// yes to everything (`--yes`): once more than the user might mis-click.
const ELEVATION_ATTEMPTS: u32 = 3;

/// What to migrate to, and whether the user agreed to everything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub choice: Choice,
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum Outcome {
    /// Verified on a fresh scan: the replacement protects, Kaspersky is gone.
    Completed,
    /// Restart the computer; Baton resumes by itself afterwards.
    RestartRequired,
    /// The user has to do something (a declined prompt, a password, a manual
    /// download); running again continues.
    NeedsUser {
        reason: Said,
        /// What the user can do about it, when Baton knows.
        #[serde(skip_serializing_if = "Option::is_none")]
        help: Option<Said>,
    },
    /// Baton will not do this (a managed product).
    Refused { reason: Said },
    Failed {
        reason: Said,
        #[serde(skip_serializing_if = "Option::is_none")]
        help: Option<Said>,
    },
}

impl Outcome {
    pub const EXIT_REFUSED: u8 = 3;

    /// `baton migrate`'s exit code: 0 only when verification passed.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Completed => 0,
            Self::Failed { .. } => 1,
            Self::Refused { .. } => Self::EXIT_REFUSED,
            Self::RestartRequired => 4,
            Self::NeedsUser { .. } => 5,
        }
    }
}

/// What happened, for the CLI and the app.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
#[cfg_attr(
    feature = "ts",
    derive(ts_rs::TS),
    ts(export, rename = "MigrationEvent")
)]
pub enum Event {
    /// The plan, at the start of a run; `resumed` when it continues an earlier one.
    Planned {
        plan: Plan,
        resumed: bool,
    },
    StepStarted {
        id: String,
        title: String,
    },
    StepFinished {
        id: String,
        state: StepState,
        notes: Vec<Said>,
    },
    Progress {
        step: String,
        progress: Progress,
    },
    Note {
        note: Said,
    },
}

/// One step's end state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct StepReport {
    pub id: String,
    pub title: String,
    pub state: StepState,
    pub notes: Vec<Said>,
}

/// The result of a run.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Report {
    #[serde(flatten)]
    pub outcome: Outcome,
    pub exit_code: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<Plan>,
    pub steps: Vec<StepReport>,
    /// The verdict on the machine as it is after the run.
    pub final_status: Status,
    pub final_reasons: Vec<String>,
    pub notes: Vec<Said>,
}

/// Failures of the engine itself (not of a step).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    #[error("{0}")]
    Plan(#[from] PlanError),
    #[error(
        "a migration to {to} started on {started} is not finished; run it again with --to {to} to continue it"
    )]
    OtherMigration { to: String, started: String },
    #[error("the migration journal could not be saved: {0}")]
    Journal(String),
    #[error("{0}")]
    System(ActionError),
}

impl EngineError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Plan(e) => e.code(),
            Self::OtherMigration { .. } => "other_migration",
            Self::Journal(_) => "journal",
            Self::System(_) => "system",
        }
    }
}

impl From<ActionError> for EngineError {
    fn from(e: ActionError) -> Self {
        Self::System(e)
    }
}

/// How a step ended.
enum StepEnd {
    Done(Vec<Said>),
    Stop(Outcome, Vec<Said>),
}

/// Walks a plan on a [`System`], keeping a journal in a [`JournalStore`].
pub struct Engine<'a> {
    pub system: &'a mut dyn System,
    pub store: &'a mut dyn JournalStore,
    pub catalog: &'a Catalog,
    pub timeline: &'a Timeline,
    pub today: Today,
    pub on_event: &'a mut dyn FnMut(&Event),
}

impl std::fmt::Debug for Engine<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("today", &self.today)
            .finish_non_exhaustive()
    }
}

impl Engine<'_> {
    fn now(&self) -> DateTime<Utc> {
        self.today.instant
    }

    fn emit(&mut self, event: Event) {
        (self.on_event)(&event);
    }

    fn save(&mut self, journal: &Journal) -> Result<(), EngineError> {
        self.store
            .save(&journal.to_json())
            .map_err(EngineError::Journal)
    }

    /// Runs (or resumes) a migration until it completes or has to stop.
    pub fn run(&mut self, request: &Request) -> Result<Report, EngineError> {
        let mut notes = Vec::new();
        let existing = match self.store.load().map_err(EngineError::Journal)? {
            None => None,
            Some(text) => match Journal::from_json(&text) {
                Ok(j) if j.finished_at.is_some() => None,
                Ok(j) => Some(j),
                Err(problem) => {
                    let aside = self.store.set_aside().map_err(EngineError::Journal)?;
                    notes.push(Said::JournalSetAside {
                        problem: problem.to_string(),
                        aside,
                    });
                    None
                }
            },
        };
        let (snapshot, scan) = self.system.scan()?;
        let resumed = existing.is_some();
        let mut journal = match existing {
            Some(j) if j.choice != request.choice => {
                return Err(EngineError::OtherMigration {
                    to: j.choice.to,
                    started: j.started_at.format("%Y-%m-%d %H:%M UTC").to_string(),
                });
            }
            Some(j) => j,
            None => match plan::build(self.catalog, &snapshot, &scan, &request.choice) {
                Ok(plan) => {
                    let j = Journal::new(request.choice.clone(), plan, self.now());
                    self.save(&j)?;
                    j
                }
                Err(PlanError::Managed { product }) => {
                    let outcome = Outcome::Refused {
                        reason: Said::ManagedRefused { product },
                    };
                    return Ok(self.report(outcome, None, &[], notes));
                }
                Err(e) => return Err(e.into()),
            },
        };
        for note in &notes {
            self.emit(Event::Note { note: note.clone() });
        }
        self.emit(Event::Planned {
            plan: journal.plan.clone(),
            resumed,
        });

        let steps = journal.plan.steps.clone();
        let mut outcome = Outcome::Completed;
        for step in &steps {
            if journal
                .record(&step.id)
                .is_some_and(|r| r.state == StepState::Done)
            {
                continue;
            }
            self.system.checkpoint(&format!("before {}", step.id))?;
            if let Some(r) = journal.record_mut(&step.id) {
                r.state = StepState::Running;
            }
            self.save(&journal)?;
            self.emit(Event::StepStarted {
                id: step.id.clone(),
                title: step.title.clone(),
            });
            let end = self.execute(step, &mut journal)?;
            let (state, step_notes, stop) = match end {
                StepEnd::Done(n) => (StepState::Done, n, None),
                StepEnd::Stop(o, n) => {
                    let state = match o {
                        Outcome::Failed { .. } | Outcome::Refused { .. } => StepState::Failed,
                        _ => StepState::Waiting,
                    };
                    (state, n, Some(o))
                }
            };
            if let Some(r) = journal.record_mut(&step.id) {
                r.state = state;
                r.notes.extend(step_notes.iter().cloned());
            }
            if step.kind == StepKind::Done {
                journal.finished_at = Some(self.now());
            }
            self.save(&journal)?;
            self.emit(Event::StepFinished {
                id: step.id.clone(),
                state,
                notes: step_notes,
            });
            self.system.checkpoint(&format!("after {}", step.id))?;
            if let Some(o) = stop {
                outcome = o;
                break;
            }
        }
        let records = journal.steps.clone();
        Ok(self.report(outcome, Some(journal.plan), &records, notes))
    }

    fn report(
        &mut self,
        outcome: Outcome,
        plan: Option<Plan>,
        records: &[crate::migrate::journal::StepRecord],
        notes: Vec<Said>,
    ) -> Report {
        let steps = plan
            .as_ref()
            .map(|p| {
                p.steps
                    .iter()
                    .zip(records)
                    .map(|(s, r)| StepReport {
                        id: s.id.clone(),
                        title: s.title.clone(),
                        state: r.state,
                        notes: r.notes.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        // The final word comes from the machine, like every other.
        let os = self.system.os();
        let (final_status, final_reasons) = match self.system.scan() {
            Ok((_, scan)) => {
                let v = verdict::judge(&scan, os, self.timeline, &self.today);
                (v.status, v.reasons)
            }
            Err(e) => (
                Status::Unknown,
                vec![format!("The final check could not scan the computer: {e}")],
            ),
        };
        Report {
            exit_code: outcome.exit_code(),
            outcome,
            plan,
            steps,
            final_status,
            final_reasons,
            notes,
        }
    }

    /// Runs one action, journalled before and after.
    fn act<T>(
        &mut self,
        journal: &mut Journal,
        step: &str,
        action: &str,
        run: impl FnOnce(&mut dyn System, &mut dyn FnMut(&Event)) -> Result<T, ActionError>,
        summary: impl FnOnce(&Result<T, ActionError>) -> String,
    ) -> Result<Result<T, ActionError>, EngineError> {
        journal.actions.push(ActionRecord {
            at: self.now(),
            step: step.into(),
            action: action.into(),
            result: None,
        });
        if let Some(r) = journal.record_mut(step) {
            r.attempts += 1;
        }
        self.save(journal)?;
        let result = run(&mut *self.system, &mut *self.on_event);
        if let Err(ActionError::Killed(at)) = &result {
            return Err(EngineError::System(ActionError::Killed(at.clone())));
        }
        // A kill here is the worst case: the action happened, the journal
        // does not know. The next run must find out from the machine.
        self.system
            .checkpoint(&format!("after {action} in {step}"))?;
        if let Some(last) = journal.actions.last_mut() {
            last.result = Some(summary(&result));
        }
        self.save(journal)?;
        Ok(result)
    }

    fn execute(&mut self, step: &Step, journal: &mut Journal) -> Result<StepEnd, EngineError> {
        match &step.kind {
            StepKind::Prepare { checklist } => self.prepare(step, checklist.len(), journal),
            StepKind::Remove { target } => self.remove(step, &target.key, journal),
            StepKind::Restart => self.restart(journal),
            StepKind::InterimCheck => self.interim(step, journal),
            StepKind::Install => self.install(step, journal),
            StepKind::EnsureDefender => self.ensure_defender(step, journal),
            StepKind::Verify => self.verify(journal),
            StepKind::Done => Ok(StepEnd::Done(vec![Said::NowProtects {
                product: journal.plan.to_name.clone(),
            }])),
        }
    }

    fn prepare(
        &mut self,
        step: &Step,
        items: usize,
        journal: &mut Journal,
    ) -> Result<StepEnd, EngineError> {
        let mut notes = vec![Said::ChecklistConfirmed { items }];
        if journal.plan.os == OsFamily::Windows {
            // Windows makes at most one restore point a day, so asking again
            // after an interrupted attempt cannot make a second one.
            let made = self.act(
                journal,
                &step.id,
                "restore_point",
                |s, _| s.create_restore_point(),
                |r| format!("{r:?}"),
            )?;
            notes.push(match made {
                Ok(true) => Said::RestorePointCreated,
                Ok(false) => Said::RestorePointOff,
                Err(e) => Said::RestorePointFailed {
                    detail: e.to_string(),
                },
            });
        }
        Ok(StepEnd::Done(notes))
    }

    fn present<'s>(scan: &'s ScanResult, key: &str) -> Option<&'s Finding> {
        scan.findings
            .iter()
            .find(|f| f.kind != FindingKind::Leftover && target_key(f) == key)
    }

    fn remove(
        &mut self,
        step: &Step,
        key: &str,
        journal: &mut Journal,
    ) -> Result<StepEnd, EngineError> {
        let (snapshot, scan) = self.system.scan()?;
        let interrupted = journal.interrupted(&step.id, "uninstall");
        let Some(found) = Self::present(&scan, key) else {
            // Gone, but if an uninstaller ran just before an interruption its
            // removal may be waiting for the restart the journal never heard of.
            if interrupted && self.system.restart_pending()? {
                self.require_restart(journal)?;
                return Ok(StepEnd::Done(vec![Said::UninstallerRanBeforeInterruption]));
            }
            return Ok(StepEnd::Done(vec![Said::NothingToRemove]));
        };
        let name = found.product.clone();
        if journal.restart.is_some() && journal.started(&step.id, "uninstall") > 0 {
            return Ok(StepEnd::Done(vec![Said::FinishesAtRestart {
                product: name,
            }]));
        }
        if interrupted && self.system.restart_pending()? {
            self.require_restart(journal)?;
            return Ok(StepEnd::Done(vec![Said::UninstallerRanBeforeInterruption]));
        }
        let Some(target) = plan::removal_targets(&snapshot, &scan, &journal.choice)
            .into_iter()
            .find(|t| t.key == key)
        else {
            return Ok(StepEnd::Done(vec![Said::NoUninstaller { product: name }]));
        };
        let outcome = self.act(
            journal,
            &step.id,
            "uninstall",
            |s, _| s.uninstall(&target),
            |r| match r {
                Ok(o) => format!("{o:?}"),
                Err(e) => e.to_string(),
            },
        )?;
        match outcome {
            Ok(UninstallOutcome::Removed | UninstallOutcome::AlreadyGone) => {
                let (_, after) = self.system.scan()?;
                if Self::present(&after, key).is_none() {
                    Ok(StepEnd::Done(vec![Said::Removed { product: name }]))
                } else if self.system.restart_pending()? {
                    self.require_restart(journal)?;
                    Ok(StepEnd::Done(vec![Said::FinishesAtRestart {
                        product: name,
                    }]))
                } else {
                    Ok(StepEnd::Stop(
                        Outcome::Failed {
                            reason: Said::UninstallerLeftIt { product: name },
                            help: Some(Said::KavremoverSteps),
                        },
                        vec![],
                    ))
                }
            }
            Ok(UninstallOutcome::RestartNeeded) => {
                self.require_restart(journal)?;
                Ok(StepEnd::Done(vec![Said::FinishesAtRestart {
                    product: name,
                }]))
            }
            Ok(UninstallOutcome::Cancelled) => Ok(StepEnd::Stop(
                Outcome::NeedsUser {
                    reason: Said::UninstallCancelled { product: name },
                    help: None,
                },
                vec![],
            )),
            Ok(UninstallOutcome::Blocked { detail }) => Ok(StepEnd::Stop(
                Outcome::NeedsUser {
                    reason: Said::UninstallBlocked {
                        product: name,
                        detail,
                    },
                    help: Some(Said::KavremoverSteps),
                },
                vec![],
            )),
            Ok(UninstallOutcome::Failed { code, detail }) => Ok(StepEnd::Stop(
                Outcome::Failed {
                    reason: Said::UninstallFailed {
                        product: name,
                        code,
                        detail,
                    },
                    help: Some(Said::KavremoverSteps),
                },
                vec![],
            )),
            Err(e) => Ok(StepEnd::Stop(
                Outcome::Failed {
                    reason: Said::RemoveError {
                        product: name,
                        detail: e.to_string(),
                    },
                    help: None,
                },
                vec![],
            )),
        }
    }

    fn require_restart(&mut self, journal: &mut Journal) -> Result<(), EngineError> {
        if journal.restart.is_none() {
            journal.restart = Some(RestartRecord {
                requested_at: self.now(),
                boot_id: self.system.boot_id()?,
            });
            self.save(journal)?;
        }
        Ok(())
    }

    /// A restart asked for in this boot is still to come.
    fn restart_outstanding(&mut self, journal: &Journal) -> Result<bool, EngineError> {
        match &journal.restart {
            Some(r) => Ok(self.system.boot_id()? == r.boot_id),
            None => Ok(false),
        }
    }

    fn restart(&mut self, journal: &mut Journal) -> Result<StepEnd, EngineError> {
        if journal.restart.is_none() {
            return Ok(StepEnd::Done(vec![Said::NoRestartNeeded]));
        }
        if !self.restart_outstanding(journal)? {
            return Ok(StepEnd::Done(vec![Said::Restarted]));
        }
        self.schedule_resume(journal)?;
        Ok(StepEnd::Stop(
            Outcome::RestartRequired,
            vec![Said::RestartToFinishRemoving],
        ))
    }

    fn schedule_resume(&mut self, journal: &mut Journal) -> Result<(), EngineError> {
        if !journal.resume_scheduled {
            let done = self.act(
                journal,
                "restart",
                "schedule_resume",
                |s, _| s.schedule_resume(),
                |r| format!("{r:?}"),
            )?;
            journal.resume_scheduled = done.is_ok();
            self.save(journal)?;
        }
        Ok(())
    }

    fn protecting_now(scan: &ScanResult) -> Option<&Finding> {
        scan.findings.iter().find(|f| {
            f.kind == FindingKind::Antivirus
                && f.vendor != "kaspersky"
                && f.protection == Protection::On
                && f.signatures_up_to_date != Some(false)
        })
    }

    fn interim(&mut self, step: &Step, journal: &mut Journal) -> Result<StepEnd, EngineError> {
        if journal.plan.os == OsFamily::Macos {
            return Ok(StepEnd::Done(vec![Said::XprotectKeepsChecking]));
        }
        let (_, scan) = self.system.scan()?;
        if let Some(f) = Self::protecting_now(&scan) {
            return Ok(StepEnd::Done(vec![Said::ProtectingNow {
                product: f.product.clone(),
            }]));
        }
        match self.defender_on(step, journal)? {
            Ok(note) => Ok(StepEnd::Done(vec![note])),
            Err(problem) if journal.plan.to == "microsoft-defender" => Ok(StepEnd::Stop(
                Outcome::NeedsUser {
                    reason: problem,
                    help: Some(Said::DefenderHowTo),
                },
                vec![],
            )),
            // Installing the replacement next is the quickest way back to
            // protection, so go on, and say so.
            Err(problem) => Ok(StepEnd::Done(vec![
                problem,
                Said::DefenderInstallingAnyway {
                    product: journal.plan.to_name.clone(),
                },
                Said::DefenderHowTo,
            ])),
        }
    }

    /// Makes sure Defender is on: `Ok(note)`, or `Err(what the user must do)`.
    fn defender_on(
        &mut self,
        step: &Step,
        journal: &mut Journal,
    ) -> Result<Result<Said, Said>, EngineError> {
        match self.system.defender()? {
            DefenderState::On { .. } => return Ok(Ok(Said::DefenderIsOn)),
            DefenderState::Unavailable => return Ok(Err(Said::DefenderUnreadable)),
            DefenderState::Off {
                tamper_protected: true,
            } => return Ok(Err(Said::DefenderTamperProtected)),
            DefenderState::Off { .. } => {}
        }
        let tried = self.act(
            journal,
            &step.id,
            "enable_defender",
            |s, _| s.enable_defender(),
            |r| format!("{r:?}"),
        )?;
        match (tried, self.system.defender()?) {
            (_, DefenderState::On { .. }) => Ok(Ok(Said::DefenderTurnedOn)),
            (Err(e), _) => Ok(Err(Said::DefenderCouldNotTurnOn {
                detail: e.to_string(),
            })),
            _ => Ok(Err(Said::DefenderStayedOff)),
        }
    }

    fn target(&self, journal: &Journal) -> Result<Product, EngineError> {
        self.catalog.get(&journal.plan.to).cloned().ok_or_else(|| {
            EngineError::Plan(PlanError::UnknownProduct {
                id: journal.plan.to.clone(),
                valid: String::new(),
            })
        })
    }

    /// Whether the replacement is installed and protecting.
    fn healthy<'s>(product: &Product, scan: &'s ScanResult) -> Option<&'s Finding> {
        let detect = product.detect.as_ref()?;
        scan.findings.iter().find(|f| {
            f.vendor == detect.vendor
                && f.kind == FindingKind::Antivirus
                && detect
                    .name_contains
                    .as_ref()
                    .is_none_or(|w| f.product.to_lowercase().contains(w.as_str()))
                && match f.protection {
                    Protection::On => true,
                    Protection::Off => false,
                    Protection::Unknown => f.running,
                }
                && f.signatures_up_to_date != Some(false)
        })
    }

    fn install(&mut self, step: &Step, journal: &mut Journal) -> Result<StepEnd, EngineError> {
        let product = self.target(journal)?;
        let os = journal.plan.os;
        let Some(download) = product.download_for(os).cloned() else {
            return Ok(StepEnd::Stop(
                Outcome::Failed {
                    reason: Said::NoInstallPath {
                        product: product.name.clone(),
                        os,
                    },
                    help: None,
                },
                vec![],
            ));
        };
        if download.installer == InstallerKind::BuiltIn {
            return Ok(StepEnd::Done(vec![Said::NothingToInstall {
                product: product.name.clone(),
                os,
            }]));
        }
        let (_, scan) = self.system.scan()?;
        if let Some(f) = Self::healthy(&product, &scan) {
            return Ok(StepEnd::Done(vec![Said::AlreadyProtecting {
                product: f.product.clone(),
            }]));
        }
        if download.installer == InstallerKind::WebPage {
            let url = download.url.clone().unwrap_or_default();
            return Ok(StepEnd::Stop(
                Outcome::NeedsUser {
                    reason: Said::NoDirectLink {
                        product: product.name.clone(),
                        url,
                    },
                    help: None,
                },
                vec![],
            ));
        }
        let mut notes = Vec::new();
        // winget is an equal path where the catalog names a package: it
        // checks the installer's hash itself, so Baton neither downloads nor
        // verifies anything.
        let winget = download
            .winget
            .clone()
            .filter(|_| os == OsFamily::Windows && self.system.winget_available());
        let artifact = if download.installer == InstallerKind::Package || winget.is_some() {
            None
        } else {
            match self.fetch(step, &product, &download, journal, &mut notes)? {
                Ok(a) => Some(a),
                Err(end) => return Ok(end),
            }
        };
        let mut attempt = 0;
        loop {
            attempt += 1;
            let result = self.act(
                journal,
                &step.id,
                "install",
                |s, _| match &winget {
                    Some(id) => s.install_with_winget(&product, id),
                    None => s.install(&product, &download, artifact.as_ref()),
                },
                |r| match r {
                    Ok(o) => format!("{o:?}"),
                    Err(e) => e.to_string(),
                },
            )?;
            if let (Some(id), Ok(InstallOutcome::Installed | InstallOutcome::RestartNeeded)) =
                (&winget, &result)
            {
                notes.push(Said::InstalledWithWinget { id: id.clone() });
            }
            return Ok(match result {
                Ok(InstallOutcome::Installed) => {
                    notes.push(Said::Installed {
                        product: product.name.clone(),
                    });
                    StepEnd::Done(notes)
                }
                Ok(InstallOutcome::RestartNeeded) => {
                    self.require_restart(journal)?;
                    notes.push(Said::InstalledRestartToFinish {
                        product: product.name.clone(),
                    });
                    StepEnd::Done(notes)
                }
                Ok(InstallOutcome::ElevationRefused) if attempt < ELEVATION_ATTEMPTS => {
                    notes.push(Said::ElevationDeclinedAskingAgain);
                    continue;
                }
                Ok(InstallOutcome::ElevationRefused) => StepEnd::Stop(
                    Outcome::NeedsUser {
                        reason: Said::ElevationDeclined {
                            product: product.name.clone(),
                        },
                        help: None,
                    },
                    notes,
                ),
                Ok(InstallOutcome::Manual { url }) => StepEnd::Stop(
                    Outcome::NeedsUser {
                        reason: Said::InstallManually {
                            product: product.name.clone(),
                            url,
                        },
                        help: None,
                    },
                    notes,
                ),
                Ok(InstallOutcome::Failed { code, detail }) => StepEnd::Stop(
                    Outcome::Failed {
                        reason: Said::InstallerFailed {
                            product: product.name.clone(),
                            code,
                            detail,
                        },
                        help: None,
                    },
                    notes,
                ),
                Err(e) => StepEnd::Stop(
                    Outcome::Failed {
                        reason: Said::InstallDidNotFinish {
                            product: product.name.clone(),
                            detail: e.to_string(),
                        },
                        help: None,
                    },
                    notes,
                ),
            });
        }
    }

    /// Downloads (or reuses) and verifies the installer.
    fn fetch(
        &mut self,
        step: &Step,
        product: &Product,
        download: &crate::catalog::Download,
        journal: &mut Journal,
        notes: &mut Vec<Said>,
    ) -> Result<Result<Artifact, StepEnd>, EngineError> {
        let mut pause = FIRST_BACKOFF;
        let mut fetched = None;
        for attempt in 1..=DOWNLOAD_ATTEMPTS {
            let step_id = step.id.clone();
            let result = self.act(
                journal,
                &step.id,
                "download",
                |s, on_event| {
                    s.download(product, download, &mut |progress| {
                        on_event(&Event::Progress {
                            step: step_id.clone(),
                            progress,
                        })
                    })
                },
                |r| match r {
                    Ok(a) => format!("{} bytes, sha256 {}", a.bytes, a.sha256),
                    Err(e) => e.to_string(),
                },
            )?;
            match result {
                Ok(a) => {
                    fetched = Some(a);
                    break;
                }
                Err(ActionError::Transient(why)) if attempt < DOWNLOAD_ATTEMPTS => {
                    notes.push(Said::DownloadRetry {
                        attempt,
                        detail: why,
                    });
                    self.system.pause(pause);
                    pause *= 2;
                }
                Err(e) => {
                    return Ok(Err(StepEnd::Stop(
                        Outcome::Failed {
                            reason: Said::DownloadFailed {
                                product: product.name.clone(),
                                detail: e.to_string(),
                            },
                            help: None,
                        },
                        std::mem::take(notes),
                    )));
                }
            }
        }
        let Some(artifact) = fetched else {
            return Ok(Err(StepEnd::Stop(
                Outcome::Failed {
                    reason: Said::DownloadFailed {
                        product: product.name.clone(),
                        detail: "no attempt succeeded".into(),
                    },
                    help: None,
                },
                std::mem::take(notes),
            )));
        };
        journal.artifact = Some(artifact.clone());
        self.save(journal)?;
        // Verification runs every time, even on a file checked before an
        // interruption: the file could have changed since.
        let checked = self.act(
            journal,
            &step.id,
            "verify",
            |s, _| s.verify(&artifact, download),
            |r| format!("{r:?}"),
        )?;
        if let Err(e) = checked {
            self.system.discard(&artifact);
            journal.artifact = None;
            self.save(journal)?;
            return Ok(Err(StepEnd::Stop(
                Outcome::Failed {
                    reason: Said::VerificationFailed {
                        detail: e.to_string(),
                    },
                    help: None,
                },
                std::mem::take(notes),
            )));
        }
        notes.push(Said::DownloadedAndVerified {
            bytes: artifact.bytes,
        });
        Ok(Ok(artifact))
    }

    fn ensure_defender(
        &mut self,
        step: &Step,
        journal: &mut Journal,
    ) -> Result<StepEnd, EngineError> {
        let mut notes = Vec::new();
        match self.defender_on(step, journal)? {
            Ok(note) => notes.push(note),
            Err(problem) => {
                return Ok(StepEnd::Stop(
                    Outcome::NeedsUser {
                        reason: problem,
                        help: Some(Said::DefenderHowTo),
                    },
                    notes,
                ));
            }
        }
        let updated = self.act(
            journal,
            &step.id,
            "update_signatures",
            |s, _| s.update_defender_signatures(),
            |r| format!("{r:?}"),
        )?;
        notes.push(match updated {
            Ok(()) => Said::DefenderDefinitionsUpdated,
            Err(e) => Said::DefenderDefinitionsNotUpdated {
                detail: e.to_string(),
            },
        });
        Ok(StepEnd::Done(notes))
    }

    fn verify(&mut self, journal: &mut Journal) -> Result<StepEnd, EngineError> {
        if self.restart_outstanding(journal)? {
            self.schedule_resume(journal)?;
            return Ok(StepEnd::Stop(
                Outcome::RestartRequired,
                vec![Said::RestartToFinishChanges],
            ));
        }
        let product = self.target(journal)?;
        let (_, scan) = self.system.scan()?;
        let still: Vec<String> = scan
            .findings
            .iter()
            .filter(|f| f.kind != FindingKind::Leftover)
            .filter(|f| {
                f.vendor == "kaspersky" || (journal.choice.remove_ultraav && f.vendor == "ultraav")
            })
            .map(|f| f.product.clone())
            .collect();
        if !still.is_empty() {
            return Ok(StepEnd::Stop(
                Outcome::Failed {
                    reason: Said::StillInstalled { products: still },
                    help: Some(Said::KavremoverSteps),
                },
                vec![],
            ));
        }
        let protector = if product.built_in && journal.plan.os == OsFamily::Macos {
            Some(product.name.clone())
        } else {
            Self::healthy(&product, &scan).map(|f| f.product.clone())
        };
        let Some(protector) = protector else {
            return Ok(StepEnd::Stop(
                Outcome::Failed {
                    reason: Said::NotProtectingYet {
                        product: product.name.clone(),
                    },
                    help: None,
                },
                vec![],
            ));
        };
        let drivers_left = scan.findings.iter().any(|f| {
            f.vendor == "kaspersky"
                && f.kind == FindingKind::Leftover
                && f.evidence
                    .iter()
                    .any(|e| e.source == EvidenceSource::Driver)
        });
        if drivers_left {
            return Ok(StepEnd::Stop(
                Outcome::NeedsUser {
                    reason: Said::DriversLeft { product: protector },
                    help: Some(Said::KavremoverSteps),
                },
                vec![],
            ));
        }
        let mut notes = vec![Said::VerifiedClean { product: protector }];
        if let Some(a) = journal.artifact.take() {
            self.system.discard(&a);
            notes.push(Said::InstallerDeleted);
        }
        if journal.resume_scheduled {
            let _ = self.act(
                journal,
                "verify",
                "cancel_resume",
                |s, _| s.cancel_resume(),
                |r| format!("{r:?}"),
            )?;
            journal.resume_scheduled = false;
        }
        self.save(journal)?;
        Ok(StepEnd::Done(notes))
    }
}
