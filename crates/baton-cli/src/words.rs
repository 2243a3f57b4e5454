//! What `baton` prints for a person reading a terminal (JSON is in `main`).

use baton_core::ScanResult;
use baton_core::recommend::{Recommendation, Recommendations};
use baton_core::scan::{EvidenceSource, FindingKind, Protection};
use baton_core::timeline::TimelineReport;
use baton_core::verdict::Verdict;

/// The scan for a person reading a terminal.
pub(crate) fn scan(result: &ScanResult) -> String {
    let mut out = String::new();
    let kaspersky: Vec<_> = result.by_vendor("kaspersky").collect();
    if kaspersky.is_empty() {
        out.push_str("No Kaspersky product found.\n");
    }
    for (title, vendor_is_kaspersky) in [("Kaspersky", true), ("Other security products", false)] {
        let findings: Vec<_> = result
            .findings
            .iter()
            .filter(|f| (f.vendor == "kaspersky") == vendor_is_kaspersky)
            .collect();
        if findings.is_empty() {
            continue;
        }
        out.push_str(&format!("{title}:\n"));
        for f in findings {
            let mut facts = Vec::new();
            if let Some(v) = &f.version {
                facts.push(format!("version {v}"));
            }
            if f.kind == FindingKind::Leftover {
                facts.push("leftovers of a removed product".into());
            } else {
                facts.push(if f.running {
                    "running".into()
                } else {
                    "not running".into()
                });
                match f.protection {
                    Protection::On => facts.push("protection on".into()),
                    Protection::Off => facts.push("protection OFF".into()),
                    Protection::Unknown => {}
                }
                match f.signatures_up_to_date {
                    Some(true) => facts.push("signatures up to date".into()),
                    Some(false) => facts.push("signatures OUT OF DATE".into()),
                    None => {}
                }
            }
            if f.managed {
                facts.push("managed by an organisation".into());
            }
            if f.vendor == "ultraav" {
                facts.push("put there by Kaspersky's September 2024 switch".into());
            }
            out.push_str(&format!(
                "  • {} ({}): {}\n",
                f.product,
                kind_label(f.kind),
                facts.join(", ")
            ));
            for e in &f.evidence {
                out.push_str(&format!(
                    "      {:<15} {}\n",
                    source_label(e.source),
                    e.detail
                ));
            }
        }
    }
    for w in &result.warnings {
        out.push_str(&format!("warning: {w}\n"));
    }
    out.trim_end().to_owned()
}

fn kind_label(kind: FindingKind) -> &'static str {
    match kind {
        FindingKind::Antivirus => "antivirus",
        FindingKind::Vpn => "VPN",
        FindingKind::PasswordManager => "password manager",
        FindingKind::ParentalControl => "parental control",
        FindingKind::ManagementAgent => "management agent",
        FindingKind::Leftover => "leftover",
        FindingKind::Other => "other",
    }
}

fn source_label(source: EvidenceSource) -> &'static str {
    match source {
        EvidenceSource::Program => "program",
        EvidenceSource::Service => "service",
        EvidenceSource::Driver => "drivers",
        EvidenceSource::Process => "process",
        EvidenceSource::SecurityCenter => "Security Center",
        EvidenceSource::Path => "folder",
    }
}

pub(crate) fn timeline(r: &TimelineReport) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "Kaspersky's exit from the United States, as of {}\n",
        r.today
    ));
    if r.updates_have_ended {
        out.push_str(&format!(
            "Kaspersky updates for US users stopped {} ({} days): 29 September 2024 at midnight US Eastern time.\n\n",
            r.since_updates_ended_words, r.days_since_updates_ended
        ));
    } else {
        out.push_str(&format!(
            "Kaspersky updates for US users stop {}: 29 September 2024 at midnight US Eastern time.\n\n",
            r.since_updates_ended_words
        ));
    }
    for e in &r.events {
        let ev = &e.event;
        let mut date = ev.date.format("%-d %b %Y").to_string();
        if let Some(end) = ev.end_date {
            date = format!("{}–{}", ev.date.format("%-d"), end.format("%-d %b %Y"));
        }
        if ev.approximate {
            date = format!("about {date}");
        }
        let mark = if e.past { "✓" } else { "…" };
        out.push_str(&format!("{mark} {date}: {}\n", ev.title));
        out.push_str(&format!("    {}\n", ev.explanation));
        out.push_str(&format!("    What it means for you: {}\n", ev.meaning));
        if ev.confidence != baton_core::Confidence::Confirmed {
            out.push_str("    (reported by secondary sources)\n");
        }
        for s in &ev.sources {
            out.push_str(&format!("    Source: {s}\n"));
        }
        out.push('\n');
    }
    out.push_str("✓ = has happened, … = still to come");
    out
}

pub(crate) fn status(v: &Verdict, scan: &ScanResult) -> String {
    let mut out = format!("Status: {}\n\n", v.status.label());
    for r in &v.reasons {
        out.push_str(&format!("  • {r}\n"));
    }
    out.push_str(&format!("\nNext step: {}", v.next_step));
    for w in &scan.warnings {
        out.push_str(&format!("\nwarning: {w}"));
    }
    out
}

pub(crate) fn recommendations(r: &Recommendations) -> String {
    let a = &r.answers;
    let mut out = format!(
        "Recommendations for {}, {} budget, {} device{}{}:\n\n",
        a.os.label(),
        match a.budget {
            baton_core::recommend::Budget::Free => "free",
            baton_core::recommend::Budget::Paid => "paid",
        },
        a.devices,
        if a.devices == 1 { "" } else { "s" },
        if a.wants.is_empty() {
            String::new()
        } else {
            format!(
                ", wanting {}",
                a.wants
                    .iter()
                    .map(|f| f.label())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    );
    if r.recommendations.is_empty() {
        out.push_str("No product in Baton's catalog meets every choice. See below for why.\n\n");
    }
    for (i, rec) in r.recommendations.iter().enumerate() {
        out.push_str(&product(&format!("{}.", i + 1), rec));
    }
    if let Some(b) = &r.built_in {
        if !r.recommendations.iter().any(|x| x.id == b.id) {
            out.push_str(&product("Always available:", b));
        }
    }
    if !r.excluded.is_empty() {
        out.push_str("Not recommended for you:\n");
        for e in &r.excluded {
            out.push_str(&format!("  - {}: {} ({})\n", e.name, e.why, e.rule));
        }
    }
    for n in &r.notes {
        out.push_str(&format!("\nNote: {n}"));
    }
    out.trim_end().to_owned()
}

fn product(label: &str, rec: &Recommendation) -> String {
    let price = match rec.price {
        Some(0.0) => "free".to_owned(),
        Some(p) => format!("${p:.2} a year"),
        None => "price unknown".to_owned(),
    };
    let mut out = format!("{label} {} ({}): {price}\n", rec.name, rec.vendor);
    for r in &rec.reasons {
        out.push_str(&format!("     + {r}\n"));
    }
    for t in &rec.tradeoffs {
        out.push_str(&format!("     - {t}\n"));
    }
    out.push('\n');
    out
}
