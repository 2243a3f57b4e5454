//! The tray icon and its menu.
//!
//! Menu-driven, because Linux tray icons receive no clicks: the status as a
//! disabled first line, Open Baton, Check now, Start at login, Quit. The
//! icon and the status line follow [`look`]; a notification goes out when
//! the status gets worse, once per change.

use baton_core::Status;
use tauri::image::Image;
use tauri::menu::{CheckMenuItem, Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Runtime};

use crate::error::AppError;
use crate::i18n::t;
use crate::icons::{Look, tray_rgba_for};
use crate::state::AppState;

const TRAY_ID: &str = "baton";
/// Pixels: large enough for HiDPI panels; each OS scales it down.
const ICON_SIZE: u32 = 64;

/// The icon for a status; `None` while a check runs.
pub fn look(status: Option<Status>) -> Look {
    match status {
        None | Some(Status::Unknown) => Look::Checking,
        Some(Status::Protected) => Look::Protected,
        Some(Status::AtRisk) => Look::AtRisk,
        Some(Status::Unprotected) => Look::Unprotected,
    }
}

/// The message key of the status line.
pub fn status_key(status: Option<Status>) -> &'static str {
    match status {
        None => "tray.status.checking",
        Some(Status::Protected) => "tray.status.protected",
        Some(Status::AtRisk) => "tray.status.at_risk",
        Some(Status::Unprotected) => "tray.status.unprotected",
        Some(Status::Unknown) => "tray.status.unknown",
    }
}

fn severity(status: Status) -> u8 {
    match status {
        Status::Protected => 0,
        Status::Unknown => 1,
        Status::AtRisk => 2,
        Status::Unprotected => 3,
    }
}

/// Whether going from `before` to `now` deserves a notification.
pub fn got_worse(before: Option<Status>, now: Status) -> bool {
    before.is_some_and(|b| severity(now) > severity(b))
}

/// The menu items whose text or state changes.
struct Items<R: Runtime> {
    status: MenuItem<R>,
    open: MenuItem<R>,
    check: MenuItem<R>,
    login: CheckMenuItem<R>,
    quit: MenuItem<R>,
}

pub fn icon(look: Look, simulated: bool) -> Image<'static> {
    Image::new_owned(
        tray_rgba_for(look, ICON_SIZE, simulated),
        ICON_SIZE,
        ICON_SIZE,
    )
}

/// What the tray says, marked as a simulation's where it is one, so no
/// demonstration can pass for this computer's real status.
pub fn marked(lang: &str, simulated: bool, text: String) -> String {
    if simulated {
        format!("{}: {text}", t(lang, "app.simulated"))
    } else {
        text
    }
}

pub fn create<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let state = app.state::<AppState>();
    let lang = state.language();
    let start_at_login = state
        .settings
        .lock()
        .map(|s| s.start_at_login)
        .unwrap_or(false);
    let simulated = state.simulated;
    let items = Items {
        status: MenuItem::with_id(
            app,
            "status",
            marked(&lang, simulated, t(&lang, "tray.status.checking")),
            false,
            None::<&str>,
        )?,
        open: MenuItem::with_id(app, "open", t(&lang, "tray.open"), true, None::<&str>)?,
        check: MenuItem::with_id(app, "check", t(&lang, "tray.check"), true, None::<&str>)?,
        login: CheckMenuItem::with_id(
            app,
            "login",
            t(&lang, "tray.login"),
            true,
            start_at_login,
            None::<&str>,
        )?,
        quit: MenuItem::with_id(app, "quit", t(&lang, "tray.quit"), true, None::<&str>)?,
    };
    let menu = Menu::with_items(
        app,
        &[
            &items.status,
            &PredefinedMenuItem::separator(app)?,
            &items.open,
            &items.check,
            &items.login,
            &PredefinedMenuItem::separator(app)?,
            &items.quit,
        ],
    )?;
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(icon(Look::Checking, simulated))
        // macOS: draw it as a template image only for the neutral look, so
        // the coloured states keep their colour in the menu bar.
        .icon_as_template(false)
        .tooltip(marked(&lang, simulated, "Baton".into()))
        .menu(&menu)
        .show_menu_on_left_click(true)
        .on_menu_event(|app, event| match event.id().as_ref() {
            "open" => {
                if let Err(e) = crate::open_window(app) {
                    tracing::warn!("cannot open the window: {e}");
                }
            }
            "check" => crate::check_in_background(app),
            "login" => {
                let on = app
                    .try_state::<Items<R>>()
                    .and_then(|i| i.login.is_checked().ok())
                    .unwrap_or(false);
                if let Err(e) = set_start_at_login(app, on) {
                    tracing::warn!("start at login: {e}");
                }
            }
            "quit" => crate::quit(app),
            _ => {}
        })
        .build(app)?;
    app.manage(items);
    Ok(())
}

/// Shows a status in the tray; notifies when it got worse.
pub fn show_status<R: Runtime>(app: &AppHandle<R>, status: Option<Status>) {
    let Some(state) = app.try_state::<AppState>() else {
        return;
    };
    let lang = state.language();
    let simulated = state.simulated;
    if let Some(tray) = app.tray_by_id(TRAY_ID) {
        let _ = tray.set_icon(Some(icon(look(status), simulated)));
        let _ = tray.set_tooltip(Some(marked(
            &lang,
            simulated,
            format!("Baton: {}", t(&lang, status_key(status))),
        )));
    }
    if let Some(items) = app.try_state::<Items<R>>() {
        let _ = items
            .status
            .set_text(marked(&lang, simulated, t(&lang, status_key(status))));
    }
    let Some(now) = status else { return };
    let before = state
        .last_status
        .lock()
        .ok()
        .and_then(|mut last| last.replace(now));
    if got_worse(before, now) {
        notify(app, &lang, simulated, now);
    }
}

fn notify<R: Runtime>(app: &AppHandle<R>, lang: &str, simulated: bool, status: Status) {
    use tauri_plugin_notification::NotificationExt;
    let body = t(lang, status_key(Some(status)));
    if let Err(e) = app
        .notification()
        .builder()
        .title(marked(lang, simulated, t(lang, "notify.worse.title")))
        .body(body)
        .show()
    {
        tracing::warn!("cannot show a notification: {e}");
    }
}

/// Re-labels the menu after a language change.
pub fn relabel<R: Runtime>(app: &AppHandle<R>) {
    let (Some(state), Some(items)) = (app.try_state::<AppState>(), app.try_state::<Items<R>>())
    else {
        return;
    };
    let lang = state.language();
    let last = state.last_status.lock().ok().and_then(|s| *s);
    let _ = items
        .status
        .set_text(marked(&lang, state.simulated, t(&lang, status_key(last))));
    let _ = items.open.set_text(t(&lang, "tray.open"));
    let _ = items.check.set_text(t(&lang, "tray.check"));
    let _ = items.login.set_text(t(&lang, "tray.login"));
    let _ = items.quit.set_text(t(&lang, "tray.quit"));
}

/// Turns starting at login on or off (the autostart plugin).
pub fn set_start_at_login<R: Runtime>(app: &AppHandle<R>, on: bool) -> Result<(), AppError> {
    use tauri_plugin_autostart::ManagerExt;
    let launcher = app
        .try_state::<tauri_plugin_autostart::AutoLaunchManager>()
        .map(|_| app.autolaunch())
        .ok_or_else(|| AppError::Settings("starting at login is not available here".into()))?;
    let result = if on {
        launcher.enable()
    } else {
        launcher.disable()
    };
    result.map_err(|e| AppError::Settings(e.to_string()))?;
    if let Some(items) = app.try_state::<Items<R>>() {
        let _ = items.login.set_checked(on);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_status_maps_to_its_icon_and_line() {
        assert_eq!(look(Some(Status::Protected)), Look::Protected);
        assert_eq!(look(Some(Status::AtRisk)), Look::AtRisk);
        assert_eq!(look(Some(Status::Unprotected)), Look::Unprotected);
        assert_eq!(look(Some(Status::Unknown)), Look::Checking);
        assert_eq!(look(None), Look::Checking);
        assert_eq!(status_key(Some(Status::AtRisk)), "tray.status.at_risk");
        for lang in crate::i18n::LANGUAGES {
            for s in [
                None,
                Some(Status::Protected),
                Some(Status::AtRisk),
                Some(Status::Unprotected),
                Some(Status::Unknown),
            ] {
                assert_ne!(t(lang, status_key(s)), status_key(s), "{lang}: {s:?}");
            }
        }
    }

    #[test]
    fn notifications_only_when_it_gets_worse() {
        assert!(got_worse(Some(Status::Protected), Status::AtRisk));
        assert!(got_worse(Some(Status::AtRisk), Status::Unprotected));
        assert!(
            !got_worse(Some(Status::AtRisk), Status::AtRisk),
            "not repeated for the same state"
        );
        assert!(!got_worse(Some(Status::Unprotected), Status::Protected));
        assert!(
            !got_worse(None, Status::Unprotected),
            "the first check sets the baseline"
        );
    }
}
