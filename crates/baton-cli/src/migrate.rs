//! `baton migrate`: the migration engine, headless.
//!
//! Without `--yes` it only prints the plan. With `--simulate` the machine is
//! a scenario file's, restarts included; otherwise it is this computer. The
//! engine is the same either way.

use std::path::PathBuf;

use baton_core::migrate::engine::{Engine, Event, Outcome, Report, Request};
use baton_core::migrate::plan::{self, Choice, Plan, StepKind};
use baton_core::migrate::{JournalStore, System};
use baton_core::{Detector, Said, Timeline, Today};
use baton_system::migrate::{FileJournal, RealSystem, Scenario, SimulatedSystem};
use serde::Serialize;

use crate::{Failure, to_json, write_out};

/// Most restarts a simulated run goes through before it stops trying.
const SIMULATED_RESTARTS: u32 = 4;

#[derive(Debug)]
pub(crate) struct Options {
    pub simulate: Option<PathBuf>,
    pub to: Option<String>,
    pub remove_ultraav: bool,
    pub yes: bool,
    pub json: bool,
    pub today: Today,
    pub journal: Option<PathBuf>,
}

#[derive(Serialize)]
struct Output<'a> {
    #[serde(flatten)]
    report: &'a Report,
    /// A scenario's machine, not this computer: every result says which.
    simulated: bool,
    simulated_restarts: u32,
    events: &'a [Event],
}

pub(crate) fn run(detector: Detector, options: Options) -> Result<(), Failure> {
    let catalog = crate::lab::catalog()?;
    let timeline = Timeline::builtin().map_err(Failure::Core)?;
    let mut machine;
    let mut choice = Choice {
        to: options.to.clone().unwrap_or_default(),
        remove_ultraav: options.remove_ultraav,
    };
    if let Some(path) = &options.simulate {
        let origin = path.display().to_string();
        let text = baton_system::bounded::read_text(path, baton_system::bounded::limit::STATE_FILE)
            .map_err(|e| Failure::BadInput(e.to_string()))?;
        let scenario =
            Scenario::from_json(&text, &origin).map_err(|e| Failure::BadInput(e.to_string()))?;
        if options.to.is_none() {
            choice.to = scenario.to.clone();
        }
        choice.remove_ultraav |= scenario.remove_ultraav;
        machine = Machine::Simulated(Box::new(SimulatedSystem::new(scenario, detector)));
    } else if choice.to.is_empty() {
        return Err(Failure::BadInput(
            "say what to move to with --to <catalog id> (see `baton recommend` for the choices)"
                .into(),
        ));
    } else {
        // After a restart the same command runs again and resumes from the journal.
        let exe = std::env::current_exe()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| "baton".into());
        let mut resume = vec![
            exe,
            "migrate".into(),
            "--to".into(),
            choice.to.clone(),
            "--yes".into(),
        ];
        if choice.remove_ultraav {
            resume.push("--remove-ultraav".into());
        }
        let real = RealSystem::new(detector, catalog.download_hosts()).with_resume_command(resume);
        #[cfg(feature = "lab")]
        let real = match crate::lab::download_root()? {
            Some(pem) => real.with_lab_root(pem),
            None => real,
        };
        machine = Machine::Real(Box::new(real));
    }

    let simulated = options.simulate.is_some();
    if !options.yes {
        let (snapshot, scan) = machine
            .system()
            .scan()
            .map_err(|e| Failure::Other(e.to_string()))?;
        return match plan::build(&catalog, &snapshot, &scan, &choice) {
            Ok(plan) => write_out(&if options.json {
                to_json(&PlanOutput {
                    plan: &plan,
                    simulated,
                })
            } else {
                simulation_banner(simulated) + &describe_plan(&plan)
            }),
            Err(e) if e.is_bad_input() => Err(Failure::BadInput(e.to_string())),
            Err(e) => {
                eprintln!("baton: {e}");
                Err(Failure::Exit(Outcome::EXIT_REFUSED))
            }
        };
    }

    let _temporary;
    let mut store = match (&options.journal, options.simulate.is_some()) {
        (Some(path), _) => FileJournal::new(path),
        (None, true) => {
            let dir = tempfile::tempdir()
                .map_err(|e| Failure::Other(format!("cannot make a temporary folder: {e}")))?;
            let store = FileJournal::new(dir.path().join("migration.json"));
            _temporary = dir;
            store
        }
        (None, false) => FileJournal::default_location().ok_or_else(|| {
            Failure::Other("cannot find a folder for Baton's data (no HOME or LOCALAPPDATA)".into())
        })?,
    };

    let mut events: Vec<Event> = Vec::new();
    let human = !options.json;
    let mut restarts = 0;
    let report = loop {
        let mut on_event = |e: &Event| {
            if human {
                print_event(e);
            }
            events.push(e.clone());
        };
        let mut engine = Engine {
            system: machine.system(),
            store: &mut store as &mut dyn JournalStore,
            catalog: &catalog,
            timeline: &timeline,
            today: options.today,
            on_event: &mut on_event,
        };
        let report = engine
            .run(&Request {
                choice: choice.clone(),
            })
            .map_err(|e| match e {
                baton_core::migrate::engine::EngineError::Plan(p) if p.is_bad_input() => {
                    Failure::BadInput(p.to_string())
                }
                baton_core::migrate::engine::EngineError::OtherMigration { .. } => {
                    Failure::BadInput(e.to_string())
                }
                other => Failure::Other(other.to_string()),
            })?;
        match (&report.outcome, &mut machine) {
            (Outcome::RestartRequired, Machine::Simulated(sim))
                if restarts < SIMULATED_RESTARTS =>
            {
                restarts += 1;
                sim.reboot();
                if human {
                    println!("\n⟳ (simulated restart; Baton starts again by itself)\n");
                }
            }
            _ => break report,
        }
    };
    if options.json {
        write_out(&to_json(&Output {
            report: &report,
            simulated,
            simulated_restarts: restarts,
            events: &events,
        }))?;
    } else {
        write_out(&(summary(&report) + &simulation_banner(simulated)))?;
    }
    match report.exit_code {
        0 => Ok(()),
        code => Err(Failure::Exit(code)),
    }
}

/// This computer, or a scenario's.
enum Machine {
    Simulated(Box<SimulatedSystem>),
    Real(Box<RealSystem>),
}

impl Machine {
    fn system(&mut self) -> &mut dyn System {
        match self {
            Self::Simulated(s) => s.as_mut(),
            Self::Real(r) => r.as_mut(),
        }
    }
}

fn describe_plan(plan: &Plan) -> String {
    let mut out = format!(
        "Plan: move this computer's protection to {}\n\n",
        plan.to_name
    );
    for (i, step) in plan.steps.iter().enumerate() {
        out.push_str(&format!("{:>2}. {}\n", i + 1, step.title));
        if let StepKind::Prepare { checklist } = &step.kind {
            for item in checklist {
                out.push_str(&format!("      • {}\n", item.text));
            }
        }
    }
    out.push_str(
        "\nNothing has been changed. Run the same command with --yes to carry out this plan.",
    );
    out
}

fn print_event(e: &Event) {
    match e {
        Event::Planned {
            plan,
            resumed: true,
        } => println!("Continuing the move to {}.\n", plan.to_name),
        Event::Planned {
            plan,
            resumed: false,
        } => {
            let text = describe_plan(plan);
            let steps: Vec<&str> = text
                .lines()
                .take_while(|l| !l.starts_with("Nothing"))
                .collect();
            println!("{}\n", steps.join("\n").trim_end());
        }
        Event::StepStarted { title, .. } => println!("▶ {title}"),
        Event::StepFinished { state, notes, .. } => {
            let mark = match state {
                baton_core::migrate::journal::StepState::Done => "✓",
                baton_core::migrate::journal::StepState::Waiting => "…",
                _ => "✗",
            };
            if notes.is_empty() {
                println!("  {mark}");
            }
            for n in notes {
                println!("  {mark} {n}");
            }
        }
        Event::Progress { progress, .. } => match progress.total {
            Some(total) if total > 0 => println!(
                "    downloaded {} of {} KB",
                progress.bytes / 1024,
                total / 1024
            ),
            _ => println!("    downloaded {} KB", progress.bytes / 1024),
        },
        Event::Note { note } => println!("  {note}"),
    }
}

/// What the user can do, on a line of its own.
fn then(help: &Option<Said>) -> String {
    help.as_ref().map(|h| format!("\n{h}")).unwrap_or_default()
}

#[derive(Serialize)]
struct PlanOutput<'a> {
    #[serde(flatten)]
    plan: &'a Plan,
    simulated: bool,
}

/// Said before a simulated plan and after a simulated result: nothing here
/// happened to this computer.
fn simulation_banner(simulated: bool) -> String {
    if simulated {
        "\n(simulated: a scenario's computer, not this one; nothing here was changed)\n".into()
    } else {
        String::new()
    }
}

fn summary(report: &Report) -> String {
    let mut out = String::from("\n");
    out.push_str(&match &report.outcome {
        Outcome::Completed => "Result: done. The new protection is verified.".to_owned(),
        Outcome::RestartRequired => {
            "Result: restart the computer to go on; Baton continues by itself afterwards."
                .to_owned()
        }
        Outcome::NeedsUser { reason, help } => {
            format!("Result: waiting for you. {reason}{}", then(help))
        }
        Outcome::Refused { reason } => format!("Result: not started. {reason}"),
        Outcome::Failed { reason, help } => format!("Result: stopped. {reason}{}", then(help)),
    });
    out.push_str(&format!(
        "\nThis computer is now: {}",
        report.final_status.label()
    ));
    out
}
