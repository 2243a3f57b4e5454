//! Programs from the Windows Uninstall keys ("Apps & features").

use baton_core::snapshot::Program;

use super::regfile::RegKey;

/// Which Uninstall key a program came from; recorded as the program's `source`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UninstallView {
    /// `HKLM\SOFTWARE\...\Uninstall`, 64-bit view.
    Machine64,
    /// `HKLM\SOFTWARE\WOW6432Node\...\Uninstall`: 32-bit programs.
    Machine32,
    /// `HKCU\Software\...\Uninstall`: per-user installs.
    User,
}

impl UninstallView {
    pub fn label(self) -> &'static str {
        match self {
            Self::Machine64 => "HKLM64",
            Self::Machine32 => "HKLM32",
            Self::User => "HKCU",
        }
    }

    /// The view an exported key path belongs to.
    pub fn of_path(path: &str) -> Option<Self> {
        let p = path.to_ascii_lowercase();
        if !p.ends_with("\\uninstall") && !p.contains("\\uninstall\\") {
            return None;
        }
        if p.starts_with("hkey_current_user") || p.starts_with("hkcu") {
            Some(Self::User)
        } else if p.contains("\\wow6432node\\") {
            Some(Self::Machine32)
        } else {
            Some(Self::Machine64)
        }
    }
}

/// One Uninstall subkey as a program; `None` when it has no DisplayName,
/// which is how Windows hides an entry from "Apps & features".
pub fn program(view: UninstallView, key: &RegKey) -> Option<Program> {
    let name = key
        .string("DisplayName")
        .map(str::trim)
        .filter(|n| !n.is_empty())?;
    let nonempty = |v: &str| {
        key.string(v)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    Some(Program {
        name: Some(name.to_owned()),
        version: nonempty("DisplayVersion"),
        publisher: nonempty("Publisher"),
        install_location: nonempty("InstallLocation"),
        uninstall_command: nonempty("UninstallString"),
        // The key name is the MSI product code for Windows Installer
        // packages, and the installer's own id otherwise.
        id: Some(key.name().to_owned()),
        source: Some(view.label().to_owned()),
        orphaned: false,
    })
}

/// Every program in an export's Uninstall keys.
pub fn programs_in_export(keys: &[RegKey]) -> Vec<Program> {
    keys.iter()
        .filter_map(|k| {
            let parent = k.path.rsplit_once('\\')?.0;
            let view = UninstallView::of_path(parent)
                .filter(|_| parent.to_ascii_lowercase().ends_with("\\uninstall"))?;
            program(view, k)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::regfile;

    #[test]
    fn reads_all_three_views_and_skips_hidden_entries() {
        let text = r#"Windows Registry Editor Version 5.00

[HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\{B1E3}]
"DisplayName"="Kaspersky Internet Security"
"DisplayVersion"="21.3.10.391"
"Publisher"="Kaspersky"

[HKEY_LOCAL_MACHINE\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall\{05E4}]
"DisplayName"="Антивирус Касперского"
"Publisher"="Лаборатория Касперского"

[HKEY_CURRENT_USER\Software\Microsoft\Windows\CurrentVersion\Uninstall\Spotify]
"DisplayName"="Spotify"
"UninstallString"="C:\\Users\\a\\AppData\\Roaming\\Spotify\\Spotify.exe /uninstall"

[HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\HiddenPatch]
"SystemComponent"=dword:00000001

[HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Run]
"DisplayName"="not an uninstall entry"
"#;
        let programs = programs_in_export(&regfile::parse(text));
        let got: Vec<(&str, &str, &str)> = programs
            .iter()
            .map(|p| {
                (
                    p.name.as_deref().unwrap(),
                    p.source.as_deref().unwrap(),
                    p.id.as_deref().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("Kaspersky Internet Security", "HKLM64", "{B1E3}"),
                ("Антивирус Касперского", "HKLM32", "{05E4}"),
                ("Spotify", "HKCU", "Spotify"),
            ]
        );
        assert_eq!(programs[0].version.as_deref(), Some("21.3.10.391"));
        assert_eq!(
            programs[2].uninstall_command.as_deref(),
            Some("C:\\Users\\a\\AppData\\Roaming\\Spotify\\Spotify.exe /uninstall")
        );
    }
}
