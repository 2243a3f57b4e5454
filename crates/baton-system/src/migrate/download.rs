//! Downloading an installer: HTTPS only, from the catalog's hosts only.
//!
//! Installers are the most dangerous thing Baton handles, so the rules are
//! strict and have no switch to relax them: the URL and every redirect must
//! be `https://` on a host the catalog names; the body may not exceed a size
//! cap; a dropped connection resumes with `Range` from where it stopped, but
//! only with a validator (a strong `ETag` or `Last-Modified`, sent back as
//! `If-Range`, and the same total length) that proves the server still has
//! the same file, so two files are never spliced into one; a stalled one
//! times out. The file lands in a private folder as `.part` and is renamed
//! only once complete. A file already at the destination is never reused:
//! only what this run downloaded and then verified may run.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use baton_core::migrate::system::{ActionError, Artifact, Progress};
use baton_core::url_host;
use reqwest::StatusCode;
use reqwest::blocking::Client;
use reqwest::header::{CONTENT_LENGTH, CONTENT_RANGE, ETAG, IF_RANGE, LAST_MODIFIED, RANGE};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The limits of one download.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Bigger than any antivirus installer (the largest offline ones are a
    /// few hundred MB); a body beyond it is refused and deleted.
    pub max_bytes: u64,
    /// How many times a dropped connection is resumed within one download.
    pub reconnects: u32,
    /// The first pause before resuming; it doubles each time.
    pub backoff: Duration,
    /// No byte for this long (or no answer) counts as a dropped connection.
    pub stall: Duration,
    pub connect: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_bytes: 1024 * 1024 * 1024,
            reconnects: 5,
            backoff: Duration::from_secs(1),
            stall: Duration::from_secs(30),
            connect: Duration::from_secs(15),
        }
    }
}

/// Fetches installers under the rules above.
#[derive(Debug, Clone)]
pub struct Downloader {
    client: Client,
    allowed: Arc<Vec<String>>,
    limits: Limits,
}

/// Redirects followed before giving up.
const MAX_REDIRECTS: usize = 5;

impl Downloader {
    /// A downloader that trusts the built-in Mozilla roots.
    pub fn new(allowed_hosts: Vec<String>, limits: Limits) -> Result<Self, ActionError> {
        Self::build(allowed_hosts, limits, None)
    }

    /// Also trusts `pem` (a test CA for the loopback server in tests).
    pub fn with_extra_root(
        allowed_hosts: Vec<String>,
        limits: Limits,
        pem: &[u8],
    ) -> Result<Self, ActionError> {
        Self::build(allowed_hosts, limits, Some(pem))
    }

    fn build(
        allowed_hosts: Vec<String>,
        limits: Limits,
        pem: Option<&[u8]>,
    ) -> Result<Self, ActionError> {
        let allowed: Arc<Vec<String>> = Arc::new(
            allowed_hosts
                .into_iter()
                .map(|h| h.to_ascii_lowercase())
                .collect(),
        );
        let for_redirects = Arc::clone(&allowed);
        let policy = reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() >= MAX_REDIRECTS {
                return attempt.error(format!("more than {MAX_REDIRECTS} redirects"));
            }
            match check_url(attempt.url().as_str(), &for_redirects) {
                Ok(()) => attempt.follow(),
                Err(why) => attempt.error(format!("redirect refused: {why}")),
            }
        });
        let mut builder = Client::builder()
            .https_only(true)
            .redirect(policy)
            .timeout(limits.stall)
            .connect_timeout(limits.connect)
            .user_agent(concat!("Baton/", env!("CARGO_PKG_VERSION")));
        if let Some(pem) = pem {
            let cert = reqwest::Certificate::from_pem(pem)
                .map_err(|e| ActionError::Failed(format!("test certificate: {e}")))?;
            builder = builder.add_root_certificate(cert);
        }
        let client = builder
            .build()
            .map_err(|e| ActionError::Failed(format!("cannot set up HTTPS: {e}")))?;
        Ok(Self {
            client,
            allowed,
            limits,
        })
    }

    /// Downloads `url` to `dest`, resuming a `.part` file left by an earlier
    /// attempt. A complete `dest` is returned as it is, without fetching.
    pub fn fetch(
        &self,
        url: &str,
        dest: &Path,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Artifact, ActionError> {
        check_url(url, &self.allowed).map_err(ActionError::Refused)?;
        // Left by an earlier run, or put there by someone else: either way
        // not what this run will verify, so it goes.
        match fs::remove_file(dest) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(io_error("cannot replace", dest, e));
            }
            _ => {}
        }
        if let Some(folder) = dest.parent() {
            fs::create_dir_all(folder).map_err(|e| io_error("cannot create", folder, e))?;
        }
        let part = part_path(dest);
        let started = Instant::now();
        let mut pause = self.limits.backoff;
        let mut last_error = String::new();
        for attempt in 0..=self.limits.reconnects {
            if attempt > 0 {
                std::thread::sleep(pause);
                pause *= 2;
            }
            match self.attempt(url, &part, started, progress) {
                Ok(()) => {
                    fs::rename(&part, dest).map_err(|e| io_error("cannot finish", dest, e))?;
                    Validator::forget(&part);
                    return artifact(dest);
                }
                Err(Attempt::Retry(why)) => last_error = why,
                Err(Attempt::Stop(e)) => {
                    if matches!(e, ActionError::Refused(_)) {
                        start_over(&part);
                    }
                    return Err(e);
                }
            }
        }
        Err(ActionError::Transient(format!(
            "the download kept failing ({last_error}); what was downloaded is kept and resumes next time"
        )))
    }

    fn attempt(
        &self,
        url: &str,
        part: &Path,
        started: Instant,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<(), Attempt> {
        let mut have = fs::metadata(part).map(|m| m.len()).unwrap_or(0);
        let saved = Validator::load(part, url);
        if have > 0 && saved.is_none() {
            // Nothing proves the server still has the file those bytes came from.
            start_over(part);
            have = 0;
        }
        let mut request = self.client.get(url);
        if let (true, Some(saved)) = (have > 0, &saved) {
            request = request
                .header(RANGE, format!("bytes={have}-"))
                .header(IF_RANGE, saved.validator.as_str());
        }
        let mut response = request.send().map_err(|e| classify(&e))?;
        let status = response.status();
        let (mut file, mut written, total) = match (status, &saved) {
            (StatusCode::PARTIAL_CONTENT, Some(saved)) if have > 0 => {
                let (start, total) = content_range(&response)
                    .ok_or_else(|| Attempt::Retry("the server sent a bad Content-Range".into()))?;
                let same_file = total == Some(saved.total)
                    && Validator::of(&response).is_none_or(|v| v == saved.validator);
                if start != have || !same_file {
                    // Not where we stopped, or not the same file: start over rather than splice.
                    start_over(part);
                    return Err(Attempt::Retry(
                        "the server resumed with a different file or at the wrong place".into(),
                    ));
                }
                let file = OpenOptions::new()
                    .append(true)
                    .open(part)
                    .map_err(|e| Attempt::Stop(io_error("cannot open", part, e)))?;
                (file, have, total)
            }
            (StatusCode::RANGE_NOT_SATISFIABLE, _) => {
                start_over(part);
                return Err(Attempt::Retry(
                    "the partial download did not match the file; starting over".into(),
                ));
            }
            (s, _) if s.is_success() && s != StatusCode::PARTIAL_CONTENT => {
                // A full body: the file changed (If-Range), the server
                // ignored the range, or there was none.
                let total = response
                    .headers()
                    .get(CONTENT_LENGTH)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.parse::<u64>().ok());
                let file = File::create(part)
                    .map_err(|e| Attempt::Stop(io_error("cannot create", part, e)))?;
                match (Validator::of(&response), total) {
                    (Some(validator), Some(total)) => Validator {
                        url: url.to_owned(),
                        validator,
                        total,
                    }
                    .save(part),
                    _ => Validator::forget(part),
                }
                (file, 0, total)
            }
            (s, _) if s.is_server_error() || s == StatusCode::TOO_MANY_REQUESTS => {
                return Err(Attempt::Retry(format!("the server answered {s}")));
            }
            (s, _) => {
                return Err(Attempt::Stop(ActionError::Failed(format!(
                    "the server answered {s} for {url}"
                ))));
            }
        };
        if let Some(total) = total {
            if total > self.limits.max_bytes {
                return Err(Attempt::Stop(ActionError::Refused(format!(
                    "the file is {total} bytes, over the {} byte limit",
                    self.limits.max_bytes
                ))));
            }
        }
        let mut buf = vec![0u8; 64 * 1024];
        let session_start = written;
        let mut last_report = Instant::now() - Duration::from_secs(1);
        loop {
            let n = match response.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) => {
                    let _ = file.flush();
                    return Err(Attempt::Retry(format!("the connection dropped: {e}")));
                }
            };
            written += n as u64;
            if written > self.limits.max_bytes {
                return Err(Attempt::Stop(ActionError::Refused(format!(
                    "the file grew past the {} byte limit",
                    self.limits.max_bytes
                ))));
            }
            file.write_all(&buf[..n])
                .map_err(|e| Attempt::Stop(io_error("cannot write", part, e)))?;
            if last_report.elapsed() >= Duration::from_millis(250) {
                last_report = Instant::now();
                progress(progress_at(written, total, session_start, started));
            }
        }
        file.sync_all()
            .map_err(|e| Attempt::Stop(io_error("cannot write", part, e)))?;
        progress(progress_at(written, total, session_start, started));
        match total {
            Some(total) if written < total => Err(Attempt::Retry(format!(
                "the connection closed after {written} of {total} bytes"
            ))),
            _ => Ok(()),
        }
    }
}

enum Attempt {
    Retry(String),
    Stop(ActionError),
}

fn classify(e: &reqwest::Error) -> Attempt {
    let text = error_chain(e);
    // A refused redirect and a URL the client will not use (plain http
    // under https_only) are refusals on principle; never retried.
    if e.is_redirect() || e.is_builder() || text.contains("redirect refused") {
        Attempt::Stop(ActionError::Refused(text))
    } else if e.is_timeout() || e.is_connect() || e.is_request() || e.is_body() {
        Attempt::Retry(text)
    } else {
        Attempt::Stop(ActionError::Failed(text))
    }
}

/// The error and its causes, for a message a helper can act on.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let s_text = s.to_string();
        if !text.contains(&s_text) {
            text.push_str(": ");
            text.push_str(&s_text);
        }
        source = s.source();
    }
    text
}

fn progress_at(written: u64, total: Option<u64>, session_start: u64, started: Instant) -> Progress {
    let secs = started.elapsed().as_secs_f64().max(0.001);
    Progress {
        bytes: written,
        total,
        bytes_per_second: ((written - session_start) as f64 / secs) as u64,
    }
}

/// `Content-Range: bytes START-END/TOTAL` → (START, TOTAL).
fn content_range(response: &reqwest::blocking::Response) -> Option<(u64, Option<u64>)> {
    let value = response.headers().get(CONTENT_RANGE)?.to_str().ok()?;
    let rest = value.strip_prefix("bytes ")?;
    let (range, total) = rest.split_once('/')?;
    let start = range.split_once('-')?.0.trim().parse().ok()?;
    Some((start, total.trim().parse().ok()))
}

/// The URL rules: https, and a host on the allow-list.
pub fn check_url(url: &str, allowed: &[String]) -> Result<(), String> {
    if !url.starts_with("https://") {
        return Err(format!("{url} is not an https:// link"));
    }
    let host = url_host(url).ok_or_else(|| format!("{url} has no host"))?;
    if allowed.contains(&host) {
        Ok(())
    } else {
        Err(format!(
            "{host} is not one of the vendors' download hosts in Baton's catalog"
        ))
    }
}

/// What proves a resumed download continues the same file: the server's
/// strong `ETag` (or else its `Last-Modified`) and the file's length, kept
/// beside the `.part` file so a later run can resume too.
#[derive(Debug, Serialize, Deserialize)]
struct Validator {
    url: String,
    validator: String,
    total: u64,
}

impl Validator {
    /// A weak ETag (`W/"..."`) may not be used with If-Range (RFC 9110, 13.1.5).
    fn of(response: &reqwest::blocking::Response) -> Option<String> {
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
                .filter(|v| !v.is_empty())
        };
        header(ETAG)
            .filter(|etag| !etag.starts_with("W/"))
            .or_else(|| header(LAST_MODIFIED))
            .map(str::to_owned)
    }

    fn path(part: &Path) -> PathBuf {
        let mut name = part.as_os_str().to_owned();
        name.push(".validator");
        PathBuf::from(name)
    }

    /// The validator saved for `url`'s `.part` file, if any.
    fn load(part: &Path, url: &str) -> Option<Self> {
        let text =
            crate::bounded::read_text(&Self::path(part), crate::bounded::limit::SMALL_TEXT).ok()?;
        serde_json::from_str::<Self>(&text)
            .ok()
            .filter(|v| v.url == url)
    }

    /// Best effort: without it the next attempt starts over, which is safe.
    fn save(&self, part: &Path) {
        if let Ok(text) = serde_json::to_string(self) {
            if fs::write(Self::path(part), text).is_err() {
                Self::forget(part);
            }
        }
    }

    fn forget(part: &Path) {
        // Gone already is fine; a stale one is refused by `load`'s URL check
        // and the server's If-Range.
        let _ = fs::remove_file(Self::path(part));
    }
}

/// Drops a partial download and what it was resumed with.
fn start_over(part: &Path) {
    let _ = fs::remove_file(part);
    Validator::forget(part);
}

fn part_path(dest: &Path) -> PathBuf {
    let mut name = dest
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".part");
    dest.with_file_name(name)
}

fn io_error(what: &str, path: &Path, e: std::io::Error) -> ActionError {
    ActionError::Failed(format!("{what} {}: {e}", path.display()))
}

/// The file's size and SHA-256.
pub fn artifact(path: &Path) -> Result<Artifact, ActionError> {
    let mut file = File::open(path).map_err(|e| io_error("cannot read", path, e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut bytes = 0u64;
    loop {
        let n = file
            .read(&mut buf)
            .map_err(|e| io_error("cannot read", path, e))?;
        if n == 0 {
            break;
        }
        bytes += n as u64;
        hasher.update(&buf[..n]);
    }
    let sha256 = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(Artifact {
        path: path.display().to_string(),
        bytes,
        sha256,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_links_to_listed_hosts_pass() {
        let allowed = vec!["download.eset.com".to_owned()];
        assert!(check_url("https://download.eset.com/x.exe", &allowed).is_ok());
        assert!(check_url("https://DOWNLOAD.eset.com:443/x.exe", &allowed).is_ok());
        assert!(
            check_url("http://download.eset.com/x.exe", &allowed)
                .unwrap_err()
                .contains("not an https")
        );
        assert!(
            check_url("https://download.eset.com.evil.example/x", &allowed)
                .unwrap_err()
                .contains("not one of")
        );
        assert!(check_url("https://evil.example/download.eset.com", &allowed).is_err());
        // A user name in a link is refused outright: no vendor's carries one.
        assert!(check_url("https://user@evil.example/x", &["evil.example".into()]).is_err());
        assert!(
            check_url(r"https://localhost:1\@download.eset.com/x", &allowed)
                .unwrap_err()
                .contains("localhost")
        );
    }

    #[test]
    fn part_files_sit_next_to_the_download() {
        assert_eq!(
            part_path(Path::new("/d/setup.exe")),
            PathBuf::from("/d/setup.exe.part")
        );
    }
}
