//! `ast_strftime` (main/stdtime/localtime.c, ast_strftime_locale): Asterisk first replaces its own `%q`
//! and `%1q`…`%6q` (fractions of a second) and hands the rest to the C library's `strftime`. Asterisk 22
//! runs on glibc, so the rest follows glibc's `strftime` in the C locale, GNU extensions included: the
//! flags `_` (pad numbers with spaces), `-` (no padding), `0` (zeros), `^` (upper case), `#` (swap case),
//! a field width, the `E`/`O` modifiers (no era or alternative digits in the C locale, so they mostly
//! change nothing or make the conversion invalid), and an unknown conversion copied out as written.

use super::{Tm, DAYS, MONTHS};

/// Formats `tm` as `ast_strftime(buf, len, fmt, tm)` does.
pub fn strftime(fmt: &str, tm: &Tm) -> String {
    let expanded = expand_fractions(fmt.as_bytes(), tm.usec);
    let mut out = Vec::with_capacity(expanded.len() + 16);
    c_strftime(&expanded, tm, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// Asterisk's pass over the format: `%q` is `%3q`; `%<n>q` (n = 1…6) prints the microseconds cut to n
/// digits. Every other byte is copied, one at a time (so the second `%` of `%%q` still starts a `%q`).
fn expand_fractions(fmt: &[u8], usec: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(fmt.len() + 8);
    let mut i = 0;
    while i < fmt.len() {
        if fmt[i] == b'%' {
            let found = match (fmt.get(i + 1), fmt.get(i + 2)) {
                (Some(&d @ b'1'..=b'6'), Some(b'q')) => Some((u32::from(d - b'0'), 3)),
                (Some(b'q'), _) => Some((3, 2)),
                _ => None,
            };
            if let Some((decimals, used)) = found {
                let mut fraction = usec;
                for _ in decimals..6 {
                    fraction /= 10;
                }
                let width = decimals as usize;
                out.extend_from_slice(format!("{fraction:0width$}").as_bytes());
                i += used;
                continue;
            }
        }
        out.push(fmt[i]);
        i += 1;
    }
    out
}

/// The flags, width and case of one conversion.
#[derive(Clone, Copy)]
struct Spec {
    /// `0` (none), `b'_'`, `b'-'` or `b'0'`.
    pad: u8,
    /// −1 when none was written.
    width: i64,
    upper: bool,
    lower: bool,
}

impl Spec {
    /// glibc's `add`/`cpy`: pads to the width (zeros with the `0` flag, else spaces), then the text in
    /// the requested case.
    fn put(&self, out: &mut Vec<u8>, text: &[u8]) {
        let n = text.len() as i64;
        if self.width > n {
            let fill = if self.pad == b'0' { b'0' } else { b' ' };
            out.extend(std::iter::repeat_n(fill, (self.width - n) as usize));
        }
        if self.lower {
            out.extend(text.iter().map(u8::to_ascii_lowercase));
        } else if self.upper {
            out.extend(text.iter().map(u8::to_ascii_uppercase));
        } else {
            out.extend_from_slice(text);
        }
    }

    /// A number with at least `min_digits` digits (or the width, if larger), padded as the flags say.
    fn number(mut self, out: &mut Vec<u8>, value: i64, min_digits: i64, space_pad: bool) {
        if space_pad && self.pad != b'0' && self.pad != b'-' {
            self.pad = b'_';
        }
        let digits = min_digits.max(self.width);
        self.signed_padded(out, value, digits);
    }

    /// glibc's `do_number_sign_and_padding` for `value` and `digits`.
    fn signed_padded(mut self, out: &mut Vec<u8>, value: i64, digits: i64) {
        let mut text = value.unsigned_abs().to_string().into_bytes();
        let negative = value < 0;
        if negative {
            text.insert(0, b'-');
        }
        if self.pad != b'-' {
            let padding = digits - text.len() as i64;
            if padding > 0 {
                if self.pad == b'_' {
                    out.extend(std::iter::repeat_n(b' ', padding as usize));
                    self.width = if self.width > padding {
                        self.width - padding
                    } else {
                        0
                    };
                } else {
                    if negative {
                        text.remove(0);
                        out.push(b'-');
                    }
                    out.extend(std::iter::repeat_n(b'0', padding as usize));
                    self.width = 0;
                }
            }
        }
        self.put(out, &text);
    }
}

/// glibc's `iso_week_days`: days from the first day of ISO week 1 to `yday`.
fn iso_week_days(yday: i64, wday: i64) -> i64 {
    const BIG_ENOUGH_MULTIPLE_OF_7: i64 = (366 / 7 + 2) * 7;
    yday - (yday - wday + 4 + BIG_ENOUGH_MULTIPLE_OF_7) % 7 + 3
}

/// The ISO 8601 week-based year and the days into its first week.
fn iso_year_days(tm: &Tm) -> (i64, i64) {
    let (yday, wday) = (i64::from(tm.yday), i64::from(tm.wday));
    let mut year = tm.year;
    let year_len = |y: i64| 365 + i64::from(super::is_leap(y));
    let mut days = iso_week_days(yday, wday);
    if days < 0 {
        year -= 1;
        days = iso_week_days(yday + year_len(year), wday);
    } else {
        let next = iso_week_days(yday - year_len(year), wday);
        if next >= 0 {
            year += 1;
            days = next;
        }
    }
    (year, days)
}

/// glibc's `strftime` in the C locale.
fn c_strftime(f: &[u8], tm: &Tm, out: &mut Vec<u8>) {
    let hour12 = match tm.hour {
        0 => 12,
        h if h > 12 => h - 12,
        h => h,
    };
    let mut k = 0;
    while k < f.len() {
        if f[k] != b'%' {
            out.push(f[k]);
            k += 1;
            continue;
        }
        let start = k;
        k += 1;
        let mut spec = Spec {
            pad: 0,
            width: -1,
            upper: false,
            lower: false,
        };
        let mut change_case = false;
        while let Some(&c) = f.get(k) {
            match c {
                b'_' | b'-' | b'0' => spec.pad = c,
                b'^' => spec.upper = true,
                b'#' => change_case = true,
                _ => break,
            }
            k += 1;
        }
        if f.get(k).is_some_and(u8::is_ascii_digit) {
            spec.width = 0;
            while let Some(&d) = f.get(k).filter(|d| d.is_ascii_digit()) {
                spec.width = (spec.width * 10 + i64::from(d - b'0')).min(i64::from(i32::MAX));
                k += 1;
            }
        }
        let modifier = match f.get(k) {
            Some(&m @ (b'E' | b'O')) => {
                k += 1;
                m
            }
            _ => 0,
        };
        let Some(&conv) = f.get(k) else {
            // `%` (with its flags) at the end of the format is copied out.
            spec.put(out, &f[start..]);
            break;
        };
        k += 1;
        let bad = |spec: Spec, out: &mut Vec<u8>| spec.put(out, &f[start..k]);
        let sub = |spec: Spec, out: &mut Vec<u8>, fmt: &str| {
            let mut inner = Vec::new();
            c_strftime(fmt.as_bytes(), tm, &mut inner);
            // A composite conversion honours `^` but not `#`.
            let spec = Spec {
                lower: false,
                ..spec
            };
            spec.put(out, &inner);
        };
        let day = DAYS[tm.wday as usize % 7].as_bytes();
        let month = MONTHS[tm.mon as usize % 12].as_bytes();
        if change_case && matches!(conv, b'a' | b'A' | b'b' | b'h' | b'B') {
            spec.upper = true;
            spec.lower = false;
        }
        if change_case && matches!(conv, b'p' | b'Z') {
            spec.upper = false;
            spec.lower = true;
        }
        let e_bad = modifier == b'E';
        match conv {
            b'%' if modifier == 0 => spec.put(out, b"%"),
            b'a' if modifier == 0 => spec.put(out, &day[..3]),
            b'A' if modifier == 0 => spec.put(out, day),
            b'b' | b'h' if !e_bad => spec.put(out, &month[..3]),
            b'B' if !e_bad => spec.put(out, month),
            b'c' if modifier != b'O' => sub(spec, out, "%a %b %e %H:%M:%S %Y"),
            b'C' => {
                let y = tm.year;
                spec.number(out, y / 100 - i64::from(y % 100 < 0), 1, false);
            }
            b'x' if modifier != b'O' => sub(spec, out, "%m/%d/%y"),
            b'D' if modifier == 0 => sub(spec, out, "%m/%d/%y"),
            b'd' if !e_bad => spec.number(out, i64::from(tm.mday), 2, false),
            b'e' if !e_bad => spec.number(out, i64::from(tm.mday), 2, true),
            b'F' if modifier == 0 => sub(spec, out, "%Y-%m-%d"),
            b'H' if !e_bad => spec.number(out, i64::from(tm.hour), 2, false),
            b'I' if !e_bad => spec.number(out, i64::from(hour12), 2, false),
            b'k' if !e_bad => spec.number(out, i64::from(tm.hour), 2, true),
            b'l' if !e_bad => spec.number(out, i64::from(hour12), 2, true),
            b'j' if !e_bad => spec.number(out, i64::from(tm.yday) + 1, 3, false),
            b'M' if !e_bad => spec.number(out, i64::from(tm.min), 2, false),
            b'm' if !e_bad => spec.number(out, i64::from(tm.mon) + 1, 2, false),
            b'n' => spec.put(out, b"\n"),
            b'P' | b'p' => {
                if conv == b'P' {
                    spec.lower = true;
                }
                spec.put(out, if tm.hour > 11 { b"PM" } else { b"AM" });
            }
            b'R' => sub(spec, out, "%H:%M"),
            b'r' => sub(spec, out, "%I:%M:%S %p"),
            b'S' if !e_bad => spec.number(out, i64::from(tm.sec), 2, false),
            b's' => {
                let t = tm.to_unix() - i64::from(tm.gmtoff);
                spec.signed_padded(out, t, 1);
            }
            b'X' if modifier != b'O' => sub(spec, out, "%H:%M:%S"),
            b'T' => sub(spec, out, "%H:%M:%S"),
            b't' => spec.put(out, b"\t"),
            b'u' => spec.number(out, (i64::from(tm.wday) + 6) % 7 + 1, 1, false),
            b'U' if !e_bad => {
                let v = (i64::from(tm.yday) - i64::from(tm.wday) + 7) / 7;
                spec.number(out, v, 2, false);
            }
            b'V' | b'g' | b'G' if !e_bad => {
                let (year, days) = iso_year_days(tm);
                match conv {
                    b'g' => spec.number(out, (year % 100 + 100) % 100, 2, false),
                    b'G' => spec.number(out, year, 1, false),
                    _ => spec.number(out, days / 7 + 1, 2, false),
                }
            }
            b'W' if !e_bad => {
                let monday_based = (i64::from(tm.wday) + 6) % 7;
                let v = (i64::from(tm.yday) - monday_based + 7) / 7;
                spec.number(out, v, 2, false);
            }
            b'w' if !e_bad => spec.number(out, i64::from(tm.wday), 1, false),
            b'Y' if modifier != b'O' => spec.number(out, tm.year, 1, false),
            b'y' => spec.number(out, (tm.year % 100 + 100) % 100, 2, false),
            b'Z' => spec.put(out, tm.abbr.as_str().as_bytes()),
            b'z' => {
                let mut diff = i64::from(tm.gmtoff);
                if diff < 0 {
                    spec.put(out, b"-");
                    diff = -diff;
                } else {
                    spec.put(out, b"+");
                }
                diff /= 60;
                spec.number(out, (diff / 60) * 100 + diff % 60, 4, false);
            }
            _ => bad(spec, out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fri 2023-11-03 08:26:40.123456 UTC.
    fn tm() -> Tm {
        let mut tm = Tm::from_unix(1_699_000_000, 123_456);
        tm.abbr = super::super::Abbr::new("GMT");
        tm
    }

    /// Each pair was printed by glibc 2.36's `strftime` (C locale) for the same time.
    #[test]
    fn matches_glibc() {
        let cases: &[(&str, &str)] = &[
            (
                "%-d %_d %^a %#b %010Y %-I %-m %-H %_H %0e",
                "3  3 FRI NOV 0000002023 8 11 8  8 03",
            ),
            (
                "%Ey %Od %4Y %-j %^B %#Z %#p %G-%V %EC %Ex %Oy",
                "23 03 2023 307 NOVEMBER gmt am 2023-44 20 11/03/23 23",
            ),
            (
                "%6Y|%-6Y|%_6Y|%06d|%6d|%-6d|%_6d",
                "002023|  2023|  2023|000003|000003|     3|     3",
            ),
            (
                "%10a|%010a|%-10a|%^10a|%#A",
                "       Fri|0000000Fri|       Fri|       FRI|FRIDAY",
            ),
            (
                "%#c|%^c|%20c",
                "Fri Nov  3 08:26:40 2023|FRI NOV  3 08:26:40 2023|Fri Nov  3 08:26:40 2023",
            ),
            (
                "%-e|%5e|%05k|%-k|%OY|%Ed|%EY|%Ec",
                "3|    3|00008|8|%OY|%Ed|2023|Fri Nov  3 08:26:40 2023",
            ),
            ("%5%|%05%|abc%-|%E|%O|%Eq", "    %|0000%|abc%-|%E|%O|%Eq"),
            (
                "%10n|%3t|%5s|%05s|%5z|%-z|%_z",
                "         \n|  \t|1699000000|1699000000|    +00000|+0|+   0",
            ),
            (
                "%^P|%#P|%10P|%5u|%5j|%3C|%5G|%+Y",
                "am|am|        am|00005|00307|020|02023|%+Y",
            ),
            (
                "%12F|%012T|%-12T|%30c",
                "  2023-11-03|000008:26:40|    08:26:40|      Fri Nov  3 08:26:40 2023",
            ),
            (
                "%-5z|%05z|%3z|%8z",
                "    +    0|0000+00000|  +0000|       +00000000",
            ),
            (
                "%5-d|%^|%^5|%E5d|%5Ed|%0|%3|%10E",
                "  %5-d|%^| %^5|%E5d| %5Ed|%0|%3|      %10E",
            ),
            (
                "%-10Ey|%5Od|%_5Od|%5OY|%5EC|%20EX|%12r|%12D",
                "        23|00003|    3| %5OY|00020|            08:26:40| 08:26:40 AM|    11/03/23",
            ),
            (
                "%^q|%#q|%En|%OZ|%Es|%^#P|%-5%|%EEy|%0-5d|%-05d",
                "%^Q|%#q|\n|GMT|1699000000|am|    %|%EEy|    3|00003",
            ),
        ];
        for (fmt, want) in cases {
            assert_eq!(strftime(fmt, &tm()), *want, "{fmt}");
        }
    }

    /// ast_strftime_locale replaces `%q`/`%1q`…`%6q` before glibc sees the format.
    #[test]
    fn asterisk_fractions_first() {
        assert_eq!(strftime("%q|%1q|%6q|%3q", &tm()), "123|1|123456|123");
        // `%9q` and `%0q` are not Asterisk's: glibc copies them out (padded to the width).
        assert_eq!(strftime("%9q|%0q", &tm()), "      %9q|%0q");
        // The second `%` of `%%q` starts Asterisk's `%q`; glibc then sees `%123` and copies it out,
        // padded to a width of 123.
        assert_eq!(strftime("%%q", &tm()), format!("{}%123", " ".repeat(119)));
    }
}
