//! The catalog of replacement products, with every fact's source.
//!
//! Data (`data/catalog.toml`), not code: prices and lab results change every
//! few months and each one must be reviewable against its source. The
//! catalog states facts only; [`crate::recommend`] decides what fits whom.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::datafile::{self, Confidence};
use crate::error::CoreError;
use crate::snapshot::OsFamily;

const FILE: &str = "catalog.toml";
const BUILTIN: &str = include_str!("../data/catalog.toml");

/// The checked catalog.
#[derive(Debug, Clone, Serialize)]
pub struct Catalog {
    pub reviewed_on: NaiveDate,
    pub products: Vec<Product>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    reviewed_on: String,
    product: Vec<Product>,
}

/// One replacement product.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    pub id: String,
    pub name: String,
    pub vendor: String,
    /// How the scanner recognises an installed copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detect: Option<Detect>,
    pub hq: Headquarters,
    pub platforms: Platforms,
    /// Part of the operating system: nothing to download or pay.
    #[serde(default)]
    pub built_in: bool,
    /// The OSes on which this is the free option that is always offered.
    #[serde(default)]
    pub offer_for: Vec<OsFamily>,
    /// Costs nothing to use (a free tier, or the product itself is free).
    pub free: bool,
    pub features: Features,
    pub features_confidence: Confidence,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub features_source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub features_note: Option<String>,
    #[serde(default)]
    pub price: Vec<Price>,
    #[serde(default)]
    pub lab: Vec<LabResult>,
    #[serde(default)]
    pub note: Vec<Note>,
    #[serde(default)]
    pub download: Vec<Download>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Detect {
    /// The vendor id in `signatures.toml`.
    pub vendor: String,
    /// Lower-case words the installed product's name contains, where one
    /// vendor has several catalog entries ("free", "premium").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_contains: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Headquarters {
    pub countries: Vec<String>,
    pub regions: Vec<Region>,
    pub confidence: Confidence,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// Where a vendor is based, for users who care about jurisdiction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum Region {
    Europe,
    NorthAmerica,
    AsiaPacific,
}

impl Region {
    pub const NAMES: &'static [&'static str] = &["europe", "north_america", "asia_pacific"];

    pub fn label(self) -> &'static str {
        match self {
            Self::Europe => "Europe",
            Self::NorthAmerica => "North America",
            Self::AsiaPacific => "Asia-Pacific",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Platforms {
    pub list: Vec<OsFamily>,
    pub confidence: Confidence,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// What a product includes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Features {
    pub real_time: bool,
    pub firewall: bool,
    pub vpn: bool,
    pub password_manager: bool,
    pub parental_control: bool,
    pub identity_protection: bool,
}

impl Features {
    pub fn has(&self, feature: Feature) -> bool {
        match feature {
            Feature::RealTime => self.real_time,
            Feature::Firewall => self.firewall,
            Feature::Vpn => self.vpn,
            Feature::PasswordManager => self.password_manager,
            Feature::ParentalControl => self.parental_control,
            Feature::IdentityProtection => self.identity_protection,
        }
    }
}

/// One feature a user can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum Feature {
    RealTime,
    Firewall,
    Vpn,
    PasswordManager,
    ParentalControl,
    IdentityProtection,
}

impl Feature {
    pub const ALL: [Feature; 6] = [
        Self::RealTime,
        Self::Firewall,
        Self::Vpn,
        Self::PasswordManager,
        Self::ParentalControl,
        Self::IdentityProtection,
    ];
    pub const NAMES: &'static [&'static str] = &[
        "real_time",
        "firewall",
        "vpn",
        "password_manager",
        "parental_control",
        "identity_protection",
    ];

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// Plain words for a person.
    pub fn label(self) -> &'static str {
        match self {
            Self::RealTime => "real-time protection",
            Self::Firewall => "a firewall",
            Self::Vpn => "a VPN",
            Self::PasswordManager => "a password manager",
            Self::ParentalControl => "parental control",
            Self::IdentityProtection => "identity protection",
        }
    }
}

impl fmt::Display for Feature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Feature {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| {
                format!(
                    "unknown feature \"{s}\" (valid: {})",
                    Self::NAMES.join(", ")
                )
            })
    }
}

/// A yearly price for a number of devices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Price {
    pub devices: u32,
    pub usd_per_year: f64,
    /// An introductory price: the renewal usually costs more.
    #[serde(default)]
    pub first_year: bool,
    pub checked_on: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    pub confidence: Confidence,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One independent lab result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct LabResult {
    pub lab: String,
    pub test: String,
    /// The last day of the period the test covers.
    pub date: String,
    pub result: String,
    /// A top protection mark (full score, Top-Rated, a protection award).
    #[serde(default)]
    pub protection_top: bool,
    /// A top performance mark: the product slows the computer the least.
    #[serde(default)]
    pub performance_top: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    pub confidence: Confidence,
}

/// Something the user should know before choosing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    pub kind: NoteKind,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    pub confidence: Confidence,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    Info,
    /// Something the product does not do, or does poorly: a trade-off.
    Limitation,
    /// How the vendor treats users' data: a trade-off, stated plainly.
    Privacy,
}

/// How to get the product on one OS.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Download {
    pub os: OsFamily,
    pub installer: InstallerKind,
    /// The vendor's own https link: the installer, or the page to get it from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// For built-in products, the settings page to open instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open: Option<String>,
    /// Arguments for an unattended install, where documented.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub silent_args: Vec<String>,
    /// The code-signing publisher the installer is expected to carry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer_confidence: Option<Confidence>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub winget: Option<String>,
    /// Package names for the system package manager (Linux).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub packages: Vec<String>,
    /// The installer's SHA-256, where the vendor publishes a fixed file.
    /// Most links here always serve the latest build, so most have none;
    /// those rely on the code signature instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    pub confidence: Confidence,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum InstallerKind {
    /// Nothing to install: part of the OS.
    BuiltIn,
    Exe,
    Msi,
    Pkg,
    /// Installed through the system package manager.
    Package,
    /// No direct installer known: the user downloads it from the vendor's page.
    WebPage,
}

impl Download {
    /// Whether Baton can install this without the user fetching anything:
    /// the OS already has it, the package manager installs it, or a direct
    /// installer link with a documented unattended mode is known.
    pub fn is_hands_free(&self) -> bool {
        match self.installer {
            InstallerKind::BuiltIn | InstallerKind::Package => true,
            InstallerKind::Exe | InstallerKind::Msi | InstallerKind::Pkg => {
                self.url.is_some() && !self.silent_args.is_empty()
            }
            InstallerKind::WebPage => false,
        }
    }
}

impl Product {
    pub fn runs_on(&self, os: OsFamily) -> bool {
        self.platforms.list.contains(&os)
    }

    pub fn download_for(&self, os: OsFamily) -> Option<&Download> {
        self.download.iter().find(|d| d.os == os)
    }

    /// The cheapest known price that covers `devices`, or else the price for
    /// the most devices (the caller says it falls short).
    pub fn price_for(&self, devices: u32) -> Option<&Price> {
        let covering = self
            .price
            .iter()
            .filter(|p| p.devices >= devices)
            .min_by(|a, b| a.usd_per_year.total_cmp(&b.usd_per_year));
        covering.or_else(|| self.price.iter().max_by_key(|p| p.devices))
    }
}

impl Catalog {
    /// The catalog shipped inside Baton.
    pub fn builtin() -> Result<Self, CoreError> {
        Self::from_toml(BUILTIN)
    }

    /// Reads and checks a catalog file. Every problem names its product.
    pub fn from_toml(text: &str) -> Result<Self, CoreError> {
        let file: CatalogFile = datafile::parse_toml(FILE, text)?;
        let reviewed_on = datafile::date(FILE, "reviewed_on", "reviewed_on", &file.reviewed_on)?;
        datafile::unique_ids(FILE, "product", file.product.iter().map(|p| p.id.as_str()))?;
        for product in &file.product {
            check_product(product)?;
        }
        for os in [OsFamily::Windows, OsFamily::Macos, OsFamily::Linux] {
            let offered: Vec<&str> = file
                .product
                .iter()
                .filter(|p| p.offer_for.contains(&os))
                .map(|p| p.id.as_str())
                .collect();
            if offered.len() != 1 {
                return Err(datafile::bad(
                    FILE,
                    &format!("offer_for {os:?}"),
                    format!(
                        "exactly one product must be the always-offered option, found {offered:?}"
                    ),
                ));
            }
        }
        Ok(Self {
            reviewed_on,
            products: file.product,
        })
    }

    pub fn get(&self, id: &str) -> Option<&Product> {
        self.products.iter().find(|p| p.id == id)
    }

    /// The free option always offered on `os` (checked to exist when loaded).
    pub fn always_offered(&self, os: OsFamily) -> Option<&Product> {
        self.products.iter().find(|p| p.offer_for.contains(&os))
    }

    /// Every host a download link points at: the migration engine's allow-list.
    pub fn download_hosts(&self) -> Vec<String> {
        let mut hosts: Vec<String> = self
            .products
            .iter()
            .flat_map(|p| &p.download)
            .filter(|d| d.installer != InstallerKind::WebPage)
            .filter_map(|d| d.url.as_deref().and_then(datafile::url_host))
            .collect();
        hosts.sort();
        hosts.dedup();
        hosts
    }
}

fn check_product(p: &Product) -> Result<(), CoreError> {
    let entry = format!("product \"{}\"", p.id);
    let e = entry.as_str();
    datafile::text(FILE, e, "name", &p.name)?;
    datafile::text(FILE, e, "vendor", &p.vendor)?;
    if p.hq.countries.is_empty() || p.hq.regions.is_empty() {
        return Err(datafile::bad(
            FILE,
            e,
            "hq needs at least one country and region",
        ));
    }
    datafile::fact_source(FILE, e, "hq", p.hq.source.as_deref(), p.hq.confidence)?;
    if p.platforms.list.is_empty() {
        return Err(datafile::bad(FILE, e, "platforms.list is empty"));
    }
    datafile::fact_source(
        FILE,
        e,
        "platforms",
        p.platforms.source.as_deref(),
        p.platforms.confidence,
    )?;
    datafile::fact_source(
        FILE,
        e,
        "features",
        p.features_source.as_deref(),
        p.features_confidence,
    )
    .or_else(|err| {
        // Features may rest on the platforms' or a lab's source only when
        // marked unconfirmed; otherwise they need their own.
        if p.features_confidence.is_unconfirmed() {
            Ok(())
        } else {
            Err(err)
        }
    })?;
    for os in &p.offer_for {
        if !p.runs_on(*os) {
            return Err(datafile::bad(
                FILE,
                e,
                format!("offer_for {os:?} but platforms do not list it"),
            ));
        }
    }
    if p.built_in && !p.free {
        return Err(datafile::bad(FILE, e, "a built-in product is free"));
    }
    if p.free && !p.price.is_empty() {
        return Err(datafile::bad(FILE, e, "a free product lists no prices"));
    }
    for (i, price) in p.price.iter().enumerate() {
        let field = format!("price[{i}]");
        datafile::date(FILE, e, &format!("{field}.checked_on"), &price.checked_on)?;
        if price.devices == 0 || !(price.usd_per_year.is_finite() && price.usd_per_year > 0.0) {
            return Err(datafile::bad(
                FILE,
                e,
                format!("{field}: devices and usd_per_year must be positive"),
            ));
        }
        datafile::fact_source(FILE, e, &field, price.source.as_deref(), price.confidence)?;
    }
    for (i, lab) in p.lab.iter().enumerate() {
        let field = format!("lab[{i}]");
        datafile::date(FILE, e, &format!("{field}.date"), &lab.date)?;
        datafile::text(FILE, e, &format!("{field}.lab"), &lab.lab)?;
        datafile::text(FILE, e, &format!("{field}.test"), &lab.test)?;
        datafile::text(FILE, e, &format!("{field}.result"), &lab.result)?;
        if lab.source.is_none() {
            return Err(datafile::bad(
                FILE,
                e,
                format!("{field}: a lab result needs its source link"),
            ));
        }
        datafile::fact_source(FILE, e, &field, lab.source.as_deref(), lab.confidence)?;
    }
    for (i, note) in p.note.iter().enumerate() {
        let field = format!("note[{i}]");
        datafile::text(FILE, e, &field, &note.text)?;
        datafile::fact_source(FILE, e, &field, note.source.as_deref(), note.confidence)?;
    }
    for d in &p.download {
        check_download(e, p, d)?;
    }
    for os in &p.platforms.list {
        if p.download_for(*os).is_none() {
            return Err(datafile::bad(
                FILE,
                e,
                format!("no download entry for {os:?}"),
            ));
        }
    }
    Ok(())
}

fn check_download(e: &str, p: &Product, d: &Download) -> Result<(), CoreError> {
    let field = format!("download ({:?})", d.os);
    if !p.runs_on(d.os) {
        return Err(datafile::bad(
            FILE,
            e,
            format!("{field}: platforms do not list this OS"),
        ));
    }
    datafile::fact_source(FILE, e, &field, d.source.as_deref(), d.confidence)?;
    if let Some(url) = &d.url {
        datafile::https_url(FILE, e, &format!("{field} url"), url)?;
    }
    let needs_url = matches!(
        d.installer,
        InstallerKind::Exe | InstallerKind::Msi | InstallerKind::Pkg | InstallerKind::WebPage
    );
    if needs_url && d.url.is_none() {
        return Err(datafile::bad(
            FILE,
            e,
            format!("{field}: {:?} needs a url", d.installer),
        ));
    }
    if d.installer == InstallerKind::Package && d.packages.is_empty() {
        return Err(datafile::bad(
            FILE,
            e,
            format!("{field}: a package install names its packages"),
        ));
    }
    if d.installer == InstallerKind::BuiltIn && !p.built_in {
        return Err(datafile::bad(
            FILE,
            e,
            format!("{field}: only a built-in product has a built_in installer"),
        ));
    }
    if let Some(pin) = &d.sha256 {
        if pin.len() != 64 || !pin.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(datafile::bad(
                FILE,
                e,
                format!("{field}: sha256 must be 64 hex digits"),
            ));
        }
    }
    if d.signer.is_some() != d.signer_confidence.is_some() {
        return Err(datafile::bad(
            FILE,
            e,
            format!("{field}: signer and signer_confidence go together"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signatures::Signatures;

    #[test]
    fn builtin_catalog_is_valid_and_covers_the_required_products() {
        let c = Catalog::builtin().unwrap();
        for id in [
            "microsoft-defender",
            "bitdefender-free",
            "bitdefender-antivirus-plus",
            "norton-360-deluxe",
            "eset-home-security-essential",
            "malwarebytes-free",
            "avast-free",
            "avg-free",
            "avira-free",
            "sophos-home-premium",
            "fsecure-total",
            "trendmicro-internet-security",
            "gdata-total-security",
            "emsisoft-anti-malware",
            "apple-xprotect",
            "clamav",
        ] {
            assert!(c.get(id).is_some(), "missing {id}");
        }
        assert_eq!(
            c.always_offered(OsFamily::Windows).unwrap().id,
            "microsoft-defender"
        );
        assert_eq!(
            c.always_offered(OsFamily::Macos).unwrap().id,
            "apple-xprotect"
        );
        assert_eq!(c.always_offered(OsFamily::Linux).unwrap().id, "clamav");
    }

    #[test]
    fn the_facts_users_must_hear_are_stated() {
        let c = Catalog::builtin().unwrap();
        let mb = c.get("malwarebytes-free").unwrap();
        assert!(!mb.features.real_time);
        assert!(
            mb.note
                .iter()
                .any(|n| n.text.contains("no real-time protection"))
        );
        for id in ["avast-free", "avg-free"] {
            let p = c.get(id).unwrap();
            let privacy = p.note.iter().find(|n| n.kind == NoteKind::Privacy).unwrap();
            assert!(
                privacy.text.contains("Federal Trade Commission")
                    && privacy.text.contains("browsing data")
            );
        }
    }

    #[test]
    fn every_detect_vendor_exists_in_the_signatures() {
        let c = Catalog::builtin().unwrap();
        let s = Signatures::builtin().unwrap();
        for p in &c.products {
            if let Some(d) = &p.detect {
                assert!(
                    s.vendor(&d.vendor).is_some(),
                    "{}: unknown vendor {}",
                    p.id,
                    d.vendor
                );
            }
        }
    }

    #[test]
    fn download_hosts_are_the_vendors_own() {
        let hosts = Catalog::builtin().unwrap().download_hosts();
        assert_eq!(
            hosts,
            [
                "data-cdn.mbamupdates.com",
                "download.avira.com",
                "download.bitdefender.com",
                "download.eset.com",
                "files.avast.com",
            ]
        );
    }

    #[test]
    fn price_for_picks_the_cheapest_tier_that_covers_the_devices() {
        let p = Catalog::builtin().unwrap();
        let norton = p.get("norton-360-deluxe").unwrap();
        assert_eq!(norton.price_for(1).unwrap().usd_per_year, 49.99);
        assert_eq!(norton.price_for(5).unwrap().devices, 5);
        // Nothing covers 12: the biggest tier comes back for the caller to flag.
        assert_eq!(norton.price_for(12).unwrap().devices, 5);
        assert!(p.get("microsoft-defender").unwrap().price_for(3).is_none());
    }

    fn minimal(body: &str) -> String {
        let mut text = String::from("reviewed_on = \"2026-11-28\"\n");
        for (id, os) in [("w", "windows"), ("m", "macos"), ("l", "linux")] {
            text.push_str(&format!(
                "[[product]]\nid = \"{id}\"\nname = \"N\"\nvendor = \"V\"\nhq = {{ countries = [\"X\"], regions = [\"europe\"], confidence = \"unconfirmed\" }}\nplatforms = {{ list = [\"{os}\"], confidence = \"unconfirmed\" }}\nbuilt_in = true\noffer_for = [\"{os}\"]\nfree = true\nfeatures = {{ real_time = true, firewall = false, vpn = false, password_manager = false, parental_control = false, identity_protection = false }}\nfeatures_confidence = \"unconfirmed\"\n[[product.download]]\nos = \"{os}\"\ninstaller = \"built_in\"\nconfidence = \"unconfirmed\"\n"
            ));
        }
        text.push_str(body);
        text
    }

    const PAID: &str = "[[product]]\nid = \"paid\"\nname = \"P\"\nvendor = \"V\"\nhq = { countries = [\"X\"], regions = [\"europe\"], confidence = \"unconfirmed\" }\nplatforms = { list = [\"windows\"], confidence = \"unconfirmed\" }\nfree = false\nfeatures = { real_time = true, firewall = false, vpn = false, password_manager = false, parental_control = false, identity_protection = false }\nfeatures_confidence = \"unconfirmed\"\n[[product.price]]\ndevices = 3\nusd_per_year = 10.0\nchecked_on = \"2024-02-21\"\nsource = \"https://example.com/p\"\nconfidence = \"confirmed\"\n[[product.download]]\nos = \"windows\"\ninstaller = \"exe\"\nurl = \"https://dl.example.com/setup.exe\"\nsource = \"https://example.com/d\"\nconfidence = \"confirmed\"\n";

    #[test]
    fn broken_entries_are_named() {
        assert!(
            Catalog::from_toml(&minimal(PAID)).is_ok(),
            "{:?}",
            Catalog::from_toml(&minimal(PAID)).err()
        );
        let cases = [
            (
                PAID.replace("2024-02-21", "2024-02-30"),
                "product \"paid\": price[0].checked_on \"2024-02-30\" is not a date",
            ),
            (
                PAID.replace("https://example.com/p", "http://example.com/p"),
                "not an https:// link",
            ),
            (
                PAID.replace("source = \"https://example.com/p\"\n", ""),
                "price[0] needs a source link",
            ),
            (
                PAID.replace(
                    "https://dl.example.com/setup.exe",
                    "http://dl.example.com/setup.exe",
                ),
                "url: \"http://dl.example.com/setup.exe\" is not an https:// link",
            ),
            (
                PAID.replace("url = \"https://dl.example.com/setup.exe\"\n", ""),
                "needs a url",
            ),
            (
                PAID.replace("os = \"windows\"\ninstaller", "os = \"linux\"\ninstaller"),
                "platforms do not list this OS",
            ),
            (
                PAID.replace("usd_per_year = 10.0", "usd_per_year = -1.0"),
                "must be positive",
            ),
            (
                PAID.replace("id = \"paid\"", "id = \"w\""),
                "product \"w\": this id is used twice",
            ),
            (
                PAID.replace("vpn = false, password", "vpm = false, password"),
                "unknown field `vpm`",
            ),
        ];
        for (body, want) in cases {
            let err = Catalog::from_toml(&minimal(&body)).unwrap_err().to_string();
            assert!(err.contains(want), "wanted {want:?} in {err:?}");
            assert!(err.starts_with("data file catalog.toml"), "{err}");
        }
        let two_offers =
            minimal(&PAID.replace("free = false", "offer_for = [\"windows\"]\nfree = false"));
        let err = Catalog::from_toml(&two_offers).unwrap_err().to_string();
        assert!(err.contains("exactly one product"), "{err}");
    }
}
