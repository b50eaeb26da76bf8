//! `ast_strptime` (main/stdtime/localtime.c, ast_strptime_locale): glibc's `strptime` in the C locale on a
//! zeroed `struct tm`, so a field the format does not give stays 0 — day 0 of January 1900 unless the
//! format says otherwise (`ast_mktime` then normalises it to the day before). Numbers are read as glibc's
//! `get_number` reads them: blanks skipped, digits only, and no further digit once one more would exceed
//! the field's maximum. `%p` moves the hour only after `%I`; `%C` combines with `%y`; `%j` gives the month
//! and day when the format has no week day; `%z` and `%Z` are read and ignored (`ast_mktime` interprets
//! the fields in the zone STRPTIME names); strftime's flags and widths are skipped.

use super::{Tm, DAYS, MONTHS};

/// What the conversions found beyond the fields themselves.
#[derive(Default)]
struct State {
    /// `tm_year` (years since 1900).
    year: i64,
    mon: i64,
    mday: i64,
    hour: i64,
    min: i64,
    sec: i64,
    wday: i64,
    yday: i64,
    have_i: bool,
    is_pm: bool,
    century: Option<i64>,
    want_century: bool,
    want_xday: bool,
    have_wday: bool,
    have_yday: bool,
    have_mon: bool,
    have_mday: bool,
    /// `%s` set every field at once.
    epoch: Option<i64>,
}

/// Parses `text` with `fmt`; `None` when glibc's strptime returns NULL. Text after the format is ignored.
pub fn strptime(text: &str, fmt: &str) -> Option<Tm> {
    let mut st = State::default();
    let mut rest = text.as_bytes();
    parse(&mut rest, fmt.as_bytes(), &mut st)?;
    if let Some(secs) = st.epoch {
        return Some(Tm::from_unix(secs, 0));
    }
    if st.have_i && st.is_pm {
        st.hour += 12;
    }
    if let Some(c) = st.century {
        st.year = if st.want_century {
            st.year % 100 + (c - 19) * 100
        } else {
            (c - 19) * 100
        };
    }
    if st.want_xday && !st.have_wday && !(st.have_mon && st.have_mday) && st.have_yday {
        let leap = super::is_leap(1900 + st.year);
        let starts = month_starts(leap);
        let mon = starts.iter().rposition(|&d| d <= st.yday).unwrap_or(0);
        if !st.have_mon {
            st.mon = mon as i64;
        }
        if !st.have_mday {
            st.mday = st.yday - starts[mon] + 1;
        }
    }
    let days =
        super::days_from_civil(1900 + st.year, 1, 1) + days_before_month(st.year, st.mon) + st.mday
            - 1;
    let secs = days * 86_400 + st.hour * 3600 + st.min * 60 + st.sec;
    Some(Tm::from_unix(secs, 0))
}

/// Days from January 1 of `tm_year` to the first of month `mon` (which may be out of range: mktime
/// carries it into the year).
fn days_before_month(tm_year: i64, mon: i64) -> i64 {
    let y = 1900 + tm_year + mon.div_euclid(12);
    let m = mon.rem_euclid(12);
    super::days_from_civil(y, m + 1, 1) - super::days_from_civil(1900 + tm_year, 1, 1)
}

/// The day of the year each month starts on.
fn month_starts(leap: bool) -> [i64; 12] {
    let mut out = [0; 12];
    let lens = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    for m in 1..12 {
        out[m] = out[m - 1] + lens[m - 1];
    }
    out
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

fn skip_space(s: &mut &[u8]) {
    while s.first().is_some_and(|&c| is_space(c)) {
        *s = &s[1..];
    }
}

/// glibc's `get_number(from, to, n)`.
fn get_number(s: &mut &[u8], from: i64, to: i64, n: usize) -> Option<i64> {
    skip_space(s);
    if !s.first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let mut val = 0i64;
    let mut left = n;
    loop {
        val = val * 10 + i64::from(s[0] - b'0');
        *s = &s[1..];
        left -= 1;
        if left == 0 || val * 10 > to || !s.first().is_some_and(u8::is_ascii_digit) {
            break;
        }
    }
    (from..=to).contains(&val).then_some(val)
}

/// The longest of the full and abbreviated names that starts `s` (case-insensitive): its index.
fn match_name(s: &mut &[u8], names: &[&str]) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for (i, n) in names.iter().enumerate() {
        let b = n.as_bytes();
        for cand in [b, b.get(..3).unwrap_or(b)] {
            let fits = s.len() >= cand.len() && s[..cand.len()].eq_ignore_ascii_case(cand);
            if fits && best.is_none_or(|(_, len)| cand.len() > len) {
                best = Some((i, cand.len()));
            }
        }
    }
    let (i, len) = best?;
    *s = &s[len..];
    Some(i)
}

fn parse(s: &mut &[u8], fmt: &[u8], st: &mut State) -> Option<()> {
    let mut f = fmt;
    while let Some(&c) = f.first() {
        f = &f[1..];
        if is_space(c) {
            skip_space(s);
            continue;
        }
        if c != b'%' {
            if s.first() != Some(&c) {
                return None;
            }
            *s = &s[1..];
            continue;
        }
        // strftime's flags and field widths mean nothing here.
        while f.first().is_some_and(|c| b"-_0^#".contains(c)) {
            f = &f[1..];
        }
        while f.first().is_some_and(u8::is_ascii_digit) {
            f = &f[1..];
        }
        // `E` and `O` (era and alternative digits) change nothing in the C locale.
        while f.first().is_some_and(|c| matches!(c, b'E' | b'O')) {
            f = &f[1..];
        }
        let spec = *f.first()?;
        f = &f[1..];
        match spec {
            b'%' => {
                if s.first() != Some(&b'%') {
                    return None;
                }
                *s = &s[1..];
            }
            b'a' | b'A' => {
                st.wday = match_name(s, &DAYS)? as i64;
                st.have_wday = true;
            }
            b'b' | b'B' | b'h' => {
                st.mon = match_name(s, &MONTHS)? as i64;
                st.have_mon = true;
                st.want_xday = true;
            }
            b'c' => {
                parse(s, b"%a %b %e %H:%M:%S %Y", st)?;
                st.want_xday = true;
            }
            b'C' => {
                st.century = Some(get_number(s, 0, 99, 2)?);
                st.want_xday = true;
            }
            b'd' | b'e' => {
                st.mday = get_number(s, 1, 31, 2)?;
                st.have_mday = true;
                st.want_xday = true;
            }
            b'F' => {
                parse(s, b"%Y-%m-%d", st)?;
                st.want_xday = true;
            }
            b'x' | b'D' => {
                parse(s, b"%m/%d/%y", st)?;
                st.want_xday = true;
            }
            b'k' | b'H' => {
                st.hour = get_number(s, 0, 23, 2)?;
                st.have_i = false;
            }
            b'l' | b'I' => {
                st.hour = get_number(s, 1, 12, 2)? % 12;
                st.have_i = true;
            }
            b'j' => {
                st.yday = get_number(s, 1, 366, 3)? - 1;
                st.have_yday = true;
            }
            b'm' => {
                st.mon = get_number(s, 1, 12, 2)? - 1;
                st.have_mon = true;
                st.want_xday = true;
            }
            b'M' => st.min = get_number(s, 0, 59, 2)?,
            b'n' | b't' => skip_space(s),
            b'p' => {
                let up = |n: usize| s.get(..n).map(<[u8]>::to_ascii_uppercase);
                st.is_pm = match up(2).as_deref() {
                    Some(b"AM") => false,
                    Some(b"PM") => true,
                    _ => return None,
                };
                *s = &s[2..];
            }
            b'r' => parse(s, b"%I:%M:%S %p", st)?,
            b'R' => parse(s, b"%H:%M", st)?,
            b's' => {
                if !s.first().is_some_and(u8::is_ascii_digit) {
                    return None;
                }
                let mut secs: i64 = 0;
                while let Some(&d) = s.first().filter(|d| d.is_ascii_digit()) {
                    secs = secs.saturating_mul(10).saturating_add(i64::from(d - b'0'));
                    *s = &s[1..];
                }
                st.epoch = Some(secs);
            }
            b'S' => st.sec = get_number(s, 0, 61, 2)?,
            b'X' | b'T' => parse(s, b"%H:%M:%S", st)?,
            b'u' => {
                st.wday = get_number(s, 1, 7, 1)? % 7;
                st.have_wday = true;
            }
            b'g' => {
                get_number(s, 0, 99, 2)?;
            }
            b'G' => {
                if !s.first().is_some_and(u8::is_ascii_digit) {
                    return None;
                }
                while s.first().is_some_and(u8::is_ascii_digit) {
                    *s = &s[1..];
                }
            }
            b'U' | b'V' | b'W' => {
                get_number(s, 0, 53, 2)?;
            }
            b'w' => {
                st.wday = get_number(s, 0, 6, 1)?;
                st.have_wday = true;
            }
            b'y' => {
                let v = get_number(s, 0, 99, 2)?;
                st.year = if v >= 69 { v } else { v + 100 };
                st.want_century = true;
                st.want_xday = true;
            }
            b'Y' => {
                st.year = get_number(s, 0, 9999, 4)? - 1900;
                st.want_century = false;
                st.want_xday = true;
            }
            b'Z' => {
                skip_space(s);
                while s.first().is_some_and(|&c| !is_space(c)) {
                    *s = &s[1..];
                }
            }
            b'z' => {
                skip_space(s);
                if s.first() == Some(&b'Z') {
                    *s = &s[1..];
                    continue;
                }
                if !matches!(s.first(), Some(b'+' | b'-')) {
                    return None;
                }
                *s = &s[1..];
                let mut val = 0i64;
                let mut n = 0;
                let digits = |s: &mut &[u8], n: &mut usize, val: &mut i64| {
                    while *n < 4 {
                        let Some(&d) = s.first().filter(|d| d.is_ascii_digit()) else {
                            break;
                        };
                        *val = *val * 10 + i64::from(d - b'0');
                        *s = &s[1..];
                        *n += 1;
                    }
                };
                digits(s, &mut n, &mut val);
                if n == 2 && s.first() == Some(&b':') {
                    *s = &s[1..];
                    digits(s, &mut n, &mut val);
                }
                if n != 2 && (n != 4 || val % 100 >= 60) {
                    return None;
                }
            }
            _ => return None,
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(text: &str, fmt: &str) -> Option<i64> {
        strptime(text, fmt).map(|tm| tm.to_unix())
    }

    /// Each value is glibc 2.36's strptime on a zeroed struct tm followed by timegm, as STRPTIME(…,UTC,…)
    /// computes it.
    #[test]
    fn like_glibc() {
        let cases: &[(&str, &str, Option<i64>)] = &[
            (
                "2024-01-01 00:00:00",
                "%Y-%m-%d %H:%M:%S",
                Some(1_704_067_200),
            ),
            ("2024-02-30", "%Y-%m-%d", Some(1_709_251_200)),
            ("12/31/68", "%D", Some(3_124_137_600)),
            ("10:30 PM", "%I:%M %p", Some(-2_208_994_200)),
            ("12:00 am", "%I:%M %p", Some(-2_209_075_200)),
            ("2024 032", "%Y %j", Some(1_706_745_600)),
            ("2024", "%C%y", Some(1_703_980_800)),
            ("20 24", "%C %y", Some(1_703_980_800)),
            (
                "2024-01-01 10:00:00 +0200",
                "%Y-%m-%d %H:%M:%S %z",
                Some(1_704_103_200),
            ),
            ("%2024", "%%%Y", Some(1_703_980_800)),
            ("15", "%H", Some(-2_209_021_200)),
            ("10:11:12", "%T", Some(-2_209_038_528)),
            ("Tuesday", "%A", Some(-2_209_075_200)),
            ("Mon Jan  1 2024", "%a %b %e %Y", Some(1_704_067_200)),
            ("x2024", "%Y", None),
            ("2024-13-01", "%Y-%m-%d", None),
            ("24:00", "%H:%M", None),
            ("355", "%H%M", Some(-2_209_061_100)),
            ("10 PM", "%H %p", Some(-2_209_039_200)),
            ("2024-06-01", "%-Y-%_m-%02d", Some(1_717_200_000)),
            ("1 +05:30", "%d %z", Some(-2_208_988_800)),
            ("1 +5", "%d %z", None),
        ];
        for (text, fmt, want) in cases {
            assert_eq!(secs(text, fmt), *want, "{text:?} {fmt:?}");
        }
    }
}
