//! The Windows lab's build: where the catalog and the download's trust come
//! from when `baton` is built with the `lab` feature.
//!
//! scripts/windows-lab.sh runs the real Windows `baton.exe migrate` under
//! Wine against installers served over HTTPS on 127.0.0.1. That needs a
//! catalog naming that server and the lab's test signer, and trust in the
//! lab's own certificate authority. Both come from environment variables,
//! which anything running as the user can set, so they are read only in a
//! build made with the feature: the release build and the app never have it
//! and always use the built-in catalog and the Mozilla roots. HTTPS, the host
//! allow-list and every check of the installer still apply in the lab.

use baton_core::Catalog;

use crate::Failure;

/// The catalog: the built-in one, or in a lab build `BATON_LAB_CATALOG`'s.
pub(crate) fn catalog() -> Result<Catalog, Failure> {
    #[cfg(feature = "lab")]
    if let Some(path) = std::env::var_os("BATON_LAB_CATALOG") {
        let origin = std::path::PathBuf::from(&path).display().to_string();
        announce(&format!("catalog from {origin}"));
        let path = std::path::PathBuf::from(&path);
        let text =
            baton_system::bounded::read_text(&path, baton_system::bounded::limit::STATE_FILE)
                .map_err(|e| Failure::BadInput(e.to_string()))?;
        return Catalog::from_toml(&text).map_err(|e| Failure::BadInput(format!("{origin}: {e}")));
    }
    Catalog::builtin().map_err(Failure::Core)
}

/// The extra certificate authority a lab build trusts for downloads.
#[cfg(feature = "lab")]
pub(crate) fn download_root() -> Result<Option<Vec<u8>>, Failure> {
    let Some(path) = std::env::var_os("BATON_LAB_CA") else {
        return Ok(None);
    };
    let origin = std::path::PathBuf::from(&path).display().to_string();
    announce(&format!("trusting the certificate authority in {origin}"));
    baton_system::bounded::read_bytes(
        std::path::Path::new(&path),
        baton_system::bounded::limit::SMALL_TEXT,
    )
    .map(Some)
    .map_err(|e| Failure::BadInput(e.to_string()))
}

/// A lab build says it is one, every time it departs from what ships.
#[cfg(feature = "lab")]
#[allow(clippy::print_stderr)]
fn announce(what: &str) {
    eprintln!("baton (lab build, not for users): {what}");
}
