//! The report for people: one line per scenario (`ok`, `FAILED`, `ERROR`), each failed expectation with
//! its `file:line`, what was expected, what happened and the trace around it, then the totals.

use super::{ScenarioResult, Status, Totals};
use crate::expect::report::failure_text;

/// The line (and, for a failure, the details) of one scenario.
pub fn scenario_text(r: &ScenarioResult) -> String {
    let path = r.path.display();
    let mut s = match &r.status {
        Status::Passed => format!(
            "ok      {path} ({} expectation{})\n",
            r.expectations,
            if r.expectations == 1 { "" } else { "s" }
        ),
        Status::NoExpectations => format!("ok      {path} (ran; no expectations to check)\n"),
        Status::Failed => format!(
            "FAILED  {path} ({} of {} expectation{} failed)\n",
            r.failures.len(),
            r.expectations,
            if r.expectations == 1 { "" } else { "s" }
        ),
        Status::Unloadable(_) => format!("ERROR   {path} (cannot be loaded)\n"),
    };
    if let Status::Unloadable(message) = &r.status {
        for l in message.lines() {
            s.push_str(&format!("  {l}\n"));
        }
    }
    if !r.failures.is_empty() {
        for f in &r.failures {
            s.push_str(&failure_text(&r.path, f));
        }
        s.push_str(&trace_text(&r.trace));
    }
    for u in &r.updated {
        s.push_str(&format!("  updated {}\n", u.display()));
    }
    s
}

/// The last line.
pub fn totals_text(t: &Totals) -> String {
    let verdict = if t.unloadable > 0 || t.failed > 0 {
        "FAILED"
    } else {
        "ok"
    };
    let mut s = format!(
        "\ntest result: {verdict}. {} scenario{}: {} passed",
        t.scenarios,
        if t.scenarios == 1 { "" } else { "s" },
        t.passed
    );
    if t.without_expectations > 0 {
        s.push_str(&format!(
            " ({} without expectations)",
            t.without_expectations
        ));
    }
    s.push_str(&format!(
        ", {} failed, {} could not be loaded; {} expectation{} checked, {} failed\n",
        t.failed,
        t.unloadable,
        t.expectations,
        if t.expectations == 1 { "" } else { "s" },
        t.failed_expectations
    ));
    s
}

/// The run's trace shown once under a scenario's failures (empty when none needs it).
pub fn trace_text(trace: &[String]) -> String {
    if trace.is_empty() {
        return String::new();
    }
    let mut s = String::from(
        "  the run's trace (Asterisk's console lines, dialsim's notes marked [dialsim]):\n",
    );
    for l in trace {
        s.push_str(&format!("    {l}\n"));
    }
    s
}
