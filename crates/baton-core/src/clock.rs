//! "Today", passed in rather than read from the system clock.
//!
//! Everything Baton says in relative terms ("updates stopped 790 days ago",
//! "this price list is a year old") is computed from a [`Today`] handed down
//! by the caller. Only the outermost layer (the CLI, the app) reads the real
//! clock, so tests and `--today` can pin any moment, including the minute
//! either side of the update cut-off.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc};
use serde::Serialize;

/// The moment Baton reasons about, and its calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Today {
    /// The calendar date the user lives in.
    pub date: NaiveDate,
    /// The exact moment, for comparisons with timed events such as the cut-off.
    pub instant: DateTime<Utc>,
}

impl Today {
    /// A calendar date. The moment is 12:00 UTC, which falls on that same date
    /// in every time zone from UTC-11 to UTC+11: a user who says "today is the
    /// 29th" is on the 29th wherever they are (in the US and in Europe alike).
    pub fn from_date(date: NaiveDate) -> Self {
        let noon = NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default();
        Self {
            date,
            instant: date.and_time(noon).and_utc(),
        }
    }

    /// An exact moment; its date is the UTC date.
    pub fn from_instant(instant: DateTime<Utc>) -> Self {
        Self {
            date: instant.date_naive(),
            instant,
        }
    }

    /// The real clock. Call this only at the edge (CLI, app), never in logic.
    pub fn now() -> Self {
        Self::from_instant(Utc::now())
    }
}

/// Why a `--today` value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "\"{0}\" is not a date: use YYYY-MM-DD (for example 2026-11-28) or an RFC 3339 time such as 2024-09-29T03:59:00Z"
)]
pub struct BadToday(pub String);

impl FromStr for Today {
    type Err = BadToday;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if let Ok(date) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            return Ok(Self::from_date(date));
        }
        DateTime::parse_from_rfc3339(s)
            .map(|t| Self::from_instant(t.with_timezone(&Utc)))
            .map_err(|_| BadToday(s.to_owned()))
    }
}

impl fmt::Display for Today {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.date.format("%Y-%m-%d"))
    }
}

/// A calendar distance between two dates, in whole years, months and days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Span {
    pub years: u32,
    pub months: u32,
    pub days: u32,
    /// True when the later date is the first argument's past, i.e. "ago".
    pub past: bool,
}

impl Span {
    /// The distance from `from` to `to`; `past` is true when `from` is before `to`.
    pub fn between(from: NaiveDate, to: NaiveDate) -> Self {
        let (start, end, past) = if from <= to {
            (from, to, true)
        } else {
            (to, from, false)
        };
        let mut months =
            (end.year() - start.year()) * 12 + end.month() as i32 - start.month() as i32;
        if end.day() < start.day() {
            months -= 1;
        }
        // `months` counts whole calendar months, so adding them never passes `end`.
        let months = months.max(0) as u32;
        let anchor = start
            .checked_add_months(chrono::Months::new(months))
            .unwrap_or(start);
        let days = (end - anchor).num_days().max(0) as u32;
        Self {
            years: months / 12,
            months: months % 12,
            days,
            past,
        }
    }

    /// English words with the two largest units: "2 years, 1 month ago",
    /// days are dropped once years show, so the phrase stays short.
    pub fn words(&self) -> String {
        let unit =
            |n: u32, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let parts: Vec<String> = [
            (self.years, "year", "years"),
            (self.months, "month", "months"),
            (self.days, "day", "days"),
        ]
        .into_iter()
        .skip_while(|(n, _, _)| *n == 0)
        .take(2)
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, one, many)| unit(n, one, many))
        .collect();
        if parts.is_empty() {
            return "today".into();
        }
        let amount = parts.join(", ");
        if self.past {
            format!("{amount} ago")
        } else {
            format!("in {amount}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn dates_and_instants_parse_and_bad_values_explain_the_format() {
        let t: Today = "2024-09-29".parse().unwrap();
        assert_eq!(t.date, d("2024-09-29"));
        assert_eq!(t.instant.to_rfc3339(), "2024-09-29T12:00:00+00:00");
        let t: Today = "2024-09-29T03:59:00Z".parse().unwrap();
        assert_eq!(t.instant.to_rfc3339(), "2024-09-29T03:59:00+00:00");
        let t: Today = "2024-09-28T23:59:00-04:00".parse().unwrap();
        assert_eq!(t.instant.to_rfc3339(), "2024-09-29T03:59:00+00:00");
        let e = "2024-13-01".parse::<Today>().unwrap_err();
        assert!(e.to_string().contains("YYYY-MM-DD"), "{e}");
        assert!("yesterday".parse::<Today>().is_err());
    }

    #[test]
    fn spans_count_calendar_units() {
        let s = Span::between(d("2024-09-29"), d("2026-11-28"));
        assert_eq!((s.years, s.months, s.days, s.past), (2, 1, 30, true));
        assert_eq!(s.words(), "2 years, 1 month ago");
        assert_eq!(
            Span::between(d("2024-09-29"), d("2024-09-29")).words(),
            "today"
        );
        assert_eq!(
            Span::between(d("2024-09-29"), d("2024-09-30")).words(),
            "1 day ago"
        );
        assert_eq!(
            Span::between(d("2024-09-29"), d("2024-11-02")).words(),
            "1 month, 4 days ago"
        );
        assert_eq!(
            Span::between(d("2024-09-29"), d("2025-09-29")).words(),
            "1 year ago"
        );
        // Two largest units, counted from the top: a zero month hides the days.
        assert_eq!(
            Span::between(d("2024-09-29"), d("2025-10-01")).words(),
            "1 year ago"
        );
        assert_eq!(
            Span::between(d("2024-09-29"), d("2024-09-20")).words(),
            "in 9 days"
        );
        // Month ends: 31 January to 29 February is under a month.
        let s = Span::between(d("2024-01-31"), d("2024-02-29"));
        assert_eq!((s.months, s.days), (0, 29));
    }
}
