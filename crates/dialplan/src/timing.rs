//! Calendar time on the virtual clock: broken-down UTC time ([`Tm`]), C's `strftime`/`strptime` as
//! Asterisk's `ast_strftime`/`ast_strptime` use them, and time specifications
//! (`<times>,<weekdays>,<mdays>,<months>[,<timezone>]`, main/pbx_timing.c) for `IFTIME`, `GotoIfTime`,
//! `ExecIfTime` and timed includes.
//!
//! dialsim models only UTC (the scenario's `timezone` must be UTC), so local time is UTC time.

use crate::diag::{LogLevel, LogLine};

/// Broken-down time (`struct tm`): `mon` 0–11, `wday` 0 = Sunday, `yday` 0–365, `year` the full year.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tm {
    pub year: i64,
    pub mon: u32,
    pub mday: u32,
    pub hour: u32,
    pub min: u32,
    pub sec: u32,
    pub wday: u32,
    pub yday: u32,
    pub usec: u32,
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// Days since 1970-01-01 of a civil date (`m` 1–12).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

impl Tm {
    /// UTC broken-down time of Unix seconds.
    pub fn from_unix(secs: i64, usec: u32) -> Tm {
        let days = secs.div_euclid(86_400);
        let rest = secs.rem_euclid(86_400) as u32;
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        let yday = (days - days_from_civil(y, 1, 1)) as u32;
        Tm {
            year: y,
            mon: (m - 1) as u32,
            mday: d as u32,
            hour: rest / 3600,
            min: rest % 3600 / 60,
            sec: rest % 60,
            wday: (days + 4).rem_euclid(7) as u32,
            yday,
            usec,
        }
    }

    /// Unix seconds of this UTC time (`mktime` normalising out-of-range fields).
    pub fn to_unix(&self) -> i64 {
        days_from_civil(self.year, i64::from(self.mon) + 1, 1) * 86_400
            + (i64::from(self.mday) - 1) * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.min) * 60
            + i64::from(self.sec)
    }
}

const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// ISO 8601 week-based year and week number.
fn iso_week(tm: &Tm) -> (i64, u32) {
    let wday = (tm.wday + 6) % 7; // Monday = 0
    let yday = i64::from(tm.yday);
    let week = (yday - i64::from(wday) + 10) / 7;
    if week < 1 {
        let py = tm.year - 1;
        let pdays = if is_leap(py) { 366 } else { 365 };
        let pyday = yday + pdays;
        return (py, ((pyday - i64::from(wday) + 10) / 7) as u32);
    }
    let days = if is_leap(tm.year) { 366 } else { 365 };
    if week == 53 && (days - yday) <= (3 - i64::from(wday)).max(0) {
        return (tm.year + 1, 1);
    }
    if week == 53 {
        // A year has 53 ISO weeks only when it ends late enough in the week.
        let dec31_wday = (i64::from(wday) + (days - 1 - yday)) % 7;
        if dec31_wday < 3 {
            return (tm.year + 1, 1);
        }
    }
    (tm.year, week as u32)
}

/// C's `strftime` in the C locale with Asterisk's `%q` extension (`%3q` = milliseconds).
pub fn strftime(fmt: &str, tm: &Tm) -> String {
    let mut out = String::new();
    let mut it = fmt.chars().peekable();
    while let Some(c) = it.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        // Asterisk's %<n>q: fractions of a second with n digits.
        let mut digits = None;
        if let Some(&d) = it.peek() {
            if d.is_ascii_digit() {
                let mut look = it.clone();
                look.next();
                if look.peek() == Some(&'q') {
                    digits = d.to_digit(10);
                    it.next();
                }
            }
        }
        let Some(spec) = it.next() else {
            out.push('%');
            break;
        };
        let h12 = if tm.hour % 12 == 0 { 12 } else { tm.hour % 12 };
        match spec {
            'q' => {
                let n = digits.unwrap_or(3).clamp(1, 6) as usize;
                let frac = format!("{:06}", tm.usec);
                out.push_str(&frac[..n]);
            }
            'a' => out.push_str(&DAYS[tm.wday as usize % 7][..3]),
            'A' => out.push_str(DAYS[tm.wday as usize % 7]),
            'b' | 'h' => out.push_str(&MONTHS[tm.mon as usize % 12][..3]),
            'B' => out.push_str(MONTHS[tm.mon as usize % 12]),
            'c' => out.push_str(&strftime("%a %b %e %H:%M:%S %Y", tm)),
            'C' => out.push_str(&format!("{:02}", tm.year.div_euclid(100))),
            'd' => out.push_str(&format!("{:02}", tm.mday)),
            'D' | 'x' => out.push_str(&strftime("%m/%d/%y", tm)),
            'e' => out.push_str(&format!("{:2}", tm.mday)),
            'F' => out.push_str(&strftime("%Y-%m-%d", tm)),
            'g' => out.push_str(&format!("{:02}", iso_week(tm).0.rem_euclid(100))),
            'G' => out.push_str(&iso_week(tm).0.to_string()),
            'H' => out.push_str(&format!("{:02}", tm.hour)),
            'I' => out.push_str(&format!("{h12:02}")),
            'j' => out.push_str(&format!("{:03}", tm.yday + 1)),
            'k' => out.push_str(&format!("{:2}", tm.hour)),
            'l' => out.push_str(&format!("{h12:2}")),
            'm' => out.push_str(&format!("{:02}", tm.mon + 1)),
            'M' => out.push_str(&format!("{:02}", tm.min)),
            'n' => out.push('\n'),
            'p' => out.push_str(if tm.hour < 12 { "AM" } else { "PM" }),
            'P' => out.push_str(if tm.hour < 12 { "am" } else { "pm" }),
            'r' => out.push_str(&strftime("%I:%M:%S %p", tm)),
            'R' => out.push_str(&strftime("%H:%M", tm)),
            's' => out.push_str(&tm.to_unix().to_string()),
            'S' => out.push_str(&format!("{:02}", tm.sec)),
            't' => out.push('\t'),
            'T' | 'X' => out.push_str(&strftime("%H:%M:%S", tm)),
            'u' => out.push_str(&(if tm.wday == 0 { 7 } else { tm.wday }).to_string()),
            'U' => out.push_str(&format!("{:02}", (tm.yday + 7 - tm.wday) / 7)),
            'V' => out.push_str(&format!("{:02}", iso_week(tm).1)),
            'w' => out.push_str(&tm.wday.to_string()),
            'W' => out.push_str(&format!("{:02}", (tm.yday + 7 - (tm.wday + 6) % 7) / 7)),
            'y' => out.push_str(&format!("{:02}", tm.year.rem_euclid(100))),
            'Y' => out.push_str(&tm.year.to_string()),
            'z' => out.push_str("+0000"),
            'Z' => out.push_str("UTC"),
            '%' => out.push('%'),
            other => {
                out.push('%');
                out.push(other);
            }
        }
    }
    out
}

/// C's `strptime` (C locale) for the common conversions; `None` when the text does not match the format.
pub fn strptime(text: &str, fmt: &str) -> Option<Tm> {
    let mut tm = Tm {
        year: 1900,
        mday: 1,
        ..Tm::default()
    };
    let fmt = fmt
        .replace("%T", "%H:%M:%S")
        .replace("%D", "%m/%d/%y")
        .replace("%R", "%H:%M")
        .replace("%F", "%Y-%m-%d");
    let mut s = text.as_bytes();
    let mut f = fmt.as_bytes();
    let mut pm: Option<bool> = None;
    let skip_ws = |s: &mut &[u8]| {
        while let Some(c) = s.first() {
            if c.is_ascii_whitespace() {
                *s = &s[1..];
            } else {
                break;
            }
        }
    };
    fn num(s: &mut &[u8], max_digits: usize) -> Option<i64> {
        let mut neg = false;
        if let Some(b'-') | Some(b'+') = s.first() {
            neg = s[0] == b'-';
            *s = &s[1..];
        }
        let mut n = 0i64;
        let mut k = 0;
        while k < max_digits && s.first().is_some_and(u8::is_ascii_digit) {
            n = n * 10 + i64::from(s[0] - b'0');
            *s = &s[1..];
            k += 1;
        }
        (k > 0).then_some(if neg { -n } else { n })
    }
    fn name(s: &mut &[u8], names: &[&str]) -> Option<usize> {
        for (i, n) in names.iter().enumerate() {
            for cand in [n.as_bytes(), &n.as_bytes()[..3]] {
                if s.len() >= cand.len() && s[..cand.len()].eq_ignore_ascii_case(cand) {
                    *s = &s[cand.len()..];
                    return Some(i);
                }
            }
        }
        None
    }
    while let Some(&c) = f.first() {
        f = &f[1..];
        if c.is_ascii_whitespace() {
            skip_ws(&mut s);
            continue;
        }
        if c != b'%' {
            if s.first() != Some(&c) {
                return None;
            }
            s = &s[1..];
            continue;
        }
        let spec = *f.first()?;
        f = &f[1..];
        match spec {
            b'%' => {
                if s.first() != Some(&b'%') {
                    return None;
                }
                s = &s[1..];
            }
            b'Y' => {
                skip_ws(&mut s);
                tm.year = num(&mut s, 4)?;
            }
            b'y' => {
                skip_ws(&mut s);
                let y = num(&mut s, 2)?;
                tm.year = if y < 69 { 2000 + y } else { 1900 + y };
            }
            b'm' => {
                skip_ws(&mut s);
                tm.mon = u32::try_from(num(&mut s, 2)? - 1)
                    .ok()
                    .filter(|&m| m < 12)?;
            }
            b'd' | b'e' => {
                skip_ws(&mut s);
                tm.mday = u32::try_from(num(&mut s, 2)?)
                    .ok()
                    .filter(|&d| (1..=31).contains(&d))?;
            }
            b'H' | b'k' => {
                skip_ws(&mut s);
                tm.hour = u32::try_from(num(&mut s, 2)?).ok().filter(|&h| h < 24)?;
            }
            b'I' | b'l' => {
                skip_ws(&mut s);
                tm.hour = u32::try_from(num(&mut s, 2)?)
                    .ok()
                    .filter(|&h| (1..=12).contains(&h))?
                    % 12;
            }
            b'M' => {
                skip_ws(&mut s);
                tm.min = u32::try_from(num(&mut s, 2)?).ok().filter(|&m| m < 60)?;
            }
            b'S' => {
                skip_ws(&mut s);
                tm.sec = u32::try_from(num(&mut s, 2)?).ok().filter(|&m| m <= 61)?;
            }
            b'j' => {
                skip_ws(&mut s);
                let d = num(&mut s, 3)?;
                tm.yday = u32::try_from(d - 1).ok()?;
            }
            b'p' | b'P' => {
                skip_ws(&mut s);
                pm = Some(name(&mut s, &["AM", "PM"])? == 1);
            }
            b'a' | b'A' => {
                skip_ws(&mut s);
                tm.wday = name(&mut s, &DAYS)? as u32;
            }
            b'b' | b'B' | b'h' => {
                skip_ws(&mut s);
                tm.mon = name(&mut s, &MONTHS)? as u32;
            }
            b's' => {
                skip_ws(&mut s);
                let secs = num(&mut s, 20)?;
                tm = Tm::from_unix(secs, 0);
            }
            b'n' | b't' => skip_ws(&mut s),
            _ => return None,
        }
    }
    if let Some(true) = pm {
        tm.hour += 12;
    }
    Some(tm)
}

/// A time specification (`ast_timing`): minute mask per half hour, weekday, day-of-month and month masks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeSpec {
    minmask: [u32; 48],
    dowmask: u32,
    daymask: u32,
    monthmask: u32,
    /// The fifth field, when written.
    pub timezone: Option<String>,
}

const DAY_NAMES: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const MONTH_NAMES: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn lookup_name(s: &str, names: Option<&[&str]>, max: i32) -> Option<i32> {
    if let Some(names) = names {
        if s.as_bytes().first().is_some_and(|&c| c > b'9') {
            if let Some(i) = names.iter().position(|n| n.eq_ignore_ascii_case(s)) {
                return Some(i as i32);
            }
        }
    }
    match crate::expr::cnum::scan_int_width(s, 2) {
        Some((i, _)) if (1..=max).contains(&i) => Some(i - 1),
        _ => None,
    }
}

fn get_range(
    src: &str,
    max: i32,
    names: Option<&[&str]>,
    what: &str,
    log: &mut Vec<LogLine>,
) -> u32 {
    let all = ((1u64 << max) - 1) as u32;
    if src.is_empty() || src == "*" {
        return all;
    }
    let mut mask = 0u32;
    for part in src.split('&') {
        let (first, end) = match part.split_once('-') {
            Some((a, b)) => (a, Some(b)),
            None => (part, None),
        };
        let Some(mut start) = lookup_name(first, names, max) else {
            log.push(LogLine::new(
                LogLevel::Warning,
                "pbx_timing.c",
                format!("Invalid {what} '{first}', skipping element"),
            ));
            continue;
        };
        let end = match end {
            Some(e) => match lookup_name(e, names, max) {
                Some(v) => v,
                None => {
                    log.push(LogLine::new(
                        LogLevel::Warning,
                        "pbx_timing.c",
                        format!("Invalid end {what} '{e}', skipping element"),
                    ));
                    continue;
                }
            },
            None => start,
        };
        mask |= 1 << end;
        while start != end {
            mask |= 1 << start;
            start += 1;
            if start >= max {
                start = 0;
            }
        }
    }
    mask
}

/// `sscanf(s, "%2d:%2d")` for times.
fn hhmm(s: &str) -> Option<(u32, u32)> {
    use crate::expr::cnum::scan_int_width;
    let (h, rest) = scan_int_width(s, 2)?;
    let rest = rest.strip_prefix(':')?;
    let (m, _) = scan_int_width(rest, 2)?;
    ((0..=23).contains(&h) && (0..=59).contains(&m)).then_some((h as u32, m as u32))
}

impl TimeSpec {
    /// `ast_build_timing`: parses `times|weekdays|mdays|months[|timezone]` (`,` or `|`). Bad elements are
    /// skipped with Asterisk's warnings, returned in `log`. `None` for an empty text (Asterisk's failure).
    pub fn parse(text: &str, log: &mut Vec<LogLine>) -> Option<TimeSpec> {
        if text.is_empty() {
            return None;
        }
        let fields: Vec<&str> = text.split(['|', ',']).collect();
        let mut t = TimeSpec {
            minmask: [0; 48],
            dowmask: 0x7f,
            daymask: 0x7fff_ffff,
            monthmask: 0xfff,
            timezone: (fields.len() == 5).then(|| fields[4].to_string()),
        };
        t.set_times(fields[0], log);
        if let Some(f) = fields.get(1) {
            t.dowmask = get_range(f, 7, Some(&DAY_NAMES), "day of week", log);
        }
        if let Some(f) = fields.get(2) {
            t.daymask = get_range(f, 31, None, "day", log);
        }
        if let Some(f) = fields.get(3) {
            t.monthmask = get_range(f, 12, Some(&MONTH_NAMES), "month", log);
        }
        Some(t)
    }

    fn set_times(&mut self, times: &str, log: &mut Vec<LogLine>) {
        if times.is_empty() || times == "*" {
            self.minmask = [0x3fff_ffff; 48];
            return;
        }
        let warn = |log: &mut Vec<LogLine>, text: String| {
            log.push(LogLine::new(LogLevel::Warning, "pbx_timing.c", text));
        };
        for part in times.split('&') {
            let Some((start, end)) = part.split_once('-') else {
                match hhmm(part) {
                    Some((h, m)) => {
                        self.minmask[(h * 2 + u32::from(m >= 30)) as usize] |= 1 << (m % 30)
                    }
                    None => warn(log, format!("{part} isn't a valid time.")),
                }
                continue;
            };
            let end = end.trim_start_matches(|c: char| !c.is_ascii_digit());
            if end.is_empty() {
                warn(log, format!("Invalid time range starting with '{start}-'."));
                continue;
            }
            let Some((sh, sm)) = hhmm(start) else {
                warn(log, format!("'{start}' isn't a valid start time."));
                continue;
            };
            let Some((eh, em)) = hhmm(end) else {
                warn(log, format!("'{end}' isn't a valid end time."));
                continue;
            };
            let mut x = sh * 60 + sm;
            let last = eh * 60 + em;
            while x != last {
                self.minmask[(x / 30) as usize] |= 1 << (x % 30);
                x = (x + 1) % (24 * 60);
            }
            self.minmask[(x / 30) as usize] |= 1 << (x % 30);
        }
    }

    /// `ast_check_timing2`: whether `tm` falls inside.
    pub fn matches(&self, tm: &Tm) -> bool {
        self.monthmask & (1 << tm.mon) != 0
            && self.daymask & (1 << (tm.mday - 1)) != 0
            && self.dowmask & (1 << tm.wday) != 0
            && self.minmask[(tm.hour * 2 + u32::from(tm.min >= 30)) as usize] & (1 << (tm.min % 30))
                != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil() {
        let tm = Tm::from_unix(1_700_000_000, 0);
        assert_eq!(
            (tm.year, tm.mon, tm.mday, tm.hour, tm.min, tm.sec),
            (2023, 10, 14, 22, 13, 20)
        );
        assert_eq!(tm.wday, 2); // a Tuesday
        assert_eq!(tm.to_unix(), 1_700_000_000);
        assert_eq!(
            strftime("%Y-%m-%d %H:%M:%S %a %b %j %u %3q", &tm),
            "2023-11-14 22:13:20 Tue Nov 318 2 000"
        );
        assert_eq!(strftime("%c", &tm), "Tue Nov 14 22:13:20 2023");
        assert_eq!(
            strftime(
                "%V %G",
                &Tm::from_unix(days_from_civil(2021, 1, 1) * 86_400, 0)
            ),
            "53 2020"
        );
    }

    #[test]
    fn parse_time() {
        let tm = strptime("2023-11-14 22:13:20", "%Y-%m-%d %H:%M:%S").unwrap();
        assert_eq!(tm.to_unix(), 1_700_000_000);
        assert_eq!(strptime("x", "%Y"), None);
    }

    #[test]
    fn specs() {
        let mut log = Vec::new();
        let office = TimeSpec::parse("09:00-17:00,mon-fri,*,*", &mut log).unwrap();
        let tue_2213 = Tm::from_unix(1_700_000_000, 0);
        assert!(!office.matches(&tue_2213));
        let tue_1000 = Tm::from_unix(1_700_000_000 - 12 * 3600, 0);
        assert!(office.matches(&tue_1000));
        let wrap = TimeSpec::parse("*,sat-mon,*,*", &mut log).unwrap();
        assert!(!wrap.matches(&tue_1000));
        assert!(log.is_empty());
        let _ = TimeSpec::parse("25:00-26:00,funday,*,*", &mut log);
        let lines: Vec<String> = log.iter().map(LogLine::console).collect();
        assert_eq!(
            lines,
            [
                "WARNING: pbx_timing.c: '25:00' isn't a valid start time.",
                "WARNING: pbx_timing.c: Invalid day of week 'funday', skipping element",
            ]
        );
        assert_eq!(TimeSpec::parse("", &mut log), None);
    }
}
