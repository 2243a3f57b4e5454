//! The journal on disk: JSON in Baton's app-data folder, replaced atomically.
//!
//! Written to a temporary file in the same folder, flushed to disk, then
//! renamed over the old one (and the folder flushed on Unix), so a power cut
//! leaves either the old journal or the new one. A journal that cannot be
//! read is renamed aside with a timestamp, never deleted: it may be the only
//! record of what happened.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use baton_core::migrate::JournalStore;

/// Baton's per-user data folder: `%LOCALAPPDATA%\Baton` on Windows,
/// `~/Library/Application Support/Baton` on macOS, `$XDG_STATE_HOME/baton`
/// (or `~/.local/state/baton`) on Linux. In test builds (feature
/// `test-hooks`) `BATON_DATA_DIR` overrides it; what ships has no override.
pub fn app_data_dir() -> Option<PathBuf> {
    #[cfg(feature = "test-hooks")]
    if let Some(dir) = std::env::var_os("BATON_DATA_DIR") {
        return Some(PathBuf::from(dir));
    }
    let home = || std::env::var_os("HOME").map(PathBuf::from);
    if cfg!(windows) {
        std::env::var_os("LOCALAPPDATA").map(|d| PathBuf::from(d).join("Baton"))
    } else if cfg!(target_os = "macos") {
        home().map(|h| h.join("Library/Application Support/Baton"))
    } else {
        std::env::var_os("XDG_STATE_HOME")
            .map(PathBuf::from)
            .or_else(|| home().map(|h| h.join(".local/state")))
            .map(|d| d.join("baton"))
    }
}

/// A journal file.
#[derive(Debug, Clone)]
pub struct FileJournal {
    path: PathBuf,
}

impl FileJournal {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// `migration.json` in the app-data folder.
    pub fn default_location() -> Option<Self> {
        app_data_dir().map(|d| Self::new(d.join("migration.json")))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The folder the journal lives in; `.` for a bare file name, whose
    /// parent is the empty path (which cannot be opened to flush it).
    fn folder(&self) -> &Path {
        self.path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| Path::new("."))
    }
}

fn err(what: &str, path: &Path, e: std::io::Error) -> String {
    format!("{what} {}: {e}", path.display())
}

/// Creates a file only its owner can read: the journal names the user's
/// programs and folders, which are nobody else's business on a shared machine.
fn create_private(path: &Path) -> std::io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

impl JournalStore for FileJournal {
    fn load(&mut self) -> Result<Option<String>, String> {
        match crate::bounded::read_bytes(&self.path, crate::bounded::limit::STATE_FILE) {
            // Not UTF-8 is damage like any other: the journal parser sets it aside.
            Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(format!("cannot read the journal {e}")),
        }
    }

    fn save(&mut self, text: &str) -> Result<(), String> {
        let folder = self.folder().to_owned();
        fs::create_dir_all(&folder).map_err(|e| err("cannot create", &folder, e))?;
        let tmp = folder.join(format!(
            ".{}.{}.tmp",
            self.path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("journal"),
            std::process::id()
        ));
        let write = || -> std::io::Result<()> {
            let mut f = create_private(&tmp)?;
            f.write_all(text.as_bytes())?;
            f.sync_all()?;
            fs::rename(&tmp, &self.path)?;
            #[cfg(unix)]
            fs::File::open(&folder)?.sync_all()?;
            Ok(())
        };
        write().map_err(|e| {
            let _ = fs::remove_file(&tmp);
            err("cannot write", &self.path, e)
        })
    }

    fn set_aside(&mut self) -> Result<String, String> {
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
        let stem = self
            .path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("journal");
        let aside = self
            .folder()
            .join(format!("{stem}.unreadable-{stamp}.json"));
        fs::rename(&self.path, &aside).map_err(|e| err("cannot move aside", &self.path, e))?;
        Ok(aside.display().to_string())
    }

    fn clear(&mut self) -> Result<(), String> {
        match fs::remove_file(&self.path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(err("cannot remove", &self.path, e))
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_file_name_lives_in_the_current_folder() {
        // The parent of "fresh.json" is the empty path, which cannot be
        // opened to flush it: saving failed after the rename.
        assert_eq!(FileJournal::new("fresh.json").folder(), Path::new("."));
        assert_eq!(FileJournal::new("a/b.json").folder(), Path::new("a"));
    }

    #[cfg(unix)]
    #[test]
    fn the_journal_is_readable_by_its_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mut j = FileJournal::new(dir.path().join("migration.json"));
        j.save("{}").unwrap();
        let mode = fs::metadata(j.path()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn saves_atomically_loads_and_sets_aside() {
        let dir = tempfile::tempdir().unwrap();
        let mut j = FileJournal::new(dir.path().join("sub/migration.json"));
        assert_eq!(j.load().unwrap(), None);
        j.save("{\"a\":1}").unwrap();
        j.save("{\"a\":2}").unwrap();
        assert_eq!(j.load().unwrap().as_deref(), Some("{\"a\":2}"));
        // No temporary file is left behind.
        let names: Vec<String> = fs::read_dir(dir.path().join("sub"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["migration.json"]);
        let aside = j.set_aside().unwrap();
        assert!(aside.contains("migration.unreadable-"), "{aside}");
        assert_eq!(fs::read_to_string(&aside).unwrap(), "{\"a\":2}");
        assert_eq!(j.load().unwrap(), None);
        j.clear().unwrap();
    }
}
