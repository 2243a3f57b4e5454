//! Baton's domain, with no OS calls and no Tauri.
//!
//! Everything here is pure so that it can be tested on any machine and reused
//! by the CLI, the desktop app and the tests alike: the [`snapshot`] a
//! collector builds, the [`signatures`] that say what to look for, the
//! [`detect`]or that turns one into the other's [`scan`] result, and the
//! [`wsc`] decoders for Windows Security Center states.

pub mod catalog;
pub mod clock;
pub mod datafile;
pub mod detect;
pub mod error;
pub mod migrate;
pub mod pattern;
pub mod recommend;
pub mod said;
pub mod scan;
pub mod signatures;
pub mod snapshot;
pub mod timeline;
pub mod verdict;
pub mod wsc;

pub use catalog::Catalog;
pub use clock::Today;
pub use datafile::{Confidence, url_host};
pub use detect::Detector;
pub use error::CoreError;
pub use said::Said;
pub use scan::{Evidence, EvidenceSource, Finding, FindingKind, Protection, ScanResult};
pub use signatures::Signatures;
pub use snapshot::{OsFamily, Snapshot};
pub use timeline::Timeline;
pub use verdict::{Status, Verdict};
