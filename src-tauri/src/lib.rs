//! Baton's desktop app: thin Tauri glue over `baton-core` and `baton-system`.
//!
//! Commands ([`commands`]), the tray ([`tray`]), the window, and nothing
//! that decides anything: the verdict, the recommendations and the
//! migration come from the core crates, exactly as in the `baton` command.
//! [`app_builder`] is generic over the runtime so tests drive the commands on
//! Tauri's mock runtime; [`main`] adds the real window, tray and plugins.

pub mod commands;
pub mod error;
pub mod handover;
pub mod i18n;
pub mod icons;
pub mod machine;
pub mod state;
pub mod tray;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::time::Duration;

use tauri::{AppHandle, Manager, RunEvent, Runtime, WebviewUrl, WebviewWindowBuilder, WindowEvent};

pub use error::AppError;
pub use state::AppState;

use crate::machine::Machine;

/// How often the tray checks the machine by itself.
const CHECK_EVERY: Duration = Duration::from_secs(6 * 3600);

/// The commands and state, on any runtime.
pub fn app_builder<R: Runtime>(builder: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    builder
        .manage(state)
        // For Rust only: no window may call the opener itself (see
        // capabilities/main.json); `open_source` opens links from Baton's data.
        .plugin(tauri_plugin_opener::init())
        .invoke_handler(tauri::generate_handler![
            commands::scan,
            commands::timeline,
            commands::recommend,
            commands::plan,
            commands::migrate,
            commands::resume_point,
            commands::settings,
            commands::set_language,
            commands::set_start_at_login,
            commands::simulated_restart,
            commands::open_source,
        ])
}

/// Opens the wizard, or brings it forward.
pub fn open_window<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    if let Some(window) = app.get_webview_window("main") {
        window.show()?;
        window.unminimize()?;
        return window.set_focus();
    }
    WebviewWindowBuilder::new(app, "main", WebviewUrl::App("index.html".into()))
        .title(window_title(app))
        .inner_size(980.0, 760.0)
        .min_inner_size(640.0, 560.0)
        .build()?;
    Ok(())
}

/// Checks the machine off the UI thread and shows the result in the tray.
pub fn check_in_background<R: Runtime>(app: &AppHandle<R>) {
    let app = app.clone();
    tray::show_status(&app, None);
    tauri::async_runtime::spawn(async move {
        let handle = app.clone();
        let result = tauri::async_runtime::spawn_blocking(move || {
            commands::scan_now(&handle.state::<AppState>())
        })
        .await;
        match result {
            Ok(Ok(view)) => tray::show_status(&app, Some(view.verdict.status)),
            Ok(Err(e)) => {
                tracing::warn!("status check failed: {e}");
                tray::show_status(&app, Some(baton_core::Status::Unknown));
            }
            Err(e) => tracing::warn!("status check stopped: {e}"),
        }
    });
}

/// "Baton", or "Baton: Simulation" (in the user's language) for a scenario's machine.
fn window_title<R: Runtime>(app: &AppHandle<R>) -> String {
    match app.try_state::<AppState>() {
        Some(state) => tray::marked(&state.language(), state.simulated, "Baton".into()),
        None => "Baton".into(),
    }
}

/// Quits for real (the tray's Quit); closing the window only hides Baton.
pub fn quit<R: Runtime>(app: &AppHandle<R>) {
    if let Some(state) = app.try_state::<AppState>() {
        state.quitting.store(true, Ordering::SeqCst);
    }
    app.exit(0);
}

/// Command-line options of `baton-app`.
#[derive(Debug, Default)]
struct Options {
    simulate: Option<PathBuf>,
    /// Start in the tray without a window (at login).
    hidden: bool,
    /// The status the tray showed before a handover (see [`handover`]).
    was: Option<baton_core::Status>,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        // Only ever from the command line: nothing in the environment can
        // swap the real computer for a scenario that says "Protected".
        simulate: None,
        hidden: false,
        was: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--simulate" => {
                options.simulate = Some(
                    args.next()
                        .ok_or("--simulate needs a scenario file")?
                        .into(),
                )
            }
            "--hidden" => options.hidden = true,
            "--was" => {
                let status = args.next().unwrap_or_default();
                options.was = Some(handover::parse_status(&status).ok_or_else(|| {
                    format!("--was needs a status (protected, at_risk, unprotected, unknown), not \"{status}\"")
                })?);
            }
            other => {
                return Err(format!(
                    "unknown option {other} (valid: --simulate FILE, --hidden, --was STATUS)"
                ));
            }
        }
    }
    Ok(options)
}

/// The folder for the journal, settings and (in simulation) the simulated machine.
fn data_dir(simulate: Option<&PathBuf>) -> PathBuf {
    let base = baton_system::migrate::app_data_dir().unwrap_or_else(std::env::temp_dir);
    // Tests give each run its own folder; then it is the simulation's alone.
    let test_folder = cfg!(feature = "test-hooks") && std::env::var_os("BATON_DATA_DIR").is_some();
    match simulate {
        // A simulation never shares a journal with the real machine.
        Some(s) if !test_folder => base.join("simulated").join(
            s.file_stem()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "scenario".into()),
        ),
        _ => base,
    }
}

fn init_logging(dir: Option<PathBuf>) {
    let Some(dir) = dir else { return };
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    if let Ok(file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("baton.log"))
    {
        let _ = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_writer(std::sync::Mutex::new(file))
            .try_init();
    }
}

#[allow(clippy::print_stderr)] // Before a window exists, stderr is the only voice.
pub fn main() -> ExitCode {
    let options = match options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("baton-app: {e}");
            return ExitCode::from(2);
        }
    };
    #[cfg(target_os = "linux")]
    if options.hidden && std::env::var_os("GDK_GL").is_none() {
        // Tray only: GTK's OpenGL support would map Mesa (and LLVM, for
        // software rendering) for nothing, about a third of this process's
        // memory. A window opened later from the tray still renders; WebKit
        // then composites without GL.
        // SAFETY: nothing has started a thread yet: this is the top of
        // `main`, and `options()` only read the arguments and environment.
        unsafe { std::env::set_var("GDK_GL", "disable") };
    }
    let data_dir = data_dir(options.simulate.as_ref());
    let setup = || -> Result<AppState, AppError> {
        let detector = baton_core::Detector::builtin()?;
        let catalog = baton_core::Catalog::builtin()?;
        let machine = match &options.simulate {
            Some(path) => Machine::simulated(path, detector, &data_dir)?,
            None => Machine::real(detector, catalog.download_hosts()),
        };
        let mut state = AppState::new(machine, data_dir.clone())?;
        #[cfg(feature = "test-hooks")]
        {
            state.fixed_today = std::env::var("BATON_TODAY")
                .ok()
                .and_then(|t| t.parse().ok());
        }
        state.last_status = std::sync::Mutex::new(options.was);
        Ok(state)
    };
    let state = match setup() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("baton-app: {e}");
            return ExitCode::from(2);
        }
    };
    let hidden = options.hidden;
    let simulate = options.simulate.clone();
    let builder = tauri::Builder::default()
        .on_window_event(move |window, event| {
            if matches!(event, WindowEvent::Destroyed) && window.label() == "main" {
                handover::schedule(window.app_handle(), simulate.clone());
            }
        })
        // First: a second launch only focuses the first.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Err(e) = open_window(app) {
                tracing::warn!("cannot open the window: {e}");
            }
        }))
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            Some(vec!["--hidden"]),
        ));
    let app = app_builder(builder, state)
        .setup(move |app| {
            init_logging(app.path().app_log_dir().ok());
            tracing::info!("Baton {} starting", env!("CARGO_PKG_VERSION"));
            let handle = app.handle().clone();
            // The window first: it is what the user waits for.
            if !hidden {
                open_window(&handle)?;
            }
            tray::create(&handle)?;
            let periodic = handle.clone();
            tauri::async_runtime::spawn(async move {
                loop {
                    check_in_background(&periodic);
                    tokio::time::sleep(CHECK_EVERY).await;
                }
            });
            Ok(())
        })
        .build(tauri::generate_context!());
    let app = match app {
        Ok(app) => app,
        Err(e) => {
            eprintln!("baton-app: {e}");
            return ExitCode::FAILURE;
        }
    };
    app.run(|app, event| {
        // Closing the window frees the webview; Baton stays in the tray
        // until its Quit.
        if let RunEvent::ExitRequested { api, code, .. } = event {
            let quitting = app
                .try_state::<AppState>()
                .is_some_and(|s| s.quitting.load(Ordering::SeqCst));
            if code.is_none() && !quitting {
                api.prevent_exit();
            }
        }
    });
    ExitCode::SUCCESS
}
