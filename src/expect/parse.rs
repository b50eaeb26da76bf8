//! The `[[expect]]` tables of a scenario file. Each entry has exactly one key saying what it checks
//! (`event`, `log`, `order`, `reached`, `heard`, `variable`, `lot`, `ended_by`, `diagnostic`, `trace`) and
//! the modifiers that kind takes; unknown keys, and keys the kind does not take, are errors with their
//! line and column, like every other scenario problem.

use super::diagnostic::DiagnosticExpect;
use super::ended::EndedExpect;
use super::event::EventExpect;
use super::golden::{TraceExpect, TraceFormat};
use super::heard::HeardExpect;
use super::lot::LotExpect;
use super::order::OrderExpect;
use super::reached::{Prio, ReachedExpect};
use super::record::{EventMatcher, Who};
use super::variable::{ReadAt, VariableExpect};
use super::{Expectation, Kind, Presence, Timing};
use crate::scenario::duration::parse_duration;
use crate::scenario::Origin;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;
use std::time::Duration;
use toml::Spanned;

/// A problem in an `[[expect]]` entry: where, and what.
pub type Problem = (Option<Range<usize>>, String);

/// The keys that say what an entry checks.
pub const KIND_KEYS: &[&str] = &[
    "event",
    "log",
    "order",
    "reached",
    "heard",
    "variable",
    "lot",
    "ended_by",
    "diagnostic",
    "trace",
];

/// One `[[expect]]` table as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExpect {
    name: Option<Spanned<String>>,
    event: Option<Spanned<String>>,
    log: Option<Spanned<String>>,
    order: Option<Spanned<Vec<Spanned<toml::Value>>>>,
    reached: Option<Spanned<String>>,
    heard: Option<Spanned<String>>,
    variable: Option<Spanned<String>>,
    lot: Option<Spanned<String>>,
    ended_by: Option<Spanned<String>>,
    diagnostic: Option<Spanned<String>>,
    trace: Option<Spanned<String>>,
    fields: Option<Spanned<BTreeMap<String, Spanned<toml::Value>>>>,
    channel: Option<Spanned<String>>,
    by: Option<Spanned<String>>,
    value: Option<Spanned<toml::Value>>,
    occupancy: Option<Spanned<i64>>,
    format: Option<Spanned<String>>,
    verbosity: Option<Spanned<i64>>,
    at: Option<Spanned<String>>,
    tolerance: Option<Spanned<String>>,
    after: Option<Spanned<String>>,
    before: Option<Spanned<String>>,
    count: Option<Spanned<i64>>,
    never: Option<Spanned<bool>>,
}

/// Checks one entry; `span` is the whole table's.
pub fn build(
    raw: &RawExpect,
    span: Range<usize>,
    origin: &Origin,
) -> Result<Expectation, Vec<Problem>> {
    let mut p: Vec<Problem> = Vec::new();
    let heads: Vec<(&str, Range<usize>)> = [
        ("event", raw.event.as_ref().map(Spanned::span)),
        ("log", raw.log.as_ref().map(Spanned::span)),
        ("order", raw.order.as_ref().map(Spanned::span)),
        ("reached", raw.reached.as_ref().map(Spanned::span)),
        ("heard", raw.heard.as_ref().map(Spanned::span)),
        ("variable", raw.variable.as_ref().map(Spanned::span)),
        ("lot", raw.lot.as_ref().map(Spanned::span)),
        ("ended_by", raw.ended_by.as_ref().map(Spanned::span)),
        ("diagnostic", raw.diagnostic.as_ref().map(Spanned::span)),
        ("trace", raw.trace.as_ref().map(Spanned::span)),
    ]
    .into_iter()
    .filter_map(|(k, s)| s.map(|s| (k, s)))
    .collect();
    let (head, head_span) = match heads.as_slice() {
        [one] => one.clone(),
        [] => {
            return Err(vec![(
                Some(span),
                format!(
                    "an [[expect]] entry needs one key saying what it checks: {}",
                    KIND_KEYS.join(", ")
                ),
            )])
        }
        [_, second, ..] => {
            return Err(vec![(
                Some(second.1.clone()),
                format!(
                    "an [[expect]] entry checks one thing: '{}' and '{}' belong in two entries",
                    heads[0].0, second.0
                ),
            )])
        }
    };
    refuse_foreign_keys(raw, head, &mut p);

    let presence = match &raw.never {
        Some(n) if *n.get_ref() => Presence::Never,
        _ => Presence::Seen,
    };
    let count = match &raw.count {
        Some(c) => match usize::try_from(*c.get_ref()) {
            Ok(n) if presence == Presence::Never => {
                p.push((
                    Some(c.span()),
                    format!("'count = {n}' with 'never = true' says two things: keep one"),
                ));
                None
            }
            Ok(n) => Some(n),
            Err(_) => {
                p.push((Some(c.span()), "'count' must not be negative".to_string()));
                None
            }
        },
        None => None,
    };
    let timing = timing(raw, head, &mut p);
    let channel = raw.channel.as_ref().map(|c| Who(c.get_ref().clone()));

    let kind = match head {
        "event" | "log" => {
            let fields = raw
                .fields
                .as_ref()
                .map(|f| fields(f, &mut p))
                .unwrap_or_default();
            let matcher = EventMatcher {
                name: raw.event.as_ref().map(|e| e.get_ref().clone()),
                log: raw.log.as_ref().map(|e| e.get_ref().clone()),
                fields,
                channel,
            };
            if let Some(e) = &raw.event {
                if e.get_ref().trim().is_empty() {
                    p.push((
                        Some(e.span()),
                        "'event' is empty: name an event, e.g. \"ParkedCall\"".into(),
                    ));
                }
            }
            Some(Kind::Event(EventExpect {
                matcher,
                timing,
                count,
                presence,
            }))
        }
        "order" => raw.order.as_ref().map(|o| {
            Kind::Order(OrderExpect {
                steps: order_steps(o, &mut p),
            })
        }),
        "reached" => raw.reached.as_ref().and_then(|r| {
            let (context, exten, priority) = location(r, &mut p)?;
            Some(Kind::Reached(ReachedExpect {
                context,
                exten,
                priority,
                channel,
                timing,
                presence,
            }))
        }),
        "heard" => raw.heard.as_ref().map(|h| {
            Kind::Heard(HeardExpect {
                prompt: h.get_ref().clone(),
                by: raw.by.as_ref().map(|b| Who(b.get_ref().clone())),
                channel,
                timing,
                count,
                presence,
            })
        }),
        "variable" => raw.variable.as_ref().and_then(|v| variable(raw, v, &mut p)),
        "lot" => raw.lot.as_ref().and_then(|l| {
            let Some(occ) = &raw.occupancy else {
                p.push((
                    Some(l.span()),
                    "a 'lot' expectation needs 'occupancy = N' (the number of calls parked)".into(),
                ));
                return None;
            };
            let Ok(occupancy) = usize::try_from(*occ.get_ref()) else {
                p.push((Some(occ.span()), "'occupancy' must not be negative".into()));
                return None;
            };
            let Some(at) = &raw.at else {
                p.push((
                    Some(l.span()),
                    "a 'lot' expectation needs 'at = \"…\"' (when to look at the lot)".into(),
                ));
                return None;
            };
            let at = duration(at, &mut p)?;
            Some(Kind::Lot(LotExpect {
                lot: l.get_ref().clone(),
                occupancy,
                at,
            }))
        }),
        "ended_by" => raw
            .ended_by
            .as_ref()
            .and_then(|e| duration(e, &mut p))
            .map(|by| Kind::Ended(EndedExpect { by })),
        "diagnostic" => raw.diagnostic.as_ref().map(|d| {
            Kind::Diagnostic(DiagnosticExpect {
                code: d.get_ref().clone(),
                presence,
            })
        }),
        _ => raw.trace.as_ref().and_then(|t| trace(raw, t, &mut p)),
    };
    let (line, _) = origin.line_col(head_span.start);
    let title = match &raw.name {
        Some(n) => n.get_ref().clone(),
        None => origin
            .text
            .lines()
            .nth(line.saturating_sub(1))
            .unwrap_or_default()
            .trim()
            .to_string(),
    };
    match kind {
        Some(kind) if p.is_empty() => Ok(Expectation {
            line,
            span: Some(span),
            title,
            kind,
        }),
        _ => Err(p),
    }
}

/// The modifiers each kind takes (besides `name`).
fn allowed(head: &str) -> &'static [&'static str] {
    match head {
        "event" => &[
            "fields",
            "channel",
            "at",
            "tolerance",
            "after",
            "before",
            "count",
            "never",
        ],
        "log" => &["at", "tolerance", "after", "before", "count", "never"],
        "reached" => &["channel", "at", "tolerance", "after", "before", "never"],
        "heard" => &[
            "by",
            "channel",
            "at",
            "tolerance",
            "after",
            "before",
            "count",
            "never",
        ],
        "variable" => &["value", "channel", "at"],
        "lot" => &["occupancy", "at"],
        "diagnostic" => &["never"],
        "trace" => &["format", "verbosity"],
        _ => &[],
    }
}

fn refuse_foreign_keys(raw: &RawExpect, head: &str, p: &mut Vec<Problem>) {
    let present: [(&str, Option<Range<usize>>); 13] = [
        ("fields", raw.fields.as_ref().map(Spanned::span)),
        ("channel", raw.channel.as_ref().map(Spanned::span)),
        ("by", raw.by.as_ref().map(Spanned::span)),
        ("value", raw.value.as_ref().map(Spanned::span)),
        ("occupancy", raw.occupancy.as_ref().map(Spanned::span)),
        ("format", raw.format.as_ref().map(Spanned::span)),
        ("verbosity", raw.verbosity.as_ref().map(Spanned::span)),
        ("at", raw.at.as_ref().map(Spanned::span)),
        ("tolerance", raw.tolerance.as_ref().map(Spanned::span)),
        ("after", raw.after.as_ref().map(Spanned::span)),
        ("before", raw.before.as_ref().map(Spanned::span)),
        ("count", raw.count.as_ref().map(Spanned::span)),
        ("never", raw.never.as_ref().map(Spanned::span)),
    ];
    let ok = allowed(head);
    for (key, span) in present {
        if let Some(span) = span {
            if !ok.contains(&key) {
                let takes = if ok.is_empty() {
                    "no other keys".to_string()
                } else {
                    ok.join(", ")
                };
                p.push((
                    Some(span),
                    format!(
                        "'{key}' does not apply to {} '{head}' expectation (it takes {takes})",
                        if head.starts_with(['a', 'e', 'i', 'o', 'u']) {
                            "an"
                        } else {
                            "a"
                        }
                    ),
                ));
            }
        }
    }
}

fn duration(v: &Spanned<String>, p: &mut Vec<Problem>) -> Option<Duration> {
    match parse_duration(v.get_ref()) {
        Ok(d) => Some(d),
        Err(m) => {
            p.push((Some(v.span()), m));
            None
        }
    }
}

fn timing(raw: &RawExpect, head: &str, p: &mut Vec<Problem>) -> Timing {
    let mut t = Timing::default();
    if !allowed(head).contains(&"tolerance") {
        return t;
    }
    t.at = raw.at.as_ref().and_then(|a| duration(a, p));
    if let Some(tol) = &raw.tolerance {
        if raw.at.is_none() {
            p.push((
                Some(tol.span()),
                "'tolerance' goes with 'at': write at = \"2.3s\" too (or use after/before for a window)".into(),
            ));
        }
        t.tolerance = duration(tol, p).unwrap_or_default();
    }
    t.after = raw.after.as_ref().and_then(|a| duration(a, p));
    t.before = raw.before.as_ref().and_then(|b| duration(b, p));
    if let (Some(a), Some(b), Some(span)) =
        (t.after, t.before, raw.before.as_ref().map(Spanned::span))
    {
        if b < a {
            p.push((
                Some(span),
                "'before' is earlier than 'after': the window is empty".into(),
            ));
        }
    }
    t
}

fn scalar_text(v: &toml::Value) -> Option<String> {
    match v {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Integer(i) => Some(i.to_string()),
        toml::Value::Float(x) => Some(x.to_string()),
        toml::Value::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

fn fields(
    f: &Spanned<BTreeMap<String, Spanned<toml::Value>>>,
    p: &mut Vec<Problem>,
) -> Vec<(String, String)> {
    let mut out: Vec<(usize, String, String)> = Vec::new();
    for (k, v) in f.get_ref() {
        match scalar_text(v.get_ref()) {
            Some(text) => out.push((v.span().start, k.clone(), text)),
            None => p.push((
                Some(v.span()),
                format!("field '{k}' must be a string or a number"),
            )),
        }
    }
    // As written, for the report.
    out.sort_by_key(|(at, _, _)| *at);
    out.into_iter().map(|(_, k, v)| (k, v)).collect()
}

fn order_steps(o: &Spanned<Vec<Spanned<toml::Value>>>, p: &mut Vec<Problem>) -> Vec<EventMatcher> {
    if o.get_ref().len() < 2 {
        p.push((Some(o.span()), "'order' needs at least two events".into()));
    }
    let mut steps = Vec::new();
    for v in o.get_ref() {
        match v.get_ref() {
            toml::Value::String(name) => steps.push(EventMatcher {
                name: Some(name.clone()),
                ..EventMatcher::default()
            }),
            toml::Value::Table(t) => {
                let mut m = EventMatcher::default();
                for (k, val) in t {
                    match (k.as_str(), val) {
                        ("event", toml::Value::String(s)) => m.name = Some(s.clone()),
                        ("log", toml::Value::String(s)) => m.log = Some(s.clone()),
                        ("channel", toml::Value::String(s)) => m.channel = Some(Who(s.clone())),
                        ("fields", toml::Value::Table(ft)) => {
                            for (fk, fv) in ft {
                                match scalar_text(fv) {
                                    Some(text) => m.fields.push((fk.clone(), text)),
                                    None => p.push((
                                        Some(v.span()),
                                        format!("field '{fk}' must be a string or a number"),
                                    )),
                                }
                            }
                        }
                        _ => p.push((
                            Some(v.span()),
                            format!("'{k}' is not known in an 'order' step: use event, log, fields, channel"),
                        )),
                    }
                }
                if m.name.is_none() == m.log.is_none() {
                    p.push((
                        Some(v.span()),
                        "an 'order' step names an 'event' or a 'log' text (one of them)".into(),
                    ));
                }
                steps.push(m);
            }
            _ => p.push((
                Some(v.span()),
                "an 'order' step is an event name or a table { event = \"…\", fields = { … } }"
                    .into(),
            )),
        }
    }
    steps
}

fn location(r: &Spanned<String>, p: &mut Vec<Problem>) -> Option<(String, String, Option<Prio>)> {
    let parts: Vec<&str> = r.get_ref().split(',').map(str::trim).collect();
    let bad = |p: &mut Vec<Problem>| {
        p.push((
            Some(r.span()),
            format!(
                "reached = \"{}\" must be CONTEXT,EXTEN or CONTEXT,EXTEN,PRIORITY (a number or a label), e.g. \"parkedcalls,701,1\"",
                r.get_ref()
            ),
        ));
    };
    if !(2..=3).contains(&parts.len()) || parts.iter().any(|s| s.is_empty()) {
        bad(p);
        return None;
    }
    let priority = parts.get(2).map(|s| match s.parse::<i32>() {
        Ok(n) => Prio::Number(n),
        Err(_) => Prio::Label(s.to_string()),
    });
    Some((parts[0].to_string(), parts[1].to_string(), priority))
}

fn variable(raw: &RawExpect, v: &Spanned<String>, p: &mut Vec<Problem>) -> Option<Kind> {
    let Some(value) = &raw.value else {
        p.push((
            Some(v.span()),
            "a 'variable' expectation needs 'value = \"…\"'".into(),
        ));
        return None;
    };
    let Some(text) = scalar_text(value.get_ref()) else {
        p.push((
            Some(value.span()),
            "'value' must be a string or a number".into(),
        ));
        return None;
    };
    let Some(channel) = &raw.channel else {
        p.push((
            Some(v.span()),
            "a 'variable' expectation needs 'channel = \"PJSIP/alice\"' (a device or a channel name)".into(),
        ));
        return None;
    };
    let at = match &raw.at {
        None => ReadAt::Hangup,
        Some(a) if a.get_ref() == "hangup" => ReadAt::Hangup,
        Some(a) => ReadAt::Time(duration(a, p)?),
    };
    Some(Kind::Variable(VariableExpect {
        name: v.get_ref().clone(),
        value: text,
        channel: Who(channel.get_ref().clone()),
        at,
    }))
}

fn trace(raw: &RawExpect, t: &Spanned<String>, p: &mut Vec<Problem>) -> Option<Kind> {
    if t.get_ref().trim().is_empty() {
        p.push((
            Some(t.span()),
            "'trace' is empty: name a file, e.g. \"expected.txt\"".into(),
        ));
        return None;
    }
    let verbosity = match &raw.verbosity {
        Some(v) => match u8::try_from(*v.get_ref()) {
            Ok(n) => n,
            Err(_) => {
                p.push((
                    Some(v.span()),
                    "'verbosity' must be between 0 and 255".into(),
                ));
                return None;
            }
        },
        None => crate::render::verbose::DEFAULT_VERBOSITY,
    };
    let format = match raw
        .format
        .as_ref()
        .map(|f| (f.get_ref().as_str(), f.span()))
    {
        None | Some(("verbose", _)) => TraceFormat::Verbose(verbosity),
        Some(("json", _)) => TraceFormat::Json,
        Some(("ami", _)) => TraceFormat::Ami,
        Some((other, span)) => {
            p.push((
                Some(span),
                format!("format = \"{other}\" is not a trace format: use \"verbose\", \"json\" or \"ami\""),
            ));
            return None;
        }
    };
    if raw.verbosity.is_some() && !matches!(format, TraceFormat::Verbose(_)) {
        if let Some(v) = &raw.verbosity {
            p.push((
                Some(v.span()),
                "'verbosity' applies to format = \"verbose\" only".into(),
            ));
        }
    }
    Some(Kind::Trace(TraceExpect {
        file: PathBuf::from(t.get_ref()),
        format,
    }))
}
