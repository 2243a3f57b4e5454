//! `rpm -qa` output in the tab-separated form Baton asks for.

use baton_core::snapshot::Program;

/// The `--queryformat` that [`parse_query`] reads.
pub const QUERY_FORMAT: &str = "%{NAME}\\t%{VERSION}-%{RELEASE}\\t%{VENDOR}\\n";

pub fn parse_query(text: &str) -> Vec<Program> {
    text.lines()
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let name = fields.next()?.trim();
            if name.is_empty() {
                return None;
            }
            let version = fields.next().map(str::trim).filter(|v| !v.is_empty());
            // rpm prints "(none)" for an unset tag.
            let vendor = fields
                .next()
                .map(str::trim)
                .filter(|v| !v.is_empty() && *v != "(none)");
            Some(Program {
                id: Some(name.to_owned()),
                name: Some(name.to_owned()),
                version: version.map(str::to_owned),
                publisher: vendor.map(str::to_owned),
                source: Some("rpm".into()),
                ..Program::default()
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_name_version_vendor() {
        let text = "bash\t5.2.26-3.fc40\tFedora Project\nkesl\t12.2.0-2412\tAO Kaspersky Lab\nklnagent64\t15.1.0-20748\t(none)\n\n";
        let p = parse_query(text);
        assert_eq!(p.len(), 3);
        assert_eq!(p[1].name.as_deref(), Some("kesl"));
        assert_eq!(p[1].publisher.as_deref(), Some("AO Kaspersky Lab"));
        assert_eq!(p[2].publisher, None);
        assert_eq!(p[0].version.as_deref(), Some("5.2.26-3.fc40"));
    }
}
