//! The verdict: is this computer protected today, why, and what to do next.
//!
//! Pure: a scan result, the OS family, the timeline and "today" in; a status,
//! every reason, and the single most important next step out. The rules, in
//! the order they decide the status:
//!
//! 1. No antivirus is actively protecting (none found, or every one is off):
//!    **unprotected**. On macOS the built-in XProtect always counts as on.
//! 2. Any Kaspersky product is still installed (not just leftovers):
//!    **at_risk**, because US updates stopped on 2024-09-29.
//! 3. Another antivirus is on and its definitions are not reported out of
//!    date: **protected**.
//! 4. One is on but its definitions are out of date: **at_risk**.
//! 5. One is installed but its state could not be read: **unknown**.
//! 6. On Windows, no Defender entry at all while the scan reported problems
//!    reading the machine: **unknown** rather than a false alarm.
//!
//! Notes that do not change the status but are always given: leftovers of a
//! removed Kaspersky, UltraAV's September 2024 arrival, two real-time
//! antiviruses at once, and a product managed by an organisation.
//!
//! Every message is a [`Said`] value: a stable key with its arguments, so the
//! app can translate it, plus the English text the CLI prints.

use serde::Serialize;

use crate::clock::{Span, Today};
use crate::said::Said;
use crate::scan::{Finding, FindingKind, Protection, ScanResult};
use crate::snapshot::OsFamily;
use crate::timeline::Timeline;

const KASPERSKY: &str = "kaspersky";
const ULTRAAV: &str = "ultraav";
const MICROSOFT: &str = "microsoft";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum Status {
    Protected,
    AtRisk,
    Unprotected,
    Unknown,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Self::Protected => "Protected",
            Self::AtRisk => "At risk",
            Self::Unprotected => "Not protected",
            Self::Unknown => "Unknown",
        }
    }
}

/// The verdict on one computer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Verdict {
    pub status: Status,
    /// Every reason, in English.
    pub reasons: Vec<String>,
    /// The single most important thing to do, in English.
    pub next_step: String,
    /// The same reasons as keys and arguments, for translations.
    pub reason_keys: Vec<Said>,
    pub next_step_key: Said,
}

/// How an antivirus finding stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Guard {
    /// On, definitions not reported stale.
    Current,
    OutOfDate,
    Off,
    /// Installed; whether it runs could not be read.
    Unreadable,
}

fn guard(f: &Finding) -> Guard {
    let on = match f.protection {
        Protection::On => true,
        Protection::Off => false,
        Protection::Unknown => f.running,
    };
    match (on, f.protection, f.signatures_up_to_date) {
        (true, _, Some(false)) => Guard::OutOfDate,
        (true, _, _) => Guard::Current,
        (false, Protection::Unknown, _) => Guard::Unreadable,
        (false, _, _) => Guard::Off,
    }
}

fn is_antivirus(f: &Finding) -> bool {
    f.kind == FindingKind::Antivirus
}

/// Judges one computer. `scan` comes from the detector, `os` from the snapshot.
pub fn judge(scan: &ScanResult, os: OsFamily, timeline: &Timeline, today: &Today) -> Verdict {
    let kaspersky: Vec<&Finding> = scan
        .findings
        .iter()
        .filter(|f| f.vendor == KASPERSKY && f.kind != FindingKind::Leftover)
        .collect();
    let leftovers: usize = scan
        .findings
        .iter()
        .filter(|f| f.vendor == KASPERSKY && f.kind == FindingKind::Leftover)
        .map(|f| f.evidence.len())
        .sum();
    let others: Vec<(&Finding, Guard)> = scan
        .findings
        .iter()
        .filter(|f| f.vendor != KASPERSKY && is_antivirus(f))
        .map(|f| (f, guard(f)))
        .collect();
    let kaspersky_guarding = kaspersky
        .iter()
        .any(|f| is_antivirus(f) && matches!(guard(f), Guard::Current | Guard::OutOfDate));
    let other_guarding = others
        .iter()
        .any(|(_, g)| matches!(g, Guard::Current | Guard::OutOfDate));
    let xprotect = os == OsFamily::Macos;
    let managed = kaspersky.iter().find(|f| f.managed);

    let mut reasons = Vec::new();
    if let Some(f) = managed {
        reasons.push(Said::Managed {
            product: f.product.clone(),
        });
    }
    for f in &kaspersky {
        reasons.extend(kaspersky_reasons(f, timeline, today));
    }
    for (f, g) in &others {
        let product = f.product.clone();
        let another_on = kaspersky_guarding
            || others.iter().any(|(o, og)| {
                !std::ptr::eq(*o, *f) && matches!(og, Guard::Current | Guard::OutOfDate)
            });
        reasons.push(match g {
            Guard::Off if f.vendor == MICROSOFT && another_on => {
                Said::DefenderStandingBy { product }
            }
            Guard::Current if f.protection == Protection::On => Said::ProtectedBy { product },
            Guard::Current => Said::ProtectedByUnconfirmed { product },
            Guard::OutOfDate => Said::SignaturesOutOfDate { product },
            Guard::Off => Said::ProductOff { product },
            Guard::Unreadable => Said::StateUnreadable { product },
        });
    }
    let nothing_on = !kaspersky_guarding && !other_guarding && !xprotect;
    if xprotect && !other_guarding {
        reasons.push(Said::ProtectedByXprotect);
    }
    let on_at_once: Vec<&str> = scan
        .findings
        .iter()
        .filter(|f| is_antivirus(f) && f.protection == Protection::On)
        .map(|f| f.product.as_str())
        .collect();
    if on_at_once.len() >= 2 {
        reasons.push(Said::TwoRealTime {
            products: on_at_once.join(", "),
        });
    }
    let ultraav = scan
        .findings
        .iter()
        .find(|f| f.vendor == ULTRAAV && f.kind == FindingKind::Antivirus)
        .or_else(|| scan.findings.iter().find(|f| f.vendor == ULTRAAV));
    if let Some(f) = ultraav {
        reasons.push(Said::UltraavInstalled {
            product: f.product.clone(),
        });
    }
    if leftovers > 0 {
        reasons.push(Said::KasperskyLeftovers { pieces: leftovers });
    }

    let unreadable = others.iter().any(|(_, g)| *g == Guard::Unreadable);
    // On Windows, Defender always has a Security Center entry; none at all,
    // with read problems reported, means Baton could not see, not "nothing on".
    let blind = os == OsFamily::Windows
        && !scan.warnings.is_empty()
        && !scan.findings.iter().any(|f| f.vendor == MICROSOFT);
    let status = if nothing_on && !unreadable && !blind {
        Status::Unprotected
    } else if !kaspersky.is_empty() {
        Status::AtRisk
    } else if others.iter().any(|(_, g)| *g == Guard::Current) || (xprotect && !unreadable) {
        Status::Protected
    } else if others.iter().any(|(_, g)| *g == Guard::OutOfDate) {
        Status::AtRisk
    } else {
        Status::Unknown
    };
    if status == Status::Unprotected && kaspersky.is_empty() && others.is_empty() {
        reasons.push(Said::NoAntivirus);
    }
    if status == Status::Unknown && !scan.warnings.is_empty() {
        reasons.push(Said::NothingReadable {
            problems: scan.warnings.join("; "),
        });
    }

    let off_defender = others
        .iter()
        .find(|(f, g)| f.vendor == MICROSOFT && *g == Guard::Off)
        .or_else(|| others.iter().find(|(_, g)| *g == Guard::Off));
    let next = if managed.is_some() {
        Said::AskIt
    } else if !kaspersky.is_empty() {
        Said::ReplaceKaspersky
    } else if status == Status::Unprotected {
        match off_defender {
            Some((f, _)) => Said::TurnOn {
                product: f.product.clone(),
            },
            None => Said::ChooseAntivirus,
        }
    } else if let Some((f, _)) = others
        .iter()
        .find(|(_, g)| *g == Guard::OutOfDate)
        .filter(|_| status == Status::AtRisk)
    {
        Said::UpdateDefinitions {
            product: f.product.clone(),
        }
    } else if status == Status::Unknown {
        Said::CheckManually
    } else if on_at_once.len() >= 2 {
        Said::KeepOnlyOne
    } else if leftovers > 0 {
        Said::RemoveLeftovers
    } else if ultraav.is_some() {
        Said::DecideAboutUltraav
    } else {
        Said::NothingToDo
    };

    Verdict {
        status,
        reasons: reasons.iter().map(Said::en).collect(),
        next_step: next.en(),
        reason_keys: reasons,
        next_step_key: next,
    }
}

fn kaspersky_reasons(f: &Finding, timeline: &Timeline, today: &Today) -> Vec<Said> {
    let product = f.product.clone();
    let mut out = Vec::new();
    if !is_antivirus(f) {
        out.push(Said::KasperskyOtherProduct { product });
        return out;
    }
    let ended = timeline.updates_ended();
    let cut_off_day = ended.date_naive();
    let words = Span::between(cut_off_day, today.date).words();
    if timeline.updates_have_ended(today) {
        out.push(Said::KasperskyUpdatesStopped {
            product: product.clone(),
            days: timeline.days_since_updates_ended(today),
            since: cut_off_day.format("%-d %B %Y").to_string(),
            ago: words,
        });
    } else {
        out.push(Said::KasperskyUpdatesWillStop {
            product: product.clone(),
            on: cut_off_day.format("%-d %B %Y").to_string(),
            within: words,
        });
    }
    match guard(f) {
        Guard::Off => out.push(Said::KasperskyOff { product }),
        Guard::OutOfDate => out.push(Said::SignaturesOutOfDate { product }),
        Guard::Current
            if f.signatures_up_to_date == Some(true) && timeline.updates_have_ended(today) =>
        {
            out.push(Said::KasperskyReportsCurrent { product })
        }
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::{Evidence, EvidenceSource};

    fn av(
        vendor: &str,
        product: &str,
        protection: Protection,
        running: bool,
        current: Option<bool>,
    ) -> Finding {
        Finding {
            vendor: vendor.into(),
            rule: None,
            product: product.into(),
            kind: FindingKind::Antivirus,
            version: None,
            managed: false,
            business: false,
            running,
            protection,
            signatures_up_to_date: current,
            evidence: vec![Evidence {
                source: EvidenceSource::SecurityCenter,
                detail: product.into(),
            }],
            items: vec![],
        }
    }

    fn judge_at(findings: Vec<Finding>, warnings: &[&str], os: OsFamily) -> Verdict {
        let scan = ScanResult {
            findings,
            warnings: warnings.iter().map(|w| (*w).to_owned()).collect(),
        };
        judge(
            &scan,
            os,
            &Timeline::builtin().unwrap(),
            &"2026-11-28".parse().unwrap(),
        )
    }

    fn key(s: &Said) -> String {
        serde_json::to_value(s).unwrap()["key"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    #[test]
    fn two_real_time_antiviruses_are_a_conflict() {
        let v = judge_at(
            vec![
                av("eset", "ESET Security", Protection::On, true, Some(true)),
                av(
                    "microsoft",
                    "Windows Defender",
                    Protection::On,
                    true,
                    Some(true),
                ),
            ],
            &[],
            OsFamily::Windows,
        );
        assert_eq!(v.status, Status::Protected);
        assert!(
            v.reasons
                .iter()
                .any(|r| r.contains("ESET Security, Windows Defender")),
            "{:?}",
            v.reasons
        );
        assert_eq!(key(&v.next_step_key), "keep_only_one");
    }

    #[test]
    fn stale_definitions_of_another_product_are_at_risk() {
        let v = judge_at(
            vec![av(
                "eset",
                "ESET Security",
                Protection::On,
                true,
                Some(false),
            )],
            &[],
            OsFamily::Windows,
        );
        assert_eq!(v.status, Status::AtRisk);
        assert_eq!(
            v.next_step_key,
            Said::UpdateDefinitions {
                product: "ESET Security".into()
            }
        );
    }

    #[test]
    fn defender_off_and_nothing_else_is_unprotected_with_turn_on() {
        let v = judge_at(
            vec![av(
                "microsoft",
                "Windows Defender",
                Protection::Off,
                true,
                None,
            )],
            &[],
            OsFamily::Windows,
        );
        assert_eq!(v.status, Status::Unprotected);
        assert_eq!(
            v.next_step_key,
            Said::TurnOn {
                product: "Windows Defender".into()
            }
        );
    }

    #[test]
    fn unreadable_state_or_unreadable_machine_is_unknown_not_a_false_alarm() {
        let v = judge_at(
            vec![av("clamav", "ClamAV", Protection::Unknown, false, None)],
            &["service states are unknown"],
            OsFamily::Linux,
        );
        assert_eq!(v.status, Status::Unknown);
        assert_eq!(key(&v.next_step_key), "check_manually");
        let v = judge_at(
            vec![],
            &["Security Center could not be read"],
            OsFamily::Windows,
        );
        assert_eq!(v.status, Status::Unknown);
        assert!(v.reasons[0].contains("Security Center could not be read"));
        // Without a reported problem, nothing found on Windows is nothing on.
        assert_eq!(
            judge_at(vec![], &[], OsFamily::Windows).status,
            Status::Unprotected
        );
        assert_eq!(
            judge_at(vec![], &[], OsFamily::Linux).status,
            Status::Unprotected
        );
    }

    #[test]
    fn a_mac_without_third_party_antivirus_relies_on_xprotect() {
        let v = judge_at(vec![], &[], OsFamily::Macos);
        assert_eq!(v.status, Status::Protected);
        assert_eq!(key(&v.reason_keys[0]), "protected_by_xprotect");
    }

    #[test]
    fn kaspersky_off_but_another_on_is_at_risk_not_unprotected() {
        let v = judge_at(
            vec![
                av("kaspersky", "Kaspersky", Protection::Off, false, None),
                av(
                    "bitdefender",
                    "Bitdefender",
                    Protection::On,
                    true,
                    Some(true),
                ),
            ],
            &[],
            OsFamily::Windows,
        );
        assert_eq!(v.status, Status::AtRisk);
        assert_eq!(key(&v.next_step_key), "replace_kaspersky");
    }

    #[test]
    fn keys_serialise_with_their_arguments() {
        let s = Said::Managed {
            product: "KES".into(),
        };
        assert_eq!(
            serde_json::to_string(&s).unwrap(),
            r#"{"key":"managed","product":"KES"}"#
        );
    }
}
