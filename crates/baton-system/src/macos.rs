//! The macOS collector: app bundles, pkg receipts, launchd jobs, system
//! extensions, processes and folders.

use std::path::Path;
use std::process::Command;

use baton_core::snapshot::{OsFamily, Service, ServiceKind, ServiceState, Snapshot};

use crate::parse::plist_info;
use crate::{bounded, probe};

const APP_DIRS: &[&str] = &["/Applications", "/Applications/Utilities"];
const LAUNCHD_DIRS: &[&str] = &["/Library/LaunchDaemons", "/Library/LaunchAgents"];

pub(crate) fn collect(probes: &[String]) -> Snapshot {
    let mut snap = Snapshot::empty(OsFamily::Macos);
    snap.os.name = Some("macOS".into());
    snap.os.version =
        run("sw_vers", &["-productVersion"], &mut snap.warnings).map(|s| s.trim().to_owned());

    for dir in APP_DIRS {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        for e in entries.filter_map(Result::ok) {
            let path = e.path();
            if path.extension().is_none_or(|x| x != "app") {
                continue;
            }
            let bundle = path.to_string_lossy().into_owned();
            match bounded::read_bytes(
                &path.join("Contents/Info.plist"),
                bounded::limit::INFO_PLIST,
            ) {
                Ok(bytes) => match plist_info::program_from_info_plist(&bytes, &bundle) {
                    Ok(p) => snap.programs.push(p),
                    Err(err) => snap
                        .warnings
                        .push(format!("{bundle}: unreadable Info.plist: {err}")),
                },
                Err(err) => snap.warnings.push(format!("{bundle}: {err}")),
            }
        }
    }
    if let Some(text) = run("pkgutil", &["--pkgs"], &mut snap.warnings) {
        snap.programs
            .extend(plist_info::programs_from_pkgutil(&text));
    }

    for dir in LAUNCHD_DIRS {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        for e in entries.filter_map(Result::ok) {
            let file = e.file_name().to_string_lossy().into_owned();
            if let Some(label) = file.strip_suffix(".plist") {
                snap.services.push(Service {
                    name: label.to_owned(),
                    display_name: None,
                    kind: ServiceKind::Service,
                    state: ServiceState::Unknown,
                    path: Some(format!("{dir}/{file}")),
                });
            }
        }
    }
    // System extensions are the kernel drivers of today's macOS.
    if let Some(text) = run("systemextensionsctl", &["list"], &mut snap.warnings) {
        for line in text.lines() {
            let Some(id) = line
                .split_whitespace()
                .find(|w| w.contains('.') && !w.starts_with('('))
            else {
                continue;
            };
            if line.contains("activated") {
                snap.services.push(Service {
                    name: id.to_owned(),
                    display_name: Some(line.trim().to_owned()),
                    kind: ServiceKind::Driver,
                    state: if line.contains("enabled") {
                        ServiceState::Running
                    } else {
                        ServiceState::Stopped
                    },
                    path: None,
                });
            }
        }
    }

    snap.processes = crate::sysinfo_processes();
    snap.paths = probe::list(Path::new("/"), probes, &mut snap.warnings);
    snap
}

/// A tool's standard output, or a warning saying why there is none.
fn run(tool: &str, args: &[&str], warnings: &mut Vec<String>) -> Option<String> {
    match Command::new(tool).args(args).output() {
        Ok(out) if out.status.success() => Some(String::from_utf8_lossy(&out.stdout).into_owned()),
        Ok(out) => {
            warnings.push(format!(
                "{tool} failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
            None
        }
        Err(e) => {
            warnings.push(format!("{tool} could not run: {e}"));
            None
        }
    }
}
