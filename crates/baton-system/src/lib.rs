//! Baton's OS edge: collectors that build a [`Snapshot`] from the live machine.
//!
//! Code is split by OS with `cfg`; what can be pure (the parsers of each OS's
//! formats) is built everywhere so it is tested on this Linux build machine.
//! A source that fails (no permission, a missing tool) becomes a warning in
//! the snapshot: the scan still completes with what could be read.

pub mod bounded;
pub mod migrate;
pub mod msi;
pub mod parse;
pub mod probe;

#[cfg(target_os = "linux")]
mod linux;
#[cfg(target_os = "macos")]
mod macos;
#[cfg(windows)]
mod windows;

use std::path::PathBuf;

use baton_core::{OsFamily, Signatures, Snapshot};

/// What to collect from.
#[derive(Debug, Clone, Default)]
pub struct CollectOptions {
    /// Treat this folder as `/` (Linux only): scan a mounted disk or a test tree.
    pub root: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum SystemError {
    #[error("--root is only supported on Linux")]
    RootUnsupported,
    #[error("{path}: not a folder")]
    RootNotAFolder { path: String },
}

impl SystemError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::RootUnsupported => "root_unsupported",
            Self::RootNotAFolder { .. } => "root_not_a_folder",
        }
    }
}

/// Collects a snapshot of this machine (or of `options.root`).
pub fn collect(signatures: &Signatures, options: &CollectOptions) -> Result<Snapshot, SystemError> {
    let family = OsFamily::current();
    if let Some(root) = &options.root {
        if family != OsFamily::Linux {
            return Err(SystemError::RootUnsupported);
        }
        if !root.is_dir() {
            return Err(SystemError::RootNotAFolder {
                path: root.display().to_string(),
            });
        }
    }
    let probes: Vec<String> = signatures
        .probes_for(family)
        .map(|p| probe::expand(p, |k| std::env::var(k).ok()))
        .collect();
    let mut snapshot = collect_os(options, &probes);
    snapshot.cut_long_fields();
    snapshot.collected_at = Some(chrono::Utc::now());
    Ok(snapshot)
}

/// What the recommender needs to know about this computer's hardware and OS.
/// The installed products come from a scan; the caller adds them.
pub fn machine() -> baton_core::recommend::Machine {
    let mut system = sysinfo::System::new();
    system.refresh_memory();
    system.refresh_cpu_list(sysinfo::CpuRefreshKind::nothing());
    let ram = system.total_memory();
    baton_core::recommend::Machine {
        os_version: sysinfo::System::long_os_version(),
        ram_mb: (ram > 0).then_some(ram / (1024 * 1024)),
        cpus: Some(system.cpus().len()).filter(|n| *n > 0),
        installed: Vec::new(),
    }
}

/// Running processes through sysinfo (Linux reads `/proc` itself, see `linux`).
#[cfg(any(windows, target_os = "macos"))]
fn sysinfo_processes() -> Vec<baton_core::snapshot::Process> {
    let mut system = sysinfo::System::new();
    system.refresh_processes(sysinfo::ProcessesToUpdate::All, true);
    let mut out: Vec<baton_core::snapshot::Process> = system
        .processes()
        .iter()
        .map(|(pid, p)| baton_core::snapshot::Process {
            name: p.name().to_string_lossy().into_owned(),
            pid: Some(pid.as_u32()),
            path: p.exe().map(|e| e.to_string_lossy().into_owned()),
        })
        .collect();
    out.sort_by_key(|p| p.pid);
    out
}

#[cfg(target_os = "linux")]
fn collect_os(options: &CollectOptions, probes: &[String]) -> Snapshot {
    let root = options.root.clone().unwrap_or_else(|| PathBuf::from("/"));
    linux::collect(&root, probes)
}

#[cfg(windows)]
fn collect_os(_options: &CollectOptions, probes: &[String]) -> Snapshot {
    windows::collect(probes)
}

#[cfg(target_os = "macos")]
fn collect_os(_options: &CollectOptions, probes: &[String]) -> Snapshot {
    macos::collect(probes)
}
