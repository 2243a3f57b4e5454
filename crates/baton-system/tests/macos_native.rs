//! What only a real Mac can show: run by the `macos` job of
//! .github/workflows/ci.yml (hosted macos-latest), type-checked and linted
//! here by scripts/xcheck.sh.

#![cfg(target_os = "macos")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

use baton_core::Detector;
use baton_system::{CollectOptions, collect};

#[test]
fn applications_bundles_and_pkgutil_receipts_are_listed() {
    let detector = Detector::builtin().unwrap();
    let snap = collect(detector.signatures(), &CollectOptions::default()).unwrap();
    assert!(
        snap.programs
            .iter()
            .any(|p| p.source.as_deref() == Some("app-bundle")
                && p.name.as_deref() == Some("Safari")),
        "Safari.app is in /Applications on every Mac"
    );
    assert!(
        snap.programs
            .iter()
            .any(|p| p.source.as_deref() == Some("pkg-receipt")),
        "the runner has package receipts"
    );
}

#[test]
fn pkgutil_accepts_a_system_package_signature() {
    // The command the migration verifies a .pkg with; it reads bundles too.
    let out = Command::new("/usr/sbin/pkgutil")
        .args(["--check-signature", "/Applications/Safari.app"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && text.contains("Status: signed"),
        "{text}"
    );
}
