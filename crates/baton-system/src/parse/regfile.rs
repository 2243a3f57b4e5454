//! Windows registry export files (`reg export`, regedit's "Export").
//!
//! Baton does not read these at run time on Windows (it reads the registry
//! itself); they are how registry fixtures are written and how the Uninstall
//! parsing is tested away from Windows. The Wine test imports the same files.

use std::collections::BTreeMap;

/// One key with its values. Value names are lower-cased: the registry
/// compares them without regard to case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegKey {
    pub path: String,
    pub values: BTreeMap<String, RegValue>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegValue {
    String(String),
    Dword(u32),
    /// Binary and multi-string data, which the Uninstall keys don't need.
    Other,
}

impl RegKey {
    pub fn string(&self, name: &str) -> Option<&str> {
        match self.values.get(&name.to_lowercase()) {
            Some(RegValue::String(s)) => Some(s.as_str()),
            _ => None,
        }
    }

    pub fn dword(&self, name: &str) -> Option<u32> {
        match self.values.get(&name.to_lowercase()) {
            Some(RegValue::Dword(d)) => Some(*d),
            _ => None,
        }
    }

    /// The last component of the key's path.
    pub fn name(&self) -> &str {
        self.path.rsplit('\\').next().unwrap_or(&self.path)
    }
}

/// Text from a .reg file's bytes: UTF-16LE with a BOM (what regedit writes)
/// or UTF-8.
pub fn decode(bytes: &[u8]) -> String {
    match bytes {
        [0xFF, 0xFE, rest @ ..] => {
            let units: Vec<u16> = rest
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        [0xEF, 0xBB, 0xBF, rest @ ..] => String::from_utf8_lossy(rest).into_owned(),
        _ => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// The keys of a .reg file, in order. Lines that are not understood are
/// skipped: an export from a newer Windows must not stop a scan.
pub fn parse(text: &str) -> Vec<RegKey> {
    let mut keys: Vec<RegKey> = Vec::new();
    let mut pending = String::new();
    for raw in text.lines() {
        let line = raw.trim_end_matches('\r');
        // A hex value continues on the next line after a trailing backslash.
        if let Some(head) = line
            .strip_suffix('\\')
            .filter(|_| pending.is_empty() || line.starts_with("  "))
        {
            pending.push_str(head.trim_start());
            continue;
        }
        let line = if pending.is_empty() {
            line.to_owned()
        } else {
            std::mem::take(&mut pending) + line.trim_start()
        };
        let line = line.trim_start();
        if let Some(path) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            keys.push(RegKey {
                path: path.to_owned(),
                values: BTreeMap::new(),
            });
            continue;
        }
        let Some(key) = keys.last_mut() else { continue };
        if let Some((name, value)) = split_value(line) {
            key.values.insert(name.to_lowercase(), value);
        }
    }
    keys
}

/// `"Name"=...` or `@=...` into (name, value).
fn split_value(line: &str) -> Option<(String, RegValue)> {
    let (name, rest) = if let Some(rest) = line.strip_prefix("@=") {
        (String::new(), rest)
    } else {
        let (name, after) = read_quoted(line.strip_prefix('"')?)?;
        (name, after.strip_prefix('=')?)
    };
    let value = if let Some(s) = rest.strip_prefix('"') {
        RegValue::String(read_quoted(s)?.0)
    } else if let Some(hex) = rest.strip_prefix("dword:") {
        RegValue::Dword(u32::from_str_radix(hex.trim(), 16).ok()?)
    } else {
        RegValue::Other
    };
    Some((name, value))
}

/// Reads a quoted string body (after the opening quote) with `\\` and `\"`
/// escapes; returns it and what follows the closing quote.
fn read_quoted(s: &str) -> Option<(String, &str)> {
    let mut out = String::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => out.push(chars.next()?.1),
            '"' => return Some((out, &s[i + 1..])),
            _ => out.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXPORT: &str = "Windows Registry Editor Version 5.00\r\n\r\n\
[HKEY_LOCAL_MACHINE\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\{1A2B}]\r\n\
\"DisplayName\"=\"Антивирус Касперского\"\r\n\
\"Publisher\"=\"Лаборатория Касперского\"\r\n\
\"UninstallString\"=\"MsiExec.exe /X{1A2B}\"\r\n\
\"InstallLocation\"=\"C:\\\\Program Files (x86)\\\\Kaspersky Lab\\\\Kaspersky 21.3\\\\\"\r\n\
\"WindowsInstaller\"=dword:00000001\r\n\
\"Blob\"=hex:01,02,\\\r\n  03,04\r\n\
@=\"default \\\"quoted\\\"\"\r\n\r\n\
[HKEY_CURRENT_USER\\Software\\Empty]\r\n";

    #[test]
    fn reads_keys_strings_dwords_and_escapes() {
        let keys = parse(EXPORT);
        assert_eq!(keys.len(), 2);
        let k = &keys[0];
        assert_eq!(k.name(), "{1A2B}");
        assert_eq!(k.string("displayname"), Some("Антивирус Касперского"));
        assert_eq!(
            k.string("InstallLocation"),
            Some("C:\\Program Files (x86)\\Kaspersky Lab\\Kaspersky 21.3\\")
        );
        assert_eq!(k.dword("WindowsInstaller"), Some(1));
        assert_eq!(k.values.get("blob"), Some(&RegValue::Other));
        assert_eq!(k.string(""), Some("default \"quoted\""));
        assert!(keys[1].values.is_empty());
    }

    #[test]
    fn decodes_utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "Windows Registry Editor Version 5.00\r\n[HKEY_CURRENT_USER\\Кас]".encode_utf16()
        {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let text = decode(&bytes);
        assert_eq!(parse(&text)[0].path, "HKEY_CURRENT_USER\\Кас");
    }
}
