//! Reading a file Baton was pointed at, with a ceiling.
//!
//! Every file Baton reads can be something else than it claims: `/dev/zero`
//! given as a snapshot grows until the memory runs out, a FIFO as the dpkg
//! status file blocks forever, and a symlink in a `--root` tree can point at
//! either. So each read names its limit, refuses anything but a regular file
//! (checked on the open handle, not on the path, so nothing can be swapped
//! in between), and fails with the file named, never by hanging.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Ceilings, each well above what a real file of that kind holds.
pub mod limit {
    /// A snapshot of a machine with thousands of programs is a few MB.
    pub const SNAPSHOT: u64 = 64 << 20;
    /// dpkg's status file on a full desktop is about 5 MB.
    pub const PACKAGE_DATABASE: u64 = 64 << 20;
    /// Journals, scenarios and settings are a few KB.
    pub const STATE_FILE: u64 = 4 << 20;
    /// An app's Info.plist is a few KB.
    pub const INFO_PLIST: u64 = 1 << 20;
    /// `/etc/os-release`, `/proc/*/comm`, the boot id: a line or a few.
    pub const SMALL_TEXT: u64 = 64 << 10;
}

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: not a regular file")]
    NotAFile { path: PathBuf },
    #[error("{path}: larger than {limit} bytes, more than a file of this kind can be")]
    TooLarge { path: PathBuf, limit: u64 },
    #[error("{path}: not UTF-8 text (the first bad byte is at offset {offset})")]
    NotText { path: PathBuf, offset: usize },
}

impl ReadError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Io { .. } => "read_failed",
            Self::NotAFile { .. } => "not_a_file",
            Self::TooLarge { .. } => "file_too_large",
            Self::NotText { .. } => "not_text",
        }
    }

    /// Whether the file is simply not there (callers often treat that as "none").
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound)
    }
}

/// The bytes of the regular file at `path`, at most `limit` of them.
pub fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let io = |source| ReadError::Io {
        path: path.to_owned(),
        source,
    };
    let file = open_without_blocking(path).map_err(io)?;
    if !file.metadata().map_err(io)?.is_file() {
        return Err(ReadError::NotAFile {
            path: path.to_owned(),
        });
    }
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            path: path.to_owned(),
            limit,
        });
    }
    Ok(bytes)
}

/// The UTF-8 text of the regular file at `path`, at most `limit` bytes.
pub fn read_text(path: &Path, limit: u64) -> Result<String, ReadError> {
    String::from_utf8(read_bytes(path, limit)?).map_err(|e| ReadError::NotText {
        path: path.to_owned(),
        offset: e.utf8_error().valid_up_to(),
    })
}

/// Opens for reading. On Unix with `O_NONBLOCK`, so opening a FIFO returns
/// at once (and is then refused as not a regular file) instead of waiting
/// for a writer; the flag means nothing for regular files.
fn open_without_blocking(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_regular_file_within_its_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        std::fs::write(&path, "{}").unwrap();
        assert_eq!(read_text(&path, 2).unwrap(), "{}");
        let err = read_text(&path, 1).unwrap_err();
        assert!(matches!(err, ReadError::TooLarge { limit: 1, .. }), "{err}");
        assert!(err.to_string().contains("a.json"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn an_endless_device_is_refused_not_read() {
        let err = read_bytes(Path::new("/dev/zero"), limit::SNAPSHOT).unwrap_err();
        assert!(matches!(err, ReadError::NotAFile { .. }), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_waiting_for_a_writer() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("status");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: `c` is a valid NUL-terminated path for the call's duration.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let err = read_bytes(&fifo, limit::PACKAGE_DATABASE).unwrap_err();
        assert!(matches!(err, ReadError::NotAFile { .. }), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_to_an_endless_device_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("os-release");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        assert!(matches!(
            read_text(&link, limit::SMALL_TEXT),
            Err(ReadError::NotAFile { .. })
        ));
    }

    #[test]
    fn invalid_utf8_names_the_file_and_the_offset() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.json");
        std::fs::write(&path, b"{\"a\":\xff}").unwrap();
        let err = read_text(&path, 100).unwrap_err();
        assert!(matches!(err, ReadError::NotText { offset: 5, .. }), "{err}");
        assert!(err.to_string().contains("j.json"), "{err}");
    }
}
