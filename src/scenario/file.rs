//! The scenario file format (TOML), as `docs/scenario-format.md` describes it.
//!
//! Parsing is two steps: serde reads the text into `Raw…` structs that keep the span of every value
//! (`toml::Spanned`) and refuse unknown keys; then [`parse`] checks the values (durations, `TECH/name`,
//! `exten@context`, caller ids) and applies the defaults. Every problem is reported with the line and column
//! of the value it is about, and all of them are reported at once.

use super::clock::{parse_start, DEFAULT_START};
use super::duration::parse_duration;
use super::{
    split_device, split_target, Action, ActionKind, Call, Device, DeviceAction, DeviceActionKind,
    DeviceKind, Origin, Phone, Scenario, When, DEFAULT_MAX_STEPS, DEFAULT_UNTIL,
};
use dialplan::engine::Party;
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::PathBuf;
use std::time::Duration;
use toml::Spanned;

/// A scenario that cannot be used, with every problem found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    /// The file, as messages name it.
    pub file: PathBuf,
    pub problems: Vec<Problem>,
}

/// One problem in a scenario file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// 1-based; 0 when the problem belongs to no line.
    pub line: usize,
    pub col: usize,
    pub message: String,
    /// The text of the line, for the caret display.
    pub line_text: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            if p.line == 0 {
                write!(f, "{}: {}", self.file.display(), p.message)?;
                continue;
            }
            writeln!(
                f,
                "{}:{}:{}: {}",
                self.file.display(),
                p.line,
                p.col,
                p.message
            )?;
            let gutter = p.line.to_string();
            writeln!(f, "{} |", " ".repeat(gutter.len()))?;
            writeln!(f, "{gutter} | {}", p.line_text)?;
            write!(
                f,
                "{} | {}^",
                " ".repeat(gutter.len()),
                " ".repeat(p.col.saturating_sub(1))
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioError {}

/// Parses a scenario file's text. `name` is how messages name the file.
pub fn parse(name: impl Into<PathBuf>, text: &str) -> Result<Scenario, ScenarioError> {
    let origin = Origin::new(name, text);
    let mut problems = Problems {
        origin: &origin,
        list: Vec::new(),
    };
    let pieces = super::chunked::from_str(text, "calls", |whole: &mut RawScenario, piece, by| {
        whole
            .calls
            .extend(piece.calls.into_iter().map(|c| RawCall::shifted(c, by)))
    });
    let raw: RawScenario = match pieces.map_or_else(|| toml::from_str(text), Ok) {
        Ok(raw) => raw,
        Err(e) => {
            let message = e.message().trim_end().to_string();
            problems.push(e.span(), message);
            return Err(problems.into_error());
        }
    };
    let scenario = build(&raw, &origin, &mut problems);
    if problems.list.is_empty() {
        Ok(scenario)
    } else {
        Err(problems.into_error())
    }
}

struct Problems<'a> {
    origin: &'a Origin,
    list: Vec<Problem>,
}

impl Problems<'_> {
    fn push(&mut self, span: Option<Range<usize>>, message: impl Into<String>) {
        let message = message.into();
        let problem = match span {
            Some(s) => {
                let (line, col) = self.origin.line_col(s.start);
                let line_text = self
                    .origin
                    .text
                    .lines()
                    .nth(line - 1)
                    .unwrap_or_default()
                    .to_string();
                Problem {
                    line,
                    col,
                    message,
                    line_text,
                }
            }
            None => Problem {
                line: 0,
                col: 0,
                message,
                line_text: String::new(),
            },
        };
        self.list.push(problem);
    }

    fn into_error(self) -> ScenarioError {
        ScenarioError {
            file: self.origin.name.clone(),
            problems: self.list,
        }
    }

    fn duration(&mut self, value: &Spanned<String>) -> Option<Duration> {
        match parse_duration(value.get_ref()) {
            Ok(d) => Some(d),
            Err(m) => {
                self.push(Some(value.span()), m);
                None
            }
        }
    }

    fn callerid(&mut self, value: &Spanned<String>) -> Option<Party> {
        let text = value.get_ref();
        let party = Party::parse(text);
        if party == Party::default() && !text.trim().is_empty() {
            self.push(
                Some(value.span()),
                format!("'{text}' is not a caller id: write it as '\"Name\" <number>'"),
            );
        }
        Some(party)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    description: Option<Spanned<String>>,
    config: Option<Spanned<String>>,
    until: Option<Spanned<String>>,
    start: Option<Spanned<String>>,
    timezone: Option<Spanned<String>>,
    epoch: Option<Spanned<i64>>,
    seed: Option<Spanned<i64>>,
    max_steps: Option<Spanned<i64>>,
    sounds: Option<Spanned<String>>,
    #[serde(default)]
    devices: BTreeMap<Spanned<String>, Spanned<RawDevice>>,
    #[serde(default)]
    calls: Vec<Spanned<RawCall>>,
    #[serde(default)]
    actions: Vec<Spanned<RawAction>>,
    #[serde(default)]
    expect: Vec<Spanned<crate::expect::parse::RawExpect>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDevice {
    emulate: Option<Spanned<String>>,
    callerid: Option<Spanned<String>>,
    answer_after: Option<Spanned<String>>,
    busy: Option<Spanned<bool>>,
    unavailable: Option<Spanned<bool>>,
    hangup_after: Option<Spanned<String>>,
    media: Option<Spanned<bool>>,
    #[serde(default)]
    actions: Vec<Spanned<RawDeviceAction>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeviceAction {
    after: Option<Spanned<String>>,
    at: Option<Spanned<String>>,
    dtmf: Option<Spanned<String>>,
    dial: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCall {
    at: Option<Spanned<String>>,
    from: Spanned<String>,
    callerid: Option<Spanned<String>>,
    to: Spanned<String>,
    variables: Option<Spanned<OrderedVars>>,
}

impl RawCall {
    /// A call read from a piece of the text, its spans moved to the whole text (see `chunked`).
    fn shifted(call: Spanned<RawCall>, by: usize) -> Spanned<RawCall> {
        use super::chunked::shifted;
        let call = shifted(call, by);
        let span = call.span();
        let c = call.into_inner();
        let raw = RawCall {
            at: c.at.map(|v| shifted(v, by)),
            from: shifted(c.from, by),
            callerid: c.callerid.map(|v| shifted(v, by)),
            to: shifted(c.to, by),
            variables: c.variables.map(|v| shifted(v, by)),
        };
        Spanned::new(span, raw)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAction {
    at: Spanned<String>,
    cli: Option<Spanned<String>>,
    /// An AMI action's headers, e.g. `{ Action = "Park", Channel = "PJSIP/bob-00000001" }`.
    ami: Option<Spanned<OrderedVars>>,
    /// A configuration folder (relative to the scenario file) that replaces the running one, reloaded.
    reload: Option<Spanned<String>>,
}

/// An inline table of variables, in the order written (a plain map would sort them, and the order is
/// the order of the `VarSet` events).
struct OrderedVars(Vec<(String, String)>);

impl<'de> Deserialize<'de> for OrderedVars {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = OrderedVars;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a table of variables, e.g. { __PARKINGLOT = \"default\" }")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<OrderedVars, A::Error> {
                // toml hands the table over sorted by key; the values' spans give back the written order.
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Spanned<toml::Value>>()? {
                    let at = v.span().start;
                    let text = match v.into_inner() {
                        toml::Value::String(s) => s,
                        toml::Value::Integer(i) => i.to_string(),
                        toml::Value::Float(x) => x.to_string(),
                        toml::Value::Boolean(b) => if b { "1" } else { "0" }.to_string(),
                        _ => {
                            return Err(serde::de::Error::custom(format!(
                                "variable '{k}' must be a string or a number"
                            )))
                        }
                    };
                    out.push((at, k, text));
                }
                out.sort_by_key(|(at, _, _)| *at);
                Ok(OrderedVars(
                    out.into_iter().map(|(_, k, v)| (k, v)).collect(),
                ))
            }
        }
        d.deserialize_map(V)
    }
}

fn build(raw: &RawScenario, origin: &Origin, p: &mut Problems<'_>) -> Scenario {
    let mut s = Scenario::empty(origin.clone());
    s.description = raw.description.as_ref().map(|d| d.get_ref().clone());
    if let Some(c) = &raw.config {
        if c.get_ref().trim().is_empty() {
            p.push(
                Some(c.span()),
                "'config' is empty: name the folder holding the .conf files, e.g. \".\"",
            );
        }
        s.config = PathBuf::from(c.get_ref());
    }
    s.until = raw
        .until
        .as_ref()
        .and_then(|u| p.duration(u))
        .unwrap_or(DEFAULT_UNTIL);
    let start_text = raw
        .start
        .as_ref()
        .map_or(DEFAULT_START, |v| v.get_ref().as_str());
    match parse_start(start_text) {
        Ok(secs) => s.start = secs,
        Err(m) => p.push(raw.start.as_ref().map(Spanned::span), m),
    }
    if let Some(tz) = &raw.timezone {
        let name = tz.get_ref();
        if dialplan::timing::Zone::named(name).is_some() {
            s.timezone = name.clone();
        } else {
            p.push(
                Some(tz.span()),
                format!("unknown timezone '{name}': use an IANA name such as 'Europe/Paris' or a POSIX TZ string"),
            );
        }
    }
    s.epoch = raw.epoch.as_ref().map_or(s.start, |e| *e.get_ref());
    if let Some(seed) = &raw.seed {
        match u64::try_from(*seed.get_ref()) {
            Ok(v) => s.seed = v,
            Err(_) => p.push(Some(seed.span()), "'seed' must not be negative"),
        }
    }
    s.max_steps = DEFAULT_MAX_STEPS;
    if let Some(m) = &raw.max_steps {
        match u64::try_from(*m.get_ref()) {
            Ok(v) if v > 0 => s.max_steps = v,
            _ => p.push(
                Some(m.span()),
                "'max_steps' must be a positive number of priorities",
            ),
        }
    }
    s.sounds = raw.sounds.as_ref().map(|v| PathBuf::from(v.get_ref()));

    for (name, dev) in &raw.devices {
        if let Some(d) = build_device(name, dev, p) {
            s.devices.push(d);
        }
    }
    for call in &raw.calls {
        if let Some(c) = build_call(call, p) {
            s.calls.push(c);
        }
    }
    for action in &raw.actions {
        let a = action.get_ref();
        let at = p.duration(&a.at);
        let what = match (&a.cli, &a.ami) {
            (None, None) if a.reload.is_some() => {
                let Some(folder) = &a.reload else { continue };
                let text = folder.get_ref().trim();
                if text.is_empty() {
                    p.push(
                        Some(folder.span()),
                        "'reload' is empty: write the configuration folder to reload from, e.g. \"after-reload\"",
                    );
                    continue;
                }
                ActionKind::Reload(PathBuf::from(text))
            }
            (Some(_), _) | (_, Some(_)) if a.reload.is_some() => {
                p.push(
                    Some(action.span()),
                    "an action needs exactly one of 'cli', 'ami' and 'reload'",
                );
                continue;
            }
            (Some(cli), None) => {
                let text = cli.get_ref().trim().to_string();
                if text.is_empty() {
                    p.push(
                        Some(cli.span()),
                        "'cli' is empty: write a CLI command, e.g. \"parking show default\"",
                    );
                    continue;
                }
                ActionKind::Cli(text)
            }
            (None, Some(ami)) => {
                let headers = ami.get_ref().0.clone();
                if !headers
                    .iter()
                    .any(|(k, _)| k.eq_ignore_ascii_case("Action"))
                {
                    p.push(
                        Some(ami.span()),
                        "'ami' has no Action: write e.g. { Action = \"ParkedCalls\" }",
                    );
                    continue;
                }
                ActionKind::Ami(headers)
            }
            _ => {
                p.push(
                    Some(action.span()),
                    "an action needs exactly one of 'cli', 'ami' and 'reload'",
                );
                continue;
            }
        };
        if let Some(at) = at {
            s.actions.push(Action {
                at,
                what,
                span: Some(action.span()),
            });
        }
    }
    for e in &raw.expect {
        match crate::expect::parse::build(e.get_ref(), e.span(), origin) {
            Ok(x) => s.expectations.push(x),
            Err(list) => list.into_iter().for_each(|(span, m)| p.push(span, m)),
        }
    }
    s
}

fn build_device(
    name: &Spanned<String>,
    dev: &Spanned<RawDevice>,
    p: &mut Problems<'_>,
) -> Option<Device> {
    let Some((tech, resource)) = split_device(name.get_ref()) else {
        p.push(
            Some(name.span()),
            format!(
                "device '{}' is not a device name: write it as TECH/name, e.g. \"PJSIP/alice\"",
                name.get_ref()
            ),
        );
        return None;
    };
    if tech.eq_ignore_ascii_case("Local") {
        p.push(
            Some(name.span()),
            format!(
                "'{}' is a Local channel, the PBX's own: it needs no device entry",
                name.get_ref()
            ),
        );
        return None;
    }
    let raw = dev.get_ref();
    let callerid = raw.callerid.as_ref().and_then(|c| p.callerid(c));
    let kind = if let Some(em) = &raw.emulate {
        let phone_keys = [
            ("answer_after", raw.answer_after.as_ref().map(Spanned::span)),
            ("busy", raw.busy.as_ref().map(Spanned::span)),
            ("unavailable", raw.unavailable.as_ref().map(Spanned::span)),
            ("hangup_after", raw.hangup_after.as_ref().map(Spanned::span)),
            ("media", raw.media.as_ref().map(Spanned::span)),
            ("actions", raw.actions.first().map(Spanned::span)),
        ];
        for (key, span) in phone_keys {
            if let Some(span) = span {
                p.push(
                    Some(span),
                    format!("'{key}' does not apply to an emulated device: the extension '{}' plays the person at the phone", em.get_ref()),
                );
            }
        }
        let Some((exten, context)) = split_target(em.get_ref()) else {
            p.push(
                Some(em.span()),
                format!("'emulate = \"{}\"' must name an extension as EXTEN@CONTEXT, e.g. \"alice@parking-example\"", em.get_ref()),
            );
            return None;
        };
        if context.contains('/') {
            p.push(
                Some(em.span()),
                format!(
                    "'{}': write EXTEN@CONTEXT without Local options; dialsim adds '/n' itself",
                    em.get_ref()
                ),
            );
            return None;
        }
        DeviceKind::Emulated {
            exten: exten.to_string(),
            context: context.to_string(),
        }
    } else {
        let mut phone = Phone {
            answer_after: raw.answer_after.as_ref().and_then(|v| p.duration(v)),
            busy: raw.busy.as_ref().is_some_and(|v| *v.get_ref()),
            unavailable: raw.unavailable.as_ref().is_some_and(|v| *v.get_ref()),
            hangup_after: raw.hangup_after.as_ref().and_then(|v| p.duration(v)),
            media: raw.media.as_ref().is_none_or(|v| *v.get_ref()),
            actions: Vec::new(),
        };
        if phone.busy && phone.unavailable {
            if let Some(b) = &raw.busy {
                p.push(
                    Some(b.span()),
                    "a device cannot be both 'busy' and 'unavailable'",
                );
            }
        }
        for a in &raw.actions {
            if let Some(action) = build_device_action(a, p) {
                phone.actions.push(action);
            }
        }
        DeviceKind::Phone(phone)
    };
    Some(Device {
        name: name.get_ref().clone(),
        tech: tech.to_string(),
        resource: resource.to_string(),
        callerid,
        kind,
        span: Some(name.span()),
    })
}

fn build_device_action(a: &Spanned<RawDeviceAction>, p: &mut Problems<'_>) -> Option<DeviceAction> {
    let raw = a.get_ref();
    let when = match (&raw.after, &raw.at) {
        (Some(after), None) => When::After(p.duration(after)?),
        (None, Some(at)) => When::At(p.duration(at)?),
        (Some(_), Some(at)) => {
            p.push(
                Some(at.span()),
                "an action has either 'after' or 'at', not both",
            );
            return None;
        }
        (None, None) => {
            p.push(Some(a.span()), "an action needs a time: 'after = \"5s\"' (after the channel is up) or 'at = \"40s\"'");
            return None;
        }
    };
    let what = match (&raw.dtmf, &raw.dial) {
        (Some(d), None) => {
            let digits = d.get_ref();
            if let Some(bad) = digits
                .chars()
                .find(|c| !"0123456789*#abcdABCDwW".contains(*c))
            {
                p.push(
                    Some(d.span()),
                    format!("'{bad}' in dtmf = \"{digits}\" is not a key: use 0-9 * # A-D, and w/W for pauses"),
                );
                return None;
            }
            DeviceActionKind::Dtmf(digits.clone())
        }
        (None, Some(d)) => {
            let Some((exten, context)) = split_target(d.get_ref()) else {
                p.push(
                    Some(d.span()),
                    format!(
                        "dial = \"{}\" must be EXTEN@CONTEXT, e.g. \"701@internal\"",
                        d.get_ref()
                    ),
                );
                return None;
            };
            if let When::After(_) = when {
                p.push(
                    Some(d.span()),
                    "a 'dial' action places a new call and needs 'at' (a time of the run), not 'after'",
                );
                return None;
            }
            DeviceActionKind::Dial {
                exten: exten.to_string(),
                context: context.to_string(),
            }
        }
        (Some(_), Some(d)) => {
            p.push(
                Some(d.span()),
                "an action has either 'dtmf' or 'dial', not both",
            );
            return None;
        }
        (None, None) => {
            p.push(
                Some(a.span()),
                "an action needs 'dtmf = \"#72\"' or 'dial = \"701@internal\"'",
            );
            return None;
        }
    };
    Some(DeviceAction {
        when,
        what,
        span: Some(a.span()),
    })
}

fn build_call(call: &Spanned<RawCall>, p: &mut Problems<'_>) -> Option<Call> {
    let raw = call.get_ref();
    let at = match &raw.at {
        Some(a) => p.duration(a)?,
        None => Duration::ZERO,
    };
    let from = raw.from.get_ref();
    if split_device(from).is_none() {
        p.push(
            Some(raw.from.span()),
            format!("from = \"{from}\" is not a device name: write it as TECH/name, e.g. \"PJSIP/outside\""),
        );
        return None;
    }
    let Some((exten, context)) = split_target(raw.to.get_ref()) else {
        p.push(
            Some(raw.to.span()),
            format!(
                "to = \"{}\" must be EXTEN@CONTEXT, e.g. \"5555001@from-outside\"",
                raw.to.get_ref()
            ),
        );
        return None;
    };
    let callerid = raw.callerid.as_ref().and_then(|c| p.callerid(c));
    let variables = raw
        .variables
        .as_ref()
        .map(|v| v.get_ref().0.clone())
        .unwrap_or_default();
    for (name, _) in &variables {
        if name.is_empty() {
            if let Some(v) = &raw.variables {
                p.push(Some(v.span()), "a variable has an empty name");
            }
        }
    }
    Some(Call {
        at,
        from: from.clone(),
        callerid,
        exten: exten.to_string(),
        context: context.to_string(),
        variables,
        span: Some(call.span()),
    })
}

#[cfg(test)]
mod tests;
