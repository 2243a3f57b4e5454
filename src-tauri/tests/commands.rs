//! The app's commands on Tauri's mock runtime: the real command code, the
//! real engine, a scenario's simulated machine.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use baton_app::machine::Machine;
use baton_app::{AppState, app_builder};
use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, get_ipc_response, mock_builder, mock_context, noop_assets};
use tauri::webview::InvokeRequest;
use tauri::{WebviewWindow, WebviewWindowBuilder};

fn app(
    scenario: &str,
    data: &Path,
) -> (
    tauri::App<tauri::test::MockRuntime>,
    WebviewWindow<tauri::test::MockRuntime>,
) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../scenarios")
        .join(scenario);
    let detector = baton_core::Detector::builtin().unwrap();
    let machine = Machine::simulated(&path, detector, data).unwrap();
    let mut state = AppState::new(machine, data.to_owned()).unwrap();
    state.fixed_today = Some("2026-11-28".parse().unwrap());
    let app = app_builder(mock_builder(), state)
        .build(mock_context(noop_assets()))
        .unwrap();
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    (app, window)
}

fn call(
    window: &WebviewWindow<tauri::test::MockRuntime>,
    cmd: &str,
    args: Value,
) -> Result<Value, Value> {
    get_ipc_response(
        window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().unwrap())
}

#[test]
fn scan_timeline_recommend_plan_and_migrate() {
    let data = tempfile::tempdir().unwrap();
    let (_app, w) = app("kis-to-defender.json", data.path());

    let scan = call(&w, "scan", json!({})).unwrap();
    assert_eq!(scan["verdict"]["status"], "at_risk");
    assert_eq!(scan["has_kaspersky"], true);
    assert_eq!(scan["simulated"], true);
    assert_eq!(scan["verdict"]["next_step_key"]["key"], "replace_kaspersky");

    let timeline = call(&w, "timeline", json!({})).unwrap();
    assert_eq!(timeline["days_since_updates_ended"], 790);

    let recs = call(&w, "recommend", json!({"input": {"budget": "free", "devices": 1, "wants": [], "region": null, "comfort": "beginner"}})).unwrap();
    assert_eq!(recs["built_in"]["id"], "microsoft-defender");
    assert!(
        recs["recommendations"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["price"] == 0.0)
    );

    let plan = call(
        &w,
        "plan",
        json!({"to": "microsoft-defender", "removeUltraav": false}),
    )
    .unwrap();
    assert_eq!(plan["steps"][0]["id"], "prepare");

    assert_eq!(call(&w, "resume_point", json!({})).unwrap(), Value::Null);
    let report = call(
        &w,
        "migrate",
        json!({"to": "microsoft-defender", "removeUltraav": false}),
    )
    .unwrap();
    assert_eq!(report["outcome"], "completed", "{report:#}");
    assert_eq!(report["final_status"], "protected");
    let again = call(&w, "scan", json!({})).unwrap();
    assert_eq!(again["verdict"]["status"], "protected");
    assert_eq!(again["has_kaspersky"], false);
}

#[test]
fn errors_cross_as_code_and_message() {
    let data = tempfile::tempdir().unwrap();
    let (_app, w) = app("kis-to-defender.json", data.path());
    let err = call(
        &w,
        "plan",
        json!({"to": "kaspersky-premium", "removeUltraav": false}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "unknown_product");
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("microsoft-defender"),
        "{err}"
    );
    let err = call(&w, "set_language", json!({"language": "fr"})).unwrap_err();
    assert_eq!(
        err,
        json!({"code": "language", "message": "\"fr\" is not a language Baton speaks (en, ru, es)"})
    );
    let err = call(&w, "plan", json!({"to": "clamav", "removeUltraav": false})).unwrap_err();
    assert_eq!(err["code"], "wrong_os");
    // Links are named by event and index; anything else is refused before a
    // browser could open.
    for (event, index) in [("updates-end", 99), ("no-such-event", 0)] {
        let err = call(&w, "open_source", json!({"event": event, "index": index})).unwrap_err();
        assert_eq!(err["code"], "no_such_source", "{event} {index}");
    }
    let err = call(
        &w,
        "open_source",
        json!({"event": "updates-end", "index": -1}),
    )
    .unwrap_err();
    // Tauri refuses arguments of the wrong type before the command runs.
    assert!(err.as_str().unwrap().contains("index"), "{err}");
}

#[test]
fn every_timeline_source_resolves_to_an_https_link() {
    let timeline = baton_core::Timeline::builtin().unwrap();
    for e in &timeline.events {
        for (i, url) in e.sources.iter().enumerate() {
            assert_eq!(
                baton_app::commands::source_url(&timeline, &e.id, i).unwrap(),
                url
            );
        }
        assert!(baton_app::commands::source_url(&timeline, &e.id, e.sources.len()).is_err());
    }
}

#[test]
fn a_managed_machine_is_refused_and_a_restart_is_resumed_from_the_journal() {
    let data = tempfile::tempdir().unwrap();
    let (_app, w) = app("kes-managed.json", data.path());
    let report = call(
        &w,
        "migrate",
        json!({"to": "bitdefender-free", "removeUltraav": false}),
    )
    .unwrap();
    assert_eq!(report["outcome"], "refused");

    let data = tempfile::tempdir().unwrap();
    {
        let (_app, w) = app("kis-to-bitdefender.json", data.path());
        let report = call(
            &w,
            "migrate",
            json!({"to": "bitdefender-free", "removeUltraav": false}),
        )
        .unwrap();
        assert_eq!(report["outcome"], "restart_required");
        let resume = call(&w, "resume_point", json!({})).unwrap();
        assert_eq!(resume["to"], "bitdefender-free");
        assert_eq!(resume["waiting_for_restart"], true);
    }
    // The app starts again (after the restart): the simulated machine is
    // restored and restarted, and the migration continues to the end.
    let (_app, w) = app("kis-to-bitdefender.json", data.path());
    let report = call(
        &w,
        "migrate",
        json!({"to": "bitdefender-free", "removeUltraav": false}),
    )
    .unwrap();
    assert_eq!(report["outcome"], "completed", "{report:#}");
    assert_eq!(call(&w, "resume_point", json!({})).unwrap(), Value::Null);
}

#[test]
fn settings_follow_the_system_until_chosen() {
    let data = tempfile::tempdir().unwrap();
    let (_app, w) = app("already-protected.json", data.path());
    let s = call(&w, "settings", json!({})).unwrap();
    assert_eq!(s["follows_system"], true);
    assert_eq!(s["simulated"], true);
    call(&w, "set_language", json!({"language": "ru"})).unwrap();
    let s = call(&w, "settings", json!({})).unwrap();
    assert_eq!(
        (s["language"].as_str(), s["follows_system"].as_bool()),
        (Some("ru"), Some(false))
    );
    let saved: Value =
        serde_json::from_str(&std::fs::read_to_string(data.path().join("settings.json")).unwrap())
            .unwrap();
    assert_eq!(saved["language"], "ru");
}
