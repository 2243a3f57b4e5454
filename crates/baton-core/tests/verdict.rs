//! The verdict on every scanner fixture, pinned to a fixed "today".

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use std::path::Path;

use baton_core::Said;
use baton_core::verdict::judge;
use baton_core::{Detector, Snapshot, Status, Timeline, Today};

fn verdict_for(fixture: &str, today: &str) -> baton_core::Verdict {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(fixture);
    let text = std::fs::read_to_string(&path).unwrap();
    let snapshot = Snapshot::from_json(&text, fixture).unwrap();
    let scan = Detector::builtin().unwrap().detect(&snapshot);
    judge(
        &scan,
        snapshot.os.family,
        &Timeline::builtin().unwrap(),
        &today.parse::<Today>().unwrap(),
    )
}

fn keys(said: &[Said]) -> Vec<String> {
    said.iter()
        .map(|s| {
            serde_json::to_value(s).unwrap()["key"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

#[test]
fn every_fixture_gets_the_expected_verdict() {
    // fixture, status, reason keys that must be present, next step key
    let table: &[(&str, Status, &[&str], &str)] = &[
        (
            "linux-kesl.json",
            Status::AtRisk,
            &[
                "managed",
                "kaspersky_other_product",
                "kaspersky_updates_stopped",
            ],
            "ask_it",
        ),
        (
            "mac-kaspersky-current.json",
            Status::AtRisk,
            &["kaspersky_updates_stopped", "protected_by_xprotect"],
            "replace_kaspersky",
        ),
        (
            "mac-kaspersky-legacy.json",
            Status::AtRisk,
            &["kaspersky_updates_stopped", "protected_by_xprotect"],
            "replace_kaspersky",
        ),
        (
            "win-defender-only.json",
            Status::Protected,
            &["protected_by"],
            "nothing_to_do",
        ),
        (
            "win-kav-2019.json",
            Status::Unprotected,
            &["kaspersky_updates_stopped", "kaspersky_off", "product_off"],
            "replace_kaspersky",
        ),
        (
            "win-kes-network-agent.json",
            Status::AtRisk,
            &[
                "managed",
                "kaspersky_updates_stopped",
                "defender_standing_by",
            ],
            "ask_it",
        ),
        (
            "win-kis-21.3.json",
            Status::AtRisk,
            &[
                "kaspersky_updates_stopped",
                "signatures_out_of_date",
                "defender_standing_by",
            ],
            "replace_kaspersky",
        ),
        (
            "win-leftovers.json",
            Status::Protected,
            &["protected_by", "kaspersky_leftovers"],
            "remove_leftovers",
        ),
        (
            // Its Uninstall entry outlived the product (Windows Installer
            // no longer has it): a leftover, not a Kaspersky at risk.
            "win-orphaned-msi.json",
            Status::Protected,
            &["protected_by", "kaspersky_leftovers"],
            "remove_leftovers",
        ),
        (
            "win-negatives.json",
            Status::Unprotected,
            &["no_antivirus"],
            "choose_antivirus",
        ),
        (
            "win-russian-kav.json",
            Status::AtRisk,
            &["kaspersky_updates_stopped", "signatures_out_of_date"],
            "replace_kaspersky",
        ),
        (
            "win-standard-21.16.json",
            Status::AtRisk,
            &["kaspersky_updates_stopped", "kaspersky_other_product"],
            "replace_kaspersky",
        ),
        (
            "win-ultraav.json",
            Status::Protected,
            &["protected_by", "ultraav_installed", "defender_standing_by"],
            "decide_about_ultraav",
        ),
    ];
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let count = std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "json")
        })
        .count();
    assert_eq!(count, table.len(), "a fixture has no verdict row");
    for (fixture, status, want, next) in table {
        let v = verdict_for(fixture, "2026-11-28");
        assert_eq!(v.status, *status, "{fixture}: {:#?}", v.reasons);
        let got = keys(&v.reason_keys);
        for k in *want {
            assert!(
                got.contains(&(*k).to_owned()),
                "{fixture}: wanted reason {k} in {got:?}"
            );
        }
        assert_eq!(
            keys(std::slice::from_ref(&v.next_step_key)),
            [*next],
            "{fixture}"
        );
        assert_eq!(v.reasons.len(), v.reason_keys.len());
        assert!(!v.next_step.is_empty());
    }
}

#[test]
fn kaspersky_reason_counts_days_across_the_cut_off() {
    let v = verdict_for("win-kis-21.3.json", "2026-11-28");
    assert!(
        v.reasons[0].contains("since 29 September 2024 (2 years, 1 month ago)"),
        "{}",
        v.reasons[0]
    );
    assert!(v.reasons[0].contains("790 days"), "{}", v.reasons[0]);
    let before = verdict_for("win-kis-21.3.json", "2024-09-29T03:59:00Z");
    assert_eq!(keys(&before.reason_keys)[0], "kaspersky_updates_will_stop");
    assert_eq!(before.status, Status::AtRisk);
    let after = verdict_for("win-kis-21.3.json", "2024-09-29T04:00:00Z");
    assert_eq!(keys(&after.reason_keys)[0], "kaspersky_updates_stopped");
    assert!(
        after.reasons[0].contains("0 days old"),
        "{}",
        after.reasons[0]
    );
}

#[test]
fn ultraav_is_explained_in_plain_words() {
    let v = verdict_for("win-ultraav.json", "2026-11-28");
    let text = v
        .reasons
        .iter()
        .find(|r| r.contains("installed automatically"))
        .unwrap();
    assert!(
        text.contains("September 2024") && text.contains("keep it or choose another"),
        "{text}"
    );
}
