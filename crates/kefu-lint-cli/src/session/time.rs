//! Message times of chat logs: ISO 8601 with an offset, a civil date and
//! time as exports write it (`2026-03-02 10:00:00`, `2026/3/2 9:05:00`,
//! fractional seconds, an offset such as ` +0800` after it) in `--timezone`
//! unless it has an offset, or epoch seconds or milliseconds, each from
//! 2000-01-01 to 2100 (outside, a time is an export's placeholder); and
//! `--timezone` itself, an IANA name or a UTC offset.
//! Dates and zones are jiff's (the IANA database is bundled, so a name
//! works on a machine without one).

use jiff::fmt::strtime;
use jiff::fmt::temporal::Pieces;
use jiff::tz::{AmbiguousOffset, Offset, TimeZone};
use jiff::{SignedDuration, Timestamp};

use super::cell::Cell;

/// An epoch number at least this large is milliseconds (1e11 seconds is
/// the year 5138; 1e11 milliseconds is 1973).
const MILLISECONDS_FROM: f64 = 1e11;

/// Parses `--timezone`: `UTC`, an offset (`+08:00`, `+8`, `UTC+8`, `-0530`)
/// or an IANA name (`Asia/Shanghai`).
///
/// # Errors
/// Neither an offset nor a time zone name known to the bundled database.
pub fn parse_zone(value: &str) -> Result<TimeZone, String> {
    let offset = value
        .strip_prefix("UTC")
        .or_else(|| value.strip_prefix("GMT"))
        .unwrap_or(value);
    if offset.is_empty() {
        return Ok(TimeZone::UTC);
    }
    if offset.starts_with(['+', '-']) {
        return parse_offset(offset).map(TimeZone::fixed).ok_or_else(|| {
            format!("{value:?} is not a UTC offset in use (-12:00 to +14:00) such as +08:00, +8 or -0530")
        });
    }
    TimeZone::get(value)
        .map_err(|e| format!("{value:?} is neither a UTC offset (+08:00) nor a time zone name (Asia/Shanghai): {e}"))
}

/// `±H`, `±HH`, `±HHMM` or `±HH:MM`, one of [`OFFSETS_IN_USE`].
fn parse_offset(text: &str) -> Option<Offset> {
    let sign = if text.starts_with('-') { -1 } else { 1 };
    let digits = &text[1..];
    let (hours, minutes) = match digits.split_once(':') {
        Some((h, m)) => (h, m),
        None if digits.len() > 2 => digits.split_at(digits.len() - 2),
        None => (digits, "0"),
    };
    let all_digits = |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(hours) || !all_digits(minutes) {
        return None;
    }
    let (hours, minutes): (i32, i32) = (hours.parse().ok()?, minutes.parse().ok()?);
    let seconds = sign * (hours * 3600 + minutes * 60);
    if minutes >= 60 || !offset_in_use(seconds) {
        return None;
    }
    Offset::from_seconds(seconds).ok()
}

/// The time `cell` gives, in milliseconds since the Unix epoch (a fraction
/// of a second kept to the millisecond); `None` for an empty or null one.
///
/// # Errors
/// A value that is no time, said with what it is.
pub fn parse(cell: &Cell, zone: &TimeZone) -> Result<Option<i64>, String> {
    let text = match cell {
        Cell::Null => return Ok(None),
        Cell::Text(text) if text.trim().is_empty() => return Ok(None),
        Cell::Other(kind) => return Err(format!("is {kind}, not a time")),
        Cell::Text(text) | Cell::Number(text) => text.trim(),
    };
    let bad = || {
        let date = if is_time_of_day(text) {
            format!(
                "; a time of day is read with the message's date field ({})",
                crate::read::names::NAMES.date_fields.join(", ")
            )
        } else {
            String::new()
        };
        format!(
            "{text:?} is not a time: ISO 8601 (2024-06-18T14:03:05+08:00), a date and time (2024-06-18 14:03:05, 2024/6/18 14:03:05, in --timezone unless +08:00 follows), or epoch seconds or milliseconds{date}"
        )
    };
    if text.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        let number: f64 = text.parse().map_err(|_| bad())?;
        let ms = if number >= MILLISECONDS_FROM {
            number
        } else {
            number * 1000.0
        };
        let ms = ms.floor();
        let unit = if number >= MILLISECONDS_FROM {
            "milliseconds"
        } else {
            "seconds"
        };
        if ms < (EARLIEST * 1000) as f64 {
            return Err(format!(
                "{text:?} is before 2000-01-01 in epoch {unit}: a placeholder, not when a message was sent"
            ));
        }
        if ms >= (LATEST * 1000) as f64 {
            let hint = if unit == "seconds" {
                " (milliseconds have 13 digits)"
            } else {
                ""
            };
            return Err(format!(
                "{text:?} is after 2100 in epoch {unit}: no message was sent then{hint}"
            ));
        }
        return Ok(Some(ms as i64));
    }
    let at = match text.parse::<Timestamp>() {
        Ok(at) => {
            let offset = Pieces::parse(text).ok().and_then(|p| p.offset());
            in_use(text, offset.map_or(Offset::UTC, |o| o.to_numeric_offset()))?;
            at
        }
        Err(_) => match written(text, zone) {
            Some(at) => at?,
            None if year(text).is_some_and(|y| !YEARS.contains(&y)) => return Err(out_of_range(text)),
            None => return Err(bad()),
        },
    };
    let ms = at.as_millisecond();
    if !(EARLIEST * 1000..LATEST * 1000).contains(&ms) {
        return Err(out_of_range(text));
    }
    Ok(Some(ms))
}

/// The UTC offsets in use, in hours: from -12:00 (Baker Island) to +14:00
/// (Kiribati).
const OFFSETS_IN_USE: std::ops::RangeInclusive<i32> = -12..=14;

/// Whether a UTC offset of `seconds` is one of [`OFFSETS_IN_USE`].
fn offset_in_use(seconds: i32) -> bool {
    (OFFSETS_IN_USE.start() * 3600..=OFFSETS_IN_USE.end() * 3600).contains(&seconds)
}

/// Refuses a time whose UTC offset no place uses (`+2500`, a typing
/// mistake that would move the time by a day).
///
/// # Errors
/// The offset, and the offsets in use.
fn in_use(text: &str, offset: Offset) -> Result<(), String> {
    if offset_in_use(offset.seconds()) {
        return Ok(());
    }
    Err(format!(
        "{text:?} has the UTC offset {offset}, which no place uses (offsets run from -12:00 to +14:00)"
    ))
}

/// The error for a date before 2000 or from 2100 on.
fn out_of_range(text: &str) -> String {
    format!(
        "{text:?} is not between 2000 and 2100: a placeholder (0001-01-01 and 9999-12-31 are common ones), not when a message was sent"
    )
}

/// The year a date written `YYYY-…` or `YYYY/…` begins with.
fn year(text: &str) -> Option<i32> {
    let (year, _) = text.split_once(['-', '/', '年'])?;
    (year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()))
        .then(|| year.parse().ok())
        .flatten()
}

/// The years a message's time may be in: [`EARLIEST`] to [`LATEST`].
const YEARS: std::ops::Range<i32> = 2000..2100;

/// 2000-01-01T00:00:00Z in epoch seconds: no chat log's message is older,
/// and an epoch time before it (0, 1) is an export's placeholder.
const EARLIEST: i64 = 946_684_800;

/// 2100-01-01T00:00:00Z in epoch seconds: an epoch time after it is a
/// mistake (11 digits of seconds read as seconds, not milliseconds).
const LATEST: i64 = 4_102_444_800;

/// The date and time forms exports write besides RFC 3339, with the date
/// separated by `-` (a `/` is read as one) and the time by a space (or a
/// `T`); leading zeros optional (`2026-3-2 9:05:00`, as Excel on Chinese
/// Windows saves dates), fractional seconds optional, and an offset after
/// the time or a space (`+0800`, `+08:00`); a 12-hour time after 上午 or
/// 下午 (`2026/3/2 下午3:05:00`, read as `PM 3:05:00`). Without an offset
/// the time is in `zone`.
const FORMS: [(&str, bool); 8] = [
    ("%Y-%m-%d %H:%M:%S%.f", false),
    ("%Y-%m-%d %H:%M", false),
    ("%Y-%m-%d %p %I:%M:%S%.f", false),
    ("%Y-%m-%d %p %I:%M", false),
    ("%Y-%m-%d %H:%M:%S%.f%z", true),
    ("%Y-%m-%d %H:%M:%S%.f%:z", true),
    ("%Y-%m-%d %H:%M:%S%.f %z", true),
    ("%Y-%m-%d %H:%M:%S%.f %:z", true),
];

/// The instant `text` writes in one of [`FORMS`], if it does; an error for
/// a time without an offset that `zone` skips (when clocks go forward for
/// daylight saving: 2026-03-08 02:30 in America/New_York never happened).
/// A time `zone` has twice (when clocks go back) is the earlier.
fn written(text: &str, zone: &TimeZone) -> Option<Result<Timestamp, String>> {
    // 2026年3月2日 10:00:00 is 2026-3-2 10:00:00; 下午3:05 is PM 3:05.
    let text = text
        .replace(['/', '年', '月'], "-")
        .replace('日', "")
        .replace("上午", " AM ")
        .replace("下午", " PM ");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = match text.split_once('T') {
        Some((date, time)) if date.bytes().all(|b| b.is_ascii_digit() || b == b'-') => format!("{date} {time}"),
        _ => text,
    };
    FORMS.iter().find_map(|&(form, offset)| {
        let parts = strtime::parse(form, &text).ok()?;
        if offset {
            let at = parts.to_timestamp().ok()?;
            return Some(in_use(&text, parts.offset().unwrap_or(Offset::UTC)).map(|()| at));
        }
        let civil = parts.to_datetime().ok()?;
        let at = zone.to_ambiguous_timestamp(civil);
        if let AmbiguousOffset::Gap { before, after } = at.offset() {
            let zone_name = zone.iana_name().unwrap_or("--timezone");
            return Some(Err(format!(
                "{text:?} never happened in {zone_name}: its clocks went from UTC{before} to UTC{after} then (daylight saving); give the time with its offset"
            )));
        }
        at.compatible().ok().map(Ok)
    })
}

/// Whether `text` is only a time of day: it starts with the hour and a
/// colon, after 上午 / 下午 if any (`10:00:05`, `9:30`, `10:00:05.250`,
/// `下午11:59:50`, `23:59:50+08:00`), where a date and time starts with the
/// date (`2024-06-18 10:00`).
pub fn is_time_of_day(text: &str) -> bool {
    let text = text.trim();
    let clock = ["上午", "下午"]
        .iter()
        .find_map(|m| text.strip_prefix(m))
        .unwrap_or(text)
        .trim_start();
    let hour = clock.bytes().take_while(u8::is_ascii_digit).count();
    (1..=2).contains(&hour) && clock.as_bytes().get(hour) == Some(&b':')
}

/// The civil date and time an Excel date cell (`serial` days since
/// 1899-12-30) shows, as `YYYY-MM-DDTHH:MM:SS`.
pub fn excel_serial(serial: f64) -> Option<String> {
    // To the millisecond: a wait of 10.4 s between two date cells is over 10 s.
    let ms = (serial * 86_400_000.0).round();
    if !ms.is_finite() || ms.abs() > 1e15 {
        return None;
    }
    let epoch = jiff::civil::date(1899, 12, 30).at(0, 0, 0, 0);
    epoch
        .checked_add(SignedDuration::from_millis(ms as i64))
        .ok()
        .map(|dt| dt.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(value: &str, zone: &str) -> Result<Option<i64>, String> {
        parse(&Cell::Text(value.to_owned()), &parse_zone(zone).unwrap())
    }

    #[test]
    fn a_time_of_day_starts_with_its_hour() {
        for time in [
            "10:00:05",
            "9:30",
            "10:00:05.250",
            "下午11:59:50",
            "上午 9:30",
            "23:59:50+08:00",
        ] {
            assert!(is_time_of_day(time), "{time}");
        }
        for other in [
            "2024-06-18 10:00",
            "2024/6/18 下午2:03:05",
            "1718690585",
            "235950",
            "昨天下午",
            "",
        ] {
            assert!(!is_time_of_day(other), "{other}");
        }
    }

    #[test]
    fn a_time_daylight_saving_skips_is_an_error_and_one_it_repeats_is_the_earlier() {
        let err = at("2026-03-08 02:30:00", "America/New_York").unwrap_err();
        assert!(err.contains("never happened in America/New_York"), "{err}");
        assert!(err.contains("UTC-05 to UTC-04"), "{err}");
        // 01:30 happens twice on 2026-11-01: the first, in daylight time (UTC-4).
        assert_eq!(
            at("2026-11-01 01:30:00", "America/New_York"),
            Ok(Some(1_793_511_000_000))
        );
        // China has no daylight saving: every civil time exists.
        assert!(at("2026-03-08 02:30:00", "Asia/Shanghai").is_ok());
    }

    #[test]
    fn every_written_form_gives_the_same_instant() {
        let instant = Some(1_718_690_585_000); // 2024-06-18T06:03:05Z, in milliseconds
        assert_eq!(at("2024-06-18T14:03:05+08:00", "UTC"), Ok(instant));
        assert_eq!(at("2024-06-18T06:03:05Z", "Asia/Shanghai"), Ok(instant));
        assert_eq!(at("2024-06-18 14:03:05", "Asia/Shanghai"), Ok(instant));
        assert_eq!(at("2024/06/18 14:03:05", "+08:00"), Ok(instant));
        assert_eq!(at("2024-06-18 14:03:05", "UTC+8"), Ok(instant));
        assert_eq!(at("1718690585", "UTC"), Ok(instant));
        assert_eq!(at("1718690585123", "UTC"), Ok(Some(1_718_690_585_123)));
        assert_eq!(parse(&Cell::Number("1718690585".into()), &TimeZone::UTC), Ok(instant));
        // As exports write them: unpadded, with `/`, an offset after a space or none, fractions.
        assert_eq!(at("2024/6/18 14:03:05", "Asia/Shanghai"), Ok(instant));
        assert_eq!(at("2024-6-18 6:03:05", "UTC"), Ok(instant));
        assert_eq!(at("2024-06-18 14:03:05 +0800", "UTC"), Ok(instant));
        assert_eq!(at("2024-06-18 14:03:05+08:00", "UTC"), Ok(instant));
        assert_eq!(at("2024-06-18 14:03:05 +08:00", "UTC"), Ok(instant));
        assert_eq!(at("2024-06-18 14:03:05.250", "+08:00"), Ok(Some(1_718_690_585_250)));
        assert_eq!(at("2024-6-18T14:03:05.5+0800", "UTC"), Ok(Some(1_718_690_585_500)));
        assert_eq!(at("1718690585.999", "UTC"), Ok(Some(1_718_690_585_999)));
        assert_eq!(at("2024-06-18 14:03", "+08:00"), Ok(Some(1_718_690_580_000)));
        assert_eq!(at("2024年6月18日 14:03:05", "+08:00"), Ok(instant));
        assert_eq!(at("2024/6/18 下午2:03:05", "+08:00"), Ok(instant));
        assert_eq!(at("2024-06-18 下午 02:03:05", "+08:00"), Ok(instant));
        assert_eq!(at("2024年6月18日 上午6:03:05", "UTC"), Ok(instant));
        assert_eq!(
            at("2024-06-18 上午12:00:00", "UTC"),
            Ok(Some(1_718_668_800_000)),
            "上午12 is midnight"
        );
    }

    #[test]
    fn garbage_and_placeholder_epochs_are_refused() {
        for bad in [
            "2024-06-18 25:00:00",
            "2024-6-31 10:00:00",
            "2024-06-18 14:03:05 +99",
            "2024-06-18x",
            "10:00:00",
            "0",
            "1",
            "946684799",
            "99999999999",
        ] {
            assert!(at(bad, "UTC").is_err(), "{bad}");
        }
        let err = at("0", "UTC").unwrap_err();
        assert!(err.contains("before 2000-01-01 in epoch seconds"), "{err}");
        let err = at("946684799999", "UTC").unwrap_err();
        assert!(err.contains("before 2000-01-01 in epoch milliseconds"), "{err}");
        let err = at("4102444800000", "UTC").unwrap_err();
        assert!(
            err.ends_with("after 2100 in epoch milliseconds: no message was sent then"),
            "{err}"
        );
        assert_eq!(at("946684800", "UTC"), Ok(Some(946_684_800_000)));
    }

    /// Exports write 0001-01-01 or 9999-12-31 for a missing time: a wait
    /// measured from one would be 63 billion seconds.
    #[test]
    fn placeholder_dates_in_every_form_are_refused() {
        for placeholder in [
            "0001-01-01T00:00:00Z",
            "0001-01-01 00:00:00",
            "1999-12-31T23:59:59+08:00",
            "9999-12-31T23:59:59+00:00",
            "9999/12/31 23:59:59",
            "2100-01-01 00:00:00",
        ] {
            let err = at(placeholder, "UTC").unwrap_err();
            assert!(err.contains("is not between 2000 and 2100: a placeholder"), "{err}");
        }
        assert_eq!(at("2000-01-01T00:00:00Z", "UTC"), Ok(Some(946_684_800_000)));
        assert!(at("2099-12-31 23:59:59", "Asia/Shanghai").is_ok_and(|t| t.is_some()));
    }

    #[test]
    fn empty_times_are_none_and_bad_ones_are_errors() {
        assert_eq!(at("", "UTC"), Ok(None));
        assert_eq!(parse(&Cell::Null, &TimeZone::UTC), Ok(None));
        let err = at("昨天下午", "UTC").unwrap_err();
        assert!(err.starts_with("\"昨天下午\" is not a time"), "{err}");
        assert!(at("2024-13-01 10:00:00", "UTC").is_err());
        assert!(at("99999999999999999999999", "UTC").is_err());
        assert_eq!(
            parse(&Cell::Other("an object"), &TimeZone::UTC),
            Err("is an object, not a time".into())
        );
    }

    #[test]
    fn an_offset_no_place_uses_is_an_error() {
        for text in [
            "2026-03-02 10:00:00 +2500",
            "2026-03-02T10:00:00+25:00",
            "2026-03-02 10:00:00-1430",
            "2026-03-02 10:00:00 -12:30",
        ] {
            let err = at(text, "UTC").unwrap_err();
            assert!(err.contains("which no place uses"), "{err}");
        }
        let east = at("2026-03-02T10:00:00+14:00", "UTC").unwrap().unwrap();
        let west = at("2026-03-02 10:00:00 -1200", "UTC").unwrap().unwrap();
        assert_eq!(west - east, 26 * 3_600_000);
    }

    #[test]
    fn zones_are_offsets_or_names() {
        assert!(parse_zone("Asia/Taipei").is_ok());
        assert!(parse_zone("-0530").is_ok());
        assert!(parse_zone("+25:00").is_err());
        let err = parse_zone("Mars/Olympus").unwrap_err();
        assert!(err.contains("neither a UTC offset"), "{err}");
    }

    #[test]
    fn excel_serials_are_civil_times() {
        assert_eq!(excel_serial(45461.5).as_deref(), Some("2024-06-18T12:00:00"));
        assert_eq!(
            excel_serial(45461.5 + 10.4 / 86_400.0).as_deref(),
            Some("2024-06-18T12:00:10.4")
        );
    }
}
