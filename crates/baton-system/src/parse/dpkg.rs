//! The dpkg status database (`/var/lib/dpkg/status`).

use baton_core::snapshot::Program;

/// Installed packages from the status file. Packages that were removed but
/// left their configuration (`deinstall ok config-files`) are not installed
/// and are skipped.
pub fn parse_status(text: &str) -> Vec<Program> {
    let mut out = Vec::new();
    for para in text.split("\n\n") {
        let mut package = None;
        let mut version = None;
        let mut maintainer = None;
        let mut installed = false;
        for line in para.lines() {
            // Continuation lines of multi-line fields start with a space.
            let Some((key, value)) = line
                .split_once(':')
                .filter(|_| !line.starts_with([' ', '\t']))
            else {
                continue;
            };
            let value = value.trim();
            match key {
                "Package" => package = Some(value.to_owned()),
                "Version" => version = Some(value.to_owned()),
                "Maintainer" => maintainer = Some(value.to_owned()),
                "Status" => installed = value.split_whitespace().last() == Some("installed"),
                _ => {}
            }
        }
        if let (Some(name), true) = (package, installed) {
            out.push(Program {
                id: Some(name.clone()),
                name: Some(name),
                version,
                publisher: maintainer,
                source: Some("dpkg".into()),
                ..Program::default()
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATUS: &str = "\
Package: bash
Essential: yes
Status: install ok installed
Priority: required
Maintainer: Matthias Klose <doko@debian.org>
Version: 5.2.15-2+b7
Description: GNU Bourne Again SHell
 Bash is an sh-compatible command language interpreter.
 .
 Package: not-a-package

Package: kesl
Status: install ok installed
Maintainer: AO Kaspersky Lab <support@kaspersky.com>
Architecture: amd64
Version: 12.2.0-2412
Description: Kaspersky Endpoint Security for Linux

Package: clamav
Status: deinstall ok config-files
Version: 1.0.7+dfsg-1~deb12u1
";

    #[test]
    fn reads_installed_packages_only() {
        let programs = parse_status(STATUS);
        let names: Vec<_> = programs
            .iter()
            .map(|p| p.name.as_deref().unwrap())
            .collect();
        assert_eq!(names, ["bash", "kesl"]);
        assert_eq!(programs[1].version.as_deref(), Some("12.2.0-2412"));
        assert_eq!(
            programs[1].publisher.as_deref(),
            Some("AO Kaspersky Lab <support@kaspersky.com>")
        );
        assert_eq!(programs[1].id.as_deref(), Some("kesl"));
    }

    #[test]
    fn empty_or_garbage_gives_nothing() {
        assert!(parse_status("").is_empty());
        assert!(parse_status("\u{0}\u{1}garbage\n\n:::").is_empty());
    }
}
