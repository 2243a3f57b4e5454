//! What Windows Installer itself says of a product code.
//!
//! The Uninstall keys are only a list for "Apps & features": an entry can
//! outlive its product (a forced or interrupted removal), and one under HKCU
//! can be written by anything the user runs. Windows Installer's own
//! database says whether a product is really installed, for whom, and by
//! which publisher, so Baton asks it before trusting an entry and before
//! any `msiexec /x` (security review, finding 1).

/// What Windows Installer says of a product code.
/// What Windows Installer says of a product code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MsiProduct {
    /// Windows Installer does not know it (msiexec would answer 1605).
    NotInstalled,
    PerMachine {
        publisher: String,
    },
    /// Installed for one user: that user could have put it there.
    PerUser,
    /// Known, but not fully installed (advertised, broken, absent).
    Other(i32),
}

impl std::fmt::Display for MsiProduct {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotInstalled => f.write_str("not installed"),
            Self::PerMachine { publisher } => write!(f, "published by \"{publisher}\""),
            Self::PerUser => f.write_str("installed for one user only"),
            Self::Other(state) => write!(f, "install state {state}"),
        }
    }
}

/// An MSI product code: `{8-4-4-4-12}` hex.
pub fn is_product_code(id: &str) -> bool {
    let b = id.as_bytes();
    b.len() == 38
        && b[0] == b'{'
        && b[37] == b'}'
        && id[1..37].char_indices().all(|(i, c)| {
            if [8, 13, 18, 23].contains(&i) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

/// Asks Windows Installer about `code` (an MSI product code).
pub fn product(code: &str) -> MsiProduct {
    imp::product(code)
}

#[cfg(windows)]
mod imp {
    use windows::Win32::System::ApplicationInstallationAndServicing::{
        INSTALLPROPERTY_PUBLISHER, INSTALLSTATE_DEFAULT, INSTALLSTATE_UNKNOWN,
        MSIINSTALLCONTEXT_MACHINE, MsiGetProductInfoExW, MsiQueryProductStateW,
    };
    use windows::core::{HSTRING, PCWSTR, PWSTR};

    use super::MsiProduct;

    pub(super) fn product(code: &str) -> MsiProduct {
        let wide = HSTRING::from(code);
        // SAFETY: a valid NUL-terminated string for the call's duration.
        let state = unsafe { MsiQueryProductStateW(&wide) };
        if state == INSTALLSTATE_UNKNOWN {
            return MsiProduct::NotInstalled;
        }
        if state != INSTALLSTATE_DEFAULT {
            return MsiProduct::Other(state.0);
        }
        // Asked in the machine context only (no user SID), Windows Installer
        // answers for a per-machine installation and fails for a per-user one.
        let mut buf = [0u16; 512];
        let mut len = buf.len() as u32;
        // SAFETY: the buffer and its length are valid; Windows Installer
        // writes at most `len` characters and updates `len`.
        let status = unsafe {
            MsiGetProductInfoExW(
                &wide,
                PCWSTR::null(),
                MSIINSTALLCONTEXT_MACHINE,
                INSTALLPROPERTY_PUBLISHER,
                Some(PWSTR(buf.as_mut_ptr())),
                Some(&mut len),
            )
        };
        if status != 0 {
            return MsiProduct::PerUser;
        }
        MsiProduct::PerMachine {
            publisher: String::from_utf16_lossy(&buf[..(len as usize).min(buf.len())]),
        }
    }
}

#[cfg(not(windows))]
mod imp {
    use super::MsiProduct;

    /// Windows Installer exists only on Windows; nothing is confirmed.
    pub(super) fn product(_code: &str) -> MsiProduct {
        MsiProduct::Other(0)
    }
}
