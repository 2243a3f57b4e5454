//! `/etc/os-release`.

/// (name, version) from PRETTY_NAME or NAME, and VERSION_ID.
pub fn parse(text: &str) -> (Option<String>, Option<String>) {
    let field = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(key)?.strip_prefix('='))
            .map(|v| v.trim().trim_matches(['"', '\'']).to_owned())
            .filter(|v| !v.is_empty())
    };
    (
        field("PRETTY_NAME").or_else(|| field("NAME")),
        field("VERSION_ID"),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_debian() {
        let text = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\n";
        assert_eq!(
            super::parse(text),
            (
                Some("Debian GNU/Linux 12 (bookworm)".into()),
                Some("12".into())
            )
        );
        assert_eq!(super::parse(""), (None, None));
    }
}
