//! `--junit FILE`: JUnit XML as CI systems read it, in the structure Apache Ant's JUnit schema requires
//! (`testsuites` / `testsuite` with `name`, `timestamp`, `hostname`, `tests`, `failures`, `errors`,
//! `time`, `id`, `package`, then `properties`, the `testcase`s and `system-out` / `system-err`). A failed
//! scenario's `failure` holds the report `dialsim test` prints; one that cannot be loaded is an `error`.
//!
//! `time` and `timestamp` are the only wall-clock values dialsim writes anywhere: they describe the test
//! run, not the simulation.

use super::{ScenarioResult, Status, Totals};
use crate::expect::report::failure_text;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The whole document. `started` is when the suite started (Unix time), `elapsed` its wall time.
pub fn document(results: &[ScenarioResult], started: SystemTime, elapsed: Duration) -> String {
    let t = Totals::of(results);
    let secs = started
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let time = seconds(elapsed);
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str(&format!(
        "<testsuites name=\"dialsim test\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{time}\">\n",
        t.scenarios, t.failed, t.unloadable
    ));
    s.push_str(&format!(
        "  <testsuite name=\"dialsim\" package=\"dialsim\" id=\"0\" timestamp=\"{}\" hostname=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{time}\">\n",
        timestamp(secs),
        escape(&hostname()),
        t.scenarios,
        t.failed,
        t.unloadable
    ));
    s.push_str("    <properties/>\n");
    for r in results {
        testcase(&mut s, r);
    }
    s.push_str("    <system-out/>\n    <system-err/>\n  </testsuite>\n</testsuites>\n");
    s
}

fn testcase(s: &mut String, r: &ScenarioResult) {
    let path = r.path.display().to_string();
    let classname = r
        .path
        .parent()
        .map(|p| p.display().to_string().replace(['/', '\\'], "."))
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| "dialsim".to_string());
    s.push_str(&format!(
        "    <testcase name=\"{}\" classname=\"{}\" time=\"{}\"",
        escape(&path),
        escape(&classname),
        seconds(r.elapsed)
    ));
    match &r.status {
        Status::Passed | Status::NoExpectations => s.push_str("/>\n"),
        Status::Failed => {
            let text: String = r
                .failures
                .iter()
                .map(|f| failure_text(&r.path, f))
                .chain(std::iter::once(super::human::trace_text(&r.trace)))
                .collect();
            let message = format!(
                "{} of {} expectations failed",
                r.failures.len(),
                r.expectations
            );
            s.push_str(&format!(
                ">\n      <failure message=\"{}\" type=\"expectation\">{}</failure>\n    </testcase>\n",
                escape(&message),
                escape(&text)
            ));
        }
        Status::Unloadable(m) => {
            s.push_str(&format!(
                ">\n      <error message=\"the scenario cannot be loaded\" type=\"load\">{}</error>\n    </testcase>\n",
                escape(m)
            ));
        }
    }
}

fn seconds(d: Duration) -> String {
    format!("{}.{:03}", d.as_secs(), d.subsec_millis())
}

fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".to_string())
}

/// `YYYY-MM-DDTHH:MM:SS` (UTC) of a Unix time.
pub fn timestamp(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rest = secs % 86_400;
    // Days since 1970-01-01 to a civil date (proleptic Gregorian).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Text as XML character data or an attribute value; characters XML 1.0 cannot hold are dropped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert_eq!(timestamp(0), "1970-01-01T00:00:00");
        assert_eq!(timestamp(1_700_000_000), "2023-11-14T22:13:20");
        assert_eq!(timestamp(951_782_400), "2000-02-29T00:00:00");
    }

    #[test]
    fn escapes() {
        assert_eq!(escape("a<b & \"c\"\u{1b}"), "a&lt;b &amp; &quot;c&quot;");
    }
}
