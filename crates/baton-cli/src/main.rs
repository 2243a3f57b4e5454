//! `baton`: Baton's command line, for power users, helpers, tests and benchmarks.
//!
//! Exit codes: 0 success, 2 bad input (the message names the file, line and
//! column), 1 any other failure.

// A command-line tool's output is its interface.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

mod lab;
mod migrate;
mod words;

use baton_core::catalog::{Feature, Region};
use baton_core::recommend::{self, Answers, Budget, Comfort};
use baton_core::{CoreError, Detector, OsFamily, Snapshot, Timeline, Today};
use baton_system::{CollectOptions, SystemError, bounded};
use clap::{Parser, Subcommand, ValueEnum};

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
    /// Tell the story of Kaspersky's US ban, relative to today.
    Timeline {
        #[command(flatten)]
        today: TodayArg,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Scan, then say whether this computer is protected and what to do next.
    Status {
        #[command(flatten)]
        today: TodayArg,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
        /// Judge a snapshot made by `baton collect` instead of this computer.
        #[arg(long, value_name = "FILE", conflicts_with = "root")]
        snapshot: Option<PathBuf>,
        /// Scan this folder as if it were `/` (Linux only).
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
    },
    /// Suggest replacements for Kaspersky, with reasons, trade-offs and lab results.
    Recommend {
        /// The operating system to recommend for [default: this computer's, or the snapshot's].
        #[arg(long, value_enum)]
        os: Option<OsArg>,
        /// Whether you are willing to pay.
        #[arg(long, value_enum)]
        budget: BudgetArg,
        /// How many computers and phones to cover.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=100))]
        devices: u32,
        /// Extras you want, comma-separated.
        #[arg(long, value_enum, value_delimiter = ',')]
        want: Vec<WantArg>,
        /// Only vendors based in this region.
        #[arg(long, value_enum, default_value_t = RegionArg::Any)]
        vendor_region: RegionArg,
        /// How comfortable you are with computers.
        #[arg(long, value_enum, default_value_t = ComfortArg::Intermediate)]
        comfort: ComfortArg,
        /// The computer's memory in MB [default: this computer's].
        #[arg(long, value_name = "MB")]
        ram_mb: Option<u64>,
        /// Take the OS and installed products from a snapshot made by `baton collect`.
        #[arg(long, value_name = "FILE")]
        snapshot: Option<PathBuf>,
        #[command(flatten)]
        today: TodayArg,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Move protection from Kaspersky to a replacement: shows the plan, and with --yes carries it out.
    Migrate {
        /// Run on a simulated machine described by a scenario file, instead of this computer.
        #[arg(long, value_name = "FILE")]
        simulate: Option<PathBuf>,
        /// The replacement, a catalog id (see `baton recommend`) [default with --simulate: the scenario's].
        #[arg(long, value_name = "ID")]
        to: Option<String>,
        /// Also remove UltraAV and UltraVPN.
        #[arg(long)]
        remove_ultraav: bool,
        /// Carry the plan out (without it, Baton only shows the plan).
        #[arg(long)]
        yes: bool,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        today: TodayArg,
        /// Keep the journal in this file [default: Baton's app-data folder; a temporary file with --simulate].
        #[arg(long, value_name = "FILE")]
        journal: Option<PathBuf>,
    },
}

/// What `baton status --json` prints: the verdict, then the scan it rests on.
#[derive(serde::Serialize)]
struct StatusReport<'a> {
    today: String,
    #[serde(flatten)]
    verdict: &'a baton_core::Verdict,
    #[serde(flatten)]
    scan: &'a baton_core::ScanResult,
}

/// `--today`, shared by every command that speaks in relative time.
#[derive(Debug, clap::Args)]
struct TodayArg {
    /// Pretend today is this date (YYYY-MM-DD) or moment (RFC 3339) [default: the real date].
    #[arg(long = "today", value_name = "DATE", value_parser = parse_today)]
    value: Option<Today>,
}

impl TodayArg {
    fn get(&self) -> Today {
        self.value.unwrap_or_else(Today::now)
    }
}

fn parse_today(s: &str) -> Result<Today, String> {
    s.parse::<Today>().map_err(|e| e.to_string())
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum OsArg {
    Windows,
    Macos,
    Linux,
}

impl From<OsArg> for OsFamily {
    fn from(os: OsArg) -> Self {
        match os {
            OsArg::Windows => Self::Windows,
            OsArg::Macos => Self::Macos,
            OsArg::Linux => Self::Linux,
        }
    }
}

/// Extras to ask for; real-time protection is always required.
#[derive(Debug, Clone, Copy, ValueEnum)]
#[value(rename_all = "snake_case")]
enum WantArg {
    Firewall,
    Vpn,
    PasswordManager,
    ParentalControl,
    IdentityProtection,
}

impl From<WantArg> for Feature {
    fn from(want: WantArg) -> Self {
        match want {
            WantArg::Firewall => Self::Firewall,
            WantArg::Vpn => Self::Vpn,
            WantArg::PasswordManager => Self::PasswordManager,
            WantArg::ParentalControl => Self::ParentalControl,
            WantArg::IdentityProtection => Self::IdentityProtection,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum BudgetArg {
    Free,
    Paid,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ComfortArg {
    Beginner,
    Intermediate,
    Expert,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "snake_case")]
enum RegionArg {
    Any,
    Europe,
    NorthAmerica,
    AsiaPacific,
}

#[derive(Debug)]
pub(crate) enum Failure {
    Core(CoreError),
    System(SystemError),
    /// Input the user can fix: the message says what and where.
    BadInput(String),
    /// Anything else, already explained.
    Other(String),
    /// The command ran and reported; this is its exit code.
    Exit(u8),
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
            Self::BadInput(_) => 2,
            Self::Other(_) => 1,
            Self::Exit(code) => *code,
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
            Self::BadInput(m) | Self::Other(m) => write!(f, "{m}"),
            Self::Exit(_) => Ok(()),
            Self::Io { what, source } => write!(f, "{what}: {source}"),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Exit(code)) => ExitCode::from(code),
        Err(e) => {
            eprintln!("baton: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    let detector = Detector::builtin().map_err(Failure::Core)?;
    match cli.command {
        Command::Timeline { today, json } => {
            let timeline = Timeline::builtin().map_err(Failure::Core)?;
            let report = timeline.report(&today.get());
            write_out(&if json {
                to_json(&report)
            } else {
                words::timeline(&report)
            })
        }
        Command::Status {
            today,
            json,
            snapshot,
            root,
        } => {
            let timeline = Timeline::builtin().map_err(Failure::Core)?;
            let snapshot = match snapshot {
                Some(path) => read_snapshot(&path)?,
                None => collect(&detector, root)?,
            };
            let scan = detector.detect(&snapshot);
            let today = today.get();
            let verdict = baton_core::verdict::judge(&scan, snapshot.os.family, &timeline, &today);
            if json {
                write_out(&to_json(&StatusReport {
                    today: today.to_string(),
                    verdict: &verdict,
                    scan: &scan,
                }))
            } else {
                write_out(&words::status(&verdict, &scan))
            }
        }
        Command::Recommend {
            os,
            budget,
            devices,
            want,
            vendor_region,
            comfort,
            ram_mb,
            snapshot,
            today,
            json,
        } => {
            let catalog = lab::catalog()?;
            let snapshot = match snapshot {
                Some(path) => Some(read_snapshot(&path)?),
                None => None,
            };
            let os: OsFamily = os
                .map(OsFamily::from)
                .or(snapshot.as_ref().map(|s| s.os.family))
                .unwrap_or_else(OsFamily::current);
            let mut machine = baton_system::machine();
            // What is installed only means something for the machine it came from.
            let snapshot = match snapshot {
                Some(s) => Some(s),
                None if os == OsFamily::current() => Some(collect(&detector, None)?),
                None => None,
            };
            match &snapshot {
                Some(s) if s.os.family == os => {
                    machine.installed = detector.detect(s).findings;
                    if s.os.version.is_some() {
                        machine.os_version = s.os.version.clone();
                    }
                }
                _ => machine.os_version = None,
            }
            if ram_mb.is_some() {
                machine.ram_mb = ram_mb;
            }
            let mut wants: Vec<Feature> = want.into_iter().map(Feature::from).collect();
            wants.sort();
            wants.dedup();
            let answers = Answers {
                os,
                budget: match budget {
                    BudgetArg::Free => Budget::Free,
                    BudgetArg::Paid => Budget::Paid,
                },
                devices,
                wants,
                region: match vendor_region {
                    RegionArg::Any => None,
                    RegionArg::Europe => Some(Region::Europe),
                    RegionArg::NorthAmerica => Some(Region::NorthAmerica),
                    RegionArg::AsiaPacific => Some(Region::AsiaPacific),
                },
                comfort: match comfort {
                    ComfortArg::Beginner => Comfort::Beginner,
                    ComfortArg::Intermediate => Comfort::Intermediate,
                    ComfortArg::Expert => Comfort::Expert,
                },
            };
            let result = recommend::recommend(&catalog, &answers, &machine, &today.get());
            write_out(&if json {
                to_json(&result)
            } else {
                words::recommendations(&result)
            })
        }
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
                words::scan(&result)
            };
            write_out(&text)
        }
        Command::Migrate {
            simulate,
            to,
            remove_ultraav,
            yes,
            json,
            today,
            journal,
        } => migrate::run(
            detector,
            migrate::Options {
                simulate,
                to,
                remove_ultraav,
                yes,
                json,
                today: today.get(),
                journal,
            },
        ),
        Command::Collect { root } => write_out(&collect(&detector, root)?.to_json()),
    }
}

pub(crate) fn collect(detector: &Detector, root: Option<PathBuf>) -> Result<Snapshot, Failure> {
    baton_system::collect(detector.signatures(), &CollectOptions { root }).map_err(Failure::System)
}

pub(crate) fn read_snapshot(path: &std::path::Path) -> Result<Snapshot, Failure> {
    let origin = path.display().to_string();
    let text = bounded::read_text(path, bounded::limit::SNAPSHOT)
        .map_err(|e| Failure::BadInput(e.to_string()))?;
    Snapshot::from_json(&text, &origin).map_err(Failure::Core)
}

pub(crate) fn write_out(text: &str) -> Result<(), Failure> {
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

pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> String {
    // Plain structs with string keys always serialise.
    serde_json::to_string_pretty(value).unwrap_or_default()
}
