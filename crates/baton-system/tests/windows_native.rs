//! What only a real Windows can show: run by the `windows` job of
//! .github/workflows/ci.yml (hosted windows-latest), type-checked and linted
//! here by scripts/xcheck.sh. Wine runs the same collector in make test, but
//! has no Security Center, no Defender and no real code signatures.

#![cfg(windows)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use baton_core::Detector;
use baton_system::migrate::verify::authenticode;
use baton_system::{CollectOptions, collect};
use winreg::RegKey;
use winreg::enums::HKEY_CURRENT_USER;

fn snapshot() -> baton_core::Snapshot {
    let detector = Detector::builtin().unwrap();
    collect(detector.signatures(), &CollectOptions::default()).unwrap()
}

#[test]
fn a_per_user_uninstall_entry_is_read_back_as_hkcu() {
    let path = r"Software\Microsoft\Windows\CurrentVersion\Uninstall\BatonCiProbe";
    let (key, _) = RegKey::predef(HKEY_CURRENT_USER)
        .create_subkey(path)
        .unwrap();
    key.set_value("DisplayName", &"Baton CI probe").unwrap();
    key.set_value("Publisher", &"Baton CI").unwrap();
    let snap = snapshot();
    RegKey::predef(HKEY_CURRENT_USER)
        .delete_subkey_all(path)
        .unwrap();
    let probe = snap
        .programs
        .iter()
        .find(|p| p.name.as_deref() == Some("Baton CI probe"))
        .expect("the entry written under HKCU is collected");
    assert_eq!(probe.source.as_deref(), Some("HKCU"));
    assert_eq!(probe.publisher.as_deref(), Some("Baton CI"));
}

#[test]
fn the_services_key_lists_defender() {
    let snap = snapshot();
    assert!(
        snap.services
            .iter()
            .any(|s| s.name.eq_ignore_ascii_case("WinDefend")),
        "{:?}",
        snap.services.iter().map(|s| &s.name).collect::<Vec<_>>()
    );
}

#[test]
fn security_center_or_its_fallback_reports_defender() {
    // Windows Server has no Security Center: the collector falls back to
    // MSFT_MpComputerStatus and says so in a warning.
    let snap = snapshot();
    assert!(
        snap.security_products
            .iter()
            .any(|p| p.name.to_lowercase().contains("defender")),
        "products {:?}, warnings {:?}",
        snap.security_products,
        snap.warnings
    );
}

/// A Microsoft program with an embedded Authenticode signature (most of
/// System32 is catalog-signed, which a file check does not see).
fn signed_by_microsoft() -> PathBuf {
    [
        r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
        r"C:\Program Files\Microsoft\Edge\Application\msedge.exe",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.is_file())
    .expect("Microsoft Edge is on the runner")
}

#[test]
fn win_verify_trust_accepts_a_signed_program_and_refuses_a_changed_copy() {
    let signed = signed_by_microsoft();
    authenticode(&signed, Some("Microsoft Corporation")).unwrap();
    assert!(authenticode(&signed, Some("Not Microsoft")).is_err());
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("changed.exe");
    let mut bytes = std::fs::read(&signed).unwrap();
    bytes[4096] ^= 0xff;
    std::fs::write(&copy, bytes).unwrap();
    let why = authenticode(&copy, Some("Microsoft Corporation"))
        .unwrap_err()
        .to_string();
    assert!(why.contains("not valid"), "{why}");
    assert!(authenticode(Path::new(r"C:\Windows\win.ini"), None).is_err());
}
