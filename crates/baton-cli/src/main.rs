//! `baton`: Baton's command line, for power users, helpers, tests and benchmarks.
//!
//! Exit codes: 0 success, 2 bad input (the message names the file, line and
//! column), 1 any other failure.

// A command-line tool's output is its interface.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use baton_core::scan::{EvidenceSource, FindingKind, Protection};
use baton_core::{CoreError, Detector, ScanResult, Snapshot};
use baton_system::{CollectOptions, SystemError};
use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "baton",
    version,
    about = "Find Kaspersky and other security products, and hand protection on safely."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Find every Kaspersky product, UltraAV and the other security products.
    Scan {
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
        /// Scan a snapshot made by `baton collect` instead of this computer.
        #[arg(long, value_name = "FILE", conflicts_with = "root")]
        snapshot: Option<PathBuf>,
        /// Scan this folder as if it were `/` (Linux only).
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
    },
    /// Print this computer's snapshot as JSON, for `baton scan --snapshot` elsewhere.
    Collect {
        /// Collect from this folder as if it were `/` (Linux only).
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
    },
}

#[derive(Debug)]
enum Failure {
    Core(CoreError),
    System(SystemError),
    Io {
        what: String,
        source: std::io::Error,
    },
}

impl Failure {
    fn exit_code(&self) -> u8 {
        match self {
            Self::Core(e) if e.is_bad_input() => 2,
            Self::System(_) => 2,
            Self::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => 2,
            _ => 1,
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Core(e) => write!(f, "{e}"),
            Self::System(e) => write!(f, "{e}"),
            Self::Io { what, source } => write!(f, "{what}: {source}"),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("baton: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    let detector = Detector::builtin().map_err(Failure::Core)?;
    match cli.command {
        Command::Scan {
            json,
            snapshot,
            root,
        } => {
            let snapshot = match snapshot {
                Some(path) => read_snapshot(&path)?,
                None => collect(&detector, root)?,
            };
            let result = detector.detect(&snapshot);
            let text = if json {
                to_json(&result)
            } else {
                human(&result)
            };
            write_out(&text)
        }
        Command::Collect { root } => write_out(&collect(&detector, root)?.to_json()),
    }
}

fn collect(detector: &Detector, root: Option<PathBuf>) -> Result<Snapshot, Failure> {
    baton_system::collect(detector.signatures(), &CollectOptions { root }).map_err(Failure::System)
}

fn read_snapshot(path: &PathBuf) -> Result<Snapshot, Failure> {
    let origin = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| Failure::Io {
        what: origin.clone(),
        source,
    })?;
    Snapshot::from_json(&text, &origin).map_err(Failure::Core)
}

fn write_out(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{text}") {
        // A closed pipe (`baton scan | head`) is the reader's choice, not a failure.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Failure::Io {
            what: "standard output".into(),
            source: e,
        }),
        _ => Ok(()),
    }
}

fn to_json(result: &ScanResult) -> String {
    // Plain structs with string keys always serialise.
    serde_json::to_string_pretty(result).unwrap_or_default()
}

/// The scan for a person reading a terminal.
fn human(result: &ScanResult) -> String {
    let mut out = String::new();
    let kaspersky: Vec<_> = result.by_vendor("kaspersky").collect();
    if kaspersky.is_empty() {
        out.push_str("No Kaspersky product found.\n");
    }
    for (title, vendor_is_kaspersky) in [("Kaspersky", true), ("Other security products", false)] {
        let findings: Vec<_> = result
            .findings
            .iter()
            .filter(|f| (f.vendor == "kaspersky") == vendor_is_kaspersky)
            .collect();
        if findings.is_empty() {
            continue;
        }
        out.push_str(&format!("{title}:\n"));
        for f in findings {
            let mut facts = Vec::new();
            if let Some(v) = &f.version {
                facts.push(format!("version {v}"));
            }
            if f.kind == FindingKind::Leftover {
                facts.push("leftovers of a removed product".into());
            } else {
                facts.push(if f.running {
                    "running".into()
                } else {
                    "not running".into()
                });
                match f.protection {
                    Protection::On => facts.push("protection on".into()),
                    Protection::Off => facts.push("protection OFF".into()),
                    Protection::Unknown => {}
                }
                match f.signatures_up_to_date {
                    Some(true) => facts.push("signatures up to date".into()),
                    Some(false) => facts.push("signatures OUT OF DATE".into()),
                    None => {}
                }
            }
            if f.managed {
                facts.push("managed by an organisation".into());
            }
            if f.vendor == "ultraav" {
                facts.push("put there by Kaspersky's September 2024 switch".into());
            }
            out.push_str(&format!(
                "  • {} ({}): {}\n",
                f.product,
                kind_label(f.kind),
                facts.join(", ")
            ));
            for e in &f.evidence {
                out.push_str(&format!(
                    "      {:<15} {}\n",
                    source_label(e.source),
                    e.detail
                ));
            }
        }
    }
    for w in &result.warnings {
        out.push_str(&format!("warning: {w}\n"));
    }
    out.trim_end().to_owned()
}

fn kind_label(kind: FindingKind) -> &'static str {
    match kind {
        FindingKind::Antivirus => "antivirus",
        FindingKind::Vpn => "VPN",
        FindingKind::PasswordManager => "password manager",
        FindingKind::ParentalControl => "parental control",
        FindingKind::ManagementAgent => "management agent",
        FindingKind::Leftover => "leftover",
        FindingKind::Other => "other",
    }
}

fn source_label(source: EvidenceSource) -> &'static str {
    match source {
        EvidenceSource::Program => "program",
        EvidenceSource::Service => "service",
        EvidenceSource::Driver => "drivers",
        EvidenceSource::Process => "process",
        EvidenceSource::SecurityCenter => "Security Center",
        EvidenceSource::Path => "folder",
    }
}
