//! macOS app bundles' `Contents/Info.plist` (XML or binary).

use baton_core::snapshot::Program;

/// Deeper than any real Info.plist (they nest three or four levels), far
/// shallower than what overflows the stack when the plist is built.
const MAX_DEPTH: usize = 64;
/// More values than any real Info.plist holds (a few hundred).
const MAX_EVENTS: usize = 200_000;

/// A program from an app bundle's Info.plist bytes. `bundle_path` is the
/// `.app` folder; its name stands in when the plist names nothing.
pub fn program_from_info_plist(bytes: &[u8], bundle_path: &str) -> Result<Program, String> {
    check_shape(bytes)?;
    let value =
        plist::Value::from_reader(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let dict = value
        .as_dictionary()
        .ok_or("Info.plist is not a dictionary")?;
    let text = |k: &str| {
        dict.get(k)
            .and_then(plist::Value::as_string)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    let folder_name = bundle_path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .map(|n| n.strip_suffix(".app").unwrap_or(n))
        .filter(|n| !n.is_empty());
    let name = text("CFBundleDisplayName")
        .or_else(|| text("CFBundleName"))
        .or(folder_name);
    Ok(Program {
        name: name.map(str::to_owned),
        version: text("CFBundleShortVersionString")
            .or_else(|| text("CFBundleVersion"))
            .map(str::to_owned),
        publisher: None,
        install_location: Some(bundle_path.to_owned()),
        uninstall_command: None,
        id: text("CFBundleIdentifier").map(str::to_owned),
        source: Some("app-bundle".into()),
        orphaned: false,
    })
}

/// Walks the plist as a stream of events, without building it: the plist
/// crate builds values recursively, so 50,000 nested arrays (750 KB) abort
/// the process with a stack overflow, at every scan while the bundle exists.
fn check_shape(bytes: &[u8]) -> Result<(), String> {
    let mut depth = 0usize;
    let events = plist::stream::Reader::new(std::io::Cursor::new(bytes));
    for (n, event) in events.enumerate() {
        if n >= MAX_EVENTS {
            return Err(format!("Info.plist has more than {MAX_EVENTS} values"));
        }
        match event.map_err(|e| e.to_string())? {
            plist::stream::Event::StartArray(_) | plist::stream::Event::StartDictionary(_) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(format!("Info.plist nests deeper than {MAX_DEPTH} levels"));
                }
            }
            plist::stream::Event::EndCollection => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Package ids from `pkgutil --pkgs`, one a line, as programs.
pub fn programs_from_pkgutil(text: &str) -> Vec<Program> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|id| Program {
            name: Some(id.to_owned()),
            id: Some(id.to_owned()),
            source: Some("pkg-receipt".into()),
            ..Program::default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_is_refused_before_it_is_built() {
        // Built recursively, this overflowed the stack: an abort, not an error.
        let n = 50_000;
        let xml = format!(
            "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict><key>a</key>{}{}</dict></plist>",
            "<array>".repeat(n),
            "</array>".repeat(n)
        );
        let err = program_from_info_plist(xml.as_bytes(), "/Applications/X.app").unwrap_err();
        assert!(err.contains("deeper than 64"), "{err}");
    }

    #[test]
    fn binary_plists_are_walked_too() {
        let mut dict = plist::Dictionary::new();
        dict.insert(
            "CFBundleName".into(),
            plist::Value::String("Kaspersky".into()),
        );
        let mut bytes = Vec::new();
        plist::Value::Dictionary(dict)
            .to_writer_binary(&mut bytes)
            .unwrap();
        let p = program_from_info_plist(&bytes, "/Applications/K.app").unwrap();
        assert_eq!(p.name.as_deref(), Some("Kaspersky"));
    }

    const XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>CFBundleIdentifier</key>
	<string>com.kaspersky.kav.app</string>
	<key>CFBundleName</key>
	<string>Kaspersky</string>
	<key>CFBundleShortVersionString</key>
	<string>26.0.0.150</string>
</dict>
</plist>"#;

    #[test]
    fn reads_xml_plist() {
        let p = program_from_info_plist(XML.as_bytes(), "/Applications/Kaspersky.app").unwrap();
        assert_eq!(p.name.as_deref(), Some("Kaspersky"));
        assert_eq!(p.id.as_deref(), Some("com.kaspersky.kav.app"));
        assert_eq!(p.version.as_deref(), Some("26.0.0.150"));
    }

    #[test]
    fn reads_binary_plist_and_falls_back_to_folder_name() {
        let mut dict = plist::Dictionary::new();
        dict.insert(
            "CFBundleIdentifier".into(),
            plist::Value::String("com.kaspersky.kav".into()),
        );
        let mut bytes = Vec::new();
        plist::Value::Dictionary(dict)
            .to_writer_binary(&mut bytes)
            .unwrap();
        let p = program_from_info_plist(&bytes, "/Applications/Kaspersky Anti-Virus For Mac.app/")
            .unwrap();
        assert_eq!(p.name.as_deref(), Some("Kaspersky Anti-Virus For Mac"));
        assert_eq!(p.version, None);
    }

    #[test]
    fn garbage_is_an_error() {
        assert!(program_from_info_plist(b"not a plist", "/Applications/X.app").is_err());
    }

    #[test]
    fn reads_pkgutil_list() {
        let p = programs_from_pkgutil("com.apple.pkg.Core\ncom.kaspersky.kav.pkg\n\n");
        assert_eq!(p.len(), 2);
        assert_eq!(p[1].id.as_deref(), Some("com.kaspersky.kav.pkg"));
    }
}
