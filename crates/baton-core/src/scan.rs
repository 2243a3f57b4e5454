//! The scan result: what the detector concluded from a snapshot.
//!
//! One [`Finding`] per product, however many places it showed up in; the
//! pieces are kept as [`Evidence`] so a helper can see why Baton thinks so.

use serde::{Deserialize, Serialize};

/// What `baton scan --json` prints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanResult {
    pub findings: Vec<Finding>,
    pub warnings: Vec<String>,
}

impl ScanResult {
    /// The findings of one vendor, in order.
    pub fn by_vendor<'a>(&'a self, vendor: &'a str) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings.iter().filter(move |f| f.vendor == vendor)
    }
}

/// One product (or one vendor's leftovers) found on the machine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Finding {
    /// Vendor id from the signature file: `kaspersky`, `ultraav`, `microsoft`, ...
    pub vendor: String,
    /// The rule that recognised it; absent for leftovers and unlisted products.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// The name the computer gives the product, or the rule's name.
    pub product: String,
    pub kind: FindingKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Managed by an organisation (its management agent is installed):
    /// removing it is for their IT, not Baton.
    pub managed: bool,
    /// A product sold to businesses; managed only when its agent is present.
    #[serde(default)]
    pub business: bool,
    pub running: bool,
    pub protection: Protection,
    /// From the security centre; `null` where the OS does not say.
    pub signatures_up_to_date: Option<bool>,
    pub evidence: Vec<Evidence>,
    /// The snapshot items this finding rests on, as positions in the snapshot
    /// it was detected from. In-process only (an uninstaller needs the
    /// program entry's uninstall command); not part of the scan's JSON.
    #[serde(skip)]
    pub items: Vec<Item>,
}

/// One item of a snapshot, by list and position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Item {
    Program(usize),
    /// A service or a driver.
    Service(usize),
    Process(usize),
    SecurityProduct(usize),
    Path(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum FindingKind {
    Antivirus,
    Vpn,
    PasswordManager,
    ParentalControl,
    ManagementAgent,
    Leftover,
    Other,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum Protection {
    On,
    Off,
    #[default]
    Unknown,
}

/// One reason for a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Evidence {
    pub source: EvidenceSource,
    pub detail: String,
}

/// Where a piece of evidence came from. Ordered as shown to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum EvidenceSource {
    Program,
    Service,
    /// Kernel drivers, all of one finding's gathered into one piece.
    Driver,
    Process,
    SecurityCenter,
    Path,
}
