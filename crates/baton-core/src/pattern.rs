//! The small pattern language of the signature file.
//!
//! Vendors version their names (`AVP21.3`, `Kaspersky 21.25`), so plain string
//! equality is not enough, but a full regex engine is more than the rules need
//! and harder for a reviewer to read. Two wildcards cover every rule:
//!
//! * `*` matches any run of characters, including none;
//! * `#` matches a version number: a digit, then digits and dots.
//!
//! Patterns are written in lower case and matched against lower-cased text.

use regex::Regex;

/// A glob over lower-cased text, used for program names, Security Center
/// names and paths.
///
/// Compiled to a regular expression, so matching is linear in the text: a
/// backtracking matcher took tens of seconds on a 32 KB path a user can
/// create, with the tray's scan holding the machine lock meanwhile.
#[derive(Debug, Clone)]
pub struct Glob {
    source: String,
    /// The whole text matches.
    whole: Regex,
    /// The text or one of its folders matches: `whole`, then `/` and anything.
    path_or_parent: Regex,
}

impl PartialEq for Glob {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

impl Eq for Glob {}

impl Glob {
    /// Parses a pattern. Fails on upper-case letters, which could never match.
    pub fn parse(pattern: &str) -> Result<Self, String> {
        if pattern.is_empty() {
            return Err("empty pattern".into());
        }
        if pattern.chars().any(char::is_uppercase) {
            return Err(format!("pattern \"{pattern}\" must be lower case"));
        }
        let body = regex_body(pattern);
        let compile = |re: String| {
            Regex::new(&re).map_err(|e| format!("pattern \"{pattern}\" cannot be compiled: {e}"))
        };
        Ok(Self {
            source: pattern.to_owned(),
            whole: compile(format!(r"(?s)\A(?:{body})\z"))?,
            // Lazy, so the whole path is preferred to a folder above it and a
            // deeper folder to a shallower one, as a reader of the rule expects.
            path_or_parent: compile(format!(r"(?s)\A(?:{body})(?:/.*?)??\z"))?,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether the whole of `text` (already lower-cased) matches.
    pub fn matches(&self, text: &str) -> bool {
        self.whole.is_match(text)
    }

    /// Matches and returns the text the first `#` consumed, if the pattern
    /// has one: that is the version a name carries.
    pub fn captures<'t>(&self, text: &'t str) -> Option<Option<&'t str>> {
        version_of(&self.whole, text)
    }

    /// Whether `path` or any folder above it matches. A folder rule such as
    /// `*/kaspersky lab/kaspersky #` then also covers files inside it.
    pub fn matches_path_or_parent<'t>(&self, path: &'t str) -> Option<Option<&'t str>> {
        version_of(&self.path_or_parent, path)
    }
}

/// The regular expression for a glob: `*` is a lazy run of anything, so the
/// first `#` takes the longest version it can (`avp#` takes all of `21.3`);
/// `#` is a digit, then digits and dots, never ending in a dot ("Kaspersky
/// 21.3." is a sentence end). Only the first `#` is captured.
fn regex_body(pattern: &str) -> String {
    const VERSION: &str = "[0-9](?:[0-9.]*[0-9])?";
    let mut body = String::new();
    let mut literal = String::new();
    let mut captured = false;
    for c in pattern.chars() {
        if c != '*' && c != '#' {
            literal.push(c);
            continue;
        }
        body.push_str(&regex::escape(&std::mem::take(&mut literal)));
        match c {
            '*' => body.push_str(".*?"),
            _ if captured => body.push_str(&format!("(?:{VERSION})")),
            _ => {
                captured = true;
                body.push_str(&format!("({VERSION})"));
            }
        }
    }
    body.push_str(&regex::escape(&literal));
    body
}

fn version_of<'t>(regex: &Regex, text: &'t str) -> Option<Option<&'t str>> {
    if regex.captures_len() == 1 {
        return regex.is_match(text).then_some(None);
    }
    regex.captures(text).map(|c| c.get(1).map(|m| m.as_str()))
}

/// A pattern for identifiers: service, driver and process names, package ids
/// and bundle ids. These are matched on every item of a large snapshot, so
/// only forms that an index can serve are allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NamePattern {
    /// `klif`
    Exact(String),
    /// `com.kaspersky.kav*`
    Prefix(String),
    /// `avp#`: the prefix, then a version and nothing more.
    PrefixVersion(String),
}

impl NamePattern {
    pub fn parse(pattern: &str) -> Result<Self, String> {
        if pattern.chars().any(char::is_uppercase) {
            return Err(format!("pattern \"{pattern}\" must be lower case"));
        }
        let (body, make): (&str, fn(String) -> Self) = if let Some(b) = pattern.strip_suffix('#') {
            (b, Self::PrefixVersion)
        } else if let Some(b) = pattern.strip_suffix('*') {
            (b, Self::Prefix)
        } else {
            (pattern, Self::Exact)
        };
        if body.is_empty() || body.contains(['*', '#']) {
            return Err(format!(
                "name pattern \"{pattern}\" must be a name, optionally ending in one * or #"
            ));
        }
        Ok(make(body.to_owned()))
    }

    /// Matches a lower-cased name; on success returns the version, if any.
    pub fn captures<'t>(&self, name: &'t str) -> Option<Option<&'t str>> {
        match self {
            Self::Exact(s) => (name == s).then_some(None),
            Self::Prefix(p) => name.starts_with(p.as_str()).then_some(None),
            Self::PrefixVersion(p) => {
                let rest = name.strip_prefix(p.as_str())?;
                let is_version = rest.starts_with(|c: char| c.is_ascii_digit())
                    && rest.bytes().all(|b| b.is_ascii_digit() || b == b'.')
                    && !rest.ends_with('.');
                is_version.then_some(Some(rest))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(p: &str) -> Glob {
        Glob::parse(p).unwrap()
    }

    #[test]
    fn star_matches_any_run() {
        assert!(g("kaspersky*").matches("kaspersky internet security"));
        assert!(g("kaspersky*").matches("kaspersky"));
        assert!(!g("kaspersky*").matches("kaspa wallet"));
        assert!(g("*касперского*").matches("антивирус касперского"));
        assert!(g("a*b*c").matches("axxbyyc"));
        assert!(!g("a*b*c").matches("axxbyy"));
    }

    #[test]
    fn version_matches_numbers_with_dots_and_captures_them() {
        let p = g("*/kaspersky lab/kaspersky #");
        assert_eq!(
            p.captures("c:/program files (x86)/kaspersky lab/kaspersky 21.25"),
            Some(Some("21.25"))
        );
        assert!(!p.matches("c:/program files (x86)/kaspersky lab/kaspersky internet security"));
        assert!(!p.matches("x/kaspersky lab/kaspersky 21."));
        assert_eq!(g("avp#").captures("avp21.3"), Some(Some("21.3")));
        assert!(!g("avp#").matches("avp"));
        assert!(!g("avp#").matches("avpx"));
    }

    #[test]
    fn path_rules_cover_files_inside_the_folder() {
        let p = g("*/kaspersky lab/kaspersky #");
        assert_eq!(
            p.matches_path_or_parent("c:/program files (x86)/kaspersky lab/kaspersky 21.3/avp.exe"),
            Some(Some("21.3"))
        );
        assert_eq!(
            p.matches_path_or_parent("c:/users/kasper/kaspersky lab"),
            None
        );
    }

    #[test]
    fn long_hostile_text_is_matched_in_linear_time() {
        // The backtracking matcher took 42 s on a 32 KB path and 27 s on a
        // 192 KB name; each of these takes milliseconds now. No timing is
        // asserted (benchmarks measure speed): a quadratic matcher makes
        // this test run for minutes, which the harness reports.
        let path = "a/".repeat(100_000);
        let rule = g("*/kaspersky lab/kaspersky #");
        assert_eq!(rule.matches_path_or_parent(&path), None);
        let name = "kaspersky ".repeat(20_000);
        assert!(!g("*kaspersky*internet*security*#").matches(&name));
        assert!(g("*kaspersky*").matches(&name));
    }

    #[test]
    fn path_rules_prefer_the_whole_path_and_deeper_folders() {
        let p = g("*/kaspersky #*");
        assert_eq!(
            p.matches_path_or_parent("c:/kaspersky 21.3/kaspersky 22.1"),
            Some(Some("21.3"))
        );
        assert_eq!(
            g("x/#").matches_path_or_parent("x/1.2/3"),
            Some(Some("1.2"))
        );
        assert_eq!(g("#.#").captures("1.2.3"), Some(Some("1.2")));
    }

    #[test]
    fn regex_characters_in_patterns_are_literal() {
        assert!(g("c:/program files (x86)/*").matches("c:/program files (x86)/a"));
        assert!(!g("a.b").matches("axb"));
        assert!(g("a+b?[c]").matches("a+b?[c]"));
    }

    #[test]
    fn upper_case_patterns_are_rejected() {
        assert!(Glob::parse("Kaspersky*").is_err());
        assert!(NamePattern::parse("AVP#").is_err());
        assert!(Glob::parse("").is_err());
    }

    #[test]
    fn name_patterns() {
        let exact = NamePattern::parse("klif").unwrap();
        assert_eq!(exact.captures("klif"), Some(None));
        assert_eq!(exact.captures("klifx"), None);
        let prefix = NamePattern::parse("com.kaspersky.*").unwrap();
        assert_eq!(prefix.captures("com.kaspersky.kav.sysext"), Some(None));
        assert_eq!(prefix.captures("com.kasper.app"), None);
        let versioned = NamePattern::parse("avp#").unwrap();
        assert_eq!(versioned.captures("avp21.24"), Some(Some("21.24")));
        assert_eq!(versioned.captures("avp18.0.0"), Some(Some("18.0.0")));
        assert_eq!(versioned.captures("avpn"), None);
        assert_eq!(versioned.captures("avp21."), None);
        assert!(NamePattern::parse("a*b").is_err());
        assert!(NamePattern::parse("*").is_err());
    }
}
