//! Detection over a large generated snapshot: 20,000 programs, 2,000
//! services and 1,000 processes, with one Kaspersky Internet Security install
//! among them. The aim is under 5 ms per detection.
//!
//! The snapshot is also written to `target/bench-snapshot.json` so that
//! `scripts/bench-cli.sh` can time `baton scan --snapshot` against `jq`.

// A benchmark is a test harness: it reports on stderr and stops on a broken setup.
#![allow(clippy::print_stderr, clippy::expect_used, clippy::panic)]

use std::hint::black_box;

use baton_core::Detector;
use baton_core::snapshot::{
    OsFamily, Process, ProductState, Program, SecurityProduct, SecurityProductKind, Service,
    ServiceKind, ServiceState, Snapshot,
};
use criterion::{Criterion, criterion_group, criterion_main};

const WORDS: &[&str] = &[
    "Studio",
    "Pro",
    "Photo",
    "Driver",
    "Update",
    "Runtime",
    "Helper",
    "Toolkit",
    "Suite",
    "Player",
    "Manager",
    "Server",
    "Client",
    "Editor",
    "Viewer",
    "Converter",
    "Launcher",
    "Service",
    "Kaspa",
    "Codec",
];
const VENDORS: &[&str] = &[
    "Contoso Ltd",
    "Fabrikam Inc.",
    "Microsoft Corporation",
    "Adobe",
    "Kasper Nielsen",
    "Google LLC",
    "NVIDIA",
];

fn generated() -> Snapshot {
    let mut s = Snapshot::empty(OsFamily::Windows);
    for i in 0..20_000usize {
        let name = format!(
            "{} {} {} {}",
            WORDS[i % 20],
            WORDS[(i / 20) % 20],
            WORDS[(i / 400) % 20],
            i
        );
        s.programs.push(Program {
            name: Some(name),
            version: Some(format!("{}.{}.{}", i % 30, i % 7, i)),
            publisher: Some(VENDORS[i % VENDORS.len()].to_owned()),
            id: Some(format!("{{{i:08X}-0000-4000-8000-000000000000}}")),
            source: Some(if i % 3 == 0 { "HKLM32" } else { "HKLM64" }.to_owned()),
            ..Program::default()
        });
    }
    s.programs.push(Program {
        name: Some("Kaspersky Internet Security".into()),
        version: Some("21.3.10.391".into()),
        publisher: Some("Kaspersky".into()),
        source: Some("HKLM32".into()),
        ..Program::default()
    });
    for i in 0..2_000usize {
        s.services.push(Service {
            name: format!("svc{i}{}", WORDS[i % 20]),
            display_name: Some(format!("{} service {i}", WORDS[i % 20])),
            kind: if i % 4 == 0 {
                ServiceKind::Driver
            } else {
                ServiceKind::Service
            },
            state: ServiceState::Running,
            path: None,
        });
    }
    s.services.push(Service {
        name: "AVP21.3".into(),
        display_name: Some("Kaspersky Anti-Virus Service 21.3".into()),
        kind: ServiceKind::Service,
        state: ServiceState::Running,
        path: None,
    });
    for i in 0..1_000u32 {
        s.processes.push(Process {
            name: format!("proc{i}.exe"),
            pid: Some(i + 4),
            path: None,
        });
    }
    s.processes.push(Process {
        name: "avp.exe".into(),
        pid: Some(9999),
        path: None,
    });
    s.security_products.push(SecurityProduct {
        name: "Kaspersky Internet Security".into(),
        kind: SecurityProductKind::Antivirus,
        state: ProductState::On,
        signatures_up_to_date: Some(false),
        path: None,
        raw_state: Some(266256),
    });
    s.paths
        .push(r"C:\Program Files (x86)\Kaspersky Lab\Kaspersky Internet Security 21.3".into());
    s
}

fn bench(c: &mut Criterion) {
    let snapshot = generated();
    let target = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../target/bench-snapshot.json"
    );
    if let Err(e) = std::fs::write(target, snapshot.to_json()) {
        eprintln!("could not write {target}: {e}");
    }
    let detector = Detector::builtin().expect("builtin signatures");
    let result = detector.detect(&snapshot);
    assert_eq!(
        result.findings.len(),
        1,
        "the generated snapshot holds exactly one product"
    );
    assert_eq!(result.findings[0].evidence.len(), 5);

    c.bench_function("detect 20k programs, 2k services, 1k processes", |b| {
        b.iter(|| detector.detect(black_box(&snapshot)))
    });
    c.bench_function("parse snapshot JSON (same snapshot)", |b| {
        let text = snapshot.to_json();
        b.iter(|| Snapshot::from_json(black_box(&text), "bench").map(|s| s.programs.len()))
    });
    c.bench_function("load and compile builtin signatures", |b| {
        b.iter(Detector::builtin)
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
