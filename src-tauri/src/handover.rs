//! Tray-only memory: once the window has been closed for a while, a fresh
//! `--hidden` process takes over the tray and this one exits.
//!
//! Why: closing the window ends WebKit's web process, but this process keeps
//! the webview's libraries paged in and WebKit's network process alive
//! (about 135 MB PSS measured here, against 60 MB for a process that never
//! opened a window). Nothing in Tauri releases them, so the process goes.
//! It only happens when idle (a migration runs in this process) and never
//! while a window is open; the last status travels along (`--was`) so a
//! worse status still notifies once, and only once.

use std::sync::atomic::Ordering;
use std::time::Duration;

use baton_core::Status;
use tauri::{AppHandle, Manager, Runtime};

use crate::state::AppState;

/// How long the window must stay closed; `BATON_HANDOVER_AFTER_MS` changes
/// it (tests and benchmarks).
const AFTER: Duration = Duration::from_secs(30);

fn delay() -> Duration {
    std::env::var("BATON_HANDOVER_AFTER_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(AFTER, Duration::from_millis)
}

/// A status as it is written everywhere else (`at_risk`): serde's name for it.
pub fn status_arg(status: Status) -> Option<String> {
    match serde_json::to_value(status) {
        Ok(serde_json::Value::String(name)) => Some(name),
        _ => None,
    }
}

pub fn parse_status(arg: &str) -> Option<Status> {
    serde_json::from_value(serde_json::Value::String(arg.to_owned())).ok()
}

/// The successor's command line: tray only, the same machine, the last status.
pub fn successor_args(simulate: Option<&std::path::Path>, was: Option<Status>) -> Vec<String> {
    let mut args = vec!["--hidden".to_owned()];
    if let Some(path) = simulate {
        args.push("--simulate".into());
        args.push(path.to_string_lossy().into_owned());
    }
    if let Some(name) = was.and_then(status_arg) {
        args.push("--was".into());
        args.push(name);
    }
    args
}

/// After the window closes: wait, then hand over when nothing is running.
pub fn schedule<R: Runtime>(app: &AppHandle<R>, simulate: Option<std::path::PathBuf>) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            tokio::time::sleep(delay()).await;
            match try_hand_over(&app, simulate.as_deref()) {
                Step::Done | Step::Cancelled => return,
                Step::Busy => {}
            }
        }
    });
}

enum Step {
    Done,
    /// A window is open again, or Baton is quitting.
    Cancelled,
    /// A scan or a migration holds the machine; try again later.
    Busy,
}

fn try_hand_over<R: Runtime>(app: &AppHandle<R>, simulate: Option<&std::path::Path>) -> Step {
    let Some(state) = app.try_state::<AppState>() else {
        return Step::Cancelled;
    };
    if app.get_webview_window("main").is_some() || state.quitting.load(Ordering::SeqCst) {
        return Step::Cancelled;
    }
    let Ok(machine) = state.machine.try_lock() else {
        return Step::Busy;
    };
    let was = state.last_status.lock().ok().and_then(|s| *s);
    let Ok(exe) = std::env::current_exe() else {
        return Step::Cancelled;
    };
    // The successor must not find this process still holding the
    // single-instance lock, or it would hand itself back to us and exit.
    tauri_plugin_single_instance::destroy(app);
    match std::process::Command::new(exe)
        .args(successor_args(simulate, was))
        .spawn()
    {
        Ok(child) => {
            tracing::info!(pid = child.id(), "handed the tray over to a fresh process");
            drop(machine);
            state.quitting.store(true, Ordering::SeqCst);
            app.exit(0);
            Step::Done
        }
        Err(e) => {
            tracing::warn!("cannot start the tray-only process: {e}");
            Step::Cancelled
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_successor_gets_the_machine_and_the_last_status() {
        assert_eq!(successor_args(None, None), ["--hidden"]);
        assert_eq!(
            successor_args(
                Some(std::path::Path::new("/s/x.json")),
                Some(Status::AtRisk)
            ),
            ["--hidden", "--simulate", "/s/x.json", "--was", "at_risk"]
        );
        for s in [
            Status::Protected,
            Status::AtRisk,
            Status::Unprotected,
            Status::Unknown,
        ] {
            assert_eq!(parse_status(&status_arg(s).unwrap()), Some(s));
        }
        assert_eq!(parse_status("fine"), None);
    }
}
