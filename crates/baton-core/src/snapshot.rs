//! The snapshot: everything the detector looks at, collected from one machine.
//!
//! A snapshot is plain data so that detection can run anywhere: a family member
//! can collect it on the user's computer and scan it on their own. The JSON form
//! is documented in `docs/snapshot.md`; the names here are that interface.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};

use crate::error::CoreError;

/// The longest text a snapshot field may hold: a Windows path can be 32,767
/// characters; names are far shorter. Longer text exists only to slow the
/// scan down (a 192 KB DisplayName anyone can write under HKCU).
pub const MAX_FIELD_BYTES: usize = 32 * 1024;

/// The value of `format` that this version reads and writes.
pub const SNAPSHOT_FORMAT: &str = "baton-snapshot/1";

/// Everything collected from one machine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Always [`SNAPSHOT_FORMAT`]; anything else is refused rather than guessed at.
    pub format: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collected_at: Option<DateTime<Utc>>,
    pub os: OsInfo,
    pub programs: Vec<Program>,
    pub services: Vec<Service>,
    pub processes: Vec<Process>,
    pub security_products: Vec<SecurityProduct>,
    pub paths: Vec<String>,
    /// What a collector could not read (no permission, a missing tool). The
    /// scan still completes; these are passed on to the user.
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub warnings: Vec<String>,
}

/// The operating system the snapshot was taken on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OsInfo {
    pub family: OsFamily,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum OsFamily {
    Windows,
    Macos,
    Linux,
}

impl OsFamily {
    /// The name people use.
    pub fn label(self) -> &'static str {
        match self {
            Self::Windows => "Windows",
            Self::Macos => "macOS",
            Self::Linux => "Linux",
        }
    }

    /// The family of the machine this code was compiled for.
    pub const fn current() -> Self {
        if cfg!(windows) {
            Self::Windows
        } else if cfg!(target_os = "macos") {
            Self::Macos
        } else {
            Self::Linux
        }
    }
}

/// An installed program: an Uninstall entry on Windows, an app bundle or pkg
/// receipt on macOS, a package on Linux.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Program {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub install_location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uninstall_command: Option<String>,
    /// The MSI product code, bundle identifier or package name, where there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Where the entry was read, e.g. `HKLM64`, `HKLM32`, `HKCU`, `app-bundle`, `dpkg`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// An Uninstall entry of a Windows Installer product that Windows
    /// Installer no longer has (msiexec would answer 1605): what an
    /// interrupted or forced removal leaves. It proves nothing is installed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[cfg_attr(feature = "ts", ts(as = "Option<bool>", optional))]
    pub orphaned: bool,
}

/// A service or kernel driver (Windows), a launchd job (macOS) or a systemd unit (Linux).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Service {
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub kind: ServiceKind,
    #[serde(default, deserialize_with = "null_as_default")]
    pub state: ServiceState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ServiceKind {
    #[default]
    Service,
    Driver,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ServiceState {
    Running,
    Stopped,
    #[default]
    Unknown,
}

/// A running process.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Process {
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pid: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

/// A product registered with the operating system's security centre
/// (Windows Security Center; nothing equivalent exists on macOS or Linux).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SecurityProduct {
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub kind: SecurityProductKind,
    #[serde(default, deserialize_with = "null_as_default")]
    pub state: ProductState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signatures_up_to_date: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// WMI `productState` as read, kept so a helper can check the decoding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_state: Option<u32>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SecurityProductKind {
    #[default]
    Antivirus,
    Firewall,
    Antispyware,
}

/// Whether a registered product says it is protecting the machine.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProductState {
    On,
    Off,
    Snoozed,
    Expired,
    #[default]
    Unknown,
}

impl Snapshot {
    /// An empty snapshot for `family`, to be filled by a collector.
    pub fn empty(family: OsFamily) -> Self {
        Self {
            format: SNAPSHOT_FORMAT.to_owned(),
            collected_at: None,
            os: OsInfo {
                family,
                name: None,
                version: None,
            },
            programs: Vec::new(),
            services: Vec::new(),
            processes: Vec::new(),
            security_products: Vec::new(),
            paths: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// Reads a snapshot from JSON text. `origin` names the text in errors
    /// (usually the file path), so the user learns where the problem is.
    pub fn from_json(text: &str, origin: &str) -> Result<Self, CoreError> {
        // Two passes: the envelope first, so that a file of another kind gets
        // "this is not a Baton snapshot" rather than a puzzling field error.
        let envelope: Envelope =
            serde_json::from_str(text).map_err(|e| CoreError::from_json_error(origin, &e))?;
        match envelope.format.as_deref() {
            Some(SNAPSHOT_FORMAT) => {}
            Some(other) => {
                return Err(CoreError::SnapshotFormat {
                    origin: origin.to_owned(),
                    found: other.to_owned(),
                });
            }
            None => {
                return Err(CoreError::SnapshotNoFormat {
                    origin: origin.to_owned(),
                });
            }
        }
        let mut snapshot: Self =
            serde_json::from_str(text).map_err(|e| CoreError::from_json_error(origin, &e))?;
        let mut too_long = None;
        snapshot.each_text_field(&mut |field, text| {
            if too_long.is_none() && text.len() > MAX_FIELD_BYTES {
                too_long = Some(field());
            }
        });
        match too_long {
            Some(field) => Err(CoreError::SnapshotFieldTooLong {
                origin: origin.to_owned(),
                field,
                limit: MAX_FIELD_BYTES,
            }),
            None => Ok(snapshot),
        }
    }

    /// Cuts every field longer than [`MAX_FIELD_BYTES`] and says so in the
    /// warnings: what a collector read from the machine is kept, not refused.
    pub fn cut_long_fields(&mut self) {
        let mut cut = Vec::new();
        self.each_text_field(&mut |field, text| {
            if text.len() > MAX_FIELD_BYTES {
                let mut end = MAX_FIELD_BYTES;
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                cut.push(format!(
                    "{} was {} bytes long; only the first {end} were read",
                    field(),
                    text.len()
                ));
                text.truncate(end);
            }
        });
        self.warnings.extend(cut);
    }

    /// Every text field, with a way to name it (`programs[3].name`) that
    /// costs nothing unless it is used.
    fn each_text_field(&mut self, visit: &mut dyn FnMut(&dyn Fn() -> String, &mut String)) {
        fn opt(
            visit: &mut dyn FnMut(&dyn Fn() -> String, &mut String),
            list: &str,
            i: usize,
            name: &str,
            value: &mut Option<String>,
        ) {
            if let Some(text) = value {
                visit(&|| format!("{list}[{i}].{name}"), text);
            }
        }
        for (i, p) in self.programs.iter_mut().enumerate() {
            for (name, value) in [
                ("name", &mut p.name),
                ("version", &mut p.version),
                ("publisher", &mut p.publisher),
                ("install_location", &mut p.install_location),
                ("uninstall_command", &mut p.uninstall_command),
                ("id", &mut p.id),
                ("source", &mut p.source),
            ] {
                opt(visit, "programs", i, name, value);
            }
        }
        for (i, s) in self.services.iter_mut().enumerate() {
            visit(&|| format!("services[{i}].name"), &mut s.name);
            opt(visit, "services", i, "display_name", &mut s.display_name);
            opt(visit, "services", i, "path", &mut s.path);
        }
        for (i, p) in self.processes.iter_mut().enumerate() {
            visit(&|| format!("processes[{i}].name"), &mut p.name);
            opt(visit, "processes", i, "path", &mut p.path);
        }
        for (i, p) in self.security_products.iter_mut().enumerate() {
            visit(&|| format!("security_products[{i}].name"), &mut p.name);
            opt(visit, "security_products", i, "path", &mut p.path);
        }
        for (i, path) in self.paths.iter_mut().enumerate() {
            visit(&|| format!("paths[{i}]"), path);
        }
        opt(visit, "os", 0, "name", &mut self.os.name);
        opt(visit, "os", 0, "version", &mut self.os.version);
    }

    /// The snapshot as pretty JSON.
    pub fn to_json(&self) -> String {
        // Serialising plain structs with string keys cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// Every field but `format`, `os.family` and the five lists may be absent
/// or `null` (docs/snapshot.md); `null` reads as the field's default.
fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

#[derive(Deserialize)]
struct Envelope {
    format: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"{"format":"baton-snapshot/1","os":{"family":"linux"},
        "programs":[],"services":[],"processes":[],"security_products":[],"paths":[]}"#;

    #[test]
    fn reads_minimal_snapshot_and_ignores_unknown_fields() {
        let text = MINIMAL.replace(r#""paths":[]"#, r#""paths":[],"from_the_future":{"x":1}"#);
        let s = Snapshot::from_json(&text, "t.json").unwrap();
        assert_eq!(s.os.family, OsFamily::Linux);
        assert!(s.collected_at.is_none());
    }

    #[test]
    fn optional_fields_may_be_null() {
        let text = MINIMAL.replace(
            r#""services":[]"#,
            r#""services":[{"name":null,"display_name":null,"kind":null,"state":null,"path":null}],"collected_at":null,"warnings":null"#,
        );
        let s = Snapshot::from_json(&text, "t.json").unwrap();
        assert_eq!(s.services[0].state, ServiceState::Unknown);
        assert_eq!(s.services[0].kind, ServiceKind::Service);
        let text = MINIMAL.replace(r#""paths":[]"#, r#""paths":null"#);
        assert!(
            Snapshot::from_json(&text, "t.json").is_err(),
            "the five lists are required"
        );
    }

    #[test]
    fn a_field_longer_than_any_real_one_is_refused_with_its_place() {
        let long = "k".repeat(MAX_FIELD_BYTES + 1);
        let text = format!(
            r#"{{"format":"baton-snapshot/1","os":{{"family":"windows"}},"programs":[{{}},{{"name":"{long}"}}],
               "services":[],"processes":[],"security_products":[],"paths":[]}}"#
        );
        let err = Snapshot::from_json(&text, "s.json").unwrap_err();
        assert_eq!(err.code(), "snapshot_field_too_long");
        assert!(
            err.to_string()
                .starts_with("s.json: programs[1].name is longer than 32768"),
            "{err}"
        );
    }

    #[test]
    fn collected_fields_are_cut_and_the_cut_is_reported() {
        let mut s = Snapshot::empty(OsFamily::Windows);
        // A multi-byte character straddles the limit: the cut keeps it whole or drops it.
        s.paths.push(format!(
            "{}é{}",
            "a".repeat(MAX_FIELD_BYTES - 1),
            "b".repeat(10)
        ));
        s.paths.push("c:/short".into());
        s.cut_long_fields();
        assert_eq!(s.paths[0].len(), MAX_FIELD_BYTES - 1);
        assert_eq!(s.paths[1], "c:/short");
        assert_eq!(s.warnings.len(), 1);
        assert!(
            s.warnings[0].starts_with("paths[0] was 32779 bytes long"),
            "{}",
            s.warnings[0]
        );
    }

    #[test]
    fn round_trips_through_json() {
        let mut s = Snapshot::empty(OsFamily::Windows);
        s.services.push(Service {
            name: "AVP21.3".into(),
            display_name: Some("Kaspersky".into()),
            kind: ServiceKind::Service,
            state: ServiceState::Running,
            path: None,
        });
        let back = Snapshot::from_json(&s.to_json(), "x").unwrap();
        assert_eq!(back, s);
    }

    #[test]
    fn missing_format_is_an_error() {
        let text = MINIMAL.replace(r#""format":"baton-snapshot/1","#, "");
        let err = Snapshot::from_json(&text, "snap.json").unwrap_err();
        assert_eq!(err.code(), "snapshot_no_format");
        assert!(err.to_string().contains("snap.json"));
    }

    #[test]
    fn other_format_is_an_error() {
        let text = MINIMAL.replace("baton-snapshot/1", "baton-snapshot/9");
        let err = Snapshot::from_json(&text, "snap.json").unwrap_err();
        assert!(err.to_string().contains("baton-snapshot/9"), "{err}");
    }

    #[test]
    fn wrong_type_names_line_and_column() {
        let text = "{\"format\":\"baton-snapshot/1\",\n\"os\":{\"family\":\"linux\"},\n\"programs\":7,\"services\":[],\"processes\":[],\"security_products\":[],\"paths\":[]}";
        let err = Snapshot::from_json(text, "snap.json").unwrap_err();
        let msg = err.to_string();
        assert_eq!(err.code(), "bad_json");
        assert!(msg.starts_with("snap.json:3:"), "{msg}");
    }

    #[test]
    fn missing_list_is_an_error() {
        let text = MINIMAL.replace(r#""paths":[]"#, r#""x":1"#);
        let err = Snapshot::from_json(&text, "s").unwrap_err();
        assert!(err.to_string().contains("paths"), "{err}");
    }
}
