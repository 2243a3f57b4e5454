//! The plan: the ordered steps, built before anything happens, so a person
//! can read what Baton is about to do.
//!
//! Order, for every OS but Linux: prepare, remove (management agent last),
//! restart if an uninstaller asks, check the interim protection (Windows
//! turns Defender back on when the last other antivirus goes), install the
//! replacement, verify, done. On Linux no antivirus is built in to bridge the
//! gap, and ClamAV does not clash with Kaspersky (its on-access scanner is
//! off until configured), so the replacement is installed *before* Kaspersky
//! is removed. With Defender as the replacement, "install" becomes "make sure
//! Defender is on and its signatures are current".

use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, InstallerKind, Product};
use crate::migrate::system::RemovalTarget;
use crate::scan::{Finding, FindingKind, Item, ScanResult};
use crate::snapshot::{OsFamily, Program, Snapshot};

const KASPERSKY: &str = "kaspersky";
const ULTRAAV: &str = "ultraav";

/// What the user asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    /// The catalog id of the replacement.
    pub to: String,
    /// Also remove UltraAV (and UltraVPN), when the user chose to.
    #[serde(default)]
    pub remove_ultraav: bool,
}

/// Ordered steps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Plan {
    pub os: OsFamily,
    pub to: String,
    pub to_name: String,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Step {
    /// Stable: the journal refers to steps by id.
    pub id: String,
    pub title: String,
    pub kind: StepKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum StepKind {
    Prepare {
        checklist: Vec<ChecklistItem>,
    },
    Remove {
        target: RemovalTarget,
    },
    /// Only acts when an uninstaller asked for a restart.
    Restart,
    InterimCheck,
    Install,
    /// Defender as the replacement: on, with current signatures.
    EnsureDefender,
    Verify,
    Done,
}

/// One thing to do before removal; shown only when it applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ChecklistItem {
    pub id: String,
    pub text: String,
}

/// Why no plan can be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error(
        "{product} is managed by an organisation (its management agent is installed). Baton will not remove it: ask your organisation's IT department."
    )]
    Managed { product: String },
    #[error("\"{id}\" is not in Baton's catalog (valid: {valid})")]
    UnknownProduct { id: String, valid: String },
    #[error("{name} does not run on {os}")]
    WrongOs { name: String, os: &'static str },
    #[error("{name} has no real-time protection, so it cannot replace an antivirus")]
    NotAReplacement { name: String },
}

impl PlanError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Managed { .. } => "managed",
            Self::UnknownProduct { .. } => "unknown_product",
            Self::WrongOs { .. } => "wrong_os",
            Self::NotAReplacement { .. } => "not_a_replacement",
        }
    }

    /// Whether the user's input was at fault (rather than the machine's state).
    pub fn is_bad_input(&self) -> bool {
        !matches!(self, Self::Managed { .. })
    }
}

/// The key that names a finding across scans.
pub fn target_key(f: &Finding) -> String {
    format!(
        "{}:{}",
        f.rule.as_deref().unwrap_or(&f.vendor),
        f.product.to_lowercase()
    )
}

/// Where a Windows program entry must have been read for its uninstaller to
/// be run with administrator rights: the per-machine Uninstall keys, which
/// only administrators can write. `HKCU` is the user's own, so anything the
/// user runs (malware included) could have put a command there.
pub const PER_MACHINE_SOURCES: [&str; 2] = ["HKLM64", "HKLM32"];

/// Whether a program entry may name what Baton removes with administrator
/// rights on `os`. Elsewhere the package manager is the authority.
pub fn removable_with_admin_rights(os: OsFamily, program: &Program) -> bool {
    os != OsFamily::Windows
        || program
            .source
            .as_deref()
            .is_some_and(|s| PER_MACHINE_SOURCES.contains(&s))
}

/// What to remove: every Kaspersky product (not leftovers, which have no
/// uninstaller), and UltraAV's when chosen; management agents last. On
/// Windows only per-machine entries count: a product seen only in the
/// user's own Uninstall key is reported by the scan, never removed.
pub fn removal_targets(
    snapshot: &Snapshot,
    scan: &ScanResult,
    choice: &Choice,
) -> Vec<RemovalTarget> {
    let os = snapshot.os.family;
    let mut targets: Vec<(bool, RemovalTarget)> = scan
        .findings
        .iter()
        .filter(|f| f.kind != FindingKind::Leftover)
        .filter(|f| f.vendor == KASPERSKY || (choice.remove_ultraav && f.vendor == ULTRAAV))
        .filter_map(|f| {
            let listed: Vec<&Program> = f
                .items
                .iter()
                .filter_map(|i| match i {
                    Item::Program(n) => snapshot.programs.get(*n),
                    _ => None,
                })
                .collect();
            let programs: Vec<Program> = listed
                .iter()
                .filter(|p| removable_with_admin_rights(os, p))
                .map(|p| (*p).clone())
                .collect();
            // Listed only per user: nothing here may be run elevated.
            if programs.is_empty() && !listed.is_empty() {
                return None;
            }
            Some((
                f.kind == FindingKind::ManagementAgent,
                RemovalTarget {
                    key: target_key(f),
                    vendor: f.vendor.clone(),
                    rule: f.rule.clone(),
                    product: f.product.clone(),
                    kind: f.kind,
                    programs,
                },
            ))
        })
        .collect();
    // A stable sort: agents last, data order otherwise. The agent goes last
    // because it can re-deploy the products it manages.
    targets.sort_by_key(|(agent, _)| *agent);
    targets.into_iter().map(|(_, t)| t).collect()
}

/// Builds the plan for this machine. Refuses a managed product.
pub fn build(
    catalog: &Catalog,
    snapshot: &Snapshot,
    scan: &ScanResult,
    choice: &Choice,
) -> Result<Plan, PlanError> {
    let os = snapshot.os.family;
    let product = catalog
        .get(&choice.to)
        .ok_or_else(|| PlanError::UnknownProduct {
            id: choice.to.clone(),
            valid: catalog
                .products
                .iter()
                .filter(|p| p.runs_on(os) && p.features.real_time)
                .map(|p| p.id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        })?;
    if !product.runs_on(os) {
        return Err(PlanError::WrongOs {
            name: product.name.clone(),
            os: os.label(),
        });
    }
    if !product.features.real_time {
        return Err(PlanError::NotAReplacement {
            name: product.name.clone(),
        });
    }
    if let Some(f) = scan.findings.iter().find(|f| f.managed) {
        return Err(PlanError::Managed {
            product: f.product.clone(),
        });
    }

    let targets = removal_targets(snapshot, scan, choice);
    let mut steps = vec![Step {
        id: "prepare".into(),
        title: "Get ready: save what you would lose".into(),
        kind: StepKind::Prepare {
            checklist: checklist(os, scan),
        },
    }];
    let removes: Vec<Step> = targets
        .into_iter()
        .map(|t| Step {
            id: format!("remove:{}", t.key),
            title: format!("Remove {}", t.product),
            kind: StepKind::Remove { target: t },
        })
        .collect();
    let install = install_step(product);
    if os == OsFamily::Linux {
        steps.push(install);
        steps.extend(removes);
        steps.push(restart_step());
    } else {
        steps.extend(removes);
        steps.push(restart_step());
        steps.push(Step {
            id: "interim".into(),
            title: match os {
                OsFamily::Windows => "Check that Microsoft Defender has taken over".into(),
                _ => "Check that the built-in protection is on".into(),
            },
            kind: StepKind::InterimCheck,
        });
        steps.push(install);
    }
    steps.push(Step {
        id: "verify".into(),
        title: format!(
            "Check that {} protects this computer and Kaspersky is gone",
            product.name
        ),
        kind: StepKind::Verify,
    });
    steps.push(Step {
        id: "done".into(),
        title: "Done".into(),
        kind: StepKind::Done,
    });
    Ok(Plan {
        os,
        to: product.id.clone(),
        to_name: product.name.clone(),
        steps,
    })
}

fn restart_step() -> Step {
    Step {
        id: "restart".into(),
        title: "Restart the computer, if an uninstaller asks".into(),
        kind: StepKind::Restart,
    }
}

fn install_step(product: &Product) -> Step {
    let defender = product.built_in && product.id == "microsoft-defender";
    let built_in = product
        .download
        .iter()
        .all(|d| d.installer == InstallerKind::BuiltIn);
    if defender {
        Step {
            id: "install".into(),
            title: "Make sure Microsoft Defender is on and up to date".into(),
            kind: StepKind::EnsureDefender,
        }
    } else if built_in {
        Step {
            id: "install".into(),
            title: format!("{} is built in: nothing to install", product.name),
            kind: StepKind::Install,
        }
    } else {
        Step {
            id: "install".into(),
            title: format!("Download, check and install {}", product.name),
            kind: StepKind::Install,
        }
    }
}

/// The back-up checklist: each item only when it applies.
fn checklist(os: OsFamily, scan: &ScanResult) -> Vec<ChecklistItem> {
    let has = |rule: &str| {
        scan.findings
            .iter()
            .any(|f| f.rule.as_deref() == Some(rule))
    };
    let kaspersky = scan
        .findings
        .iter()
        .any(|f| f.vendor == KASPERSKY && f.kind != FindingKind::Leftover);
    let mut out = Vec::new();
    if has("kaspersky-password-manager") {
        out.push(ChecklistItem {
            id: "export-passwords".into(),
            text: "Export your Kaspersky Password Manager vault before anything is removed: in Kaspersky Password Manager open Additional → Settings → Import/Export → \"Export to text file\". The export is PLAIN TEXT: anyone who opens it sees every password. Keep it somewhere private, import it into your new password manager, then delete it.".into(),
        });
    }
    if kaspersky {
        out.push(ChecklistItem {
            id: "licence".into(),
            text: "Write down your Kaspersky licence details, and turn off auto-renewal and remove saved payment cards in My Kaspersky (my.kaspersky.com), so you are not charged again.".into(),
        });
        out.push(ChecklistItem {
            id: "quarantine".into(),
            text: "Files in Kaspersky's quarantine become unavailable after removal. If you need one back, restore it first.".into(),
        });
    }
    if has("kaspersky-safe-kids") {
        out.push(ChecklistItem {
            id: "safe-kids".into(),
            text: "Write down your Kaspersky Safe Kids rules (allowed sites, screen time, each child's device) so you can set them up again in your new parental-control app.".into(),
        });
    }
    if let Some(f) = scan
        .findings
        .iter()
        .find(|f| f.business && f.vendor == KASPERSKY)
    {
        out.push(ChecklistItem {
            id: "business".into(),
            text: format!("{} is a product for businesses. If this computer belongs to your employer or school, ask their IT department before going on.", f.product),
        });
    }
    if os == OsFamily::Windows {
        out.push(ChecklistItem {
            id: "restore-point".into(),
            text: "Baton creates a Windows restore point first, so the computer can be put back as it is now.".into(),
        });
    }
    out
}
