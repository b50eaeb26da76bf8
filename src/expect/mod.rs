//! Expectations: what a scenario's `[[expect]]` entries say must (or must not) happen in a run, and how
//! they are checked against the run's recorded event stream.
//!
//! - [`parse`]: the `[[expect]]` tables (serde with spans, unknown keys refused) into [`Expectation`]s;
//! - [`record`]: one run's events and summary, and the queries every kind shares (who is a channel of
//!   `PJSIP/alice`, which events match a name and fields, the trace lines around a time);
//! - one file per kind: [`event`] (an event or log line seen / never seen, counted), [`order`] (events in
//!   order), [`reached`] (a dialplan location), [`heard`] (a prompt), [`variable`], [`lot`] (a parking
//!   lot's occupancy), [`ended`] (the run ended by a time), [`diagnostic`] (a code present or absent),
//!   [`golden`] (a trace file compared line by line);
//! - [`report`]: a failure as text for someone who has never seen dialsim.

pub mod diagnostic;
pub mod ended;
pub mod event;
pub mod golden;
pub mod heard;
pub mod lot;
pub mod order;
pub mod parse;
pub mod reached;
pub mod record;
pub mod report;
pub mod variable;

pub use record::{Record, Who};

use dialplan::engine::event::clock_text;
use std::ops::Range;
use std::path::PathBuf;
use std::time::Duration;

/// One `[[expect]]` entry.
#[derive(Clone, Debug)]
pub struct Expectation {
    /// The line of the `[[expect]]` entry's first key (1-based), for `file:line` in reports.
    pub line: usize,
    pub span: Option<Range<usize>>,
    /// The entry's own words (`name = "…"`), or its first key's line as written.
    pub title: String,
    pub kind: Kind,
}

/// What an expectation checks.
#[derive(Clone, Debug)]
pub enum Kind {
    Event(event::EventExpect),
    Order(order::OrderExpect),
    Reached(reached::ReachedExpect),
    Heard(heard::HeardExpect),
    Variable(variable::VariableExpect),
    Lot(lot::LotExpect),
    Ended(ended::EndedExpect),
    Diagnostic(diagnostic::DiagnosticExpect),
    Trace(golden::TraceExpect),
}

impl Kind {
    /// The kind's name as the documentation calls it.
    pub fn name(&self) -> &'static str {
        match self {
            Kind::Event(e) if e.matcher.log.is_some() => "log",
            Kind::Event(_) => "event",
            Kind::Order(_) => "order",
            Kind::Reached(_) => "reached",
            Kind::Heard(_) => "heard",
            Kind::Variable(_) => "variable",
            Kind::Lot(_) => "lot",
            Kind::Ended(_) => "ended_by",
            Kind::Diagnostic(_) => "diagnostic",
            Kind::Trace(_) => "trace",
        }
    }
}

/// Whether something must happen or must never happen (`never = true`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    Seen,
    Never,
}

/// When something counts: at a time (± a tolerance), within a window, or at any time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Timing {
    pub at: Option<Duration>,
    pub tolerance: Duration,
    pub after: Option<Duration>,
    pub before: Option<Duration>,
}

impl Timing {
    /// Whether a time is inside.
    pub fn contains(&self, t: Duration) -> bool {
        if let Some(at) = self.at {
            if t < at.saturating_sub(self.tolerance) || t > at + self.tolerance {
                return false;
            }
        }
        self.after.is_none_or(|a| t >= a) && self.before.is_none_or(|b| t <= b)
    }

    /// The time in words (`" at 00:00:02.324 (± 50ms)"`, `" between 00:00:01.000 and 00:00:05.000"`), empty
    /// for any time; starts with a space.
    pub fn describe(&self) -> String {
        let mut s = String::new();
        if let Some(at) = self.at {
            s.push_str(&format!(" at {}", clock_text(at)));
            if !self.tolerance.is_zero() {
                s.push_str(&format!(
                    " (± {})",
                    crate::scenario::duration::format_duration(self.tolerance)
                ));
            }
        }
        match (self.after, self.before) {
            (Some(a), Some(b)) => {
                s.push_str(&format!(" between {} and {}", clock_text(a), clock_text(b)))
            }
            (Some(a), None) => s.push_str(&format!(" at or after {}", clock_text(a))),
            (None, Some(b)) => s.push_str(&format!(" by {}", clock_text(b))),
            (None, None) => {}
        }
        s
    }

    /// The stretch of the run the timing is about, for the trace shown with a failure.
    pub fn window(&self) -> Option<(Duration, Duration)> {
        if let Some(at) = self.at {
            return Some((at.saturating_sub(self.tolerance), at + self.tolerance));
        }
        match (self.after, self.before) {
            (None, None) => None,
            (a, b) => Some((a.unwrap_or_default(), b.unwrap_or(a.unwrap_or_default()))),
        }
    }
}

/// An expectation that did not hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The `[[expect]]` entry's line in the scenario file.
    pub line: usize,
    /// The entry in words (its `name`, or its first key as written).
    pub title: String,
    pub expected: String,
    pub happened: String,
    /// The stretch of the run the failure is about: the trace lines shown with it.
    pub window: Option<(Duration, Duration)>,
    /// Extra lines shown instead of the trace (a golden file's differing lines).
    pub detail: Vec<String>,
    /// The verbose trace of that stretch (empty when `detail` says it all, or when the failure is about
    /// no particular time: [`Checked::trace`] then shows the whole run once).
    pub trace: Vec<String>,
    /// Whether the run's whole trace (shown once per scenario) is what explains this failure.
    pub whole_trace: bool,
}

/// Whether golden trace files are compared or rewritten.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GoldenMode {
    #[default]
    Compare,
    /// `--update`: write the run's trace into the file.
    Update,
}

/// What checking a run's expectations found.
#[derive(Clone, Debug, Default)]
pub struct Checked {
    pub failures: Vec<Failure>,
    /// Golden files written by `--update`.
    pub updated: Vec<PathBuf>,
    /// The run's whole trace (shortened), shown once for the failures that are about no particular time.
    pub trace: Vec<String>,
}

/// Checks every expectation against a run's record. Golden files are relative to `base` (the scenario's
/// folder).
pub fn check(
    expectations: &[Expectation],
    record: &Record,
    base: &std::path::Path,
    mode: GoldenMode,
) -> Checked {
    let mut out = Checked::default();
    for e in expectations {
        let result = match &e.kind {
            Kind::Event(k) => k.check(record),
            Kind::Order(k) => k.check(record),
            Kind::Reached(k) => k.check(record),
            Kind::Heard(k) => k.check(record),
            Kind::Variable(k) => k.check(record),
            Kind::Lot(k) => k.check(record),
            Kind::Ended(k) => k.check(record),
            Kind::Diagnostic(k) => k.check(record),
            Kind::Trace(k) => match k.check(record, base, mode) {
                golden::Outcome::Same => Ok(()),
                golden::Outcome::Updated(path) => {
                    out.updated.push(path);
                    Ok(())
                }
                golden::Outcome::Differs(miss) => Err(miss),
            },
        };
        if let Err(miss) = result {
            let trace = match miss.window {
                Some(w) if miss.detail.is_empty() => record.trace_lines(Some(w)),
                _ => Vec::new(),
            };
            // Which diagnostics a run had is not something its trace explains better than the list.
            let whole_trace = !matches!(e.kind, Kind::Diagnostic(_))
                && miss.window.is_none()
                && miss.detail.is_empty();
            if whole_trace && out.trace.is_empty() {
                out.trace = record.trace_lines(None);
            }
            out.failures.push(Failure {
                trace,
                whole_trace,
                line: e.line,
                title: e.title.clone(),
                expected: miss.expected,
                happened: miss.happened,
                window: miss.window,
                detail: miss.detail,
            });
        }
    }
    out
}

/// What one kind's check says when the expectation does not hold (the entry's line and title are added
/// by [`check`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Miss {
    pub expected: String,
    pub happened: String,
    pub window: Option<(Duration, Duration)>,
    pub detail: Vec<String>,
}

impl Miss {
    pub fn new(expected: impl Into<String>, happened: impl Into<String>) -> Miss {
        Miss {
            expected: expected.into(),
            happened: happened.into(),
            window: None,
            detail: Vec::new(),
        }
    }

    /// The stretch of trace to show.
    pub fn around(mut self, window: Option<(Duration, Duration)>) -> Miss {
        self.window = window;
        self
    }
}

/// "once", "3 times".
pub(crate) fn times(n: usize) -> String {
    if n == 1 {
        "once".to_string()
    } else {
        format!("{n} times")
    }
}

/// A list of times, at most five, as `00:00:01.000, 00:00:02.500 and 2 more`.
pub(crate) fn time_list(ts: &[Duration]) -> String {
    let shown: Vec<String> = ts.iter().take(5).map(|t| clock_text(*t)).collect();
    let mut s = shown.join(", ");
    if ts.len() > 5 {
        s.push_str(&format!(" and {} more", ts.len() - 5));
    }
    s
}

/// "a" or "an" before a word (by its first letter, which is right for event names).
pub(crate) fn article(word: &str) -> &'static str {
    if word.starts_with(['A', 'E', 'I', 'O', 'U', 'a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

#[cfg(test)]
mod tests;
