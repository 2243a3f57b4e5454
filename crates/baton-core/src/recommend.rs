//! The recommender: which replacement fits this person and this computer.
//!
//! Vendor-neutral by rule, not by promise: the catalog has no "featured"
//! flag and nothing here knows a brand. Every rule is listed below, each is
//! tested in a table (`tests/recommend.rs`), and every excluded product is
//! reported with the rule that excluded it, so the user can see why.
//!
//! Filters (a product failing one is excluded, with the rule named):
//! - **R1 platform**: it runs on the user's OS.
//! - **R2 real-time**: it protects all the time; a scan-only tool cannot
//!   replace an antivirus (Malwarebytes Free).
//! - **R3 budget**: with a free budget, it costs nothing.
//! - **R4 wanted features**: it has every feature the user asked for.
//! - **R5 vendor region**: if the user chose a region, the vendor is based there.
//!
//! Always:
//! - **R6 built-in option**: the OS's free option (Defender, XProtect,
//!   ClamAV) is always returned in `built_in`; it joins the ranked list only
//!   if it passes R1–R5.
//! - **R7 keep what you have**: an installed antivirus that is on and current
//!   and passes R1–R5 is ranked first, as "keep what you have".
//!
//! Ranking of what passes, in this order:
//! - **R8 low memory**: on a computer with less than [`LOW_RAM_MB`] of RAM,
//!   products with a top performance result in an independent test go first.
//! - **R9 comfort**: for a beginner, products Baton can install without the
//!   user downloading anything go first.
//! - **R10 lab evidence**: more top protection results first (a result from
//!   the lab's own page counts 2, from a secondary report 1).
//! - **R11 price**: with a free budget all are free; with a paid budget, the
//!   cheaper known price for the user's devices first, unknown prices last.
//! - Then by name, so the order is stable.
//!
//! Trade-offs are always stated: privacy findings (Avast/AVG's 2024 FTC
//! order), limitations, introductory prices, too few devices per licence,
//! missing lab results, and any fact the catalog marks as unverified.
//! **R12**: when the catalog was reviewed more than [`STALE_AFTER_DAYS`] ago,
//! the result says so.

use std::cmp::Reverse;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, Download, Feature, Features, LabResult, NoteKind, Product, Region};
use crate::clock::Today;
use crate::datafile::Confidence;
use crate::said::Said;
use crate::scan::{Finding, FindingKind, Protection};
use crate::snapshot::OsFamily;

/// Below this much RAM, lighter products are preferred (R8).
pub const LOW_RAM_MB: u64 = 4096;
/// Catalog data older than this is flagged (R12).
pub const STALE_AFTER_DAYS: i64 = 180;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum Budget {
    Free,
    Paid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum Comfort {
    Beginner,
    #[default]
    Intermediate,
    Expert,
}

/// What the user told Baton.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Answers {
    pub os: OsFamily,
    pub budget: Budget,
    pub devices: u32,
    pub wants: Vec<Feature>,
    /// `None`: the user does not mind where the vendor is based.
    pub region: Option<Region>,
    pub comfort: Comfort,
}

/// What Baton knows about the computer.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Machine {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub os_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub ram_mb: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub cpus: Option<usize>,
    /// Security products found by the scanner.
    #[serde(skip)]
    pub installed: Vec<Finding>,
}

impl Machine {
    pub fn is_low_memory(&self) -> bool {
        self.ram_mb.is_some_and(|mb| mb < LOW_RAM_MB)
    }
}

/// The price shown for a recommendation.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct PriceDetail {
    pub usd_per_year: f64,
    pub devices: u32,
    pub first_year: bool,
    pub checked_on: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    pub unverified: bool,
}

/// One ranked product.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Recommendation {
    pub id: String,
    pub name: String,
    pub vendor: String,
    /// Already installed and working.
    pub keep: bool,
    pub built_in: bool,
    /// US dollars a year for the user's devices: 0 when free, absent when unknown.
    pub price: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price_detail: Option<PriceDetail>,
    pub reasons: Vec<Said>,
    pub tradeoffs: Vec<Said>,
    pub lab: Vec<LabResult>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub features: Option<Features>,
    /// Which of the facts above are unverified ("features", "price", ...).
    pub unverified: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub download: Option<Download>,
}

/// A product left out, and the rule that left it out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Excluded {
    pub id: String,
    pub name: String,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub rule: &'static str,
    /// Completes "it ...".
    pub why: Said,
}

/// What `baton recommend --json` prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Recommendations {
    pub answers: Answers,
    pub machine: Machine,
    pub recommendations: Vec<Recommendation>,
    /// The OS's built-in or standard free option, always offered (R6).
    pub built_in: Option<Recommendation>,
    pub excluded: Vec<Excluded>,
    pub notes: Vec<Said>,
    pub catalog_reviewed_on: NaiveDate,
    pub catalog_is_stale: bool,
}

/// Ranks the catalog for one person and one computer.
pub fn recommend(
    catalog: &Catalog,
    answers: &Answers,
    machine: &Machine,
    today: &Today,
) -> Recommendations {
    let healthy = healthy_installed(&machine.installed);
    let mut ranked: Vec<(Key, Recommendation)> = Vec::new();
    let mut excluded = Vec::new();
    let mut notes = Vec::new();
    let mut kept_findings: Vec<&Finding> = Vec::new();

    for product in &catalog.products {
        if let Some((rule, why)) = exclusion(product, answers) {
            excluded.push(Excluded {
                id: product.id.clone(),
                name: product.name.clone(),
                rule,
                why,
            });
            continue;
        }
        let installed = healthy
            .iter()
            .copied()
            .find(|f| is_installed_copy(catalog, product, f));
        if let Some(f) = installed {
            kept_findings.push(f);
        }
        let rec = describe(product, answers, machine, installed.is_some());
        ranked.push((
            rank_key(product, answers, machine, installed.is_some()),
            rec,
        ));
    }
    ranked.sort_by(|a, b| a.0.cmp(&b.0));

    // Installed and working, but not in the catalog (UltraAV, McAfee...): keep
    // it, unless the user asked for features Baton cannot vouch for.
    let mut unknown_keeps = Vec::new();
    for f in healthy
        .iter()
        .filter(|f| !kept_findings.iter().any(|k| std::ptr::eq(*k, **f)))
    {
        let in_catalog = catalog
            .products
            .iter()
            .any(|p| is_installed_copy(catalog, p, f));
        if in_catalog {
            if let Some(why) = excluded_reason_for(catalog, &excluded, f) {
                notes.push(Said::InstalledButExcluded {
                    product: f.product.clone(),
                    why: Box::new(why),
                });
            }
        } else if answers.wants.is_empty() && answers.region.is_none() {
            unknown_keeps.push(keep_uncatalogued(f));
        } else {
            notes.push(Said::InstalledUnknownFacts {
                product: f.product.clone(),
            });
        }
    }
    let mut recommendations: Vec<Recommendation> = unknown_keeps;
    recommendations.extend(ranked.into_iter().map(|(_, r)| r));

    let built_in = catalog.always_offered(answers.os).map(|p| {
        recommendations
            .iter()
            .find(|r| r.id == p.id)
            .cloned()
            .unwrap_or_else(|| {
                let mut r = describe(p, answers, machine, false);
                for missing in answers.wants.iter().filter(|f| !p.features.has(**f)) {
                    r.tradeoffs.insert(
                        0,
                        Said::DoesNotInclude {
                            features: vec![*missing],
                        },
                    );
                }
                r
            })
    });

    if machine.is_low_memory() {
        notes.push(Said::LowMemoryFirst {
            gb: (LOW_RAM_MB / 1024) as u32,
        });
    }
    let age = (today.date - catalog.reviewed_on).num_days();
    let catalog_is_stale = age > STALE_AFTER_DAYS;
    if catalog_is_stale {
        notes.push(Said::CatalogStale {
            reviewed_on: catalog.reviewed_on.format("%Y-%m-%d").to_string(),
            days: age,
        });
    }

    Recommendations {
        answers: answers.clone(),
        machine: machine.clone(),
        recommendations,
        built_in,
        excluded,
        notes,
        catalog_reviewed_on: catalog.reviewed_on,
        catalog_is_stale,
    }
}

/// R1–R5: the first rule a product fails, if any.
fn exclusion(p: &Product, a: &Answers) -> Option<(&'static str, Said)> {
    if !p.runs_on(a.os) {
        return Some(("R1", Said::ExcludedOs { os: a.os }));
    }
    if !p.features.real_time {
        return Some(("R2", Said::ExcludedScanOnly));
    }
    if a.budget == Budget::Free && !p.free {
        return Some(("R3", Said::ExcludedCostsMoney));
    }
    let missing: Vec<Feature> = a
        .wants
        .iter()
        .copied()
        .filter(|f| !p.features.has(*f))
        .collect();
    if !missing.is_empty() {
        return Some(("R4", Said::ExcludedMissing { features: missing }));
    }
    if let Some(region) = a.region {
        if !p.hq.regions.contains(&region) {
            return Some((
                "R5",
                Said::ExcludedRegion {
                    countries: p.hq.countries.clone(),
                    region,
                },
            ));
        }
    }
    None
}

/// R7: installed antivirus that is on (or running) and not reported stale.
fn healthy_installed(findings: &[Finding]) -> Vec<&Finding> {
    findings
        .iter()
        .filter(|f| f.kind == FindingKind::Antivirus && f.vendor != "kaspersky")
        .filter(|f| match f.protection {
            Protection::On => true,
            Protection::Off => false,
            Protection::Unknown => f.running,
        })
        .filter(|f| f.signatures_up_to_date != Some(false))
        .collect()
}

/// Whether `f` is an installed copy of `p`: same scanner vendor and, where the
/// vendor has several catalog entries, the distinguishing word in its name.
fn is_installed_copy(catalog: &Catalog, p: &Product, f: &Finding) -> bool {
    let Some(detect) = &p.detect else {
        return false;
    };
    if detect.vendor != f.vendor {
        return false;
    }
    let name = f.product.to_lowercase();
    match &detect.name_contains {
        Some(word) => name.contains(word.as_str()),
        // No word: this is the vendor's only entry, or the fallback when no
        // sibling's word matches.
        None => !catalog.products.iter().any(|other| {
            other.id != p.id
                && other.detect.as_ref().is_some_and(|d| {
                    d.vendor == f.vendor
                        && d.name_contains
                            .as_ref()
                            .is_some_and(|w| name.contains(w.as_str()))
                })
        }),
    }
}

fn excluded_reason_for(catalog: &Catalog, excluded: &[Excluded], f: &Finding) -> Option<Said> {
    excluded
        .iter()
        .find(|e| {
            catalog
                .get(&e.id)
                .is_some_and(|p| is_installed_copy(catalog, p, f))
        })
        .map(|e| e.why.clone())
}

/// Sort key; smaller is better. See the module docs for the rules.
type Key = (bool, bool, bool, Reverse<u32>, (bool, u64), String);

fn rank_key(p: &Product, a: &Answers, m: &Machine, keep: bool) -> Key {
    let light_first = m.is_low_memory() && !is_light(p);
    let hands_free_first = a.comfort == Comfort::Beginner && !is_hands_free(p, a.os);
    let price_order = match a.budget {
        Budget::Free => (false, 0),
        Budget::Paid => match price_for(p, a.devices) {
            Some(cents) => (false, cents),
            None => (true, 0),
        },
    };
    (
        !keep,
        light_first,
        hands_free_first,
        Reverse(evidence_score(p)),
        price_order,
        p.name.to_lowercase(),
    )
}

/// Price in cents for the user's devices; 0 when free.
fn price_for(p: &Product, devices: u32) -> Option<u64> {
    if p.free {
        return Some(0);
    }
    p.price_for(devices)
        .map(|price| (price.usd_per_year * 100.0).round() as u64)
}

fn is_light(p: &Product) -> bool {
    p.lab.iter().any(|l| l.performance_top)
}

fn is_hands_free(p: &Product, os: OsFamily) -> bool {
    p.download_for(os).is_some_and(Download::is_hands_free)
}

/// R10: top protection results, weighted by how well they are sourced.
fn evidence_score(p: &Product) -> u32 {
    p.lab
        .iter()
        .filter(|l| l.protection_top)
        .map(|l| match l.confidence {
            Confidence::Confirmed => 2,
            Confidence::Secondary => 1,
            Confidence::Unconfirmed => 0,
        })
        .sum()
}

fn describe(p: &Product, a: &Answers, m: &Machine, keep: bool) -> Recommendation {
    let mut reasons = Vec::new();
    let mut tradeoffs = Vec::new();
    let mut unverified = Vec::new();

    if keep {
        reasons.push(Said::KeepWhatYouHave);
    }
    if p.built_in {
        reasons.push(Said::BuiltInto { os: a.os });
    } else {
        reasons.push(Said::RunsOn { os: a.os });
    }
    let mut price = None;
    let mut price_detail = None;
    if p.free {
        price = Some(0.0);
        if !p.built_in {
            reasons.push(Said::Free);
        }
    } else if let Some(tier) = p.price_for(a.devices) {
        price = Some(tier.usd_per_year);
        reasons.push(Said::PricePerYear {
            cents: (tier.usd_per_year * 100.0).round() as u64,
            devices: tier.devices,
            checked_on: tier.checked_on.clone(),
        });
        if tier.devices < a.devices {
            tradeoffs.push(Said::PriceCoversFewer {
                covers: tier.devices,
                have: a.devices,
            });
        }
        if tier.first_year {
            tradeoffs.push(Said::IntroductoryPrice);
        }
        if tier.confidence != Confidence::Confirmed {
            unverified.push("price".into());
        }
        price_detail = Some(PriceDetail {
            usd_per_year: tier.usd_per_year,
            devices: tier.devices,
            first_year: tier.first_year,
            checked_on: tier.checked_on.clone(),
            source: tier.source.clone(),
            unverified: tier.confidence != Confidence::Confirmed,
        });
    } else {
        tradeoffs.push(Said::NoCheckedPrice);
    }
    // Only what it has: the built-in option is offered even when it lacks
    // something the user wants (R6), and then says so as a trade-off.
    let included: Vec<Feature> = a
        .wants
        .iter()
        .copied()
        .filter(|f| p.features.has(*f))
        .collect();
    if !included.is_empty() {
        reasons.push(Said::Includes { features: included });
    }
    if let Some(region) = a.region {
        reasons.push(Said::VendorBasedIn {
            countries: p.hq.countries.clone(),
            region,
        });
    }
    for lab in p
        .lab
        .iter()
        .filter(|l| l.protection_top || l.performance_top)
    {
        reasons.push(Said::LabTop {
            lab: lab.lab.clone(),
            test: lab.test.clone(),
            result: lab.result.clone(),
        });
    }
    if p.lab.iter().all(|l| !l.protection_top) {
        tradeoffs.push(Said::NoTopLabResult);
    }
    if m.is_low_memory() {
        if is_light(p) {
            reasons.push(Said::TestedLight);
        } else {
            tradeoffs.push(Said::MaySlowDown);
        }
    }
    if a.comfort == Comfort::Beginner {
        if is_hands_free(p, a.os) {
            reasons.push(Said::SetsUpForYou);
        } else {
            tradeoffs.push(Said::DownloadYourself);
        }
    }
    for (index, note) in p.note.iter().enumerate() {
        let said = Said::CatalogNote {
            product: p.id.clone(),
            index,
            text: note.text.clone(),
        };
        match note.kind {
            NoteKind::Privacy | NoteKind::Limitation => tradeoffs.push(said),
            NoteKind::Info => reasons.push(said),
        }
    }
    if p.features_confidence != Confidence::Confirmed {
        unverified.push("features".into());
    }
    if p.hq.confidence != Confidence::Confirmed {
        unverified.push("headquarters".into());
    }
    if p.platforms.confidence != Confidence::Confirmed {
        unverified.push("platforms".into());
    }
    let download = p.download_for(a.os).cloned();
    if let Some(d) = &download {
        if d.confidence != Confidence::Confirmed {
            unverified.push("download".into());
        }
        if d.signer_confidence
            .is_some_and(|c| c != Confidence::Confirmed)
        {
            unverified.push("signer".into());
        }
    }
    if !unverified.is_empty() {
        tradeoffs.push(Said::SomeUnverified {
            facts: unverified.clone(),
        });
    }

    Recommendation {
        id: p.id.clone(),
        name: p.name.clone(),
        vendor: p.vendor.clone(),
        keep,
        built_in: p.built_in,
        price,
        price_detail,
        reasons,
        tradeoffs,
        lab: p.lab.clone(),
        features: Some(p.features),
        unverified,
        download,
    }
}

/// R7 for a product the catalog does not list: keep it, with what is unknown said.
fn keep_uncatalogued(f: &Finding) -> Recommendation {
    let mut reasons = vec![Said::KeepWhatYouHave];
    if f.vendor == "ultraav" {
        reasons.push(Said::UltraavArrived);
    }
    Recommendation {
        id: f.rule.clone().unwrap_or_else(|| f.vendor.clone()),
        name: f.product.clone(),
        vendor: f.vendor.clone(),
        keep: true,
        built_in: false,
        price: None,
        price_detail: None,
        reasons,
        tradeoffs: vec![Said::NotInCatalog],
        lab: Vec::new(),
        features: None,
        unverified: vec!["features".into(), "price".into()],
        download: None,
    }
}
