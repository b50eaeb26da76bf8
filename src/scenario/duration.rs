//! Durations as scenario files and the command line write them: a number and a unit, `250ms`, `2.5s`, `5m`,
//! `1h`. The engine's clock counts whole milliseconds, so a duration that is not a whole number of
//! milliseconds is refused rather than rounded.

use std::time::Duration;

/// Parses `250ms`, `2.5s`, `5m`, `1h` (no sign, no spaces inside, at most whole milliseconds).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let unit_ms: u64 = match unit {
        "ms" => 1,
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "" => {
            return Err(format!(
                "'{text}' has no unit: write it as '250ms', '2.5s', '5m' or '1h'"
            ))
        }
        _ => {
            return Err(format!(
                "'{text}' is not a duration: the unit must be 'ms', 's', 'm' or 'h'"
            ))
        }
    };
    let (whole, frac) = match number.split_once('.') {
        Some((w, f)) => (w, f),
        None => (number, ""),
    };
    let digits_ok = !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
        && !(number.contains('.') && frac.is_empty());
    if !digits_ok {
        return Err(format!(
            "'{text}' is not a duration: write a number and a unit, as '250ms', '2.5s', '5m' or '1h'"
        ));
    }
    let too_long = || format!("'{text}' is too long a duration");
    let whole: u64 = whole.parse().map_err(|_| too_long())?;
    let mut ms = whole.checked_mul(unit_ms).ok_or_else(too_long)?;
    // The fraction in units, as an exact integer ratio: frac_value / 10^len.
    let frac = frac.trim_end_matches('0');
    if !frac.is_empty() {
        if frac.len() > 9 {
            return Err(format!(
                "'{text}' is finer than a millisecond: the virtual clock counts whole milliseconds"
            ));
        }
        let value: u64 = frac.parse().map_err(|_| too_long())?;
        let scale = 10u64.pow(frac.len() as u32);
        let numerator = value * unit_ms;
        if numerator % scale != 0 {
            return Err(format!(
                "'{text}' is finer than a millisecond: the virtual clock counts whole milliseconds"
            ));
        }
        ms = ms.checked_add(numerator / scale).ok_or_else(too_long)?;
    }
    Ok(Duration::from_millis(ms))
}

/// Formats a duration the way scenario files write it (`2.5s`, `300ms`, `5m`).
pub fn format_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms == 0 {
        return "0s".to_string();
    }
    if ms % 3_600_000 == 0 {
        return format!("{}h", ms / 3_600_000);
    }
    if ms % 60_000 == 0 {
        return format!("{}m", ms / 60_000);
    }
    if ms % 1000 == 0 {
        return format!("{}s", ms / 1000);
    }
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let s = format!("{}.{:03}", ms / 1000, ms % 1000);
    format!("{}s", s.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn units() {
        assert_eq!(parse_duration("250ms"), Ok(ms(250)));
        assert_eq!(parse_duration("2.5s"), Ok(ms(2500)));
        assert_eq!(parse_duration("5m"), Ok(ms(300_000)));
        assert_eq!(parse_duration("1h"), Ok(ms(3_600_000)));
        assert_eq!(parse_duration("0s"), Ok(ms(0)));
        assert_eq!(parse_duration("0.001s"), Ok(ms(1)));
        assert_eq!(parse_duration("1.50s"), Ok(ms(1500)));
        assert_eq!(parse_duration("0.5m"), Ok(ms(30_000)));
    }

    #[test]
    fn refusals() {
        for bad in [
            "", "5", "s", "1.s", ".5s", "-1s", "1 s", "1d", "1.0005s", "0.5ms", "1e3ms", "abc",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad:?} should be refused");
        }
        assert!(parse_duration("99999999999999999999h").is_err());
        assert!(parse_duration("5").unwrap_err().contains("no unit"));
    }

    #[test]
    fn formats_back() {
        for text in ["250ms", "2.5s", "5m", "1h", "0s", "1.001s", "90s"] {
            let d = parse_duration(text).unwrap();
            assert_eq!(format_duration(d), text);
        }
    }
}
