//! The migration engine on the simulated machine: the kill test at every
//! step boundary, and recovery from a corrupt journal.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use baton_core::migrate::engine::{Engine, EngineError, Event, Outcome, Report, Request};
use baton_core::migrate::plan::Choice;
use baton_core::migrate::system::ActionError;
use baton_core::migrate::{JournalStore, System};
use baton_core::{Catalog, Detector, Said, Status, Timeline};
use baton_system::migrate::{FileJournal, Scenario, SimulatedSystem};

fn scenario(name: &str) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../scenarios")
        .join(name);
    Scenario::from_json(&std::fs::read_to_string(&path).unwrap(), name).unwrap()
}

fn machine(name: &str) -> SimulatedSystem {
    SimulatedSystem::new(scenario(name), Detector::builtin().unwrap())
}

/// One engine run, as one start of the program.
fn run_once(sim: &mut SimulatedSystem, store: &mut FileJournal) -> Result<Report, EngineError> {
    let catalog = Catalog::builtin().unwrap();
    let timeline = Timeline::builtin().unwrap();
    let choice = Choice {
        to: sim.scenario().to.clone(),
        remove_ultraav: sim.scenario().remove_ultraav,
    };
    let mut sink = |_: &Event| {};
    let mut engine = Engine {
        system: sim as &mut dyn System,
        store: store as &mut dyn JournalStore,
        catalog: &catalog,
        timeline: &timeline,
        today: "2026-11-28".parse().unwrap(),
        on_event: &mut sink,
    };
    engine.run(&Request { choice })
}

/// Starts the program again and again, restarting the machine when asked,
/// until the migration ends. Returns the last report and how many times the
/// engine was killed.
fn run_to_the_end(sim: &mut SimulatedSystem, store: &mut FileJournal) -> (Report, usize) {
    let mut kills = 0;
    for _ in 0..10 {
        match run_once(sim, store) {
            Err(EngineError::System(ActionError::Killed(_))) => kills += 1,
            Err(e) => panic!("engine error: {e}"),
            Ok(r) if r.outcome == Outcome::RestartRequired => sim.reboot(),
            Ok(r) => return (r, kills),
        }
    }
    panic!("the migration did not end");
}

/// Actions that must never run twice: each changes the machine for good.
fn assert_nothing_twice(sim: &SimulatedSystem, at: &str) {
    for (action, count) in &sim.actions {
        let once_only = [
            "uninstall ",
            "download ",
            "install ",
            "restore_point",
            "reboot",
        ]
        .iter()
        .any(|p| action.starts_with(p));
        if once_only {
            assert_eq!(
                *count, 1,
                "{action} ran {count} times (killed at {at}); all: {:?}",
                sim.actions
            );
        }
    }
}

fn assert_migrated(sim: &mut SimulatedSystem, report: &Report, at: &str) {
    assert_eq!(
        report.outcome,
        Outcome::Completed,
        "killed at {at}: {report:?}"
    );
    assert_eq!(report.final_status, Status::Protected, "killed at {at}");
    let (_, scan) = sim.scan().unwrap();
    assert!(
        scan.findings.iter().all(|f| f.vendor != "kaspersky"),
        "killed at {at}: {:?}",
        scan.findings
    );
    assert!(
        scan.findings.iter().any(|f| f.vendor == "bitdefender"),
        "killed at {at}"
    );
    assert!(
        !sim.resume_scheduled,
        "killed at {at}: the resume entry must be removed at the end"
    );
    assert!(
        report
            .final_reasons
            .iter()
            .all(|r| !r.contains("at the same time")),
        "killed at {at}: {:?}",
        report.final_reasons
    );
}

#[test]
fn an_uninterrupted_run_passes_every_boundary_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = FileJournal::new(dir.path().join("migration.json"));
    let mut sim = machine("kis-to-bitdefender.json");
    let (report, kills) = run_to_the_end(&mut sim, &mut store);
    assert_eq!(kills, 0);
    assert_migrated(&mut sim, &report, "nowhere");
    assert_nothing_twice(&sim, "nowhere");
    // Boundaries: before and after each step, and after each action.
    assert!(sim.boundaries.len() >= 18, "{:?}", sim.boundaries);
    assert!(
        sim.boundaries
            .iter()
            .any(|b| b == "after uninstall in remove:kaspersky-home:kaspersky internet security")
    );
    assert!(
        sim.boundaries
            .iter()
            .any(|b| b == "after install in install")
    );
}

#[test]
fn killed_at_every_boundary_it_resumes_and_nothing_runs_twice() {
    let boundaries = {
        let dir = tempfile::tempdir().unwrap();
        let mut store = FileJournal::new(dir.path().join("migration.json"));
        let mut sim = machine("kis-to-bitdefender.json");
        run_to_the_end(&mut sim, &mut store);
        sim.boundaries
    };
    for (k, at) in boundaries.iter().enumerate() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = FileJournal::new(dir.path().join("migration.json"));
        let mut sim = machine("kis-to-bitdefender.json");
        sim.kill_at = Some(k);
        let (report, kills) = run_to_the_end(&mut sim, &mut store);
        assert_eq!(kills, 1, "the kill at {at} did not happen");
        assert_migrated(&mut sim, &report, at);
        assert_nothing_twice(&sim, at);
    }
}

#[test]
fn a_corrupt_journal_is_kept_aside_and_the_run_starts_from_the_machine() {
    let good = {
        let dir = tempfile::tempdir().unwrap();
        let mut store = FileJournal::new(dir.path().join("migration.json"));
        let mut sim = machine("kis-to-defender.json");
        sim.kill_at = Some(6);
        assert!(run_once(&mut sim, &mut store).is_err());
        store.load().unwrap().unwrap()
    };
    let cases: Vec<(&str, String)> = vec![
        ("empty", String::new()),
        ("truncated", good[..good.len() / 2].to_owned()),
        (
            "garbage",
            "\u{0}\u{7f}PK\u{3}\u{4} not json at all".to_owned(),
        ),
        ("future", good.replace("baton-journal/1", "baton-journal/2")),
    ];
    for (what, text) in cases {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("migration.json");
        std::fs::write(&path, &text).unwrap();
        let mut store = FileJournal::new(&path);
        let mut sim = machine("kis-to-defender.json");
        let (report, _) = run_to_the_end(&mut sim, &mut store);
        assert_eq!(report.outcome, Outcome::Completed, "{what}");
        let note = report
            .notes
            .iter()
            .map(|n| n.en())
            .find(|n| n.contains("could not be read"))
            .unwrap_or_else(|| panic!("{what}: no note"));
        let aside: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().contains("unreadable"))
            .collect();
        assert_eq!(aside.len(), 1, "{what}");
        assert!(
            note.contains(&aside[0].display().to_string()),
            "{what}: {note}"
        );
        assert_eq!(
            std::fs::read_to_string(&aside[0]).unwrap(),
            text,
            "{what}: kept as it was"
        );
    }
}

#[test]
fn a_finished_migration_is_not_repeated() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = FileJournal::new(dir.path().join("migration.json"));
    let mut sim = machine("kis-to-defender.json");
    run_to_the_end(&mut sim, &mut store);
    let before = sim.actions.clone();
    // Running again plans from the machine: Kaspersky is gone, Defender is on.
    let (report, _) = run_to_the_end(&mut sim, &mut store);
    assert_eq!(report.outcome, Outcome::Completed);
    assert!(
        before
            .keys()
            .filter(|k| k.starts_with("uninstall"))
            .all(|k| sim.actions[k] == before[k])
    );
}

#[test]
fn another_unfinished_migration_is_not_silently_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = FileJournal::new(dir.path().join("migration.json"));
    let mut sim = machine("kis-to-bitdefender.json");
    let first = run_once(&mut sim, &mut store).unwrap();
    assert_eq!(first.outcome, Outcome::RestartRequired);
    let catalog = Catalog::builtin().unwrap();
    let timeline = Timeline::builtin().unwrap();
    let mut sink = |_: &Event| {};
    let mut engine = Engine {
        system: &mut sim as &mut dyn System,
        store: &mut store as &mut dyn JournalStore,
        catalog: &catalog,
        timeline: &timeline,
        today: "2026-11-28".parse().unwrap(),
        on_event: &mut sink,
    };
    let err = engine
        .run(&Request {
            choice: Choice {
                to: "eset-home-security-essential".into(),
                remove_ultraav: false,
            },
        })
        .unwrap_err();
    assert!(err.to_string().contains("bitdefender-free"), "{err}");
}

#[test]
fn winget_installs_without_baton_downloading_anything() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = FileJournal::new(dir.path().join("migration.json"));
    let mut sim = machine("winget-install.json");
    let (report, _) = run_to_the_end(&mut sim, &mut store);
    assert_eq!(report.outcome, Outcome::Completed);
    assert_eq!(
        sim.actions
            .get("winget install Bitdefender.BitdefenderAntivirusFree"),
        Some(&1),
        "{:?}",
        sim.actions
    );
    assert!(
        sim.actions.keys().all(|a| !a.contains("download")),
        "winget fetches the installer itself: {:?}",
        sim.actions
    );
    let install = report.steps.iter().find(|s| s.id == "install").unwrap();
    assert!(
        install
            .notes
            .iter()
            .any(|n| matches!(n, Said::InstalledWithWinget { id } if id == "Bitdefender.BitdefenderAntivirusFree")),
        "{:?}",
        install.notes
    );

    // Without winget on the machine the same move downloads and verifies.
    let dir = tempfile::tempdir().unwrap();
    let mut store = FileJournal::new(dir.path().join("migration.json"));
    let mut sim = machine("kis-to-bitdefender.json");
    run_to_the_end(&mut sim, &mut store);
    assert_eq!(sim.actions.get("download bitdefender-free"), Some(&1));
    assert!(sim.actions.keys().all(|a| !a.starts_with("winget")));
}
