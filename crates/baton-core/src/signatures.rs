//! The detection signatures: which names, services, drivers, processes and
//! folders belong to which product.
//!
//! They are data (`data/signatures.toml`), not code, because they change as
//! vendors rename things and every entry has to carry its source for review.
//! This module reads and checks that file; [`crate::detect`] uses it.

use std::collections::HashSet;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::datafile;
use crate::error::CoreError;
use crate::pattern::{Glob, NamePattern};
use crate::scan::FindingKind;
use crate::snapshot::OsFamily;

pub(crate) const FILE: &str = "signatures.toml";
const BUILTIN: &str = include_str!("../data/signatures.toml");

/// The file as written; checked and compiled into [`Signatures`].
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SignatureFile {
    reviewed_on: String,
    vendor: Vec<VendorEntry>,
    product: Vec<ProductEntry>,
    probe: Vec<ProbeEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VendorEntry {
    id: String,
    name: String,
    keywords: Vec<String>,
    #[serde(default)]
    report_unlisted: bool,
    #[serde(default)]
    drivers: Vec<String>,
    #[serde(default)]
    paths: Vec<String>,
    sources: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProductEntry {
    id: String,
    vendor: String,
    name: String,
    kind: FindingKind,
    #[serde(default)]
    managed: bool,
    #[serde(default)]
    os: Vec<OsFamily>,
    #[serde(default)]
    programs: Vec<String>,
    #[serde(default)]
    program_ids: Vec<String>,
    #[serde(default)]
    services: Vec<String>,
    #[serde(default)]
    drivers: Vec<String>,
    #[serde(default)]
    processes: Vec<String>,
    #[serde(default)]
    security_center: Vec<String>,
    #[serde(default)]
    paths: Vec<String>,
    sources: Vec<String>,
    #[serde(default)]
    #[allow(dead_code)] // for reviewers of the data file
    note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProbeEntry {
    os: OsFamily,
    path: String,
    #[allow(dead_code)] // for reviewers of the data file
    source: String,
}

/// A word that marks a program name or publisher as a vendor's.
#[derive(Debug, Clone)]
pub(crate) struct Keyword {
    /// Lower case.
    pub(crate) word: String,
    /// `kaspersky*` may run on ("KasperskyLab"); a bare word must stand alone
    /// so that "eset" does not fire inside "Reset".
    pub(crate) stem: bool,
}

#[derive(Debug, Clone)]
pub struct Vendor {
    pub id: String,
    pub name: String,
    pub(crate) keywords: Vec<Keyword>,
    /// Report any program of this vendor, even one no rule names. True for
    /// Kaspersky: Baton's job is to find every one of its products.
    pub(crate) report_unlisted: bool,
    pub(crate) drivers: Vec<NamePattern>,
    pub(crate) paths: Vec<Glob>,
}

#[derive(Debug, Clone)]
pub struct Product {
    pub id: String,
    pub(crate) vendor: usize,
    pub name: String,
    pub kind: FindingKind,
    pub managed: bool,
    pub(crate) os: Vec<OsFamily>,
    pub(crate) programs: Vec<Glob>,
    pub(crate) program_ids: Vec<NamePattern>,
    pub(crate) services: Vec<NamePattern>,
    pub(crate) drivers: Vec<NamePattern>,
    pub(crate) processes: Vec<NamePattern>,
    pub(crate) security_center: Vec<Glob>,
    pub(crate) paths: Vec<Glob>,
}

impl Product {
    pub(crate) fn runs_on(&self, os: OsFamily) -> bool {
        self.os.is_empty() || self.os.contains(&os)
    }
}

/// A folder whose presence, and whose sub-folders, the collectors record.
#[derive(Debug, Clone)]
pub struct Probe {
    pub os: OsFamily,
    /// As written: may hold `%ProgramFiles%`-style variables on Windows and
    /// `~` on macOS; the collector expands them.
    pub path: String,
}

/// The checked signature set.
#[derive(Debug, Clone)]
pub struct Signatures {
    pub reviewed_on: NaiveDate,
    pub vendors: Vec<Vendor>,
    pub products: Vec<Product>,
    pub probes: Vec<Probe>,
}

impl Signatures {
    /// The signatures shipped inside Baton.
    pub fn builtin() -> Result<Self, CoreError> {
        Self::from_toml(BUILTIN)
    }

    /// Reads and checks a signature file. Every problem names its entry.
    pub fn from_toml(text: &str) -> Result<Self, CoreError> {
        let file: SignatureFile = datafile::parse_toml(FILE, text)?;
        compile(file)
    }

    /// The probe folders for one OS.
    pub fn probes_for(&self, os: OsFamily) -> impl Iterator<Item = &str> {
        self.probes
            .iter()
            .filter(move |p| p.os == os)
            .map(|p| p.path.as_str())
    }

    pub fn vendor(&self, id: &str) -> Option<&Vendor> {
        self.vendors.iter().find(|v| v.id == id)
    }
}

fn bad(entry: &str, problem: impl Into<String>) -> CoreError {
    datafile::bad(FILE, entry, problem)
}

fn globs(entry: &str, field: &str, patterns: &[String]) -> Result<Vec<Glob>, CoreError> {
    patterns
        .iter()
        .map(|p| Glob::parse(p).map_err(|e| bad(entry, format!("{field}: {e}"))))
        .collect()
}

fn names(entry: &str, field: &str, patterns: &[String]) -> Result<Vec<NamePattern>, CoreError> {
    patterns
        .iter()
        .map(|p| NamePattern::parse(p).map_err(|e| bad(entry, format!("{field}: {e}"))))
        .collect()
}

fn check_sources(entry: &str, sources: &[String]) -> Result<(), CoreError> {
    if sources.is_empty() || sources.iter().any(|s| s.trim().is_empty()) {
        return Err(bad(
            entry,
            "every entry needs at least one non-empty source",
        ));
    }
    for s in sources {
        let words = s
            .split_whitespace()
            .map(|w| w.trim_start_matches(|c: char| !c.is_alphanumeric()));
        for url in words.filter(|w| w.contains("://")) {
            if !url.starts_with("https://") {
                return Err(bad(entry, format!("source link {url} is not https")));
            }
        }
    }
    Ok(())
}

fn compile(file: SignatureFile) -> Result<Signatures, CoreError> {
    let reviewed_on = NaiveDate::parse_from_str(&file.reviewed_on, "%Y-%m-%d").map_err(|e| {
        bad(
            "reviewed_on",
            format!("\"{}\" is not a date: {e}", file.reviewed_on),
        )
    })?;

    let mut seen = HashSet::new();
    let mut vendors = Vec::with_capacity(file.vendor.len());
    for v in &file.vendor {
        let entry = format!("vendor \"{}\"", v.id);
        if !seen.insert(v.id.clone()) {
            return Err(bad(&entry, "duplicate id"));
        }
        check_sources(&entry, &v.sources)?;
        if v.keywords.is_empty() {
            return Err(bad(&entry, "needs at least one keyword"));
        }
        let mut keywords = Vec::new();
        for k in &v.keywords {
            let (word, stem) = match k.strip_suffix('*') {
                Some(w) => (w, true),
                None => (k.as_str(), false),
            };
            if word.is_empty() || word.contains(['*', '#']) || word.chars().any(char::is_uppercase)
            {
                return Err(bad(
                    &entry,
                    format!("keyword \"{k}\": a lower-case word, optionally ending in *"),
                ));
            }
            keywords.push(Keyword {
                word: word.to_owned(),
                stem,
            });
        }
        vendors.push(Vendor {
            id: v.id.clone(),
            name: v.name.clone(),
            keywords,
            report_unlisted: v.report_unlisted,
            drivers: names(&entry, "drivers", &v.drivers)?,
            paths: globs(&entry, "paths", &v.paths)?,
        });
    }

    // Vendors and products are separate namespaces: product "ultraav" is
    // vendor "ultraav"'s antivirus.
    seen.clear();
    let mut products = Vec::with_capacity(file.product.len());
    for p in &file.product {
        let entry = format!("product \"{}\"", p.id);
        if !seen.insert(p.id.clone()) {
            return Err(bad(&entry, "duplicate id"));
        }
        check_sources(&entry, &p.sources)?;
        let vendor = vendors
            .iter()
            .position(|v| v.id == p.vendor)
            .ok_or_else(|| bad(&entry, format!("unknown vendor \"{}\"", p.vendor)))?;
        let programs = globs(&entry, "programs", &p.programs)?;
        // Program names reach a product only through its vendor's keywords
        // (that is what keeps detection fast), so a pattern without one
        // would silently never match.
        for g in &programs {
            let reachable = vendors[vendor]
                .keywords
                .iter()
                .any(|k| g.as_str().contains(&k.word));
            if !reachable {
                return Err(bad(
                    &entry,
                    format!(
                        "programs: \"{}\" contains none of vendor \"{}\"'s keywords",
                        g.as_str(),
                        p.vendor
                    ),
                ));
            }
        }
        let product = Product {
            id: p.id.clone(),
            vendor,
            name: p.name.clone(),
            kind: p.kind,
            managed: p.managed,
            os: p.os.clone(),
            programs,
            program_ids: names(&entry, "program_ids", &p.program_ids)?,
            services: names(&entry, "services", &p.services)?,
            drivers: names(&entry, "drivers", &p.drivers)?,
            processes: names(&entry, "processes", &p.processes)?,
            security_center: globs(&entry, "security_center", &p.security_center)?,
            paths: globs(&entry, "paths", &p.paths)?,
        };
        let has_live_signal = !(product.programs.is_empty()
            && product.program_ids.is_empty()
            && product.services.is_empty()
            && product.processes.is_empty());
        if !has_live_signal {
            return Err(bad(
                &entry,
                "needs a program, program id, service or process pattern: drivers and folders alone only ever find leftovers",
            ));
        }
        products.push(product);
    }

    let mut probes = Vec::with_capacity(file.probe.len());
    for p in &file.probe {
        if p.path.trim().is_empty() {
            return Err(bad("probe", "empty path"));
        }
        probes.push(Probe {
            os: p.os,
            path: p.path.clone(),
        });
    }

    Ok(Signatures {
        reviewed_on,
        vendors,
        products,
        probes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_file_is_valid() {
        let s = Signatures::builtin().unwrap();
        assert!(s.vendor("kaspersky").is_some());
        assert!(s.vendor("ultraav").is_some());
        for id in [
            "microsoft",
            "bitdefender",
            "norton",
            "eset",
            "malwarebytes",
            "avast",
            "avg",
            "avira",
            "mcafee",
            "sophos",
            "trendmicro",
            "fsecure",
            "gdata",
            "panda",
            "webroot",
            "clamav",
        ] {
            assert!(s.vendor(id).is_some(), "vendor {id} missing");
        }
        assert!(s.probes_for(OsFamily::Linux).count() > 0);
    }

    fn minimal(product_extra: &str) -> String {
        format!(
            r#"reviewed_on = "2026-11-28"
[[vendor]]
id = "acme"
name = "Acme"
keywords = ["acme*"]
sources = ["https://example.com/acme"]
[[product]]
id = "acme-av"
vendor = "acme"
name = "Acme AV"
kind = "antivirus"
sources = ["https://example.com/av"]
{product_extra}
[[probe]]
os = "linux"
path = "/opt/acme"
source = "x"
"#
        )
    }

    #[test]
    fn a_good_minimal_file_loads() {
        let s = Signatures::from_toml(&minimal(r#"programs = ["acme av*"]"#)).unwrap();
        assert_eq!(s.products[0].name, "Acme AV");
    }

    fn problem(extra: &str) -> String {
        Signatures::from_toml(&minimal(extra))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn broken_entries_are_named() {
        assert!(problem(r#"programs = ["Acme*"]"#).contains("product \"acme-av\""));
        assert!(problem(r#"programs = ["thing*"]"#).contains("none of vendor"));
        assert!(problem(r#"services = ["a*b"]"#).contains("services"));
        assert!(problem(r#"drivers = ["klif"]"#).contains("leftovers"));
        assert!(problem("programs = [\"acme*\"]\nkind2 = 1").contains("line"));
    }

    #[test]
    fn missing_or_plain_http_sources_are_refused() {
        let text = minimal(r#"programs = ["acme*"]"#)
            .replace(r#"sources = ["https://example.com/av"]"#, "sources = []");
        assert!(
            Signatures::from_toml(&text)
                .unwrap_err()
                .to_string()
                .contains("source")
        );
        let text = minimal(r#"programs = ["acme*"]"#)
            .replace("https://example.com/av", "see http://example.com/av");
        assert!(
            Signatures::from_toml(&text)
                .unwrap_err()
                .to_string()
                .contains("not https")
        );
    }

    #[test]
    fn duplicate_ids_and_bad_dates_are_refused() {
        let text = minimal(r#"programs = ["acme*"]"#).replace("[[probe]]", "[[product]]\nid = \"acme-av\"\nvendor = \"acme\"\nname = \"x\"\nkind = \"vpn\"\nprograms = [\"acme*\"]\nsources = [\"s\"]\n[[probe]]");
        assert!(
            Signatures::from_toml(&text)
                .unwrap_err()
                .to_string()
                .contains("duplicate")
        );
        let text = minimal(r#"programs = ["acme*"]"#).replace("2026-11-28", "2026-13-01");
        assert!(
            Signatures::from_toml(&text)
                .unwrap_err()
                .to_string()
                .contains("reviewed_on")
        );
    }
}
