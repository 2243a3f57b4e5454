//! Every fixture snapshot is detected exactly as its `expect` block says:
//! one merged finding per product, in order, and nothing else.

// Helpers of an integration test are test code too (clippy only exempts `#[test]` fns).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use std::path::Path;

use baton_core::{Detector, Finding, Snapshot};
use serde_json::Value;

fn fixtures() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// Checks one finding against the expected fields; only fields the fixture
/// names are compared, except `evidence`, which is compared as the list of
/// its distinct sources (two processes of one product are one "process").
fn check(fixture: &str, got: &Finding, want: &Value) {
    let got_json = serde_json::to_value(got).unwrap();
    for (field, value) in want.as_object().unwrap() {
        if field == "evidence" {
            let mut sources: Vec<Value> = got
                .evidence
                .iter()
                .map(|e| serde_json::to_value(e.source).unwrap())
                .collect();
            sources.dedup();
            assert_eq!(
                &Value::Array(sources),
                value,
                "{fixture}: evidence of {}: {:#?}",
                got.product,
                got.evidence
            );
        } else {
            let actual = got_json.get(field).cloned().unwrap_or(Value::Null);
            assert_eq!(
                &actual, value,
                "{fixture}: field {field} of {}",
                got.product
            );
        }
    }
}

#[test]
fn every_fixture_is_detected_as_expected() {
    let detector = Detector::builtin().unwrap();
    let all = fixtures();
    assert!(all.len() >= 12, "fixtures went missing: {}", all.len());
    for (name, text) in all {
        let snapshot = Snapshot::from_json(&text, &name).unwrap();
        let expect: Value =
            serde_json::from_str::<Value>(&text).unwrap()["expect"]["findings"].clone();
        let want = expect
            .as_array()
            .unwrap_or_else(|| panic!("{name}: no expect.findings"));
        let result = detector.detect(&snapshot);
        let summary: Vec<String> = result
            .findings
            .iter()
            .map(|f| format!("{}/{}", f.vendor, f.product))
            .collect();
        assert_eq!(
            result.findings.len(),
            want.len(),
            "{name}: found {summary:?}"
        );
        for (got, want) in result.findings.iter().zip(want) {
            check(&name, got, want);
        }
    }
}

#[test]
fn lookalikes_alone_find_nothing() {
    let detector = Detector::builtin().unwrap();
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/win-negatives.json"),
    )
    .unwrap();
    let snapshot = Snapshot::from_json(&text, "win-negatives.json").unwrap();
    assert!(
        snapshot.programs.len() >= 30,
        "need thirty negatives, have {}",
        snapshot.programs.len()
    );
    // The same programs on a Windows machine are found by nothing, whatever the OS.
    for family in ["windows", "macos", "linux"] {
        let mut s = snapshot.clone();
        s.os.family = serde_json::from_value(Value::String(family.into())).unwrap();
        let result = detector.detect(&s);
        assert!(
            result.findings.is_empty(),
            "{family}: {:#?}",
            result.findings
        );
    }
}

#[test]
fn a_typical_kis_install_is_one_finding_with_six_pieces_of_evidence() {
    let detector = Detector::builtin().unwrap();
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/win-kis-21.3.json"),
    )
    .unwrap();
    let result = detector.detect(&Snapshot::from_json(&text, "kis").unwrap());
    let kaspersky: Vec<&Finding> = result.by_vendor("kaspersky").collect();
    assert_eq!(kaspersky.len(), 1);
    assert_eq!(
        kaspersky[0].evidence.len(),
        6,
        "{:#?}",
        kaspersky[0].evidence
    );
    assert!(
        kaspersky[0].evidence[2].detail.contains("klif"),
        "drivers are gathered into one piece"
    );
}

#[test]
fn cyrillic_matches_in_any_case() {
    let detector = Detector::builtin().unwrap();
    for publisher in [
        "ЛАБОРАТОРИЯ КАСПЕРСКОГО",
        "лаборатория касперского",
        "ЛаБоРаТоРиЯ КаСпЕрСкОгО",
    ] {
        let text = format!(
            r#"{{"format":"baton-snapshot/1","os":{{"family":"windows"}},"programs":[{{"name":"Антивирус Касперского","publisher":"{publisher}"}}],
            "services":[],"processes":[],"security_products":[],"paths":[]}}"#
        );
        let result = detector.detect(&Snapshot::from_json(&text, "t").unwrap());
        assert_eq!(result.findings.len(), 1, "{publisher}");
        assert_eq!(result.findings[0].rule.as_deref(), Some("kaspersky-home"));
    }
}
