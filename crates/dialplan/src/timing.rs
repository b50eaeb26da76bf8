//! Calendar time on the virtual clock: broken-down UTC time ([`Tm`]), C's `strftime`/`strptime` as
//! Asterisk's `ast_strftime`/`ast_strptime` use them, and time specifications
//! (`<times>,<weekdays>,<mdays>,<months>[,<timezone>]`, main/pbx_timing.c) for `IFTIME`, `GotoIfTime`,
//! `ExecIfTime` and timed includes.
//!
//! Local time is the scenario's time zone ([`Zone`]: an IANA name from the time zone database bundled with
//! dialsim, so runs do not depend on the host, or a POSIX `TZ` string), as Asterisk's `ast_localtime` /
//! `ast_mktime` (main/stdtime/localtime.c) use the system's zone; a zone a function or a time
//! specification names overrides it, and an unknown name falls back to GMT as `ast_tzset` does.

use crate::diag::{LogLevel, LogLine};

mod strftime;
mod strptime;
pub use strftime::strftime;
pub use strptime::strptime;

/// A time zone for [`Zone::localtime`] and [`Zone::mktime`].
#[derive(Clone, Debug, PartialEq)]
pub struct Zone {
    tz: jiff::tz::TimeZone,
    /// What the zone was asked for as (`UTC` for the default).
    name: String,
}

impl Default for Zone {
    fn default() -> Self {
        Zone::utc()
    }
}

impl Zone {
    /// UTC.
    pub fn utc() -> Zone {
        Zone {
            tz: jiff::tz::TimeZone::UTC,
            name: "UTC".to_string(),
        }
    }

    /// `ast_tzset`'s look-up of a zone name: an IANA name (`Europe/Paris`; a leading `:` is allowed), or
    /// else a POSIX `TZ` string (`EST5EDT,M3.2.0,M11.1.0`). `None` when neither reads.
    pub fn named(name: &str) -> Option<Zone> {
        let key = name.strip_prefix(':').unwrap_or(name);
        if key.is_empty() {
            return None;
        }
        let tz = jiff::tz::TimeZone::get(key).ok().or_else(|| {
            (!name.starts_with(':'))
                .then(|| jiff::tz::TimeZone::posix(key).ok())
                .flatten()
        })?;
        Some(Zone {
            tz,
            name: name.to_string(),
        })
    }

    /// The zone Asterisk uses for `name`: this zone when `name` is empty, the named zone, or GMT when the
    /// name does not read (`ast_tzset` falls back to `gmtload`).
    pub fn resolve(&self, name: &str) -> Zone {
        if name.is_empty() {
            return self.clone();
        }
        Zone::named(name).unwrap_or_else(|| Zone {
            tz: jiff::tz::TimeZone::UTC,
            name: "GMT".to_string(),
        })
    }

    /// The name this zone was asked for as.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// `ast_localtime`: broken-down local time of Unix seconds, with the offset and abbreviation in force.
    pub fn localtime(&self, secs: i64, usec: u32) -> Tm {
        let Ok(ts) = jiff::Timestamp::from_second(secs) else {
            return Tm::from_unix(secs, usec);
        };
        let info = self.tz.to_offset_info(ts);
        let off = info.offset().seconds();
        let mut tm = Tm::from_unix(secs + i64::from(off), usec);
        tm.gmtoff = off;
        tm.isdst = info.dst().is_dst();
        tm.abbr = if self.name == "GMT" && off == 0 {
            Abbr::new("GMT")
        } else {
            Abbr::new(info.abbreviation())
        };
        tm
    }

    /// `ast_mktime` with `tm_isdst = -1` (what `ast_strptime` leaves): Unix seconds of a local time,
    /// out-of-range fields normalised. A time skipped by a clock change is read with the offset before the
    /// change, a repeated one as its first occurrence.
    pub fn mktime(&self, tm: &Tm) -> i64 {
        let naive = tm.to_unix();
        let n = Tm::from_unix(naive, 0);
        let dt = i16::try_from(n.year).ok().and_then(|y| {
            jiff::civil::DateTime::new(
                y,
                (n.mon + 1) as i8,
                n.mday as i8,
                n.hour as i8,
                n.min as i8,
                n.sec as i8,
                0,
            )
            .ok()
        });
        dt.and_then(|dt| self.tz.to_ambiguous_timestamp(dt).compatible().ok())
            .map_or(naive, |ts| ts.as_second())
    }
}

/// A time zone abbreviation (`CET`, `EDT`, `+0530`), stored inline so [`Tm`] stays `Copy`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Abbr {
    bytes: [u8; 15],
    len: u8,
}

impl Abbr {
    /// At most 15 bytes of `s` (longer abbreviations do not exist in the database).
    pub fn new(s: &str) -> Abbr {
        let mut end = s.len().min(15);
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        let mut bytes = [0u8; 15];
        bytes[..end].copy_from_slice(&s.as_bytes()[..end]);
        Abbr {
            bytes,
            len: end as u8,
        }
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or("")
    }
}

impl Default for Abbr {
    fn default() -> Self {
        Abbr::new("UTC")
    }
}

impl std::fmt::Debug for Abbr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

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
    /// Seconds east of UTC (`tm_gmtoff`).
    pub gmtoff: i32,
    /// Daylight saving time in force (`tm_isdst`).
    pub isdst: bool,
    /// The zone abbreviation (`%Z`).
    pub abbr: Abbr,
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
            gmtoff: 0,
            isdst: false,
            abbr: Abbr::default(),
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

    /// `ast_check_timing2`: whether Unix time `secs` falls inside, read in the specification's own time
    /// zone when it names one, else in `local`.
    pub fn matches_at(&self, secs: i64, local: &Zone) -> bool {
        let zone = local.resolve(self.timezone.as_deref().unwrap_or(""));
        self.matches(&zone.localtime(secs, 0))
    }

    /// Whether the broken-down time `tm` falls inside.
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
    fn zones_follow_daylight_saving() {
        let paris = Zone::named("Europe/Paris").unwrap();
        // 2024-07-01 12:00:00 UTC is 14:00 CEST; 2024-01-15 12:00 UTC is 13:00 CET.
        let summer = paris.localtime(1_719_835_200, 0);
        assert_eq!((summer.hour, summer.gmtoff, summer.isdst), (14, 7200, true));
        assert_eq!(strftime("%H:%M %Z %z", &summer), "14:00 CEST +0200");
        let winter = paris.localtime(1_705_320_000, 0);
        assert_eq!(strftime("%H:%M %Z %z", &winter), "13:00 CET +0100");
        // The spring change at 01:00 UTC on 2024-03-31: 00:59 UTC is 01:59 CET, 01:00 UTC is 03:00 CEST.
        assert_eq!(
            strftime("%H:%M", &paris.localtime(1_711_846_799, 0)),
            "01:59"
        );
        assert_eq!(
            strftime("%H:%M", &paris.localtime(1_711_846_800, 0)),
            "03:00"
        );
        let ny = Zone::named("America/New_York").unwrap();
        assert_eq!(
            strftime("%Y-%m-%d %H:%M %Z %z %s", &ny.localtime(1_700_000_000, 0)),
            "2023-11-14 17:13 EST -0500 1700000000"
        );
    }

    #[test]
    fn zone_names() {
        assert!(Zone::named("Europe/Pariss").is_none());
        assert!(Zone::named("").is_none());
        let posix = Zone::named("EST5EDT,M3.2.0,M11.1.0").unwrap();
        assert_eq!(posix.localtime(1_719_835_200, 0).hour, 8);
        // A name that does not read is GMT, as ast_tzset falls back.
        let local = Zone::named("Asia/Kolkata").unwrap();
        let gmt = local.resolve("Nowhere/Land");
        assert_eq!(strftime("%H %Z", &gmt.localtime(0, 0)), "00 GMT");
        assert_eq!(
            strftime("%H:%M %Z", &local.resolve("").localtime(0, 0)),
            "05:30 IST"
        );
        assert_eq!(Zone::default().name(), "UTC");
    }

    #[test]
    fn mktime_reads_local_time() {
        let paris = Zone::named("Europe/Paris").unwrap();
        let tm = strptime("2024-07-01 14:00:00", "%Y-%m-%d %H:%M:%S").unwrap();
        assert_eq!(paris.mktime(&tm), 1_719_835_200);
        assert_eq!(Zone::utc().mktime(&tm), 1_719_842_400);
        // Skipped by the spring change: read with the offset before it (02:30 CET = 01:30 UTC).
        let gap = strptime("2024-03-31 02:30:00", "%Y-%m-%d %H:%M:%S").unwrap();
        assert_eq!(paris.mktime(&gap), 1_711_848_600);
        // Repeated in autumn: the first occurrence (02:30 CEST = 00:30 UTC).
        let fold = strptime("2024-10-27 02:30:00", "%Y-%m-%d %H:%M:%S").unwrap();
        assert_eq!(paris.mktime(&fold), 1_729_989_000);
    }

    #[test]
    fn specs_read_in_their_zone() {
        let mut log = Vec::new();
        // 2024-07-01 12:00 UTC: 14:00 in Paris, 08:00 in New York.
        let spec = TimeSpec::parse("13:00-15:00,*,*,*", &mut log).unwrap();
        let paris = Zone::named("Europe/Paris").unwrap();
        assert!(spec.matches_at(1_719_835_200, &paris));
        assert!(!spec.matches_at(1_719_835_200, &Zone::utc()));
        let ny = TimeSpec::parse("08:00-08:30,*,*,*,America/New_York", &mut log).unwrap();
        assert!(ny.matches_at(1_719_835_200, &paris));
    }

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
