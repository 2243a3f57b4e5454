//! The `baton` command as a user runs it: real binary, real files.

// Helpers of an integration test are test code too (clippy only exempts `#[test]` fns).
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

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../baton-core/tests/fixtures")
        .join(name)
}

fn json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A Debian machine with Kaspersky Endpoint Security for Linux, as files.
fn kesl_root() -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    let p = root.path();
    let write = |rel: &str, text: &str| {
        let path = p.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "etc/os-release",
        "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nVERSION_ID=\"12\"\n",
    );
    write(
        "var/lib/dpkg/status",
        "Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2+b7\nMaintainer: Matthias Klose <doko@debian.org>\n\n\
         Package: kesl\nStatus: install ok installed\nVersion: 12.2.0-2412\nMaintainer: AO Kaspersky Lab <support@kaspersky.com>\n\n\
         Package: kaspa-miner\nStatus: install ok installed\nVersion: 0.2.1\nMaintainer: Kaspa <dev@kaspa.org>\n",
    );
    write(
        "lib/systemd/system/kesl.service",
        "[Unit]\nDescription=Kaspersky Endpoint Security for Linux\n",
    );
    write(
        "lib/systemd/system/ssh.service",
        "[Unit]\nDescription=OpenBSD Secure Shell server\n",
    );
    write("proc/812/comm", "kesl\n");
    write("proc/1/comm", "systemd\n");
    write("opt/kaspersky/kesl/bin/kesl-control", "");
    write("home/kasper/notes.txt", "");
    root
}

#[test]
fn scans_a_fake_root_with_kesl_as_one_business_finding() {
    let root = kesl_root();
    let result = json(&baton(&[
        "scan",
        "--json",
        "--root",
        root.path().to_str().unwrap(),
    ]));
    let findings = result["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let f = &findings[0];
    assert_eq!(f["vendor"], "kaspersky");
    assert_eq!(f["product"], "Kaspersky Endpoint Security for Linux");
    // A business product, but no management agent: not managed by anyone else.
    assert_eq!(f["business"], true);
    assert_eq!(f["managed"], false);
    assert_eq!(f["running"], true);
    assert_eq!(f["version"], "12.2.0-2412");
    let sources: Vec<&str> = f["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["source"].as_str().unwrap())
        .collect();
    assert_eq!(sources, ["program", "service", "process", "path"]);
}

#[test]
fn collect_then_scan_elsewhere_gives_the_same_result() {
    let root = kesl_root();
    let dir = tempfile::tempdir().unwrap();
    let snap = dir.path().join("snapshot.json");
    let out = baton(&["collect", "--root", root.path().to_str().unwrap()]);
    assert!(out.status.success());
    std::fs::write(&snap, &out.stdout).unwrap();
    let snapshot: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(snapshot["format"], "baton-snapshot/1");
    assert_eq!(snapshot["os"]["family"], "linux");
    assert_eq!(snapshot["os"]["version"], "12");
    let direct = json(&baton(&[
        "scan",
        "--json",
        "--root",
        root.path().to_str().unwrap(),
    ]));
    let via_file = json(&baton(&[
        "scan",
        "--json",
        "--snapshot",
        snap.to_str().unwrap(),
    ]));
    assert_eq!(direct["findings"], via_file["findings"]);
}

#[test]
fn scans_a_windows_snapshot_and_prints_it_for_people() {
    let out = baton(&[
        "scan",
        "--snapshot",
        fixture("win-kis-21.3.json").to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Kaspersky Internet Security (antivirus): version 21.3.10.391"),
        "{text}"
    );
    assert!(text.contains("signatures OUT OF DATE"), "{text}");
}

#[test]
fn bad_json_names_file_line_and_column_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"format\": \"baton-snapshot/1\",\n  \"os\": 5}").unwrap();
    let out = baton(&["scan", "--snapshot", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("{}:2:", bad.display())), "{err}");

    std::fs::write(&bad, "{\"os\": {\"family\": \"linux\"}}").unwrap();
    let out = baton(&["scan", "--snapshot", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no \"format\""));
}

#[test]
fn missing_files_and_unknown_flags_exit_2() {
    let out = baton(&["scan", "--snapshot", "/no/such/snapshot.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/no/such/snapshot.json"));
    let out = baton(&["scan", "--bogus"]);
    assert_eq!(out.status.code(), Some(2));
    let out = baton(&["scan", "--root", "/no/such/root"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/no/such/root"));
}

#[test]
fn scans_this_machine() {
    let result = json(&baton(&["scan", "--json"]));
    assert!(result["findings"].is_array());
    assert!(result["warnings"].is_array());
}

#[cfg(unix)]
#[test]
fn endless_and_special_files_are_refused_with_exit_2() {
    // /dev/zero as a snapshot grew until memory ran out.
    let out = baton(&["scan", "--snapshot", "/dev/zero"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/dev/zero: not a regular file"), "{err}");

    // os-release pointing at /dev/zero, and a FIFO as dpkg's database (which
    // hung): the scan completes and says what it could not read.
    let root = kesl_root();
    let etc = root.path().join("etc/os-release");
    std::fs::remove_file(&etc).ok();
    std::os::unix::fs::symlink("/dev/zero", &etc).unwrap();
    let status = root.path().join("var/lib/dpkg/status");
    std::fs::remove_file(&status).unwrap();
    let c = std::ffi::CString::new(status.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: `c` is a valid NUL-terminated path for the call's duration.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let out = baton(&["collect", "--root", root.path().to_str().unwrap()]);
    let snapshot = json(&out);
    let warnings = snapshot["warnings"].to_string();
    assert!(warnings.contains("not a regular file"), "{warnings}");
}

#[test]
fn a_snapshot_that_is_not_utf8_exits_2_and_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.json");
    std::fs::write(&path, b"{\"format\":\"baton-snapshot/1\xff\"}").unwrap();
    let out = baton(&["scan", "--snapshot", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("s.json: not UTF-8 text"), "{err}");
}
