//! `baton timeline`, `status` and `recommend` as a user runs them, with `--today` pinned.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn baton(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(args)
        .output()
        .unwrap()
}

fn fixture(name: &str) -> String {
    let p: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../baton-core/tests/fixtures")
        .join(name);
    p.to_string_lossy().into_owned()
}

fn json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn usage_error(args: &[&str]) -> String {
    let out = baton(args);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{args:?} should be a usage error"
    );
    assert!(out.stdout.is_empty());
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn timeline_json_has_the_documented_shape() {
    let v = json(&baton(&["timeline", "--today", "2026-11-28", "--json"]));
    assert_eq!(v["today"], "2026-11-28");
    assert_eq!(v["updates_ended"], "2024-09-29T04:00:00Z");
    assert_eq!(v["days_since_updates_ended"], 790);
    assert_eq!(v["since_updates_ended_words"], "2 years, 1 month ago");
    let events = v["events"].as_array().unwrap();
    assert!(events.len() >= 12);
    for e in events {
        assert!(e["date"].as_str().unwrap().len() == 10);
        assert!(!e["title"].as_str().unwrap().is_empty());
        assert_eq!(e["past"], true);
        assert!(
            e["sources"]
                .as_array()
                .unwrap()
                .iter()
                .all(|s| s.as_str().unwrap().starts_with("https://"))
        );
    }
}

#[test]
fn timeline_is_computed_from_the_given_moment_across_the_cut_off() {
    let at = |t: &str| json(&baton(&["timeline", "--today", t, "--json"]));
    let past_of = |v: &Value, id: &str| {
        v["events"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == id)
            .unwrap()["past"]
            .clone()
    };
    let before = at("2024-09-29T03:59:00Z");
    assert_eq!(past_of(&before, "updates-end"), false);
    assert_eq!(before["updates_have_ended"], false);
    let after = at("2024-09-29T04:00:00Z");
    assert_eq!(past_of(&after, "updates-end"), true);
    assert_eq!(after["days_since_updates_ended"], 0);
    assert_eq!(at("2024-10-29")["since_updates_ended_words"], "1 month ago");
    assert_eq!(at("2024-10-29")["days_since_updates_ended"], 30);
    // Words for people too.
    let text = String::from_utf8(baton(&["timeline", "--today", "2026-11-28"]).stdout).unwrap();
    assert!(
        text.contains("stopped 2 years, 1 month ago (790 days)"),
        "{text}"
    );
    assert!(
        text.contains("17–19 Sep 2024: Kaspersky is replaced by UltraAV automatically"),
        "{text}"
    );
}

#[test]
fn bad_today_explains_the_format() {
    let err = usage_error(&["timeline", "--today", "2024-02-30"]);
    assert!(
        err.contains("--today") && err.contains("YYYY-MM-DD"),
        "{err}"
    );
    let err = usage_error(&["status", "--today", "next week"]);
    assert!(err.contains("\"next week\" is not a date"), "{err}");
}

#[test]
fn status_json_gives_status_reasons_and_next_step() {
    let v = json(&baton(&[
        "status",
        "--today",
        "2026-11-28",
        "--snapshot",
        &fixture("win-standard-21.16.json"),
        "--json",
    ]));
    assert_eq!(v["status"], "at_risk");
    let reasons: Vec<&str> = v["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert!(reasons[0].contains("790 days"), "{reasons:?}");
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("Kaspersky VPN Secure Connection"))
    );
    assert!(
        v["next_step"]
            .as_str()
            .unwrap()
            .starts_with("Replace Kaspersky")
    );
    assert_eq!(v["next_step_key"]["key"], "replace_kaspersky");

    let v = json(&baton(&[
        "status",
        "--today",
        "2026-11-28",
        "--snapshot",
        &fixture("win-defender-only.json"),
        "--json",
    ]));
    assert_eq!(v["status"], "protected");
    let v = json(&baton(&[
        "status",
        "--today",
        "2026-11-28",
        "--snapshot",
        &fixture("win-kes-network-agent.json"),
        "--json",
    ]));
    assert_eq!(
        v["next_step"],
        "Ask your organisation's IT department before removing Kaspersky: they manage it on this computer."
    );
}

#[test]
fn status_for_people_and_for_this_machine() {
    let out = baton(&[
        "status",
        "--today",
        "2026-11-28",
        "--snapshot",
        &fixture("win-leftovers.json"),
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("Status: Protected"), "{text}");
    assert!(
        text.contains("Next step: Let Baton clean up what Kaspersky left behind."),
        "{text}"
    );
    // This machine: whatever is installed, the answer is one of the four.
    let v = json(&baton(&["status", "--json"]));
    assert!(
        ["protected", "at_risk", "unprotected", "unknown"].contains(&v["status"].as_str().unwrap())
    );
}

#[test]
fn recommend_json_has_the_documented_shape_and_respects_wants() {
    let v = json(&baton(&[
        "recommend",
        "--os",
        "windows",
        "--budget",
        "paid",
        "--devices",
        "3",
        "--want",
        "vpn,password_manager",
        "--today",
        "2026-11-28",
        "--ram-mb",
        "8192",
        "--json",
    ]));
    let recs = v["recommendations"].as_array().unwrap();
    assert!(!recs.is_empty());
    for r in recs {
        for field in ["id", "name", "vendor"] {
            assert!(r[field].is_string(), "{field} in {r}");
        }
        assert!(r["price"].is_number() || r["price"].is_null());
        assert!(r["reasons"].is_array() && r["tradeoffs"].is_array());
        assert_eq!(r["features"]["vpn"], true, "{}", r["id"]);
        assert_eq!(r["features"]["password_manager"], true, "{}", r["id"]);
    }
    assert_eq!(v["built_in"]["id"], "microsoft-defender");
    assert_eq!(v["catalog_is_stale"], false);
}

#[test]
fn recommend_free_on_each_os_offers_the_built_in_option() {
    for (os, id) in [
        ("windows", "microsoft-defender"),
        ("macos", "apple-xprotect"),
        ("linux", "clamav"),
    ] {
        let v = json(&baton(&[
            "recommend",
            "--os",
            os,
            "--budget",
            "free",
            "--today",
            "2026-11-28",
            "--ram-mb",
            "8192",
            "--json",
        ]));
        assert_eq!(v["built_in"]["id"], id);
        assert!(
            v["recommendations"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["id"] == id),
            "{os}"
        );
    }
}

#[test]
fn recommend_keeps_what_a_snapshot_has_installed() {
    let v = json(&baton(&[
        "recommend",
        "--budget",
        "free",
        "--snapshot",
        &fixture("win-ultraav.json"),
        "--today",
        "2026-11-28",
        "--ram-mb",
        "8192",
        "--json",
    ]));
    assert_eq!(v["answers"]["os"], "windows");
    assert_eq!(v["recommendations"][0]["name"], "UltraAV");
    assert_eq!(v["recommendations"][0]["keep"], true);
}

#[test]
fn recommend_warns_when_the_catalog_is_old() {
    let v = json(&baton(&[
        "recommend",
        "--os",
        "windows",
        "--budget",
        "free",
        "--today",
        "2027-12-01",
        "--ram-mb",
        "8192",
        "--json",
    ]));
    assert_eq!(v["catalog_is_stale"], true);
    let text = String::from_utf8(
        baton(&[
            "recommend",
            "--os",
            "windows",
            "--budget",
            "free",
            "--today",
            "2027-12-01",
            "--ram-mb",
            "8192",
        ])
        .stdout,
    )
    .unwrap();
    assert!(
        text.contains("Note: Prices and test results were last reviewed on 28 November 2026"),
        "{text}"
    );
}

#[test]
fn unknown_values_list_the_valid_ones() {
    let err = usage_error(&["recommend", "--os", "windows", "--budget", "cheap"]);
    assert!(
        err.contains("'cheap'") && err.contains("free") && err.contains("paid"),
        "{err}"
    );
    let err = usage_error(&[
        "recommend",
        "--os",
        "windows",
        "--budget",
        "free",
        "--want",
        "vpn,antispam",
    ]);
    assert!(
        err.contains("'antispam'")
            && err.contains("password_manager")
            && err.contains("parental_control"),
        "{err}"
    );
    let err = usage_error(&["recommend", "--os", "amiga", "--budget", "free"]);
    assert!(
        err.contains("windows") && err.contains("macos") && err.contains("linux"),
        "{err}"
    );
    let err = usage_error(&[
        "recommend",
        "--os",
        "windows",
        "--budget",
        "free",
        "--devices",
        "0",
    ]);
    assert!(err.contains("--devices"), "{err}");
    let err = usage_error(&["recommend", "--os", "windows"]);
    assert!(err.contains("--budget"), "{err}");
    let err = usage_error(&["timeline", "--colour"]);
    assert!(err.contains("--colour"), "{err}");
    let err = usage_error(&[
        "recommend",
        "--os",
        "windows",
        "--budget",
        "free",
        "--vendor-region",
        "mars",
    ]);
    assert!(
        err.contains("europe") && err.contains("north_america"),
        "{err}"
    );
}
