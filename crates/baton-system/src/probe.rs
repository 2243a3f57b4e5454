//! The known folders: whether each exists, and what is directly inside.
//!
//! Sub-folders matter because they carry the product and version
//! (`Kaspersky Lab\Kaspersky 21.3`); deeper levels add cost, not knowledge.

use std::path::{Path, PathBuf};

/// Expands `%NAME%` from the environment (Windows) and a leading `~` (macOS).
/// An unknown variable leaves the path unexpanded, so it simply won't exist.
pub fn expand(path: &str, var: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(start) = rest.find('%') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('%') else { break };
        out.push_str(&rest[..start]);
        match var(&after[..end]) {
            Some(value) => out.push_str(&value),
            None => out.push_str(&rest[start..start + end + 2]),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    match out.strip_prefix('~') {
        Some(tail) => var("HOME").map(|h| h + tail).unwrap_or(out),
        None => out,
    }
}

/// For each probe that exists under `root`: the probe and its sub-folders,
/// as paths seen from inside the machine (without `root`).
pub fn list(root: &Path, probes: &[String], warnings: &mut Vec<String>) -> Vec<String> {
    let mut out = Vec::new();
    for probe in probes {
        let on_disk = join_root(root, probe);
        if !on_disk.is_dir() {
            continue;
        }
        out.push(probe.clone());
        match std::fs::read_dir(&on_disk) {
            Ok(entries) => {
                let mut children: Vec<String> = entries
                    .filter_map(Result::ok)
                    .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                    .map(|e| {
                        format!(
                            "{}{}{}",
                            probe.trim_end_matches(['/', '\\']),
                            separator(probe),
                            e.file_name().to_string_lossy()
                        )
                    })
                    .collect();
                children.sort();
                out.extend(children);
            }
            Err(e) => warnings.push(format!("could not list {probe}: {e}")),
        }
    }
    out
}

fn separator(path: &str) -> char {
    if path.contains('\\') { '\\' } else { '/' }
}

/// `root` joined with an absolute path of the machine.
pub fn join_root(root: &Path, path: &str) -> PathBuf {
    if root == Path::new("/") || root.as_os_str().is_empty() {
        PathBuf::from(path)
    } else {
        root.join(path.trim_start_matches('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_variables_and_home() {
        let env = |k: &str| match k {
            "ProgramFiles(x86)" => Some("C:\\Program Files (x86)".to_owned()),
            "HOME" => Some("/Users/ann".to_owned()),
            _ => None,
        };
        assert_eq!(
            expand("%ProgramFiles(x86)%\\Kaspersky Lab", env),
            "C:\\Program Files (x86)\\Kaspersky Lab"
        );
        assert_eq!(expand("%Nope%\\x", env), "%Nope%\\x");
        assert_eq!(
            expand("~/Library/Kaspersky", env),
            "/Users/ann/Library/Kaspersky"
        );
        assert_eq!(expand("50% off", env), "50% off");
    }

    #[test]
    fn lists_existing_probes_and_their_subfolders() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("opt/kaspersky/kesl/bin")).unwrap();
        std::fs::create_dir_all(root.path().join("opt/kaspersky/klnagent64")).unwrap();
        std::fs::write(root.path().join("opt/kaspersky/readme.txt"), "x").unwrap();
        let mut warnings = Vec::new();
        let probes = vec!["/opt/kaspersky".to_owned(), "/var/opt/kaspersky".to_owned()];
        let got = list(root.path(), &probes, &mut warnings);
        assert_eq!(
            got,
            [
                "/opt/kaspersky",
                "/opt/kaspersky/kesl",
                "/opt/kaspersky/klnagent64"
            ]
        );
        assert!(warnings.is_empty());
    }
}
