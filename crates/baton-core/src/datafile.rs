//! Shared checks for the data files shipped inside Baton (signatures,
//! timeline, catalog).
//!
//! The files are edited by hand as facts change, so every check names the
//! file and the entry at fault: a broken file must fail `make test` with a
//! message a reviewer can act on, never load half-way.

use std::collections::HashSet;

use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::CoreError;

/// How well a fact is backed, as graded in the reference notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum Confidence {
    /// A cited primary source: official text, vendor documentation, a lab's own page.
    Confirmed,
    /// Only secondary reporting: news, reprints, aggregators.
    Secondary,
    /// No source found: an inference. Shown as "unverified", never as certain.
    Unconfirmed,
}

impl Confidence {
    pub fn is_unconfirmed(self) -> bool {
        self == Self::Unconfirmed
    }
}

/// A fact's source: required unless the fact is marked unconfirmed, and
/// always an https link when given.
pub(crate) fn fact_source(
    file: &'static str,
    entry: &str,
    field: &str,
    source: Option<&str>,
    confidence: Confidence,
) -> Result<(), CoreError> {
    match source {
        Some(url) => https_url(file, entry, &format!("{field} source"), url),
        None if confidence.is_unconfirmed() => Ok(()),
        None => Err(bad(
            file,
            entry,
            format!("{field} needs a source link, or confidence = \"unconfirmed\""),
        )),
    }
}

/// An error about one entry of one data file.
pub(crate) fn bad(file: &'static str, entry: &str, problem: impl Into<String>) -> CoreError {
    CoreError::BadData {
        file,
        entry: entry.to_owned(),
        problem: problem.into(),
    }
}

/// Parses a TOML data file; a syntax or shape error names its line.
pub(crate) fn parse_toml<T: DeserializeOwned>(
    file: &'static str,
    text: &str,
) -> Result<T, CoreError> {
    toml::from_str(text).map_err(|e| CoreError::BadData {
        file,
        entry: match e.span() {
            Some(span) => format!("line {}", text[..span.start].lines().count().max(1)),
            None => "file".into(),
        },
        problem: e.message().to_owned(),
    })
}

/// Parses a `YYYY-MM-DD` date.
pub(crate) fn date(
    file: &'static str,
    entry: &str,
    field: &str,
    text: &str,
) -> Result<NaiveDate, CoreError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|e| {
        bad(
            file,
            entry,
            format!("{field} \"{text}\" is not a date (YYYY-MM-DD): {e}"),
        )
    })
}

/// A link shown to users: it must be a whole `https://` URL with a host.
pub(crate) fn https_url(
    file: &'static str,
    entry: &str,
    field: &str,
    url: &str,
) -> Result<(), CoreError> {
    if !url.starts_with("https://") {
        return Err(bad(
            file,
            entry,
            format!("{field}: \"{url}\" is not an https:// link"),
        ));
    }
    match url_host(url) {
        Some(host) if host.contains('.') && !url.contains(char::is_whitespace) => Ok(()),
        _ => Err(bad(
            file,
            entry,
            format!("{field}: \"{url}\" is not a valid link"),
        )),
    }
}

/// The host of an `https://` URL, lower case, as the URL parser that
/// downloads it reads it (so `https://localhost:1\@download.eset.com/` is
/// `localhost`, not ESET). A URL with a user name or password has no host
/// here: no vendor link carries one, and they exist to mislead.
pub fn url_host(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    if parsed.scheme() != "https" || !parsed.username().is_empty() || parsed.password().is_some() {
        return None;
    }
    parsed.host_str().map(str::to_ascii_lowercase)
}

/// Sources shown to users: at least one, every one an `https://` link.
pub(crate) fn user_sources(
    file: &'static str,
    entry: &str,
    sources: &[String],
) -> Result<(), CoreError> {
    if sources.is_empty() {
        return Err(bad(file, entry, "needs at least one source link"));
    }
    sources
        .iter()
        .try_for_each(|s| https_url(file, entry, "source", s))
}

/// Ids must be unique within a file; returns an error naming the repeat.
pub(crate) fn unique_ids<'a>(
    file: &'static str,
    kind: &str,
    ids: impl IntoIterator<Item = &'a str>,
) -> Result<(), CoreError> {
    let mut seen = HashSet::new();
    for id in ids {
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(bad(
                file,
                &format!("{kind} \"{id}\""),
                "ids are lower-case letters, digits and '-'",
            ));
        }
        if !seen.insert(id) {
            return Err(bad(
                file,
                &format!("{kind} \"{id}\""),
                "this id is used twice",
            ));
        }
    }
    Ok(())
}

/// A non-empty text field.
pub(crate) fn text(
    file: &'static str,
    entry: &str,
    field: &str,
    value: &str,
) -> Result<(), CoreError> {
    if value.trim().is_empty() {
        return Err(bad(file, entry, format!("{field} is empty")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_must_be_https_with_a_host() {
        assert!(https_url("f", "e", "source", "https://example.com/a").is_ok());
        let plain = https_url("f", "e", "source", "http://example.com").unwrap_err();
        assert!(
            plain.to_string().contains("not an https:// link"),
            "{plain}"
        );
        assert!(https_url("f", "e", "source", "https://nohost").is_err());
        assert!(https_url("f", "e", "source", "https://a.com/x y").is_err());
    }

    #[test]
    fn hosts_are_extracted_without_port_or_user() {
        assert_eq!(
            url_host("https://Download.ESET.com:443/x").as_deref(),
            Some("download.eset.com")
        );
        assert_eq!(url_host("http://a.b/x"), None);
    }

    #[test]
    fn hosts_come_from_the_url_parser_not_from_splitting() {
        // Splitting on '@' read this as download.eset.com; a URL parser (and
        // so the HTTP client) goes to localhost.
        assert_eq!(
            url_host(r"https://localhost:1\@download.eset.com/").as_deref(),
            Some("localhost")
        );
        assert_eq!(url_host("https://u@a.b/x"), None);
        assert_eq!(url_host("https://u:p@a.b/x"), None);
        assert_eq!(
            url_host("https://a.b#@evil.example/").as_deref(),
            Some("a.b")
        );
        assert!(
            https_url(
                "f",
                "e",
                "source",
                r"https://localhost:1\@download.eset.com/"
            )
            .is_err()
        );
    }

    #[test]
    fn repeated_and_malformed_ids_are_named() {
        let e = unique_ids("f", "event", ["a", "b", "a"]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "data file f: event \"a\": this id is used twice"
        );
        assert!(unique_ids("f", "event", ["Bad Id"]).is_err());
    }
}
