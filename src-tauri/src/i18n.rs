//! The few strings Rust shows itself (the tray menu, notifications), read
//! from the UI's message files so each string lives in one place.

use std::collections::HashMap;
use std::sync::OnceLock;

pub const LANGUAGES: [&str; 3] = ["en", "ru", "es"];

const FILES: [(&str, &str); 3] = [
    ("en", include_str!("../../ui/src/i18n/en.json")),
    ("ru", include_str!("../../ui/src/i18n/ru.json")),
    ("es", include_str!("../../ui/src/i18n/es.json")),
];

fn tables() -> &'static HashMap<&'static str, HashMap<String, String>> {
    static TABLES: OnceLock<HashMap<&'static str, HashMap<String, String>>> = OnceLock::new();
    TABLES.get_or_init(|| {
        FILES
            .iter()
            // The files are checked by `make test` (ui/tests); a broken one
            // falls back to the keys rather than stopping the tray.
            .map(|(lang, text)| (*lang, serde_json::from_str(text).unwrap_or_default()))
            .collect()
    })
}

/// The message for `key` in `lang`, else in English, else the key itself.
pub fn t(lang: &str, key: &str) -> String {
    let tables = tables();
    tables
        .get(lang)
        .and_then(|m| m.get(key))
        .or_else(|| tables.get("en").and_then(|m| m.get(key)))
        .cloned()
        .unwrap_or_else(|| key.to_owned())
}

/// The system's language if Baton speaks it, else English.
pub fn system_language() -> &'static str {
    let locale = sys_locale::get_locale().unwrap_or_default().to_lowercase();
    LANGUAGES
        .iter()
        .find(|l| locale.starts_with(*l))
        .copied()
        .unwrap_or("en")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_tray_string() {
        for lang in LANGUAGES {
            for key in [
                "tray.open",
                "tray.check",
                "tray.login",
                "tray.quit",
                "tray.status.protected",
                "notify.worse.title",
            ] {
                let text = t(lang, key);
                assert_ne!(text, key, "{lang} lacks {key}");
            }
        }
        assert_eq!(t("ru", "tray.quit"), "Выйти");
        assert_eq!(t("xx", "tray.quit"), "Quit");
    }
}
