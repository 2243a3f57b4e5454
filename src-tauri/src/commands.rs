//! The commands the wizard calls. Each takes ids and plain choices, never a
//! path or a URL: the Rust side decides what to read, fetch or run.
//!
//! Work that touches the machine runs on a blocking thread so the UI thread
//! never waits on a scan or an installer.

use baton_core::OsFamily;
use baton_core::catalog::{Feature, Region};
use baton_core::migrate::JournalStore;
use baton_core::migrate::engine::{Engine, Event, Report, Request};
use baton_core::migrate::journal::{Journal, StepState};
use baton_core::migrate::plan::{self, Choice, Plan};
use baton_core::recommend::{self, Answers, Budget, Comfort, Recommendations};
use baton_core::scan::Finding;
use baton_core::timeline::{Timeline, TimelineReport};
use baton_core::verdict::{self, Verdict};
use baton_system::migrate::FileJournal;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Emitter, Manager, Runtime, State};
use tauri_plugin_opener::OpenerExt;

use crate::error::AppError;
use crate::machine::journal_path;
use crate::state::AppState;

/// The scan and its verdict.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ScanView {
    pub os: OsFamily,
    pub simulated: bool,
    pub verdict: Verdict,
    pub findings: Vec<Finding>,
    pub warnings: Vec<String>,
    /// Whether any Kaspersky (or UltraAV) product is there to move off.
    pub has_kaspersky: bool,
    pub has_ultraav: bool,
}

async fn blocking<R: Runtime, T: Send + 'static>(
    app: &AppHandle<R>,
    work: impl FnOnce(&AppState) -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    let app = app.clone();
    tauri::async_runtime::spawn_blocking(move || work(&app.state::<AppState>()))
        .await
        .map_err(|e| AppError::Task(e.to_string()))?
}

fn scan_error(e: baton_core::migrate::ActionError) -> AppError {
    AppError::Scan(e.to_string())
}

/// Scans the machine and judges it.
pub fn scan_now(state: &AppState) -> Result<ScanView, AppError> {
    let mut machine = state.lock_machine()?;
    let simulated = machine.is_simulated();
    let system = machine.system();
    let os = system.os();
    let (_, scan) = system.scan().map_err(scan_error)?;
    let verdict = verdict::judge(&scan, os, &state.timeline, &state.today());
    Ok(ScanView {
        os,
        simulated,
        has_kaspersky: scan
            .findings
            .iter()
            .any(|f| f.vendor == "kaspersky" && f.kind != baton_core::FindingKind::Leftover),
        has_ultraav: scan.findings.iter().any(|f| f.vendor == "ultraav"),
        verdict,
        findings: scan.findings,
        warnings: scan.warnings,
    })
}

#[tauri::command]
pub async fn scan<R: Runtime>(app: AppHandle<R>) -> Result<ScanView, AppError> {
    let view = blocking(&app, scan_now).await?;
    crate::tray::show_status(&app, Some(view.verdict.status));
    Ok(view)
}

#[tauri::command]
pub fn timeline(state: State<'_, AppState>) -> TimelineReport {
    state.timeline.report(&state.today())
}

/// The wizard's questions.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct RecommendInput {
    pub budget: Budget,
    pub devices: u32,
    #[serde(default)]
    pub wants: Vec<Feature>,
    #[serde(default)]
    pub region: Option<Region>,
    #[serde(default)]
    pub comfort: Comfort,
}

#[tauri::command]
pub async fn recommend<R: Runtime>(
    app: AppHandle<R>,
    input: RecommendInput,
) -> Result<Recommendations, AppError> {
    blocking(&app, move |state| {
        let mut machine = state.lock_machine()?;
        let simulated = machine.is_simulated();
        let system = machine.system();
        let os = system.os();
        let (snapshot, scan) = system.scan().map_err(scan_error)?;
        let mut facts = if simulated {
            recommend::Machine::default()
        } else {
            baton_system::machine()
        };
        facts.installed = scan.findings;
        if snapshot.os.version.is_some() {
            facts.os_version = snapshot.os.version;
        }
        let mut wants = input.wants;
        wants.sort();
        wants.dedup();
        let answers = Answers {
            os,
            budget: input.budget,
            devices: input.devices.clamp(1, 100),
            wants,
            region: input.region,
            comfort: input.comfort,
        };
        Ok(recommend::recommend(
            &state.catalog,
            &answers,
            &facts,
            &state.today(),
        ))
    })
    .await
}

#[tauri::command]
pub async fn plan<R: Runtime>(
    app: AppHandle<R>,
    to: String,
    remove_ultraav: bool,
) -> Result<Plan, AppError> {
    blocking(&app, move |state| {
        let mut machine = state.lock_machine()?;
        let (snapshot, scan) = machine.system().scan().map_err(scan_error)?;
        Ok(plan::build(
            &state.catalog,
            &snapshot,
            &scan,
            &Choice { to, remove_ultraav },
        )?)
    })
    .await
}

/// Runs (or resumes) the migration; progress arrives as `migration` events.
#[tauri::command]
pub async fn migrate<R: Runtime>(
    app: AppHandle<R>,
    to: String,
    remove_ultraav: bool,
) -> Result<Report, AppError> {
    let emitter = app.clone();
    let report = blocking(&app, move |state| {
        let mut machine = state.lock_machine()?;
        let mut store = FileJournal::new(journal_path(&state.data_dir));
        let mut on_event = |e: &Event| {
            if let Err(err) = emitter.emit("migration", e) {
                tracing::warn!("cannot send a migration event: {err}");
            }
        };
        let result = Engine {
            system: machine.system(),
            store: &mut store,
            catalog: &state.catalog,
            timeline: &state.timeline,
            today: state.today(),
            on_event: &mut on_event,
        }
        .run(&Request {
            choice: Choice { to, remove_ultraav },
        });
        machine.save(&state.data_dir);
        Ok(result?)
    })
    .await?;
    tracing::info!(outcome = ?report.outcome, "migration run ended");
    crate::tray::show_status(&app, Some(report.final_status));
    Ok(report)
}

/// Where an unfinished migration stands, so the wizard opens at the right screen.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ResumePoint {
    pub to: String,
    pub to_name: String,
    pub remove_ultraav: bool,
    pub waiting_for_restart: bool,
    /// The first step that is not done.
    pub step: Option<String>,
}

#[tauri::command]
pub fn resume_point(state: State<'_, AppState>) -> Option<ResumePoint> {
    let text = FileJournal::new(journal_path(&state.data_dir))
        .load()
        .ok()
        .flatten()?;
    let journal = Journal::from_json(&text).ok()?;
    if journal.finished_at.is_some() {
        return None;
    }
    let step = journal
        .steps
        .iter()
        .find(|s| s.state != StepState::Done)
        .map(|s| s.id.clone());
    Some(ResumePoint {
        to: journal.plan.to.clone(),
        to_name: journal.plan.to_name.clone(),
        remove_ultraav: journal.choice.remove_ultraav,
        waiting_for_restart: journal.restart.is_some() && step.as_deref() == Some("restart"),
        step,
    })
}

/// What the UI needs to know about the app itself.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SettingsView {
    pub language: String,
    pub follows_system: bool,
    pub start_at_login: bool,
    pub simulated: bool,
}

#[tauri::command]
pub fn settings(state: State<'_, AppState>) -> SettingsView {
    let s = state.settings.lock().map(|s| s.clone()).unwrap_or_default();
    SettingsView {
        language: state.language(),
        follows_system: s.language.is_none(),
        start_at_login: s.start_at_login,
        simulated: state
            .machine
            .lock()
            .map(|m| m.is_simulated())
            .unwrap_or(false),
    }
}

#[tauri::command]
pub fn set_language<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    language: String,
) -> Result<(), AppError> {
    if !crate::i18n::LANGUAGES.contains(&language.as_str()) {
        return Err(AppError::Language(language));
    }
    let mut settings = state
        .settings
        .lock()
        .map_err(|e| AppError::Task(e.to_string()))?;
    settings.language = Some(language);
    state.save_settings(&settings)?;
    drop(settings);
    crate::tray::relabel(&app);
    Ok(())
}

#[tauri::command]
pub fn set_start_at_login<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    on: bool,
) -> Result<(), AppError> {
    crate::tray::set_start_at_login(&app, on)?;
    let mut settings = state
        .settings
        .lock()
        .map_err(|e| AppError::Task(e.to_string()))?;
    settings.start_at_login = on;
    state.save_settings(&settings)
}

/// Simulated mode only: the restart screen's "restart now".
#[tauri::command]
pub fn simulated_restart(state: State<'_, AppState>) -> Result<(), AppError> {
    let mut machine = state.lock_machine()?;
    machine.simulated_restart(&state.data_dir)
}

/// The link behind a timeline source. Only links from Baton's own data file
/// are ever opened, and only https ones (the data file's check demands it;
/// this checks again because a browser is about to open it).
pub fn source_url<'t>(
    timeline: &'t Timeline,
    event: &str,
    index: usize,
) -> Result<&'t str, AppError> {
    timeline
        .events
        .iter()
        .find(|e| e.id == event)
        .and_then(|e| e.sources.get(index))
        .map(String::as_str)
        .filter(|url| url.starts_with("https://"))
        .ok_or_else(|| AppError::NoSuchSource {
            event: event.to_owned(),
            index,
        })
}

/// Opens one of a timeline event's sources in the user's browser.
#[tauri::command]
pub fn open_source<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    event: String,
    index: usize,
) -> Result<(), AppError> {
    let url = source_url(&state.timeline, &event, index)?;
    app.opener()
        .open_url(url, None::<&str>)
        .map_err(|e| AppError::Open(e.to_string()))
}
