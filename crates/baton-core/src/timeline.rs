//! The timeline of Kaspersky's exit from the US, told relative to today.
//!
//! The events are data (`data/timeline.toml`) because they carry sources that
//! reviewers check and may gain new entries; this module checks that file and
//! answers "what has happened by now, and how long ago did updates stop?".

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::clock::{Span, Today};
use crate::datafile::{self, Confidence};
use crate::error::CoreError;

const FILE: &str = "timeline.toml";
const BUILTIN: &str = include_str!("../data/timeline.toml");
/// The event whose moment is "updates ended"; the file must have it, with `at`.
const UPDATES_END: &str = "updates-end";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TimelineFile {
    reviewed_on: String,
    event: Vec<EventEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EventEntry {
    id: String,
    date: String,
    #[serde(default)]
    end_date: Option<String>,
    #[serde(default)]
    at: Option<String>,
    #[serde(default)]
    approximate: bool,
    title: String,
    explanation: String,
    meaning: String,
    sources: Vec<String>,
    confidence: Confidence,
}

/// One dated event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "ts",
    derive(ts_rs::TS),
    ts(export, rename = "TimelineEventData")
)]
pub struct Event {
    pub id: String,
    pub date: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_date: Option<NaiveDate>,
    /// The exact moment, where the source gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<DateTime<Utc>>,
    pub approximate: bool,
    pub title: String,
    pub explanation: String,
    pub meaning: String,
    pub sources: Vec<String>,
    pub confidence: Confidence,
}

impl Event {
    /// Whether the event has happened by `today`: an exact moment is compared
    /// to the moment, a date (or the last day of a range) to the date.
    pub fn is_past(&self, today: &Today) -> bool {
        match self.at {
            Some(at) => at <= today.instant,
            None => self.end_date.unwrap_or(self.date) <= today.date,
        }
    }
}

/// The checked timeline.
#[derive(Debug, Clone)]
pub struct Timeline {
    pub reviewed_on: NaiveDate,
    /// In date order.
    pub events: Vec<Event>,
    updates_ended: DateTime<Utc>,
}

impl Timeline {
    /// The timeline shipped inside Baton.
    pub fn builtin() -> Result<Self, CoreError> {
        Self::from_toml(BUILTIN)
    }

    /// Reads and checks a timeline file. Every problem names its event.
    pub fn from_toml(text: &str) -> Result<Self, CoreError> {
        let file: TimelineFile = datafile::parse_toml(FILE, text)?;
        let reviewed_on = datafile::date(FILE, "reviewed_on", "reviewed_on", &file.reviewed_on)?;
        datafile::unique_ids(FILE, "event", file.event.iter().map(|e| e.id.as_str()))?;
        let mut events = file
            .event
            .into_iter()
            .map(check_event)
            .collect::<Result<Vec<_>, _>>()?;
        events.sort_by_key(|e| (e.date, e.at));
        let updates_ended = events
            .iter()
            .find(|e| e.id == UPDATES_END)
            .and_then(|e| e.at)
            .ok_or_else(|| {
                datafile::bad(
                    FILE,
                    &format!("event \"{UPDATES_END}\""),
                    "is required, with an exact `at` time",
                )
            })?;
        Ok(Self {
            reviewed_on,
            events,
            updates_ended,
        })
    }

    /// The moment Kaspersky had to stop sending updates to US users.
    pub fn updates_ended(&self) -> DateTime<Utc> {
        self.updates_ended
    }

    /// Whole days from the cut-off to `today`; negative before it. Counted
    /// between moments, so 03:59Z on the 29th is day 0 *before* the cut-off.
    pub fn days_since_updates_ended(&self, today: &Today) -> i64 {
        (today.instant - self.updates_ended).num_days()
    }

    /// Whether the cut-off has passed at `today`.
    pub fn updates_have_ended(&self, today: &Today) -> bool {
        self.updates_ended <= today.instant
    }

    /// The timeline as seen from `today`: what `baton timeline --json` prints.
    pub fn report(&self, today: &Today) -> TimelineReport {
        let ended = self.updates_ended;
        TimelineReport {
            today: today.to_string(),
            updates_ended: ended.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            updates_have_ended: self.updates_have_ended(today),
            days_since_updates_ended: self.days_since_updates_ended(today),
            since_updates_ended: Span::between(ended.date_naive(), today.date),
            since_updates_ended_words: Span::between(ended.date_naive(), today.date).words(),
            reviewed_on: self.reviewed_on,
            events: self
                .events
                .iter()
                .map(|e| EventReport {
                    past: e.is_past(today),
                    event: e.clone(),
                })
                .collect(),
        }
    }
}

fn check_event(e: EventEntry) -> Result<Event, CoreError> {
    let entry = format!("event \"{}\"", e.id);
    let date = datafile::date(FILE, &entry, "date", &e.date)?;
    let end_date = e
        .end_date
        .as_deref()
        .map(|d| datafile::date(FILE, &entry, "end_date", d))
        .transpose()?;
    if end_date.is_some_and(|end| end < date) {
        return Err(datafile::bad(FILE, &entry, "end_date is before date"));
    }
    let at =
        e.at.as_deref()
            .map(|at| {
                DateTime::parse_from_rfc3339(at)
                    .map(|t| t.with_timezone(&Utc))
                    .map_err(|err| {
                        datafile::bad(
                            FILE,
                            &entry,
                            format!("at \"{at}\" is not an RFC 3339 time: {err}"),
                        )
                    })
            })
            .transpose()?;
    // The date is what users read; a moment on another UTC date would make
    // the list disagree with itself. (00:00 EDT is 04:00 UTC the same day.)
    if at.is_some_and(|at| at.date_naive() != date) {
        return Err(datafile::bad(
            FILE,
            &entry,
            "`at` falls on a different UTC date than `date`",
        ));
    }
    datafile::text(FILE, &entry, "title", &e.title)?;
    datafile::text(FILE, &entry, "explanation", &e.explanation)?;
    datafile::text(FILE, &entry, "meaning", &e.meaning)?;
    datafile::user_sources(FILE, &entry, &e.sources)?;
    Ok(Event {
        id: e.id,
        date,
        end_date,
        at,
        approximate: e.approximate,
        title: e.title,
        explanation: e.explanation,
        meaning: e.meaning,
        sources: e.sources,
        confidence: e.confidence,
    })
}

/// The timeline relative to one day.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct TimelineReport {
    /// `YYYY-MM-DD`.
    pub today: String,
    /// The cut-off, `2024-09-29T04:00:00Z` (midnight US Eastern daylight time).
    pub updates_ended: String,
    pub updates_have_ended: bool,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub days_since_updates_ended: i64,
    pub since_updates_ended: Span,
    /// "2 years, 1 month ago".
    pub since_updates_ended_words: String,
    pub reviewed_on: NaiveDate,
    pub events: Vec<EventReport>,
}

/// One event and whether it has happened yet.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(
    feature = "ts",
    derive(ts_rs::TS),
    ts(export, rename = "TimelineEvent")
)]
pub struct EventReport {
    #[serde(flatten)]
    pub event: Event,
    pub past: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today(s: &str) -> Today {
        s.parse().unwrap()
    }

    #[test]
    fn builtin_timeline_is_valid_and_has_the_required_events() {
        let t = Timeline::builtin().unwrap();
        for id in [
            "federal-ban-2017",
            "fcc-covered-list",
            "final-determination",
            "federal-register",
            "entity-list",
            "ofac-executives",
            "sales-end",
            "us-wind-down",
            "ultraav-emails",
            "ultraav-switch",
            "updates-end",
            "linux-home-product",
        ] {
            assert!(t.events.iter().any(|e| e.id == id), "missing event {id}");
        }
        assert_eq!(t.updates_ended().to_rfc3339(), "2024-09-29T04:00:00+00:00");
        assert!(t.events.windows(2).all(|w| w[0].date <= w[1].date));
    }

    #[test]
    fn the_cut_off_is_midnight_eastern_daylight_time() {
        let t = Timeline::builtin().unwrap();
        let before = today("2024-09-29T03:59:00Z");
        let at = today("2024-09-29T04:00:00Z");
        assert!(!t.updates_have_ended(&before));
        assert!(t.updates_have_ended(&at));
        let event = t.events.iter().find(|e| e.id == "updates-end").unwrap();
        assert!(!event.is_past(&before));
        assert!(event.is_past(&at));
        assert_eq!(t.days_since_updates_ended(&at), 0);
        assert_eq!(
            t.days_since_updates_ended(&today("2024-09-30T03:59:00Z")),
            0
        );
        assert_eq!(
            t.days_since_updates_ended(&today("2024-09-30T04:00:00Z")),
            1
        );
        // A plain date is noon UTC on that date.
        assert_eq!(t.days_since_updates_ended(&today("2024-09-29")), 0);
        assert_eq!(t.days_since_updates_ended(&today("2026-11-28")), 790);
        assert_eq!(t.days_since_updates_ended(&today("2024-09-27")), -1);
    }

    #[test]
    fn report_marks_past_events_and_words_the_distance() {
        let t = Timeline::builtin().unwrap();
        let r = t.report(&today("2026-11-28"));
        assert_eq!(r.since_updates_ended_words, "2 years, 1 month ago");
        assert!(r.events.iter().all(|e| e.past));
        let r = t.report(&today("2024-07-20"));
        let past: Vec<&str> = r
            .events
            .iter()
            .filter(|e| e.past)
            .map(|e| e.event.id.as_str())
            .collect();
        assert!(past.contains(&"sales-end"), "{past:?}");
        assert!(!past.contains(&"ultraav-switch"));
        assert_eq!(r.since_updates_ended_words, "in 2 months, 9 days");
        // A range is past only once its last day has come.
        let r = t.report(&today("2024-09-18"));
        let switch = r
            .events
            .iter()
            .find(|e| e.event.id == "ultraav-switch")
            .unwrap();
        assert!(!switch.past);
    }

    fn minimal(extra: &str) -> String {
        format!(
            r#"reviewed_on = "2026-11-28"
[[event]]
id = "updates-end"
date = "2024-09-29"
at = "2024-09-29T04:00:00Z"
title = "t"
explanation = "e"
meaning = "m"
sources = ["https://example.com/a"]
confidence = "confirmed"
{extra}"#
        )
    }

    #[test]
    fn broken_files_name_the_event_and_the_problem() {
        assert!(Timeline::from_toml(&minimal("")).is_ok());
        let cases = [
            (
                minimal("").replace("2024-09-29\"\nat", "2024-09-31\"\nat"),
                "event \"updates-end\": date \"2024-09-31\" is not a date",
            ),
            (
                minimal("").replace("https://example.com/a", "http://example.com/a"),
                "not an https:// link",
            ),
            (
                minimal("").replace("[\"https://example.com/a\"]", "[]"),
                "needs at least one source",
            ),
            (
                minimal("")
                    .replace("T04:00:00Z", "T02:00:00-04:00")
                    .replace("2024-09-29\"\nat", "2024-09-28\"\nat"),
                "different UTC date",
            ),
            (
                minimal("").replace("at = \"2024-09-29T04:00:00Z\"\n", ""),
                "event \"updates-end\": is required",
            ),
            (
                minimal("").replace("title = \"t\"", "title = \" \""),
                "title is empty",
            ),
            (
                format!("{}\n[[event]]\nid = \"updates-end\"\n", minimal("")),
                "line",
            ),
            (minimal("").replace("confirmed", "sure"), "unknown variant"),
        ];
        for (text, want) in cases {
            let err = Timeline::from_toml(&text).unwrap_err().to_string();
            assert!(err.contains(want), "wanted {want:?} in {err:?}");
            assert!(err.starts_with("data file timeline.toml"), "{err}");
        }
        let dup = format!(
            "{}{}",
            minimal(""),
            minimal("").replace("reviewed_on = \"2026-11-28\"", "")
        );
        let err = Timeline::from_toml(&dup).unwrap_err().to_string();
        assert!(err.contains("used twice"), "{err}");
    }
}
