//! Checking an installer before anything runs it.
//!
//! A pinned SHA-256 must match; on Windows the Authenticode signature must
//! be valid (`WinVerifyTrust`) and its signer must be the publisher the
//! catalog expects; on macOS the package signature must be valid
//! (`pkgutil --check-signature`). Packages from the Linux package manager
//! are checked by the package manager itself. A failed check deletes the
//! file. There is no way to skip a check.

use std::path::Path;

use baton_core::catalog::{Download, InstallerKind};
use baton_core::migrate::system::{ActionError, Artifact};

/// Compares the file's SHA-256 with a pinned one (hex, any case); deletes it on a mismatch.
pub fn sha256(artifact: &Artifact, expected: &str) -> Result<(), ActionError> {
    if artifact.sha256.eq_ignore_ascii_case(expected.trim()) {
        return Ok(());
    }
    reject(
        artifact,
        format!(
            "its SHA-256 is {} but the catalog expects {}",
            artifact.sha256,
            expected.trim().to_ascii_lowercase()
        ),
    )
}

/// Deletes the file and says why.
fn reject(artifact: &Artifact, why: String) -> Result<(), ActionError> {
    let _ = std::fs::remove_file(&artifact.path);
    Err(ActionError::Verification(why))
}

/// Every check that applies to this installer on this OS.
pub fn verify(artifact: &Artifact, download: &Download) -> Result<(), ActionError> {
    if let Some(pin) = &download.sha256 {
        sha256(artifact, pin)?;
    }
    let path = Path::new(&artifact.path);
    match download.installer {
        InstallerKind::Exe | InstallerKind::Msi => {
            match signature::windows(path, download.signer.as_deref()) {
                Ok(()) => Ok(()),
                Err(why) => reject(artifact, why),
            }
        }
        InstallerKind::Pkg => match signature::macos(path, download.signer.as_deref()) {
            Ok(()) => Ok(()),
            Err(why) => reject(artifact, why),
        },
        InstallerKind::BuiltIn | InstallerKind::Package | InstallerKind::WebPage => Ok(()),
    }
}

/// A Windows program's Authenticode signature, and that its signer is
/// `expected` (see [`signer_matches`]); not checkable off Windows.
pub fn authenticode(path: &Path, expected: Option<&str>) -> Result<(), ActionError> {
    signature::windows(path, expected).map_err(ActionError::Verification)
}

/// The signer name matches when the expected publisher is part of it
/// ("ESET, spol. s r.o." in "CN=ESET, spol. s r.o., O=…"), ignoring case.
pub fn signer_matches(found: &str, expected: Option<&str>) -> bool {
    match expected {
        Some(e) => found.to_lowercase().contains(&e.to_lowercase()),
        // No expected publisher in the catalog: a valid signature is required,
        // any signer accepted. The catalog marks which signers are known.
        None => true,
    }
}

#[cfg(windows)]
mod signature {
    use std::os::windows::ffi::OsStrExt;
    use std::path::Path;

    use windows::Win32::Foundation::HWND;
    use windows::Win32::Security::Cryptography::{
        CERT_NAME_SIMPLE_DISPLAY_TYPE, CertGetNameStringW,
    };
    use windows::Win32::Security::WinTrust::{
        WINTRUST_ACTION_GENERIC_VERIFY_V2, WINTRUST_DATA, WINTRUST_DATA_0, WINTRUST_FILE_INFO,
        WTD_CHOICE_FILE, WTD_REVOKE_WHOLECHAIN, WTD_STATEACTION_CLOSE, WTD_STATEACTION_VERIFY,
        WTD_UI_NONE, WTHelperGetProvSignerFromChain, WTHelperProvDataFromStateData, WinVerifyTrust,
    };
    use windows::core::PCWSTR;

    /// Authenticode: a valid signature, and the leaf signer's name.
    pub(super) fn windows(path: &Path, expected: Option<&str>) -> Result<(), String> {
        let wide: Vec<u16> = path.as_os_str().encode_wide().chain(Some(0)).collect();
        let mut file = WINTRUST_FILE_INFO {
            cbStruct: std::mem::size_of::<WINTRUST_FILE_INFO>() as u32,
            pcwszFilePath: PCWSTR(wide.as_ptr()),
            ..Default::default()
        };
        let mut data = WINTRUST_DATA {
            cbStruct: std::mem::size_of::<WINTRUST_DATA>() as u32,
            dwUIChoice: WTD_UI_NONE,
            fdwRevocationChecks: WTD_REVOKE_WHOLECHAIN,
            dwUnionChoice: WTD_CHOICE_FILE,
            Anonymous: WINTRUST_DATA_0 { pFile: &mut file },
            dwStateAction: WTD_STATEACTION_VERIFY,
            ..Default::default()
        };
        let mut action = WINTRUST_ACTION_GENERIC_VERIFY_V2;
        // SAFETY: `data` and `file` outlive the call and point at valid,
        // NUL-terminated memory; the state is closed below.
        let status = unsafe {
            WinVerifyTrust(
                HWND::default(),
                &mut action,
                (&mut data as *mut WINTRUST_DATA).cast(),
            )
        };
        let signer = if status == 0 {
            signer_name(&data)
        } else {
            None
        };
        data.dwStateAction = WTD_STATEACTION_CLOSE;
        // SAFETY: closes the state opened by the verify call above.
        unsafe {
            WinVerifyTrust(
                HWND::default(),
                &mut action,
                (&mut data as *mut WINTRUST_DATA).cast(),
            )
        };
        if status != 0 {
            return Err(format!(
                "its code signature is not valid (WinVerifyTrust error 0x{:08X})",
                status as u32
            ));
        }
        match signer {
            Some(name) if super::signer_matches(&name, expected) => Ok(()),
            Some(name) => Err(format!(
                "it is signed by \"{name}\", not by \"{}\"",
                expected.unwrap_or_default()
            )),
            None => Err("its signer could not be read".into()),
        }
    }

    fn signer_name(data: &WINTRUST_DATA) -> Option<String> {
        // SAFETY: hWVTStateData was filled by a successful verify call and is
        // still open; every pointer is checked before it is read.
        unsafe {
            let provider = WTHelperProvDataFromStateData(data.hWVTStateData);
            if provider.is_null() {
                return None;
            }
            let signer = WTHelperGetProvSignerFromChain(provider, 0, false, 0);
            if signer.is_null() || (*signer).csCertChain == 0 || (*signer).pasCertChain.is_null() {
                return None;
            }
            let cert = (*(*signer).pasCertChain).pCert;
            if cert.is_null() {
                return None;
            }
            let mut buf = [0u16; 512];
            let n =
                CertGetNameStringW(cert, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, None, Some(&mut buf));
            (n > 1).then(|| String::from_utf16_lossy(&buf[..(n as usize - 1)]))
        }
    }

    pub(super) fn macos(_path: &Path, _expected: Option<&str>) -> Result<(), String> {
        Err("a macOS package cannot be checked on Windows".into())
    }
}

#[cfg(not(windows))]
mod signature {
    use std::path::Path;
    use std::process::Command;

    pub(super) fn windows(_path: &Path, _expected: Option<&str>) -> Result<(), String> {
        Err("a Windows installer's signature can only be checked on Windows".into())
    }

    /// `pkgutil --check-signature`: the status line, then the chain, leaf first.
    pub(super) fn macos(path: &Path, expected: Option<&str>) -> Result<(), String> {
        if !cfg!(target_os = "macos") {
            return Err("a macOS package's signature can only be checked on macOS".into());
        }
        let out = Command::new("/usr/sbin/pkgutil")
            .arg("--check-signature")
            .arg(path)
            .output()
            .map_err(|e| format!("pkgutil could not run: {e}"))?;
        let text = String::from_utf8_lossy(&out.stdout);
        parse_pkgutil(&text, out.status.success(), expected)
    }

    pub(super) fn parse_pkgutil(
        text: &str,
        ok: bool,
        expected: Option<&str>,
    ) -> Result<(), String> {
        let status = text
            .lines()
            .find_map(|l| l.trim().strip_prefix("Status: "))
            .unwrap_or("no signature");
        let trusted = ok
            && (status.contains("signed by a developer certificate issued by Apple")
                || status.contains("signed Apple Software"));
        if !trusted {
            return Err(format!("its package signature is not trusted ({status})"));
        }
        let leaf = text
            .lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix("1. "))
            .unwrap_or_default();
        if super::signer_matches(leaf, expected) {
            Ok(())
        } else {
            Err(format!(
                "it is signed by \"{leaf}\", not by \"{}\"",
                expected.unwrap_or_default()
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signer_names_match_by_containment_ignoring_case() {
        assert!(signer_matches(
            "ESET, spol. s r.o.",
            Some("eset, spol. s r.o.")
        ));
        assert!(signer_matches(
            "CN=Bitdefender SRL, O=Bitdefender SRL",
            Some("Bitdefender SRL")
        ));
        assert!(!signer_matches(
            "Totally Legit Software",
            Some("Bitdefender SRL")
        ));
        assert!(signer_matches("anyone", None));
    }

    #[cfg(not(windows))]
    #[test]
    fn pkgutil_output_is_read_for_status_and_leaf_signer() {
        let good = "Package \"x.pkg\":\n   Status: signed by a developer certificate issued by Apple for distribution\n   Certificate Chain:\n    1. Developer ID Installer: Malwarebytes Corporation (GVZRY6KDKR)\n       Expires: 2027\n    2. Developer ID Certification Authority\n";
        assert!(signature::parse_pkgutil(good, true, Some("Malwarebytes")).is_ok());
        assert!(
            signature::parse_pkgutil(good, true, Some("Bitdefender"))
                .unwrap_err()
                .contains("Malwarebytes Corporation")
        );
        let unsigned = "Package \"x.pkg\":\n   Status: no signature\n";
        assert!(
            signature::parse_pkgutil(unsigned, false, None)
                .unwrap_err()
                .contains("not trusted")
        );
    }

    #[test]
    fn a_windows_installer_is_never_accepted_unchecked_elsewhere() {
        if cfg!(windows) {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("setup.exe");
        std::fs::write(&path, b"MZ not really").unwrap();
        let a = crate::migrate::download::artifact(&path).unwrap();
        let d = Download {
            os: baton_core::OsFamily::Windows,
            installer: InstallerKind::Exe,
            url: Some("https://download.example.com/setup.exe".into()),
            open: None,
            silent_args: vec![],
            signer: Some("Example".into()),
            signer_confidence: None,
            winget: None,
            packages: vec![],
            sha256: None,
            note: None,
            source: None,
            confidence: baton_core::Confidence::Unconfirmed,
        };
        assert!(matches!(verify(&a, &d), Err(ActionError::Verification(_))));
        assert!(!path.exists(), "a rejected installer is deleted");
    }
}
