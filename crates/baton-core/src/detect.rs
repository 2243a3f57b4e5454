//! Detection: from a snapshot to one finding per product.
//!
//! A product shows up in many places at once (a program entry, a service,
//! a process, drivers, a Security Center entry, a folder). Detection runs in
//! two steps so that all of these become ONE finding:
//!
//! 1. **Hits.** Every item of the snapshot is matched against the signatures
//!    on its own. A hit names the products it could belong to. Some evidence
//!    is shared by several products (Kaspersky's home and business products
//!    both run `avp.exe` under an `AVP21.x` service), so a hit may name more
//!    than one, or only a vendor (a `klif` driver).
//! 2. **Merge.** Hits that identify a product by themselves found a finding;
//!    shared hits join the finding they fit; what is left over is a leftover.
//!
//! Only *live* evidence (a program entry, a service, a process) proves that a
//! product is installed. Drivers, folders and Security Center entries also
//! outlive an uninstall (stale Security Center entries are common, see
//! `alternatives.md` §0.5), so on their own they make a `leftover` finding.
//!
//! Detection runs on snapshots of 20,000 programs in a few milliseconds: the
//! program list is filtered by one Aho–Corasick pass over vendor keywords,
//! and identifiers are looked up in hash maps.

use std::collections::{BTreeMap, HashMap};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use crate::error::CoreError;
use crate::pattern::NamePattern;
use crate::scan::{Evidence, EvidenceSource, Finding, FindingKind, Item, Protection, ScanResult};
use crate::signatures::Signatures;
use crate::snapshot::{OsFamily, ProductState, Program, ServiceKind, ServiceState, Snapshot};

/// Signatures compiled for fast matching. Build once, use for many snapshots.
#[derive(Debug)]
pub struct Detector {
    signatures: Signatures,
    keywords: AhoCorasick,
    /// For each keyword pattern in `keywords`: (vendor index, must stand alone).
    keyword_owner: Vec<(usize, bool)>,
    program_ids: NameIndex,
    services: NameIndex,
    drivers: NameIndex,
    processes: NameIndex,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Product(usize),
    Vendor(usize),
}

/// Identifier patterns, indexed so that each name costs one hash lookup plus
/// a short scan of the prefix patterns.
#[derive(Debug, Default)]
struct NameIndex {
    exact: HashMap<String, Vec<Target>>,
    prefixed: Vec<(NamePattern, Target)>,
}

impl NameIndex {
    fn add(&mut self, pattern: &NamePattern, target: Target) {
        match pattern {
            NamePattern::Exact(name) => self.exact.entry(name.clone()).or_default().push(target),
            _ => self.prefixed.push((pattern.clone(), target)),
        }
    }

    /// Every target whose pattern matches `name` (lower case), with the
    /// version the pattern captured.
    fn lookup<'n>(&self, name: &'n str) -> Vec<(Target, Option<&'n str>)> {
        let mut out: Vec<(Target, Option<&'n str>)> = self
            .exact
            .get(name)
            .map(|ts| ts.iter().map(|t| (*t, None)).collect())
            .unwrap_or_default();
        for (pattern, target) in &self.prefixed {
            if let Some(version) = pattern.captures(name) {
                out.push((*target, version));
            }
        }
        out
    }
}

/// How much a piece of evidence proves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strength {
    /// Something installed or running now.
    Live,
    /// Something that outlives an uninstall.
    Trace,
}

/// Which findings a hit may belong to.
#[derive(Debug, Clone)]
enum Candidates {
    /// These products, best first.
    Products(Vec<usize>),
    /// Any product of this vendor, else the vendor's leftovers.
    Vendor(usize),
    /// A program of a vendor that reports unlisted products, matched by no rule.
    Unlisted { vendor: usize, name: String },
}

#[derive(Debug, Clone)]
struct Hit {
    candidates: Candidates,
    strength: Strength,
    source: EvidenceSource,
    detail: String,
    /// The product's own name for itself (program or Security Center entry).
    name: Option<String>,
    version: Option<String>,
    running: bool,
    security_center: Option<(ProductState, Option<bool>)>,
    item: Item,
}

/// Where a finding is kept while hits are merged; the order of keys is the
/// order findings are shown in.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Product { vendor: usize, product: usize },
    Unlisted { vendor: usize, name: String },
    Leftover { vendor: usize },
}

impl Key {
    fn vendor(&self) -> usize {
        match self {
            Self::Product { vendor, .. }
            | Self::Unlisted { vendor, .. }
            | Self::Leftover { vendor } => *vendor,
        }
    }
}

impl Detector {
    /// A detector over the signatures shipped inside Baton.
    pub fn builtin() -> Result<Self, CoreError> {
        Self::new(Signatures::builtin()?)
    }

    pub fn new(signatures: Signatures) -> Result<Self, CoreError> {
        let mut words = Vec::new();
        let mut keyword_owner = Vec::new();
        for (vi, vendor) in signatures.vendors.iter().enumerate() {
            for k in &vendor.keywords {
                words.push(k.word.clone());
                keyword_owner.push((vi, !k.stem));
            }
        }
        let keywords = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            // A few dozen short words make a small DFA, the fastest to search.
            .kind(Some(AhoCorasickKind::DFA))
            .build(&words)
            .map_err(|e| CoreError::BadData {
                file: crate::signatures::FILE,
                entry: "vendor keywords".into(),
                problem: e.to_string(),
            })?;

        let mut program_ids = NameIndex::default();
        let mut services = NameIndex::default();
        let mut drivers = NameIndex::default();
        let mut processes = NameIndex::default();
        for (pi, p) in signatures.products.iter().enumerate() {
            let t = Target::Product(pi);
            p.program_ids.iter().for_each(|n| program_ids.add(n, t));
            p.services.iter().for_each(|n| services.add(n, t));
            p.drivers.iter().for_each(|n| drivers.add(n, t));
            p.processes.iter().for_each(|n| processes.add(n, t));
        }
        for (vi, v) in signatures.vendors.iter().enumerate() {
            v.drivers
                .iter()
                .for_each(|n| drivers.add(n, Target::Vendor(vi)));
        }
        Ok(Self {
            signatures,
            keywords,
            keyword_owner,
            program_ids,
            services,
            drivers,
            processes,
        })
    }

    pub fn signatures(&self) -> &Signatures {
        &self.signatures
    }

    /// Finds every product in the snapshot.
    pub fn detect(&self, snapshot: &Snapshot) -> ScanResult {
        let os = snapshot.os.family;
        let mut hits = Vec::new();
        for (index_in_snapshot, program) in snapshot.programs.iter().enumerate() {
            self.program_hits(os, program, index_in_snapshot, &mut hits);
        }
        for (index_in_snapshot, service) in snapshot.services.iter().enumerate() {
            let lower = service.name.to_lowercase();
            let (index, source, strength) = match service.kind {
                ServiceKind::Driver => (&self.drivers, EvidenceSource::Driver, Strength::Trace),
                ServiceKind::Service => (&self.services, EvidenceSource::Service, Strength::Live),
            };
            let found = index.lookup(&lower);
            if found.is_empty() {
                continue;
            }
            let hint_name = service.display_name.as_deref().map(str::to_lowercase);
            let hint_path = service.path.as_deref().map(normalize_path);
            let state = match service.state {
                ServiceState::Running => "running",
                ServiceState::Stopped => "stopped",
                ServiceState::Unknown => "state unknown",
            };
            let detail = match (&service.display_name, service.kind) {
                (_, ServiceKind::Driver) => format!("{} ({state})", service.name),
                (Some(d), _) => format!("{} \"{d}\" ({state})", service.name),
                (None, _) => format!("{} ({state})", service.name),
            };
            hits.push(Hit {
                candidates: self.resolve(os, &found, hint_name.as_deref(), hint_path.as_deref()),
                strength,
                source,
                detail,
                name: None,
                version: found.iter().find_map(|(_, v)| v.map(str::to_owned)),
                running: service.state == ServiceState::Running,
                security_center: None,
                item: Item::Service(index_in_snapshot),
            });
        }
        for (index_in_snapshot, process) in snapshot.processes.iter().enumerate() {
            let lower = process.name.to_lowercase();
            let found = self.processes.lookup(&lower);
            if found.is_empty() {
                continue;
            }
            let hint_path = process.path.as_deref().map(normalize_path);
            let detail = match process.pid {
                Some(pid) => format!("{} (pid {pid})", process.name),
                None => process.name.clone(),
            };
            hits.push(Hit {
                candidates: self.resolve(os, &found, None, hint_path.as_deref()),
                strength: Strength::Live,
                source: EvidenceSource::Process,
                detail,
                name: None,
                version: None,
                running: true,
                security_center: None,
                item: Item::Process(index_in_snapshot),
            });
        }
        for (index_in_snapshot, sp) in snapshot.security_products.iter().enumerate() {
            let lower = sp.name.to_lowercase();
            let found: Vec<(Target, Option<&str>)> = self
                .products_for(os)
                .filter(|(_, p)| p.security_center.iter().any(|g| g.matches(&lower)))
                .map(|(i, _)| (Target::Product(i), None))
                .collect();
            if found.is_empty() {
                continue;
            }
            let hint_path = sp.path.as_deref().map(normalize_path);
            let state = match sp.state {
                ProductState::On => "on",
                ProductState::Off => "off",
                ProductState::Snoozed => "snoozed",
                ProductState::Expired => "expired",
                ProductState::Unknown => "state unknown",
            };
            let sigs = match sp.signatures_up_to_date {
                Some(true) => ", signatures up to date",
                Some(false) => ", signatures out of date",
                None => "",
            };
            hits.push(Hit {
                candidates: self.resolve(os, &found, Some(&lower), hint_path.as_deref()),
                strength: Strength::Trace,
                source: EvidenceSource::SecurityCenter,
                detail: format!("{}: {state}{sigs}", sp.name),
                name: Some(sp.name.trim().to_owned()),
                version: None,
                running: false,
                security_center: Some((sp.state, sp.signatures_up_to_date)),
                item: Item::SecurityProduct(index_in_snapshot),
            });
        }
        for (index_in_snapshot, path) in snapshot.paths.iter().enumerate() {
            if let Some(hit) = self.path_hit(os, path, index_in_snapshot) {
                hits.push(hit);
            }
        }
        ScanResult {
            findings: self.merge(hits),
            warnings: snapshot.warnings.clone(),
        }
    }

    fn products_for(
        &self,
        os: OsFamily,
    ) -> impl Iterator<Item = (usize, &crate::signatures::Product)> {
        self.signatures
            .products
            .iter()
            .enumerate()
            .filter(move |(_, p)| p.runs_on(os))
    }

    /// Vendors whose keywords occur, as words, in `text`.
    fn vendors_in(&self, text: &str, out: &mut Vec<usize>) {
        // The automaton folds ASCII case only; the rare non-ASCII name
        // ("Лаборатория Касперского") is lower-cased first.
        let lowered;
        let text = if text.is_ascii() {
            text
        } else {
            lowered = text.to_lowercase();
            lowered.as_str()
        };
        for m in self.keywords.find_overlapping_iter(text) {
            let (vendor, whole_word) = self.keyword_owner[m.pattern().as_usize()];
            let starts_word = !text[..m.start()]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric);
            let ends_word = !text[m.end()..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric);
            if starts_word && (ends_word || !whole_word) && !out.contains(&vendor) {
                out.push(vendor);
            }
        }
    }

    fn program_hits(&self, os: OsFamily, program: &Program, index: usize, hits: &mut Vec<Hit>) {
        let mut vendors = Vec::new();
        if let Some(name) = &program.name {
            self.vendors_in(name, &mut vendors);
        }
        if let Some(publisher) = &program.publisher {
            self.vendors_in(publisher, &mut vendors);
        }
        let by_id: Vec<Target> = program
            .id
            .as_deref()
            .map(|id| {
                self.program_ids
                    .lookup(&id.to_lowercase())
                    .into_iter()
                    .map(|(t, _)| t)
                    .collect()
            })
            .unwrap_or_default();
        if vendors.is_empty() && by_id.is_empty() {
            return;
        }

        let display = program
            .name
            .as_deref()
            .or(program.id.as_deref())
            .unwrap_or("")
            .trim();
        let lower = display.to_lowercase();
        // The most specific name pattern wins: "bitdefender vpn*" over "bitdefender*".
        let by_name = self
            .products_for(os)
            .filter(|(_, p)| vendors.contains(&p.vendor))
            .filter_map(|(i, p)| {
                p.programs
                    .iter()
                    .filter(|g| g.matches(&lower))
                    .map(|g| g.as_str().len())
                    .max()
                    .map(|len| (i, len))
            })
            .max_by_key(|(i, len)| (*len, std::cmp::Reverse(*i)))
            .map(|(i, _)| i);
        let by_id = by_id.into_iter().find_map(|t| match t {
            Target::Product(i) if self.signatures.products[i].runs_on(os) => Some(i),
            _ => None,
        });
        let candidates = match by_name.or(by_id) {
            Some(product) => Candidates::Products(vec![product]),
            None => match vendors
                .iter()
                .find(|v| self.signatures.vendors[**v].report_unlisted)
            {
                Some(&vendor) if !display.is_empty() => Candidates::Unlisted {
                    vendor,
                    name: lower.clone(),
                },
                _ => return,
            },
        };

        let mut detail = display.to_owned();
        if let Some(v) = program.version.as_deref().filter(|v| !v.is_empty()) {
            detail.push(' ');
            detail.push_str(v);
        }
        let origin: Vec<&str> = [
            program.source.as_deref(),
            program.id.as_deref().filter(|id| *id != display),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !origin.is_empty() {
            detail.push_str(&format!(" ({})", origin.join(", ")));
        }
        if program.orphaned {
            detail.push_str(" (Windows Installer no longer has it)");
        }
        hits.push(Hit {
            candidates,
            strength: if program.orphaned {
                Strength::Trace
            } else {
                Strength::Live
            },
            source: EvidenceSource::Program,
            detail,
            // A package manager's entry is named by its id ("kesl"); the
            // rule's name says more to a person.
            name: (program.id.as_deref() != Some(display)).then(|| display.to_owned()),
            version: program.version.clone().filter(|v| !v.is_empty()),
            running: false,
            security_center: None,
            item: Item::Program(index),
        });
    }

    fn path_hit(&self, os: OsFamily, path: &str, index: usize) -> Option<Hit> {
        let norm = normalize_path(path);
        let found: Vec<(Target, Option<&str>)> = self
            .products_for(os)
            .filter_map(|(i, p)| {
                p.paths
                    .iter()
                    .find_map(|g| g.matches_path_or_parent(&norm))
                    .map(|v| (Target::Product(i), v))
            })
            .collect();
        let candidates = if found.is_empty() {
            let vendor = self.signatures.vendors.iter().position(|v| {
                v.paths
                    .iter()
                    .any(|g| g.matches_path_or_parent(&norm).is_some())
            })?;
            Candidates::Vendor(vendor)
        } else {
            self.resolve(os, &found, None, Some(&norm))
        };
        Some(Hit {
            candidates,
            strength: Strength::Trace,
            source: EvidenceSource::Path,
            detail: path.to_owned(),
            name: None,
            version: found.iter().find_map(|(_, v)| v.map(str::to_owned)),
            running: false,
            security_center: None,
            item: Item::Path(index),
        })
    }

    /// Orders the products a hit may belong to, best first: those whose names
    /// or folders agree with the hint (a service's display name, a process's
    /// path) come before the rest.
    fn resolve(
        &self,
        os: OsFamily,
        found: &[(Target, Option<&str>)],
        hint_name: Option<&str>,
        hint_path: Option<&str>,
    ) -> Candidates {
        let mut products: Vec<usize> = Vec::new();
        let mut vendor = None;
        for (t, _) in found {
            match *t {
                Target::Product(i)
                    if self.signatures.products[i].runs_on(os) && !products.contains(&i) =>
                {
                    products.push(i)
                }
                Target::Vendor(v) => vendor = vendor.or(Some(v)),
                Target::Product(_) => {}
            }
        }
        if products.is_empty() {
            return match vendor {
                Some(v) => Candidates::Vendor(v),
                None => Candidates::Products(Vec::new()),
            };
        }
        let agrees = |i: &usize| {
            let p = &self.signatures.products[*i];
            hint_name.is_some_and(|n| p.programs.iter().any(|g| g.matches(n)))
                || hint_path.is_some_and(|h| {
                    p.paths
                        .iter()
                        .any(|g| g.matches_path_or_parent(h).is_some())
                })
        };
        // A stable partition keeps data order within each group.
        let (mut first, rest): (Vec<usize>, Vec<usize>) = products.into_iter().partition(agrees);
        first.extend(rest);
        Candidates::Products(first)
    }

    fn merge(&self, hits: Vec<Hit>) -> Vec<Finding> {
        let vendor_of = |p: usize| self.signatures.products[p].vendor;
        let mut groups: BTreeMap<Key, Vec<Hit>> = BTreeMap::new();
        let mut pending = Vec::new();

        // Pass 1: live hits that name one product, or an unlisted program.
        for hit in hits {
            let key = match (&hit.candidates, hit.strength) {
                (Candidates::Products(ps), Strength::Live) if ps.len() == 1 => Key::Product {
                    vendor: vendor_of(ps[0]),
                    product: ps[0],
                },
                (Candidates::Unlisted { vendor, name }, _) => Key::Unlisted {
                    vendor: *vendor,
                    name: name.clone(),
                },
                (Candidates::Products(ps), _) if ps.is_empty() => continue,
                _ => {
                    pending.push(hit);
                    continue;
                }
            };
            groups.entry(key).or_default().push(hit);
        }
        // Passes 2 and 3 only see non-empty candidate lists: pass 1 drops
        // empty ones, so `ps[0]` below always exists.
        let product_key = |p: usize| Key::Product {
            vendor: vendor_of(p),
            product: p,
        };
        let first_existing = |groups: &BTreeMap<Key, Vec<Hit>>, ps: &[usize]| {
            ps.iter()
                .map(|&p| product_key(p))
                .find(|k| groups.contains_key(k))
        };
        // Pass 2: shared live evidence joins a finding it fits, best
        // candidate first, or founds one for the best candidate.
        let (live, traces): (Vec<Hit>, Vec<Hit>) = pending
            .into_iter()
            .partition(|h| h.strength == Strength::Live);
        for hit in live {
            let Candidates::Products(ps) = &hit.candidates else {
                continue;
            };
            let key = first_existing(&groups, ps).unwrap_or(product_key(ps[0]));
            groups.entry(key).or_default().push(hit);
        }
        // Pass 3: traces join a finding with live evidence, or are leftovers.
        for hit in traces {
            let key = match &hit.candidates {
                Candidates::Products(ps) => first_existing(&groups, ps).unwrap_or(Key::Leftover {
                    vendor: vendor_of(ps[0]),
                }),
                // A vendor's shared drivers and folders belong with its
                // antivirus above all, else with any product of its.
                Candidates::Vendor(v) => {
                    let of_vendor =
                        |k: &&Key| matches!(k, Key::Product { vendor, .. } if vendor == v);
                    let is_antivirus = |k: &&Key| matches!(k, Key::Product { product, .. } if self.signatures.products[*product].kind == FindingKind::Antivirus);
                    let mut keys = groups.keys().filter(of_vendor);
                    let antivirus = groups.keys().filter(of_vendor).find(is_antivirus);
                    antivirus
                        .or_else(|| keys.next())
                        .cloned()
                        .unwrap_or(Key::Leftover { vendor: *v })
                }
                Candidates::Unlisted { .. } => continue,
            };
            groups.entry(key).or_default().push(hit);
        }
        let mut findings: Vec<Finding> = groups
            .into_iter()
            .map(|(key, hits)| self.finding(&key, hits))
            .collect();
        // A business product is managed by an organisation when the vendor's
        // management agent is on the machine too; alone, it may be the
        // user's own (a small business, a home lab).
        let agents: Vec<String> = findings
            .iter()
            .filter(|f| f.kind == FindingKind::ManagementAgent)
            .map(|f| f.vendor.clone())
            .collect();
        for f in &mut findings {
            f.managed = f.kind == FindingKind::ManagementAgent
                || (f.business && agents.contains(&f.vendor));
        }
        findings
    }

    fn finding(&self, key: &Key, mut hits: Vec<Hit>) -> Finding {
        let vendor = &self.signatures.vendors[key.vendor()];
        let (rule, kind, managed, default_name) = match key {
            Key::Product { product, .. } => {
                let p = &self.signatures.products[*product];
                (Some(p.id.clone()), p.kind, p.managed, p.name.clone())
            }
            Key::Unlisted { .. } => (None, FindingKind::Other, false, vendor.name.clone()),
            Key::Leftover { .. } => (
                None,
                FindingKind::Leftover,
                false,
                format!("{} (left over after removal)", vendor.name),
            ),
        };
        hits.sort_by_key(|h| h.source);
        let named = |source| {
            hits.iter()
                .filter(|h| h.source == source)
                .find_map(|h| h.name.clone())
        };
        let product = match key {
            Key::Leftover { .. } => default_name,
            _ => named(EvidenceSource::Program)
                .or_else(|| named(EvidenceSource::SecurityCenter))
                .unwrap_or(default_name),
        };
        let version = hits
            .iter()
            .filter(|h| h.source == EvidenceSource::Program)
            .chain(hits.iter())
            .find_map(|h| h.version.clone());
        let states: Vec<(ProductState, Option<bool>)> =
            hits.iter().filter_map(|h| h.security_center).collect();
        let protection = if states.is_empty() {
            Protection::Unknown
        } else if states.iter().any(|(s, _)| *s == ProductState::On) {
            Protection::On
        } else if states.iter().all(|(s, _)| *s == ProductState::Unknown) {
            Protection::Unknown
        } else {
            Protection::Off
        };
        let signatures_up_to_date = states
            .iter()
            .filter_map(|(_, up)| *up)
            .reduce(|a, b| a && b);
        let running = hits.iter().any(|h| h.running);

        let mut evidence: Vec<Evidence> = Vec::new();
        let drivers: Vec<&str> = hits
            .iter()
            .filter(|h| h.source == EvidenceSource::Driver)
            .map(|h| h.detail.as_str())
            .collect();
        for h in &hits {
            if h.source == EvidenceSource::Driver {
                if evidence.iter().all(|e| e.source != EvidenceSource::Driver) {
                    evidence.push(Evidence {
                        source: EvidenceSource::Driver,
                        detail: format!("kernel drivers: {}", drivers.join(", ")),
                    });
                }
            } else if !evidence
                .iter()
                .any(|e| e.source == h.source && e.detail == h.detail)
            {
                evidence.push(Evidence {
                    source: h.source,
                    detail: h.detail.clone(),
                });
            }
        }
        // A folder that holds another folder in the evidence says nothing more.
        let paths: Vec<String> = evidence
            .iter()
            .filter(|e| e.source == EvidenceSource::Path)
            .map(|e| normalize_path(&e.detail))
            .collect();
        evidence.retain(|e| {
            e.source != EvidenceSource::Path || {
                let this = normalize_path(&e.detail);
                !paths.iter().any(|p| {
                    p.len() > this.len() && p.starts_with(&this) && p[this.len()..].starts_with('/')
                })
            }
        });
        let mut items: Vec<Item> = hits.iter().map(|h| h.item).collect();
        items.sort();
        items.dedup();
        Finding {
            vendor: vendor.id.clone(),
            rule,
            product,
            kind,
            version,
            managed,
            business: managed,
            running,
            protection,
            signatures_up_to_date,
            evidence,
            items,
        }
    }
}

/// Lower case with forward slashes, so one rule covers Windows and Unix paths.
fn normalize_path(path: &str) -> String {
    path.trim()
        .trim_end_matches(['/', '\\'])
        .replace('\\', "/")
        .to_lowercase()
}
