//! `systemctl list-units --type=service --all --no-legend --plain` output.

use baton_core::snapshot::ServiceState;

/// (unit name without `.service`, state) for every line.
pub fn parse_list_units(text: &str) -> Vec<(String, ServiceState)> {
    text.lines()
        .filter_map(|line| {
            // A failed unit is prefixed with a marker in some versions.
            let mut cols = line.trim_start_matches(['●', '*', ' ']).split_whitespace();
            let unit = cols.next()?;
            let name = unit.strip_suffix(".service")?;
            let _load = cols.next()?;
            let active = cols.next()?;
            let sub = cols.next().unwrap_or("");
            let state = match (active, sub) {
                ("active", "running") => ServiceState::Running,
                ("inactive" | "failed", _) | (_, "dead" | "exited") => ServiceState::Stopped,
                _ => ServiceState::Unknown,
            };
            Some((name.to_owned(), state))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_units_and_states() {
        let text = "\
kesl.service                 loaded active   running Kaspersky Endpoint Security for Linux
clamav-freshclam.service     loaded inactive dead    ClamAV virus database updater
● klnagent64.service         loaded failed   failed  Kaspersky Network Agent
systemd-tmpfiles-clean.timer loaded active   waiting Daily Cleanup
";
        let units = parse_list_units(text);
        assert_eq!(
            units,
            vec![
                ("kesl".to_owned(), ServiceState::Running),
                ("clamav-freshclam".to_owned(), ServiceState::Stopped),
                ("klnagent64".to_owned(), ServiceState::Stopped),
            ]
        );
    }
}
