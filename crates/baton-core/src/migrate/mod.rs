//! The migration: hand protection from Kaspersky to the chosen replacement,
//! with no gap, across interruptions and restarts.
//!
//! - [`plan`] turns a scan and a choice into ordered steps a person reads first.
//! - [`journal`] records intent and progress, so a run can resume.
//! - [`system`] is the boundary to the machine: a trait with a real
//!   implementation per OS and a simulated one (both in `baton-system`).
//! - [`engine`] walks the plan. It decides every step from a fresh scan of the
//!   machine, never from the journal alone: the journal says what was meant
//!   and attempted, the machine says what is true.

pub mod engine;
pub mod journal;
pub mod plan;
pub mod system;

pub use engine::{Engine, Event, Outcome, Report, Request};
pub use journal::{Journal, JournalStore};
pub use plan::{Plan, PlanError, Step, StepKind};
pub use system::{ActionError, System};
