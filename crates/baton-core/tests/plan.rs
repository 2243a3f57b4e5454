//! Migration plans built from the scanner fixtures.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use std::path::Path;

use baton_core::migrate::plan::{Choice, PlanError, StepKind, build};
use baton_core::scan::FindingKind;
use baton_core::{Catalog, Detector, Snapshot};

fn plan_for(
    fixture: &str,
    to: &str,
    remove_ultraav: bool,
) -> Result<baton_core::migrate::Plan, PlanError> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(fixture),
    )
    .unwrap();
    let snapshot = Snapshot::from_json(&text, fixture).unwrap();
    let scan = Detector::builtin().unwrap().detect(&snapshot);
    build(
        &Catalog::builtin().unwrap(),
        &snapshot,
        &scan,
        &Choice {
            to: to.into(),
            remove_ultraav,
        },
    )
}

fn ids(plan: &baton_core::migrate::Plan) -> Vec<&str> {
    plan.steps.iter().map(|s| s.id.as_str()).collect()
}

#[test]
fn windows_order_is_prepare_remove_restart_interim_install_verify_done() {
    let plan = plan_for("win-kis-21.3.json", "bitdefender-free", false).unwrap();
    assert_eq!(
        ids(&plan),
        [
            "prepare",
            "remove:kaspersky-home:kaspersky internet security",
            "restart",
            "interim",
            "install",
            "verify",
            "done"
        ]
    );
    let StepKind::Remove { target } = &plan.steps[1].kind else {
        panic!()
    };
    assert_eq!(
        target.programs[0].id.as_deref(),
        Some("{B1E3B1B4-6C1E-4F3A-9D2C-3A1C1F0A2130}")
    );
}

#[test]
fn defender_as_the_replacement_is_made_sure_of_not_installed() {
    let plan = plan_for("win-kis-21.3.json", "microsoft-defender", false).unwrap();
    assert_eq!(plan.steps[4].kind, StepKind::EnsureDefender);
}

#[test]
fn checklist_items_appear_only_when_they_apply() {
    let items = |fixture: &str| -> Vec<String> {
        let plan = plan_for(fixture, "microsoft-defender", false).unwrap();
        let StepKind::Prepare { checklist } = &plan.steps[0].kind else {
            panic!()
        };
        checklist.iter().map(|c| c.id.clone()).collect()
    };
    assert_eq!(
        items("win-standard-21.16.json"),
        ["export-passwords", "licence", "quarantine", "restore-point"]
    );
    assert_eq!(
        items("win-kis-21.3.json"),
        ["licence", "quarantine", "restore-point"]
    );
    assert_eq!(items("win-defender-only.json"), ["restore-point"]);
    let plan = plan_for("mac-kaspersky-current.json", "apple-xprotect", false).unwrap();
    let StepKind::Prepare { checklist } = &plan.steps[0].kind else {
        panic!()
    };
    assert!(checklist.iter().all(|c| c.id != "restore-point"));
}

#[test]
fn every_kaspersky_product_is_removed_and_ultraav_only_when_chosen() {
    let plan = plan_for("win-standard-21.16.json", "microsoft-defender", false).unwrap();
    let removes: Vec<&str> = ids(&plan)
        .into_iter()
        .filter(|i| i.starts_with("remove:"))
        .collect();
    assert_eq!(removes.len(), 3, "{removes:?}");
    let keep = plan_for("win-ultraav.json", "eset-home-security-essential", false).unwrap();
    assert!(ids(&keep).iter().all(|i| !i.starts_with("remove:")));
    let drop = plan_for("win-ultraav.json", "eset-home-security-essential", true).unwrap();
    assert_eq!(
        ids(&drop)
            .iter()
            .filter(|i| i.starts_with("remove:ultra"))
            .count(),
        2
    );
}

#[test]
fn a_managed_product_stops_the_plan() {
    let err = plan_for("win-kes-network-agent.json", "bitdefender-free", false).unwrap_err();
    assert!(matches!(err, PlanError::Managed { .. }));
    assert!(
        err.to_string()
            .contains("ask your organisation's IT department"),
        "{err}"
    );
    assert!(!err.is_bad_input());
}

#[test]
fn management_agents_are_removed_last() {
    // The agent without a managed flag (an orphan agent whose products the
    // user removes), reordered by the plan regardless of scan order.
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/linux-kesl.json"),
    )
    .unwrap();
    let snapshot = Snapshot::from_json(&text, "linux-kesl.json").unwrap();
    let mut scan = Detector::builtin().unwrap().detect(&snapshot);
    for f in &mut scan.findings {
        f.managed = false;
    }
    assert_eq!(
        scan.findings[0].kind,
        FindingKind::ManagementAgent,
        "the scan lists the agent first"
    );
    let targets = baton_core::migrate::plan::removal_targets(
        &snapshot,
        &scan,
        &Choice {
            to: "clamav".into(),
            remove_ultraav: false,
        },
    );
    assert_eq!(targets.last().unwrap().kind, FindingKind::ManagementAgent);
    assert_eq!(targets.first().unwrap().kind, FindingKind::Antivirus);
}

#[test]
fn the_replacement_must_exist_fit_the_os_and_protect_in_real_time() {
    assert!(matches!(
        plan_for("win-kis-21.3.json", "nope", false),
        Err(PlanError::UnknownProduct { .. })
    ));
    assert!(matches!(
        plan_for("win-kis-21.3.json", "apple-xprotect", false),
        Err(PlanError::WrongOs { .. })
    ));
    assert!(matches!(
        plan_for("win-kis-21.3.json", "malwarebytes-free", false),
        Err(PlanError::NotAReplacement { .. })
    ));
}

/// Security review, finding 1: an Uninstall entry under HKCU is written by
/// the user (or anything running as the user), so its command must never
/// become something Baton runs with administrator rights.
#[test]
fn a_per_user_kaspersky_entry_is_never_a_removal_target() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/win-kis-21.3.json"),
    )
    .unwrap();
    let mut snapshot = Snapshot::from_json(&text, "win-kis-21.3.json").unwrap();
    snapshot.programs.push(baton_core::snapshot::Program {
        name: Some("Kaspersky Free".into()),
        publisher: Some("AO Kaspersky Lab".into()),
        uninstall_command: Some(r"C:\Users\Public\payload.exe /quiet".into()),
        id: Some("{0DBE0FBD-1B2D-4C22-9F5E-6A1B0E3E2D11}".into()),
        source: Some("HKCU".into()),
        ..Default::default()
    });
    let planted = snapshot.programs.len() - 1;
    let scan = Detector::builtin().unwrap().detect(&snapshot);
    assert!(
        scan.findings
            .iter()
            .flat_map(|f| &f.items)
            .any(|i| *i == baton_core::scan::Item::Program(planted)),
        "the per-user entry is still reported"
    );
    let plan = build(
        &Catalog::builtin().unwrap(),
        &snapshot,
        &scan,
        &Choice {
            to: "microsoft-defender".into(),
            remove_ultraav: false,
        },
    )
    .unwrap();
    let targets: Vec<_> = plan
        .steps
        .iter()
        .filter_map(|s| match &s.kind {
            StepKind::Remove { target } => Some(target),
            _ => None,
        })
        .collect();
    assert_eq!(targets.len(), 1, "{targets:?}");
    assert_eq!(targets[0].product, "Kaspersky Internet Security");
    assert!(
        targets
            .iter()
            .flat_map(|t| &t.programs)
            .all(|p| p.source.as_deref() != Some("HKCU")
                && p.uninstall_command.as_deref() != Some(r"C:\Users\Public\payload.exe /quiet")),
        "{targets:?}"
    );
}
