//! Table tests for every recommender rule (R1–R12 in `src/recommend.rs`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use baton_core::catalog::{Feature, Region};
use baton_core::recommend::{Answers, Budget, Comfort, Machine, Recommendations, recommend};
use baton_core::scan::{Finding, FindingKind, Protection};
use baton_core::{Catalog, OsFamily, Said, Today};

fn answers(os: OsFamily, budget: Budget) -> Answers {
    Answers {
        os,
        budget,
        devices: 1,
        wants: vec![],
        region: None,
        comfort: Comfort::Intermediate,
    }
}

fn run(a: &Answers, m: &Machine) -> Recommendations {
    recommend(
        &Catalog::builtin().unwrap(),
        a,
        m,
        &"2026-11-28".parse::<Today>().unwrap(),
    )
}

fn ids(r: &Recommendations) -> Vec<&str> {
    r.recommendations.iter().map(|x| x.id.as_str()).collect()
}

fn excluded_by<'a>(r: &'a Recommendations, rule: &str) -> Vec<&'a str> {
    r.excluded
        .iter()
        .filter(|e| e.rule == rule)
        .map(|e| e.id.as_str())
        .collect()
}

fn installed(
    vendor: &str,
    product: &str,
    protection: Protection,
    current: Option<bool>,
) -> Finding {
    Finding {
        vendor: vendor.into(),
        rule: Some(vendor.into()),
        product: product.into(),
        kind: FindingKind::Antivirus,
        version: None,
        managed: false,
        business: false,
        running: true,
        protection,
        signatures_up_to_date: current,
        evidence: vec![],
        items: vec![],
    }
}

#[test]
fn r1_only_products_for_the_users_os() {
    let catalog = Catalog::builtin().unwrap();
    for os in [OsFamily::Windows, OsFamily::Macos, OsFamily::Linux] {
        let r = run(&answers(os, Budget::Paid), &Machine::default());
        assert!(!r.recommendations.is_empty(), "{os:?}");
        for rec in &r.recommendations {
            assert!(
                catalog.get(&rec.id).unwrap().runs_on(os),
                "{} on {os:?}",
                rec.id
            );
        }
        assert!(
            excluded_by(&r, "R1")
                .iter()
                .all(|id| !catalog.get(id).unwrap().runs_on(os))
        );
    }
    let linux = run(&answers(OsFamily::Linux, Budget::Free), &Machine::default());
    assert_eq!(ids(&linux), ["clamav"]);
}

#[test]
fn r2_scan_only_tools_are_never_recommended() {
    for budget in [Budget::Free, Budget::Paid] {
        let r = run(&answers(OsFamily::Windows, budget), &Machine::default());
        assert!(!ids(&r).contains(&"malwarebytes-free"));
        assert_eq!(excluded_by(&r, "R2"), ["malwarebytes-free"]);
        assert!(
            r.excluded
                .iter()
                .any(|e| e.why.en().contains("no real-time protection"))
        );
    }
}

#[test]
fn r3_a_free_budget_gets_only_free_products() {
    let r = run(
        &answers(OsFamily::Windows, Budget::Free),
        &Machine::default(),
    );
    assert!(
        r.recommendations.iter().all(|x| x.price == Some(0.0)),
        "{:?}",
        ids(&r)
    );
    assert_eq!(
        ids(&r)
            .iter()
            .copied()
            .collect::<std::collections::BTreeSet<_>>(),
        [
            "avast-free",
            "avg-free",
            "avira-free",
            "bitdefender-free",
            "microsoft-defender"
        ]
        .into()
    );
    assert!(excluded_by(&r, "R3").contains(&"norton-360-deluxe"));
    let paid = run(
        &answers(OsFamily::Windows, Budget::Paid),
        &Machine::default(),
    );
    assert!(ids(&paid).contains(&"norton-360-deluxe"));
}

#[test]
fn r4_a_wanted_feature_is_never_missing() {
    let catalog = Catalog::builtin().unwrap();
    for want in Feature::ALL {
        for os in [OsFamily::Windows, OsFamily::Macos, OsFamily::Linux] {
            let mut a = answers(os, Budget::Paid);
            a.wants = vec![want];
            let r = run(&a, &Machine::default());
            for rec in &r.recommendations {
                assert!(
                    catalog.get(&rec.id).unwrap().features.has(want),
                    "{} lacks {want}",
                    rec.id
                );
            }
        }
    }
    let mut a = answers(OsFamily::Windows, Budget::Paid);
    a.wants = vec![Feature::ParentalControl];
    let r = run(&a, &Machine::default());
    assert!(!ids(&r).is_empty());
    assert!(!ids(&r).contains(&"microsoft-defender"));
    // R6: the built-in option is still offered, and says what it lacks.
    let built_in = r.built_in.as_ref().unwrap();
    assert_eq!(built_in.id, "microsoft-defender");
    assert_eq!(
        built_in.tradeoffs[0].en(),
        "Does not include parental control."
    );
    assert!(
        !built_in
            .reasons
            .iter()
            .any(|r| matches!(r, Said::Includes { .. })),
        "the built-in option must not claim what it lacks: {:?}",
        built_in.reasons
    );
}

#[test]
fn r5_vendor_region_filters_by_headquarters() {
    let catalog = Catalog::builtin().unwrap();
    let mut a = answers(OsFamily::Windows, Budget::Paid);
    a.region = Some(Region::Europe);
    let r = run(&a, &Machine::default());
    for rec in &r.recommendations {
        assert!(
            catalog
                .get(&rec.id)
                .unwrap()
                .hq
                .regions
                .contains(&Region::Europe),
            "{}",
            rec.id
        );
    }
    assert!(ids(&r).contains(&"eset-home-security-essential"));
    assert!(excluded_by(&r, "R5").contains(&"trendmicro-internet-security"));
    assert!(excluded_by(&r, "R5").contains(&"microsoft-defender"));
    assert_eq!(r.built_in.as_ref().unwrap().id, "microsoft-defender");
}

#[test]
fn r6_the_built_in_option_is_always_offered() {
    for (os, id) in [
        (OsFamily::Windows, "microsoft-defender"),
        (OsFamily::Macos, "apple-xprotect"),
        (OsFamily::Linux, "clamav"),
    ] {
        for budget in [Budget::Free, Budget::Paid] {
            let r = run(&answers(os, budget), &Machine::default());
            assert_eq!(r.built_in.as_ref().unwrap().id, id);
            assert_eq!(r.built_in.as_ref().unwrap().price, Some(0.0));
        }
    }
}

#[test]
fn r7_a_healthy_installed_product_is_kept_first() {
    let m = Machine {
        installed: vec![installed(
            "eset",
            "ESET Security",
            Protection::On,
            Some(true),
        )],
        ..Machine::default()
    };
    let r = run(&answers(OsFamily::Windows, Budget::Paid), &m);
    assert_eq!(r.recommendations[0].id, "eset-home-security-essential");
    assert!(r.recommendations[0].keep);
    assert!(
        r.recommendations[0].reasons[0]
            .en()
            .contains("keep what you have")
    );
    // Out of date or off: not "keep".
    for (p, c) in [(Protection::On, Some(false)), (Protection::Off, None)] {
        let m = Machine {
            installed: vec![installed("eset", "ESET Security", p, c)],
            ..Machine::default()
        };
        let r = run(&answers(OsFamily::Windows, Budget::Paid), &m);
        assert!(r.recommendations.iter().all(|x| !x.keep));
    }
    // Several entries for one vendor: the name decides which is installed.
    let m = Machine {
        installed: vec![installed(
            "bitdefender",
            "Bitdefender Antivirus Free",
            Protection::On,
            None,
        )],
        ..Machine::default()
    };
    let r = run(&answers(OsFamily::Windows, Budget::Paid), &m);
    assert_eq!(r.recommendations[0].id, "bitdefender-free");
    assert!(r.recommendations.iter().filter(|x| x.keep).count() == 1);
    // Not in the catalog (UltraAV): kept, with what Baton does not know said.
    let m = Machine {
        installed: vec![installed("ultraav", "UltraAV", Protection::On, Some(true))],
        ..Machine::default()
    };
    let r = run(&answers(OsFamily::Windows, Budget::Free), &m);
    assert_eq!(r.recommendations[0].name, "UltraAV");
    assert!(r.recommendations[0].keep);
    assert!(
        r.recommendations[0].reasons[1]
            .en()
            .contains("September 2024")
    );
    assert!(
        r.recommendations[0].tradeoffs[0]
            .en()
            .contains("no checked price")
    );
    // ...but not when the user asked for something Baton cannot vouch for.
    let mut a = answers(OsFamily::Windows, Budget::Paid);
    a.wants = vec![Feature::Vpn];
    let r = run(&a, &m);
    assert!(r.recommendations.iter().all(|x| !x.keep));
    assert!(
        r.notes
            .iter()
            .any(|n| n.en().contains("UltraAV is installed and working"))
    );
    // A kept product must still meet the user's choices.
    let m = Machine {
        installed: vec![installed(
            "microsoft",
            "Windows Defender",
            Protection::On,
            None,
        )],
        ..Machine::default()
    };
    let mut a = answers(OsFamily::Windows, Budget::Paid);
    a.wants = vec![Feature::PasswordManager];
    let r = run(&a, &m);
    assert!(r.recommendations.iter().all(|x| !x.keep));
    assert!(r.notes.iter().any(|n| n.en().contains("Windows Defender is installed and working, but does not meet your choices: it does not include a password manager")), "{:?}", r.notes);
}

#[test]
fn r8_low_memory_steers_to_lighter_products() {
    let catalog = Catalog::builtin().unwrap();
    let low = Machine {
        ram_mb: Some(2048),
        ..Machine::default()
    };
    let r = run(&answers(OsFamily::Windows, Budget::Paid), &low);
    let light: Vec<bool> = r
        .recommendations
        .iter()
        .map(|x| {
            catalog
                .get(&x.id)
                .unwrap()
                .lab
                .iter()
                .any(|l| l.performance_top)
        })
        .collect();
    let first_heavy = light.iter().position(|l| !l).unwrap();
    assert!(
        light[..first_heavy].iter().all(|l| *l) && light[first_heavy..].iter().all(|l| !l),
        "{light:?}"
    );
    assert!(first_heavy >= 2);
    assert!(r.notes.iter().any(|n| n.en().contains("less than 4 GB")));
    let heavy = r.recommendations.last().unwrap();
    assert!(
        heavy
            .tradeoffs
            .iter()
            .any(|t| t.en().contains("may slow down"))
    );
    let plenty = run(
        &answers(OsFamily::Windows, Budget::Paid),
        &Machine {
            ram_mb: Some(16384),
            ..Machine::default()
        },
    );
    assert!(plenty.notes.is_empty());
    assert_ne!(ids(&r), ids(&plenty));
}

#[test]
fn r9_beginners_get_products_baton_can_install_first() {
    let mut a = answers(OsFamily::Windows, Budget::Paid);
    a.comfort = Comfort::Beginner;
    let r = run(&a, &Machine::default());
    let first_manual = r
        .recommendations
        .iter()
        .position(|x| {
            x.tradeoffs.iter().any(|t| {
                t.en()
                    .contains("download it from the vendor's website yourself")
            })
        })
        .unwrap();
    assert!(first_manual > 0);
    for x in &r.recommendations[first_manual..] {
        assert!(
            x.tradeoffs.iter().any(|t| t.en().contains("yourself")),
            "{} after a manual one",
            x.id
        );
    }
    assert!(
        r.recommendations[0]
            .reasons
            .iter()
            .any(|t| t.en().contains("Baton can set it up"))
    );
}

#[test]
fn r10_r11_lab_evidence_then_price_order_the_rest() {
    let r = run(
        &answers(OsFamily::Windows, Budget::Free),
        &Machine::default(),
    );
    // Score 2: AVG and Bitdefender Free (two secondary top results each) and
    // Defender (one confirmed); ties go by name. Avast 1, Avira 0.
    assert_eq!(
        ids(&r),
        [
            "avg-free",
            "bitdefender-free",
            "microsoft-defender",
            "avast-free",
            "avira-free"
        ]
    );
    let paid = run(
        &answers(OsFamily::Windows, Budget::Paid),
        &Machine::default(),
    );
    let pos = |id: &str| ids(&paid).iter().position(|x| *x == id).unwrap();
    // Same evidence score (1): the known price goes before the unknown one.
    assert!(pos("eset-home-security-essential") < pos("gdata-total-security"));
    assert!(pos("norton-360-deluxe") < pos("eset-home-security-essential"));
    for x in &paid.recommendations {
        assert!(
            !x.reasons.is_empty()
                && x.price.is_none()
                    == x.tradeoffs
                        .iter()
                        .any(|t| t.en().contains("no checked price")),
            "{}",
            x.id
        );
    }
}

#[test]
fn tradeoffs_state_privacy_findings_and_unverified_facts() {
    let r = run(
        &answers(OsFamily::Windows, Budget::Free),
        &Machine::default(),
    );
    for id in ["avast-free", "avg-free"] {
        let x = r.recommendations.iter().find(|x| x.id == id).unwrap();
        assert!(
            x.tradeoffs
                .iter()
                .any(|t| t.en().contains("Federal Trade Commission")),
            "{id}"
        );
    }
    let norton = run(
        &answers(OsFamily::Windows, Budget::Paid),
        &Machine::default(),
    )
    .recommendations
    .into_iter()
    .find(|x| x.id == "norton-360-deluxe")
    .unwrap();
    assert!(norton.unverified.contains(&"features".to_owned()));
    assert!(
        norton
            .tradeoffs
            .iter()
            .any(|t| t.en().starts_with("Some details are unverified"))
    );
    assert!(
        norton
            .tradeoffs
            .iter()
            .any(|t| t.en().contains("introductory price"))
    );
}

#[test]
fn devices_pick_the_covering_price_and_flag_a_short_licence() {
    let mut a = answers(OsFamily::Windows, Budget::Paid);
    a.devices = 3;
    let r = run(&a, &Machine::default());
    let mb = r
        .recommendations
        .iter()
        .find(|x| x.id == "malwarebytes-premium")
        .unwrap();
    assert_eq!(mb.price, Some(59.99));
    assert!(mb.tradeoffs.iter().all(|t| !t.en().contains("covers")));
    a.devices = 6;
    let r = run(&a, &Machine::default());
    let mb = r
        .recommendations
        .iter()
        .find(|x| x.id == "malwarebytes-premium")
        .unwrap();
    assert!(
        mb.tradeoffs
            .iter()
            .any(|t| t.en().contains("covers 3 devices; you have 6"))
    );
    let sophos = r
        .recommendations
        .iter()
        .find(|x| x.id == "sophos-home-premium")
        .unwrap();
    assert_eq!(sophos.price_detail.as_ref().unwrap().devices, 10);
}

#[test]
fn r12_old_catalog_data_is_flagged() {
    let catalog = Catalog::builtin().unwrap();
    let a = answers(OsFamily::Windows, Budget::Free);
    let fresh = recommend(
        &catalog,
        &a,
        &Machine::default(),
        &"2027-05-27".parse().unwrap(),
    );
    assert!(!fresh.catalog_is_stale, "180 days is not yet stale");
    let old = recommend(
        &catalog,
        &a,
        &Machine::default(),
        &"2027-05-28".parse().unwrap(),
    );
    assert!(old.catalog_is_stale);
    assert!(
        old.notes.iter().any(|n| n
            .en()
            .contains("last reviewed on 28 November 2026 (181 days ago)")),
        "{:?}",
        old.notes
    );
}
