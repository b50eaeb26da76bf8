//! One run as the checks see it: every event in order, the run's summary, the diagnostics (load, lint
//! and run), and the queries the kinds share: [`Who`] (a channel named by its device, so expectations do
//! not depend on channel numbering), [`EventMatcher`] (a name or log text plus a subset of fields), and
//! the verbose trace lines around a time, shown with a failure.

use crate::render::verbose;
use crate::scenario::runner::RunOutcome;
use crate::scenario::split_device;
use dialplan::diag::LogLevel;
use dialplan::engine::{Event, EventBody};
use std::time::Duration;

/// The verbosity of the trace shown with a failure (`dialsim run`'s default).
pub const TRACE_VERBOSITY: u8 = verbose::DEFAULT_VERBOSITY;
/// At most this many trace lines are shown with one failure.
pub const TRACE_LINES: usize = 20;
/// At most this many lines of the whole run are shown (its start and its end).
pub const WHOLE_TRACE_LINES: usize = 40;

/// A finished run.
#[derive(Clone, Debug)]
pub struct Record {
    /// Every event of the run (AMI, log lines of every verbosity, dialsim's own), in order.
    pub events: Vec<Event>,
    pub outcome: RunOutcome,
    /// `(code, message)` of every diagnostic: loading, `dialsim check`'s lint (when an expectation asks
    /// about codes), and the run.
    pub diagnostics: Vec<(String, String)>,
    /// Emulated devices: `(device, channel-name prefix)`, e.g. `("PJSIP/alice", "Local/alice@parking-example-")`.
    pub emulated: Vec<(String, String)>,
    /// Labels named by `reached` expectations, resolved on the loaded dialplan:
    /// `((context, exten, label), priority)`.
    pub labels: Vec<((String, String, String), Option<i32>)>,
    /// The AMI timestamp epoch (golden traces in AMI format).
    pub epoch: i64,
}

/// A channel as an expectation names it: a channel name (`PJSIP/alice-00000001`), or a device
/// (`PJSIP/alice`) standing for every channel of that device; an emulated device stands for its Local
/// channels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Who(pub String);

impl Who {
    /// Whether `chan` is this channel, or a channel of this device.
    pub fn matches(&self, chan: &str, rec: &Record) -> bool {
        let me = self.0.as_str();
        if chan == me {
            return true;
        }
        let Some((tech, resource)) = split_device(me) else {
            return false;
        };
        if let Some((ctech, rest)) = chan.split_once('/') {
            if ctech.eq_ignore_ascii_case(tech) {
                if let Some(suffix) = rest
                    .strip_prefix(resource)
                    .and_then(|r| r.strip_prefix('-'))
                {
                    // Asterisk's channel names end in an 8-hex-digit sequence number (Local: plus `;1`/`;2`).
                    let seq = suffix.split(';').next().unwrap_or_default();
                    if seq.len() == 8 && seq.chars().all(|c| c.is_ascii_hexdigit()) {
                        return true;
                    }
                }
            }
        }
        rec.emulated.iter().any(|(device, prefix)| {
            split_device(device).is_some_and(|(t, r)| t.eq_ignore_ascii_case(tech) && r == resource)
                && chan.starts_with(prefix.as_str())
        })
    }
}

/// Whether an expected field value matches the actual one: equal, a `prefix*`, or a device standing for
/// a channel of it.
pub fn value_matches(expected: &str, actual: &str, rec: &Record) -> bool {
    if expected == actual {
        return true;
    }
    if let Some(prefix) = expected.strip_suffix('*') {
        return actual.starts_with(prefix);
    }
    expected.contains('/') && Who(expected.to_string()).matches(actual, rec)
}

/// Which events an expectation is about.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventMatcher {
    /// An AMI or Dialsim event name.
    pub name: Option<String>,
    /// Text an Asterisk log line contains (as the console prints it, level included).
    pub log: Option<String>,
    /// Fields the event must have, with these values (others are not looked at).
    pub fields: Vec<(String, String)>,
    /// The event's `Channel` field is this channel or a channel of this device.
    pub channel: Option<Who>,
}

impl EventMatcher {
    pub fn matches(&self, e: &Event, rec: &Record) -> bool {
        if let Some(text) = &self.log {
            let EventBody::Log(line) = &e.body else {
                return false;
            };
            return line.console().contains(text.as_str());
        }
        let Some(f) = e.fields() else {
            return false;
        };
        if self.name.as_deref().is_some_and(|n| n != f.name) {
            return false;
        }
        if let Some(who) = &self.channel {
            if !f.get("Channel").is_some_and(|c| who.matches(c, rec)) {
                return false;
            }
        }
        self.fields.iter().all(|(k, v)| {
            f.fields
                .iter()
                .any(|(fk, fv)| fk == k && value_matches(v, fv, rec))
        })
    }

    /// Whether the event has the right name (or is a log line) whatever its fields.
    pub fn same_kind(&self, e: &Event) -> bool {
        match (&self.log, &self.name) {
            (Some(_), _) => matches!(e.body, EventBody::Log(_)),
            (None, Some(n)) => e.name() == n,
            (None, None) => false,
        }
    }

    /// The events in words: `a ParkedCall event with ParkingSpace = "701" on PJSIP/outside`.
    pub fn describe(&self) -> String {
        if let Some(text) = &self.log {
            return format!("an Asterisk log line containing \"{text}\"");
        }
        let name = self.name.as_deref().unwrap_or("?");
        let mut s = format!("{} {name} event", super::article(name));
        if !self.fields.is_empty() {
            let parts: Vec<String> = self
                .fields
                .iter()
                .map(|(k, v)| format!("{k} = \"{v}\""))
                .collect();
            s.push_str(&format!(" with {}", parts.join(", ")));
        }
        if let Some(who) = &self.channel {
            s.push_str(&format!(" on {}", who.0));
        }
        s
    }

    /// What an event of the right name had in the fields this matcher asks about: `ParkingSpace = "702"`.
    pub fn what_it_had(&self, e: &Event) -> String {
        let Some(f) = e.fields() else {
            return e
                .log()
                .map(|l| format!("\"{}\"", l.console().trim()))
                .unwrap_or_default();
        };
        let mut keys: Vec<&str> = self.fields.iter().map(|(k, _)| k.as_str()).collect();
        if self.channel.is_some() {
            keys.insert(0, "Channel");
        }
        let parts: Vec<String> = keys
            .iter()
            .map(|k| match f.get(k) {
                Some(v) => format!("{k} = \"{v}\""),
                None => format!("no {k}"),
            })
            .collect();
        parts.join(", ")
    }
}

impl Record {
    /// The events a matcher selects, in order.
    pub fn matching<'a>(&'a self, m: &'a EventMatcher) -> impl Iterator<Item = &'a Event> + 'a {
        self.events.iter().filter(move |e| m.matches(e, self))
    }

    /// The names of the channels that existed, in order of creation (from `Newchannel`).
    pub fn channels(&self) -> Vec<&str> {
        self.events
            .iter()
            .filter(|e| e.name() == "Newchannel")
            .filter_map(|e| e.fields().and_then(|f| f.get("Channel")))
            .collect()
    }

    /// The verbose trace (`dialsim run`'s lines) of the part of the run a failure is about: around
    /// `window` (± 1 s; at most [`TRACE_LINES`] lines), or the whole run (at most [`WHOLE_TRACE_LINES`]).
    pub fn trace_lines(&self, window: Option<(Duration, Duration)>) -> Vec<String> {
        let lines: Vec<(Duration, String)> = self
            .events
            .iter()
            .filter(|e| shown_in_trace(e))
            .flat_map(|e| {
                verbose::render(e)
                    .lines()
                    .map(|l| (e.time, l.to_string()))
                    .collect::<Vec<_>>()
            })
            .collect();
        let Some((from, to)) = window else {
            if lines.len() <= WHOLE_TRACE_LINES {
                return lines.into_iter().map(|(_, l)| l).collect();
            }
            let head = 15;
            let tail = WHOLE_TRACE_LINES - head;
            let mut out: Vec<String> = lines[..head].iter().map(|(_, l)| l.clone()).collect();
            out.push(format!("… {} more lines …", lines.len() - head - tail));
            out.extend(lines[lines.len() - tail..].iter().map(|(_, l)| l.clone()));
            return out;
        };
        let margin = Duration::from_secs(1);
        let lo = from.saturating_sub(margin);
        let hi = to + margin;
        let inside: Vec<usize> = (0..lines.len())
            .filter(|&i| lines[i].0 >= lo && lines[i].0 <= hi)
            .collect();
        let (Some(&first), Some(&last)) = (inside.first(), inside.last()) else {
            return vec![format!(
                "(nothing happened between {} and {})",
                dialplan::engine::event::clock_text(lo),
                dialplan::engine::event::clock_text(hi)
            )];
        };
        let (start, end) = if last + 1 - first <= TRACE_LINES {
            (first, last + 1)
        } else {
            // Centre on the first line at or after the window's start.
            let focus = (first..=last)
                .find(|&i| lines[i].0 >= from)
                .unwrap_or(first);
            let start = focus.saturating_sub(TRACE_LINES / 2).max(first);
            (start, (start + TRACE_LINES).min(last + 1))
        };
        lines[start..end].iter().map(|(_, l)| l.clone()).collect()
    }
}

/// Whether an event shows in the failure trace: the console's lines at `dialsim run`'s verbosity and
/// dialsim's explanations, but not CLI output (long, and never what a failure is about).
fn shown_in_trace(e: &Event) -> bool {
    match &e.body {
        EventBody::Log(l) => match l.level {
            LogLevel::Verbose(n) => n <= TRACE_VERBOSITY,
            _ => true,
        },
        EventBody::Dialsim(f) => f.name != "DialsimCli",
        EventBody::Ami(_) => false,
    }
}
