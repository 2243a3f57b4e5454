//! The Linux collector: packages, systemd units, processes and folders,
//! read from files under a root folder (`/` on a live machine).
//!
//! Everything is read from the file system rather than through libraries so
//! that `baton scan --root DIR` exercises exactly the code a live scan runs:
//! a fake root with `var/lib/dpkg/status`, unit files and `proc/<pid>/comm`
//! is a complete machine to this collector.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use baton_core::snapshot::{OsFamily, Process, Service, ServiceKind, ServiceState, Snapshot};

use crate::parse::{dpkg, os_release, rpm, systemctl};
use crate::{bounded, probe};

const UNIT_DIRS: &[&str] = &[
    "/etc/systemd/system",
    "/lib/systemd/system",
    "/usr/lib/systemd/system",
];
const RPM_DBS: &[&str] = &["/var/lib/rpm", "/usr/lib/sysimage/rpm"];

pub(crate) fn collect(root: &Path, probes: &[String]) -> Snapshot {
    let live = root == Path::new("/");
    let mut snap = Snapshot::empty(OsFamily::Linux);
    let w = &mut snap.warnings;

    let os_release = probe::join_root(root, "/etc/os-release");
    match bounded::read_text(&os_release, bounded::limit::SMALL_TEXT) {
        Ok(text) => (snap.os.name, snap.os.version) = os_release::parse(&text),
        Err(e) if e.is_not_found() => {}
        Err(e) => w.push(format!("could not read the OS name: {e}")),
    }

    let status = probe::join_root(root, "/var/lib/dpkg/status");
    match bounded::read_bytes(&status, bounded::limit::PACKAGE_DATABASE) {
        Ok(bytes) => snap
            .programs
            .extend(dpkg::parse_status(&String::from_utf8_lossy(&bytes))),
        Err(e) if e.is_not_found() => {}
        Err(e) => w.push(format!("could not read the dpkg database {e}")),
    }
    if RPM_DBS.iter().any(|d| probe::join_root(root, d).is_dir()) {
        let mut cmd = Command::new("rpm");
        if !live {
            cmd.arg("--root").arg(root);
        }
        match cmd
            .args(["-qa", "--queryformat", rpm::QUERY_FORMAT])
            .output()
        {
            Ok(out) if out.status.success() => snap
                .programs
                .extend(rpm::parse_query(&String::from_utf8_lossy(&out.stdout))),
            Ok(out) => w.push(format!(
                "rpm -qa failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            )),
            Err(e) => w.push(format!(
                "an rpm database exists but the rpm command could not run: {e}"
            )),
        }
    }

    snap.services = services(root, live, w);
    snap.processes = processes(root, w);
    snap.paths = probe::list(root, probes, w);
    snap
}

/// Units from the unit folders and SysV scripts, with states from systemd
/// when this is the live machine and systemd is running.
fn services(root: &Path, live: bool, w: &mut Vec<String>) -> Vec<Service> {
    // Keyed by unit name: the first folder to define a unit wins, as in
    // systemd, and the result comes out sorted.
    let mut services: BTreeMap<String, Service> = BTreeMap::new();
    let unit = |name: String, state, path| Service {
        name,
        display_name: None,
        kind: ServiceKind::Service,
        state,
        path,
    };
    for dir in UNIT_DIRS {
        let Ok(entries) = std::fs::read_dir(probe::join_root(root, dir)) else {
            continue;
        };
        for e in entries.filter_map(Result::ok) {
            let file = e.file_name().to_string_lossy().into_owned();
            let Some(name) = file.strip_suffix(".service") else {
                continue;
            };
            if name.ends_with('@') {
                continue;
            }
            let path = Some(format!("{dir}/{file}"));
            services
                .entry(name.to_owned())
                .or_insert_with(|| unit(name.to_owned(), ServiceState::Unknown, path));
        }
    }
    if let Ok(entries) = std::fs::read_dir(probe::join_root(root, "/etc/init.d")) {
        for e in entries.filter_map(Result::ok) {
            let name = e.file_name().to_string_lossy().into_owned();
            let path = Some(format!("/etc/init.d/{name}"));
            services
                .entry(name.clone())
                .or_insert_with(|| unit(name, ServiceState::Unknown, path));
        }
    }
    if live {
        let running_systemd = Path::new("/run/systemd/system").is_dir();
        let out = running_systemd.then(|| {
            Command::new("systemctl")
                .args([
                    "list-units",
                    "--type=service",
                    "--all",
                    "--no-legend",
                    "--plain",
                    "--no-pager",
                ])
                .output()
        });
        match out {
            Some(Ok(out)) if out.status.success() => {
                for (name, state) in
                    systemctl::parse_list_units(&String::from_utf8_lossy(&out.stdout))
                {
                    services
                        .entry(name.clone())
                        .or_insert_with(|| unit(name, state, None))
                        .state = state;
                }
            }
            Some(Ok(out)) => w.push(format!(
                "systemctl failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            )),
            Some(Err(e)) => w.push(format!("systemctl could not run: {e}")),
            None => w.push("systemd is not running here, so service states are unknown".into()),
        }
    }
    services.into_values().collect()
}

/// Processes from `proc/<pid>`: the name from `comm`, the path from `exe`
/// where the link may be read (other users' processes need root).
fn processes(root: &Path, w: &mut Vec<String>) -> Vec<Process> {
    let proc_dir = probe::join_root(root, "/proc");
    let entries = match std::fs::read_dir(&proc_dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
        Err(e) => {
            w.push(format!(
                "could not list processes in {}: {e}",
                proc_dir.display()
            ));
            return Vec::new();
        }
    };
    let mut out: Vec<Process> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let pid: u32 = e.file_name().to_str()?.parse().ok()?;
            let comm =
                bounded::read_text(&e.path().join("comm"), bounded::limit::SMALL_TEXT).ok()?;
            let path = std::fs::read_link(e.path().join("exe"))
                .ok()
                .map(|p| p.to_string_lossy().into_owned());
            // comm is cut at 15 bytes; then the executable's name is whole.
            let comm = comm.trim_end().to_owned();
            let exe_name = path
                .as_deref()
                .and_then(|p| p.rsplit('/').next())
                .map(|n| n.trim_end_matches(" (deleted)"));
            let name = match exe_name {
                Some(full) if comm.len() == 15 && full.starts_with(&comm) => full.to_owned(),
                _ => comm,
            };
            Some(Process {
                name,
                pid: Some(pid),
                path,
            })
        })
        .collect();
    out.sort_by_key(|p| p.pid);
    out
}
