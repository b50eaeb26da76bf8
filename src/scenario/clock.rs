//! The virtual wall clock of a scenario: `start = "2026-01-05T09:00:00"` as Unix seconds, and back.
//!
//! Only UTC is modelled (no time-zone database is bundled), so the conversion is the proleptic Gregorian
//! calendar's arithmetic and nothing else.

/// The default start, `2023-11-14T22:13:20` UTC, which is Unix time 1,700,000,000.
pub const DEFAULT_START: &str = "2023-11-14T22:13:20";

/// Parses `YYYY-MM-DDTHH:MM:SS` (a trailing `Z` is allowed) into Unix seconds.
pub fn parse_start(text: &str) -> Result<i64, String> {
    let bad = || {
        format!("'{text}' is not a start time: write it as 'YYYY-MM-DDTHH:MM:SS', e.g. '2026-01-05T09:00:00'")
    };
    let t = text.strip_suffix('Z').unwrap_or(text);
    let (date, time) = t.split_once(['T', ' ']).ok_or_else(bad)?;
    let nums = |s: &str, sep: char, widths: [usize; 3]| -> Option<[i64; 3]> {
        let parts: Vec<&str> = s.split(sep).collect();
        if parts.len() != 3 {
            return None;
        }
        let mut out = [0i64; 3];
        for (i, p) in parts.iter().enumerate() {
            if p.len() != widths[i] || !p.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            out[i] = p.parse().ok()?;
        }
        Some(out)
    };
    let [y, mo, d] = nums(date, '-', [4, 2, 2]).ok_or_else(bad)?;
    let [h, mi, s] = nums(time, ':', [2, 2, 2]).ok_or_else(bad)?;
    if !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || s > 59 {
        return Err(bad());
    }
    Ok(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s)
}

/// Formats Unix seconds as `YYYY-MM-DD HH:MM:SS` (UTC).
pub fn format_utc(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rest = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_start_is_1700000000() {
        assert_eq!(parse_start(DEFAULT_START), Ok(1_700_000_000));
        assert_eq!(format_utc(1_700_000_000), "2023-11-14 22:13:20");
    }

    #[test]
    fn known_dates() {
        assert_eq!(parse_start("1970-01-01T00:00:00"), Ok(0));
        assert_eq!(parse_start("2026-01-05T09:00:00Z"), Ok(1_767_603_600));
        assert_eq!(parse_start("2024-02-29T00:00:00"), Ok(1_709_164_800));
    }

    #[test]
    fn refusals() {
        for bad in [
            "2023-02-29T00:00:00",
            "2023-13-01T00:00:00",
            "2023-1-01T00:00:00",
            "yesterday",
            "2023-01-01",
            "2023-01-01T24:00:00",
        ] {
            assert!(parse_start(bad).is_err(), "{bad}");
        }
    }
}
