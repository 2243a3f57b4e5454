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

/// A glob over lower-cased text, used for program names, Security Center
/// names and paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glob {
    source: String,
    tokens: Vec<Token>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Literal(String),
    Star,
    Version,
}

impl Glob {
    /// Parses a pattern. Fails on upper-case letters, which could never match.
    pub fn parse(pattern: &str) -> Result<Self, String> {
        if pattern.is_empty() {
            return Err("empty pattern".into());
        }
        if pattern.chars().any(char::is_uppercase) {
            return Err(format!("pattern \"{pattern}\" must be lower case"));
        }
        let mut tokens = Vec::new();
        let mut literal = String::new();
        for c in pattern.chars() {
            let wildcard = match c {
                '*' => Token::Star,
                '#' => Token::Version,
                _ => {
                    literal.push(c);
                    continue;
                }
            };
            if !literal.is_empty() {
                tokens.push(Token::Literal(std::mem::take(&mut literal)));
            }
            tokens.push(wildcard);
        }
        if !literal.is_empty() {
            tokens.push(Token::Literal(literal));
        }
        Ok(Self {
            source: pattern.to_owned(),
            tokens,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether the whole of `text` (already lower-cased) matches.
    pub fn matches(&self, text: &str) -> bool {
        self.captures(text).is_some()
    }

    /// Matches and returns the text the first `#` consumed, if the pattern
    /// has one: that is the version a name carries.
    pub fn captures<'t>(&self, text: &'t str) -> Option<Option<&'t str>> {
        let mut version = None;
        match_from(&self.tokens, text.as_bytes(), 0, &mut version)
            .then(|| version.and_then(|(start, end): (usize, usize)| text.get(start..end)))
    }

    /// Whether `path` or any folder above it matches. A folder rule such as
    /// `*/kaspersky lab/kaspersky #` then also covers files inside it.
    pub fn matches_path_or_parent<'t>(&self, path: &'t str) -> Option<Option<&'t str>> {
        if let Some(v) = self.captures(path) {
            return Some(v);
        }
        path.match_indices('/')
            .rev()
            .find_map(|(i, _)| self.captures(&path[..i]))
    }
}

fn match_from(
    tokens: &[Token],
    text: &[u8],
    pos: usize,
    version: &mut Option<(usize, usize)>,
) -> bool {
    let Some((token, rest)) = tokens.split_first() else {
        return pos == text.len();
    };
    match token {
        Token::Literal(lit) => {
            text.get(pos..)
                .is_some_and(|t| t.starts_with(lit.as_bytes()))
                && match_from(rest, text, pos + lit.len(), version)
        }
        Token::Star => (pos..=text.len()).any(|p| match_from(rest, text, p, version)),
        Token::Version => {
            if !text.get(pos).is_some_and(u8::is_ascii_digit) {
                return false;
            }
            let run = text[pos..]
                .iter()
                .take_while(|b| b.is_ascii_digit() || **b == b'.')
                .count();
            // Longest first, so "avp#" takes all of "21.3"; a trailing dot is
            // never part of a version ("Kaspersky 21.3." is a sentence end).
            (1..=run)
                .rev()
                .filter(|len| text[pos + len - 1] != b'.')
                .any(|len| {
                    let saved = *version;
                    if version.is_none() {
                        *version = Some((pos, pos + len));
                    }
                    let ok = match_from(rest, text, pos + len, version);
                    if !ok {
                        *version = saved;
                    }
                    ok
                })
        }
    }
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
