//! `baton migrate` as a user runs it: every shipped scenario, and bad input.

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

fn scenarios() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    let mut all: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    all.sort();
    all
}

fn scenario(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../scenarios")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn every_shipped_scenario_ends_as_it_expects() {
    let all = scenarios();
    assert!(all.len() >= 14, "scenarios went missing: {}", all.len());
    for path in all {
        let spec: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let out = baton(&[
            "migrate",
            "--simulate",
            path.to_str().unwrap(),
            "--yes",
            "--json",
            "--today",
            "2026-11-28",
        ]);
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{name}: {e}; stderr: {}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
        let want_exit = spec["expect"]["exit"].as_i64().unwrap();
        assert_eq!(
            out.status.code(),
            Some(want_exit as i32),
            "{name}: {}",
            report["outcome"]
        );
        assert_eq!(report["exit_code"], want_exit, "{name}");
        assert_eq!(
            report["final_status"], spec["expect"]["final_status"],
            "{name}: {:#}",
            report["final_reasons"]
        );
        // Success is only ever claimed after verification passed.
        let verified = report["steps"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["id"] == "verify" && s["state"] == "done");
        assert_eq!(want_exit == 0, verified, "{name}");
    }
}

#[test]
fn the_human_output_walks_through_the_steps() {
    let out = baton(&[
        "migrate",
        "--simulate",
        &scenario("kis-to-bitdefender.json"),
        "--yes",
        "--today",
        "2026-11-28",
    ]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for want in [
        "Plan: move this computer's protection to Bitdefender Antivirus Free",
        "▶ Remove Kaspersky Internet Security",
        "(simulated restart; Baton starts again by itself)",
        "Continuing the move to Bitdefender Antivirus Free.",
        "✓ Windows Defender is protecting the computer.",
        "passed verification",
        "Result: done. The new protection is verified.",
        "This computer is now: Protected",
        "(simulated: a scenario's computer, not this one; nothing here was changed)",
    ] {
        assert!(text.contains(want), "missing {want:?} in:\n{text}");
    }
}

#[test]
fn without_yes_only_the_plan_is_shown() {
    let out = baton(&[
        "migrate",
        "--simulate",
        &scenario("restart-needed.json"),
        "--today",
        "2026-11-28",
    ]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Export your Kaspersky Password Manager vault"),
        "{text}"
    );
    assert!(text.contains("PLAIN TEXT"));
    assert!(text.starts_with("\n(simulated: "), "{text}");
    assert!(
        text.contains(" 4. Remove Kaspersky Password Manager"),
        "{text}"
    );
    assert!(text.ends_with(
        "Nothing has been changed. Run the same command with --yes to carry out this plan.\n"
    ));
    // Management agents last, Linux installs first.
    let plan: Value = serde_json::from_slice(
        &baton(&[
            "migrate",
            "--simulate",
            &scenario("linux-kesl-to-clamav.json"),
            "--json",
        ])
        .stdout,
    )
    .unwrap();
    assert_eq!(plan["simulated"], true);
    let ids: Vec<&str> = plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids[..3],
        [
            "prepare",
            "install",
            "remove:kaspersky-linux:kaspersky endpoint security for linux"
        ]
    );
}

#[test]
fn to_overrides_the_scenario_and_unknown_ids_list_the_valid_ones() {
    let out = baton(&[
        "migrate",
        "--simulate",
        &scenario("kis-to-defender.json"),
        "--to",
        "eset-home-security-essential",
        "--yes",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["plan"]["to"], "eset-home-security-essential");
    let out = baton(&[
        "migrate",
        "--simulate",
        &scenario("kis-to-defender.json"),
        "--to",
        "kaspersky-free",
        "--yes",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("\"kaspersky-free\" is not in Baton's catalog")
            && err.contains("microsoft-defender"),
        "{err}"
    );
    let out = baton(&[
        "migrate",
        "--simulate",
        &scenario("kis-to-defender.json"),
        "--to",
        "malwarebytes-free",
        "--yes",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("no real-time protection")
    );
    let out = baton(&[
        "migrate",
        "--simulate",
        &scenario("kis-to-defender.json"),
        "--to",
        "clamav",
        "--yes",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("does not run on Windows")
    );
}

#[test]
fn bad_scenario_files_are_named_with_the_position() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        "{\n  \"format\": \"baton-scenario/1\",\n  \"title\": 3\n}",
    )
    .unwrap();
    let out = baton(&["migrate", "--simulate", bad.to_str().unwrap(), "--yes"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("bad.json:3:") && err.contains("invalid type"),
        "{err}"
    );
    std::fs::write(
        &bad,
        std::fs::read_to_string(scenario("kis-to-defender.json"))
            .unwrap()
            .replace("baton-scenario/1", "baton-scenario/9"),
    )
    .unwrap();
    let err =
        String::from_utf8(baton(&["migrate", "--simulate", bad.to_str().unwrap()]).stderr).unwrap();
    assert!(
        err.contains("scenario format \"baton-scenario/9\" is not supported"),
        "{err}"
    );
    let out = baton(&["migrate", "--simulate", "/nonexistent/x.json"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_real_migration_needs_a_target() {
    let out = baton(&["migrate", "--yes"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("--to"));
}

#[test]
fn a_journal_named_by_a_bare_file_name_is_kept_in_the_current_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_baton"))
        .current_dir(dir.path())
        .args([
            "migrate",
            "--simulate",
            &scenario("kis-to-bitdefender.json"),
            "--yes",
            "--json",
            "--journal",
            "fresh.json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.path().join("fresh.json").is_file());
}
