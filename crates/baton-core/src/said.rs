//! Everything Baton tells a person, as a stable key with its arguments.
//!
//! The verdict, the recommender and the migration engine all speak through
//! [`Said`], so the app can show each message in the user's language (the
//! message files are `ui/src/i18n/<lang>.json`, under `said.<key>`), while
//! the CLI prints the English from [`Said::en`]. A UI test fails when a
//! variant has no message. Arguments are names, numbers and technical
//! details; anything a person reads as a sentence is a variant of its own.

use serde::{Deserialize, Serialize};

use crate::catalog::{Feature, Region};
use crate::snapshot::OsFamily;

/// One thing Baton says, as a key with arguments (for translation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "key", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum Said {
    // ── reasons ──
    KasperskyUpdatesStopped {
        product: String,
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        days: i64,
        since: String,
        ago: String,
    },
    KasperskyUpdatesWillStop {
        product: String,
        on: String,
        within: String,
    },
    KasperskyOtherProduct {
        product: String,
    },
    KasperskyOff {
        product: String,
    },
    KasperskyReportsCurrent {
        product: String,
    },
    SignaturesOutOfDate {
        product: String,
    },
    ProtectedBy {
        product: String,
    },
    ProtectedByUnconfirmed {
        product: String,
    },
    ProtectedByXprotect,
    ProductOff {
        product: String,
    },
    DefenderStandingBy {
        product: String,
    },
    StateUnreadable {
        product: String,
    },
    NoAntivirus,
    NothingReadable {
        problems: String,
    },
    TwoRealTime {
        products: String,
    },
    UltraavInstalled {
        product: String,
    },
    KasperskyLeftovers {
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        pieces: usize,
    },
    Managed {
        product: String,
    },
    // ── next steps ──
    AskIt,
    ReplaceKaspersky,
    TurnOn {
        product: String,
    },
    ChooseAntivirus,
    UpdateDefinitions {
        product: String,
    },
    CheckManually,
    KeepOnlyOne,
    RemoveLeftovers,
    DecideAboutUltraav,
    NothingToDo,
    // ── recommender: why a product fits ──
    KeepWhatYouHave,
    BuiltInto {
        os: OsFamily,
    },
    RunsOn {
        os: OsFamily,
    },
    Free,
    PricePerYear {
        /// US cents a year.
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        cents: u64,
        devices: u32,
        checked_on: String,
    },
    Includes {
        features: Vec<Feature>,
    },
    VendorBasedIn {
        countries: Vec<String>,
        region: Region,
    },
    LabTop {
        lab: String,
        test: String,
        result: String,
    },
    TestedLight,
    SetsUpForYou,
    UltraavArrived,
    /// A note from the catalog's data file; translations are keyed
    /// `catalog.<product>.note.<index>`.
    CatalogNote {
        product: String,
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        index: usize,
        text: String,
    },
    // ── recommender: trade-offs ──
    PriceCoversFewer {
        covers: u32,
        have: u32,
    },
    IntroductoryPrice,
    NoCheckedPrice,
    NoTopLabResult,
    MaySlowDown,
    DownloadYourself,
    SomeUnverified {
        facts: Vec<String>,
    },
    DoesNotInclude {
        features: Vec<Feature>,
    },
    NotInCatalog,
    // ── recommender: why a product is left out (completes "it ...") ──
    ExcludedOs {
        os: OsFamily,
    },
    ExcludedScanOnly,
    ExcludedCostsMoney,
    ExcludedMissing {
        features: Vec<Feature>,
    },
    ExcludedRegion {
        countries: Vec<String>,
        region: Region,
    },
    // ── recommender: notes ──
    InstalledButExcluded {
        product: String,
        why: Box<Said>,
    },
    InstalledUnknownFacts {
        product: String,
    },
    LowMemoryFirst {
        gb: u32,
    },
    CatalogStale {
        reviewed_on: String,
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        days: i64,
    },
    // ── migration: what a step did ──
    JournalSetAside {
        problem: String,
        aside: String,
    },
    ChecklistConfirmed {
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        items: usize,
    },
    RestorePointCreated,
    RestorePointOff,
    RestorePointFailed {
        detail: String,
    },
    NothingToRemove,
    UninstallerRanBeforeInterruption,
    FinishesAtRestart {
        product: String,
    },
    NoUninstaller {
        product: String,
    },
    Removed {
        product: String,
    },
    NoRestartNeeded,
    Restarted,
    RestartToFinishRemoving,
    RestartToFinishChanges,
    XprotectKeepsChecking,
    ProtectingNow {
        product: String,
    },
    DefenderIsOn,
    DefenderTurnedOn,
    DefenderInstallingAnyway {
        product: String,
    },
    NothingToInstall {
        product: String,
        os: OsFamily,
    },
    AlreadyProtecting {
        product: String,
    },
    Installed {
        product: String,
    },
    InstalledRestartToFinish {
        product: String,
    },
    ElevationDeclinedAskingAgain,
    InstalledWithWinget {
        id: String,
    },
    DownloadRetry {
        attempt: u32,
        detail: String,
    },
    DownloadedAndVerified {
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        bytes: u64,
    },
    DefenderDefinitionsUpdated,
    DefenderDefinitionsNotUpdated {
        detail: String,
    },
    VerifiedClean {
        product: String,
    },
    InstallerDeleted,
    NowProtects {
        product: String,
    },
    // ── migration: why it stopped ──
    ManagedRefused {
        product: String,
    },
    DefenderUnreadable,
    DefenderTamperProtected,
    DefenderCouldNotTurnOn {
        detail: String,
    },
    DefenderStayedOff,
    UninstallerLeftIt {
        product: String,
    },
    UninstallCancelled {
        product: String,
    },
    UninstallBlocked {
        product: String,
        detail: String,
    },
    UninstallFailed {
        product: String,
        code: i32,
        detail: String,
    },
    RemoveError {
        product: String,
        detail: String,
    },
    NoInstallPath {
        product: String,
        os: OsFamily,
    },
    NoDirectLink {
        product: String,
        url: String,
    },
    ElevationDeclined {
        product: String,
    },
    InstallManually {
        product: String,
        url: String,
    },
    InstallerFailed {
        product: String,
        code: i32,
        detail: String,
    },
    InstallDidNotFinish {
        product: String,
        detail: String,
    },
    DownloadFailed {
        product: String,
        detail: String,
    },
    VerificationFailed {
        detail: String,
    },
    StillInstalled {
        products: Vec<String>,
    },
    NotProtectingYet {
        product: String,
    },
    DriversLeft {
        product: String,
    },
    // ── migration: what to do about it ──
    KavremoverSteps,
    DefenderHowTo,
}

impl Said {
    /// The English text.
    pub fn en(&self) -> String {
        match self {
            Self::KasperskyUpdatesStopped { product, days, since, ago } => format!(
                "{product} is still installed. Kaspersky has not been allowed to send virus-definition updates to US users since {since} ({ago}): its definitions may be {days} days old."
            ),
            Self::KasperskyUpdatesWillStop { product, on, within } => format!(
                "{product} is installed. Kaspersky must stop sending updates to US users on {on} ({within}); the US government advises switching now."
            ),
            Self::KasperskyOtherProduct { product } => format!(
                "{product} is still installed. It is a Kaspersky product, so it no longer gets updates in the US either."
            ),
            Self::KasperskyOff { product } => format!("{product}'s protection is turned off."),
            Self::KasperskyReportsCurrent { product } => format!(
                "Windows reports {product}'s definitions as up to date. That can happen outside the US, where Kaspersky still updates; the US government still advises switching."
            ),
            Self::SignaturesOutOfDate { product } => {
                format!("Windows reports that {product}'s virus definitions are out of date.")
            }
            Self::ProtectedBy { product } => format!("{product} is on and protecting this computer."),
            Self::ProtectedByUnconfirmed { product } => format!(
                "{product} is running; the system does not say whether its definitions are current."
            ),
            Self::ProtectedByXprotect => "macOS's built-in XProtect checks apps when they are opened and is updated by Apple. macOS gives no way to read its state, so Baton assumes it is on.".into(),
            Self::ProductOff { product } => format!("{product} is installed but turned off."),
            Self::DefenderStandingBy { product } => format!(
                "{product} is switched off while another antivirus protects this computer; Windows turns it back on if that one is removed."
            ),
            Self::StateUnreadable { product } => format!(
                "{product} is installed, but Baton could not tell whether it is running."
            ),
            Self::NoAntivirus => "No antivirus is protecting this computer right now.".into(),
            Self::NothingReadable { problems } => format!(
                "Baton could not read everything it needs to judge this computer: {problems}"
            ),
            Self::TwoRealTime { products } => format!(
                "Two antivirus programs are protecting this computer at the same time ({products}). They can conflict and slow it down; keep only one."
            ),
            Self::UltraavInstalled { product } => format!(
                "{product} was installed automatically in September 2024, when Kaspersky moved its US customers to it without asking. It is not a virus. You may keep it or choose another antivirus."
            ),
            Self::KasperskyLeftovers { pieces } => format!(
                "Pieces of a removed Kaspersky product are still on this computer ({pieces} found). They do not protect it and can be cleaned up."
            ),
            Self::Managed { product } => format!(
                "{product} is managed by an organisation (an employer or school)."
            ),
            Self::AskIt => "Ask your organisation's IT department before removing Kaspersky: they manage it on this computer.".into(),
            Self::ReplaceKaspersky => "Replace Kaspersky: choose a new antivirus, and Baton will switch over with no gap in protection.".into(),
            Self::TurnOn { product } => format!("Turn {product} back on."),
            Self::ChooseAntivirus => "Choose an antivirus and install it.".into(),
            Self::UpdateDefinitions { product } => {
                format!("Update {product}'s virus definitions, or replace it.")
            }
            Self::CheckManually => "Check your antivirus's own window to see whether it is on.".into(),
            Self::KeepOnlyOne => "Remove one of the two antivirus programs.".into(),
            Self::RemoveLeftovers => "Let Baton clean up what Kaspersky left behind.".into(),
            Self::DecideAboutUltraav => "Nothing urgent: decide whether to keep UltraAV or choose another antivirus.".into(),
            Self::NothingToDo => "Nothing to do: this computer is protected.".into(),
            Self::KeepWhatYouHave => "Already installed and working on this computer: keep what you have.".into(),
            Self::BuiltInto { os } => format!("Built into {}: nothing to buy.", os.label()),
            Self::RunsOn { os } => format!("Runs on {}.", os.label()),
            Self::Free => "Free.".into(),
            Self::PricePerYear { cents, devices, checked_on } => format!(
                "{} a year for {devices} device{} (price seen on {checked_on}).",
                money(*cents),
                plural_s(u64::from(*devices))
            ),
            Self::Includes { features } => format!("Includes {}.", list(features, "and")),
            Self::VendorBasedIn { countries, region } => format!(
                "The vendor is based in {} ({}).",
                countries.join(" and "),
                region.label()
            ),
            Self::LabTop { lab, test, result } => format!("{lab}, {test}: {result}."),
            Self::TestedLight => "Tested as light on the computer's resources, which suits this computer's memory.".into(),
            Self::SetsUpForYou => "Baton can set it up for you, start to finish.".into(),
            Self::UltraavArrived => "It was installed automatically in September 2024, when Kaspersky moved its US customers to it. You may keep it or choose another.".into(),
            Self::CatalogNote { text, .. } => text.clone(),
            Self::PriceCoversFewer { covers, have } => format!(
                "The price found covers {covers} device{}; you have {have}.",
                plural_s(u64::from(*covers))
            ),
            Self::IntroductoryPrice => "That is an introductory price: renewing usually costs more.".into(),
            Self::NoCheckedPrice => "Baton has no checked price for it: see the vendor's website.".into(),
            Self::NoTopLabResult => "Baton found no top result for it in a recent independent lab test.".into(),
            Self::MaySlowDown => "No independent test shows it is light: it may slow down a computer with little memory.".into(),
            Self::DownloadYourself => "You will need to download it from the vendor's website yourself; Baton will guide you.".into(),
            Self::SomeUnverified { facts } => format!("Some details are unverified: {}.", facts.join(", ")),
            Self::DoesNotInclude { features } => format!("Does not include {}.", list(features, "or")),
            Self::NotInCatalog => "It is not in Baton's catalog: Baton has no checked price, features or independent lab results for it.".into(),
            Self::ExcludedOs { os } => format!("does not run on {}", os.label()),
            Self::ExcludedScanOnly => "scans only when asked: no real-time protection, so it cannot replace an antivirus".into(),
            Self::ExcludedCostsMoney => "costs money, and you asked for free".into(),
            Self::ExcludedMissing { features } => format!("does not include {}", list(features, "or")),
            Self::ExcludedRegion { countries, region } => format!(
                "is based in {}, not {}",
                countries.join(" and "),
                region.label()
            ),
            Self::InstalledButExcluded { product, why } => format!(
                "{product} is installed and working, but does not meet your choices: it {}.",
                why.en()
            ),
            Self::InstalledUnknownFacts { product } => format!(
                "{product} is installed and working. Baton has no checked facts about its features or vendor, so it cannot say whether it meets your choices."
            ),
            Self::LowMemoryFirst { gb } => format!(
                "This computer has less than {gb} GB of memory, so products that tested lightest are listed first."
            ),
            Self::CatalogStale { reviewed_on, days } => format!(
                "Prices and test results were last reviewed on {} ({days} days ago) and may be out of date: check the vendor's website before you buy.",
                chrono::NaiveDate::parse_from_str(reviewed_on, "%Y-%m-%d")
                    .map_or_else(|_| reviewed_on.clone(), |d| d.format("%-d %B %Y").to_string())
            ),
            Self::JournalSetAside { problem, aside } => format!(
                "The migration journal could not be read ({problem}). It was kept as {aside}, and Baton started again from a fresh look at the computer."
            ),
            Self::ChecklistConfirmed { items } => format!(
                "Checklist confirmed ({items} item{}).",
                plural_s(*items as u64)
            ),
            Self::RestorePointCreated => "A Windows restore point was created.".into(),
            Self::RestorePointOff => "Windows did not create a restore point (System Protection is off); continuing.".into(),
            Self::RestorePointFailed { detail } => format!("A restore point could not be created ({detail}); continuing."),
            Self::NothingToRemove => "Not installed (any more): nothing to remove.".into(),
            Self::UninstallerRanBeforeInterruption => "The uninstaller ran before Baton was interrupted; the removal finishes at the next restart.".into(),
            Self::FinishesAtRestart { product } => format!("{product} finishes uninstalling when the computer restarts."),
            Self::NoUninstaller { product } => format!("{product} has no uninstaller to run."),
            Self::Removed { product } => format!("{product} was removed."),
            Self::NoRestartNeeded => "No restart needed.".into(),
            Self::Restarted => "The computer has restarted.".into(),
            Self::RestartToFinishRemoving => "Restart the computer to finish removing Kaspersky. Baton opens again by itself afterwards and continues.".into(),
            Self::RestartToFinishChanges => "Restart the computer so the changes can finish; Baton checks everything afterwards.".into(),
            Self::XprotectKeepsChecking => "macOS's built-in XProtect keeps checking apps while Baton works.".into(),
            Self::ProtectingNow { product } => format!("{product} is protecting the computer."),
            Self::DefenderIsOn => "Microsoft Defender is on.".into(),
            Self::DefenderTurnedOn => "Microsoft Defender was off; Baton turned it on.".into(),
            Self::DefenderInstallingAnyway { product } => format!(
                "Baton goes straight on to install {product}, which protects the computer as soon as it is installed."
            ),
            Self::NothingToInstall { product, os } => format!("{product} is part of {}: nothing to install.", os.label()),
            Self::AlreadyProtecting { product } => format!("{product} is installed and protecting."),
            Self::Installed { product } => format!("{product} was installed."),
            Self::InstalledRestartToFinish { product } => format!("{product} was installed; it finishes setting up after a restart."),
            Self::ElevationDeclinedAskingAgain => "The administrator prompt was declined; Baton asks once more.".into(),
            Self::InstalledWithWinget { id } => format!(
                "Installed with Windows Package Manager (winget, package {id}), which checked the installer against the hash in its package manifest."
            ),
            Self::DownloadRetry { attempt, detail } => format!("Download attempt {attempt} failed ({detail}); trying again."),
            Self::DownloadedAndVerified { bytes } => format!("The installer was downloaded ({bytes} bytes) and passed verification."),
            Self::DefenderDefinitionsUpdated => "Microsoft Defender's virus definitions were updated.".into(),
            Self::DefenderDefinitionsNotUpdated { detail } => format!(
                "Updating Microsoft Defender's definitions did not work ({detail}); Windows Update will bring them."
            ),
            Self::VerifiedClean { product } => format!(
                "{product} is on and its definitions are current; no Kaspersky product or driver is left."
            ),
            Self::InstallerDeleted => "The downloaded installer was deleted.".into(),
            Self::NowProtects { product } => format!("{product} now protects this computer."),
            Self::ManagedRefused { product } => format!(
                "{product} is managed by an organisation (its management agent is installed). Baton will not remove it: ask your organisation's IT department."
            ),
            Self::DefenderUnreadable => "Baton could not read Microsoft Defender's state.".into(),
            Self::DefenderTamperProtected => "Microsoft Defender is off, and Tamper Protection stops other programs from switching it on.".into(),
            Self::DefenderCouldNotTurnOn { detail } => format!("Microsoft Defender is off and could not be turned on ({detail})."),
            Self::DefenderStayedOff => "Microsoft Defender is off and stayed off when Baton tried to turn it on.".into(),
            Self::UninstallerLeftIt { product } => format!("{product}'s uninstaller finished, but {product} is still installed."),
            Self::UninstallCancelled { product } => format!(
                "The uninstaller of {product} was cancelled. Nothing was changed; run Baton again when you are ready."
            ),
            Self::UninstallBlocked { product, detail } => format!(
                "{product} would not let itself be removed ({detail}). This happens when it is protected by a password or by its Self-Defense."
            ),
            Self::UninstallFailed { product, code, detail } => format!("{product}'s uninstaller failed (code {code}: {detail})."),
            Self::RemoveError { product, detail } => format!("{product} could not be removed: {detail}"),
            Self::NoInstallPath { product, os } => format!("Baton has no way to install {product} on {}.", os.label()),
            Self::NoDirectLink { product, url } => format!(
                "Baton has no direct installer link for {product} that it can check. Download it from {url}, install it, then open Baton again: it sees the new product and finishes."
            ),
            Self::ElevationDeclined { product } => format!(
                "Installing {product} needs your permission as administrator, and the prompt was declined. Nothing was changed; run Baton again and choose Yes."
            ),
            Self::InstallManually { product, url } => format!("Install {product} from {url}, then open Baton again."),
            Self::InstallerFailed { product, code, detail } => format!("The {product} installer failed (exit code {code}: {detail})."),
            Self::InstallDidNotFinish { product, detail } => format!("Installing {product} did not finish: {detail}"),
            Self::DownloadFailed { product, detail } => format!("The {product} installer could not be downloaded: {detail}"),
            Self::VerificationFailed { detail } => format!("{detail}. The file was deleted and nothing was installed."),
            Self::StillInstalled { products } => format!("Still installed: {}.", products.join(", ")),
            Self::NotProtectingYet { product } => format!(
                "{product} is not protecting the computer yet: it is not registered, its real-time protection is off, or its definitions are out of date."
            ),
            Self::DriversLeft { product } => format!("{product} is protecting the computer, but Kaspersky left drivers behind."),
            Self::KavremoverSteps => "Kaspersky's own removal tool can remove it: 1. Download \"kavremover\" from Kaspersky's support site (support.kaspersky.com, article 1464). 2. If Kaspersky asks for a password you have forgotten, restart in Safe Mode first. 3. Run kavremover, pick the product from the list, type the code shown in the picture, and click Remove. 4. Restart the computer, then open Baton again: it continues where it stopped.".into(),
            Self::DefenderHowTo => "To turn it on yourself: open Start → Windows Security → Virus & threat protection → Manage settings, and switch on \"Real-time protection\".".into(),
        }
    }
}

impl std::fmt::Display for Said {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en())
    }
}

fn plural_s(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn money(cents: u64) -> String {
    format!("${}.{:02}", cents / 100, cents % 100)
}

/// "a, b and c" (or "a, b or c").
fn list(features: &[Feature], conjunction: &str) -> String {
    match features {
        [] => String::new(),
        [one] => one.label().to_owned(),
        [rest @ .., last] => {
            let head: Vec<&str> = rest.iter().map(|f| f.label()).collect();
            format!("{} {conjunction} {}", head.join(", "), last.label())
        }
    }
}
