//! The migration's OS edge: the [`System`](baton_core::migrate::System)
//! implementations (real per OS, and simulated) and the journal on disk.

pub mod download;
pub mod elevate;
pub mod journal_file;
pub mod real;
pub mod simulated;
pub mod verify;

pub use journal_file::{FileJournal, app_data_dir};
pub use real::RealSystem;
pub use simulated::{Scenario, SimulatedSystem};
