//! Application and function arguments that are certainly wrong for Asterisk 22: what the application or
//! function logs at run time and what it then does. Only forms whose meaning cannot change at run time
//! are judged: an argument with `$` in it may become anything once substituted, so it is left alone
//! (except for a lower bound on how many arguments there are).

use super::apps::AppKind;
use super::bytes::trim;
use super::walk::Step;
use super::{APP_ARGUMENTS, FUNCTION_ARGUMENTS};
use dialplan::diag::{Diagnostic, LogLevel, LogLine};
use dialplan::expr::functions::ArgRule;
use dialplan::model::Priority;

/// The `i`-th argument (0-based) as `AST_STANDARD_APP_ARGS` splits `data`: at `,` outside `(…)` and
/// `[…]`. `None` when there are fewer arguments, or when quotes or backslashes make the split depend on
/// unquoting.
pub(super) fn nth_arg(data: &str, i: usize) -> Option<&str> {
    split_args(data)?.nth(i)
}

/// The arguments of `data` split as `AST_STANDARD_APP_ARGS` does (see [`nth_arg`]); `None` when quotes or
/// backslashes are present. Empty data has no arguments.
pub(super) fn split_args(data: &str) -> Option<impl Iterator<Item = &str>> {
    let b = data.as_bytes();
    if memchr::memchr2(b'"', b'\\', b).is_some() {
        return None;
    }
    let mut at = 0usize;
    let mut done = data.is_empty();
    Some(std::iter::from_fn(move || {
        if done {
            return None;
        }
        let (mut paren, mut bracket) = (0u32, 0u32);
        let start = at;
        while at < b.len() {
            match b[at] {
                b'(' => paren += 1,
                b')' => paren = paren.saturating_sub(1),
                b'[' => bracket += 1,
                b']' => bracket = bracket.saturating_sub(1),
                b',' if paren == 0 && bracket == 0 => {
                    at += 1;
                    return Some(&data[start..at - 1]);
                }
                _ => {}
            }
            at += 1;
        }
        done = true;
        Some(&data[start..])
    }))
}

/// Checks one priority's application arguments.
pub(super) fn app(step: &Step<'_>, out: &mut Vec<Diagnostic>) {
    let (app, kind, data) = (step.app, step.kind, step.data);
    let (context, ext, p) = (step.context, step.extension, step.priority);
    // Computed only by the branches that need them: most priorities run none of the applications below,
    // and this runs for every priority of the dialplan.
    let empty = || trim(data).is_empty();
    let static_text = || !step.dollar;
    let Some(span) = p.source() else { return };
    let mut report = |message: String, label: &str, help: String, log: Option<LogLine>| {
        let mut d = Diagnostic::warning(APP_ARGUMENTS, message)
            .with_span(span)
            .with_label(label)
            .with_help(help);
        if let Some(l) = log {
            d = d.with_log(l);
        }
        out.push(d);
    };
    let warn =
        |source: &'static str, text: &str| Some(LogLine::new(LogLevel::Warning, source, text));
    let error =
        |source: &'static str, text: &str| Some(LogLine::new(LogLevel::Error, source, text));

    match kind {
        AppKind::Set => {
            if empty() {
                let log = "Set requires one variable name/value pair.";
                report(
                    "Set() names no variable".into(),
                    "nothing to set",
                    format!("Asterisk logs \"{log}\" and goes on without setting anything; write Set(NAME=value)"),
                    warn("pbx_variables.c", log),
                );
            } else if static_text() && !step.equals {
                let log = "Set requires an '=' to be a valid assignment.";
                report(
                    format!("Set({data}) has no '='"),
                    "no '='",
                    format!(
                        "Asterisk logs \"{log}\" and goes on without setting anything; write Set({data}=value)"
                    ),
                    warn("pbx_variables.c", log),
                );
            }
        }
        AppKind::MSet => {
            if empty() {
                let log = "MSet requires at least one variable name/value pair.";
                report(
                    "MSet() names no variable".into(),
                    "nothing to set",
                    format!("Asterisk logs \"{log}\" and goes on without setting anything; write MSet(A=1,B=2)"),
                    warn("pbx_variables.c", log),
                );
                return;
            }
            let Some(entries) = split_args(data) else {
                return;
            };
            for entry in entries {
                if entry.contains(['=', '$']) {
                    continue;
                }
                // The channel's extension is the dialled number, known here only for a literal extension.
                let log = (!ext.is_pattern()).then(|| {
                    LogLine::new(
                        LogLevel::Warning,
                        "pbx_variables.c",
                        format!(
                            "MSet: ignoring entry '{entry}' with no '=' (in {}@{context}:{}",
                            ext.name(),
                            p.number()
                        ),
                    )
                });
                report(
                    format!("MSet entry '{entry}' has no '='"),
                    "no '='",
                    format!(
                        "MSet sets name=value pairs separated by ','; Asterisk logs \"MSet: ignoring entry '{entry}' with no '='\" and skips it; write {entry}=value"
                    ),
                    log,
                );
            }
        }
        AppKind::GotoIf => {
            if empty() {
                let log = "Ignoring, since there is no variable to check";
                report(
                    "GotoIf() has no condition".into(),
                    "empty",
                    format!("Asterisk logs \"{log}\" and goes on to the next priority; write GotoIf(condition?label_if_true:label_if_false)"),
                    warn("pbx_builtins.c", log),
                );
            } else if !data.contains('?') && !data.contains("${") {
                report(
                    format!("GotoIf({data}) has no '?', so it never jumps"),
                    "no '?'",
                    "Asterisk splits the argument at '?' into the condition and the labels; without one there is no \
                     label, so GotoIf always goes on to the next priority (it logs nothing); write \
                     GotoIf(condition?label_if_true[:label_if_false])"
                        .into(),
                    None,
                );
            }
        }
        AppKind::GosubIf if empty() || (!data.contains('?') && !data.contains("${")) => {
            let log = "GosubIf requires an argument: GosubIf(cond?label1(args):label2(args)";
            report(
                if empty() {
                    "GosubIf() has no condition".into()
                } else {
                    format!("GosubIf({data}) has no '?', so it never calls anything")
                },
                "no '?'",
                format!(
                    "Asterisk logs \"{log}\" and goes on to the next priority without a Gosub; write GosubIf(condition?label_if_true[:label_if_false])"
                ),
                warn("app_stack.c", log),
            );
        }
        AppKind::Goto => {
            if empty() {
                let log = "Goto requires an argument ([[context,]extension,]priority)";
                report(
                    "Goto() has no target".into(),
                    "no target",
                    format!("Asterisk logs \"{log}\" and the call ends; write Goto([[context,]extension,]priority)"),
                    warn("pbx.c", log),
                );
            } else if static_text() {
                extra_parts(app, data, data, &mut report);
            }
        }
        AppKind::Gosub => {
            if empty() {
                let log = "Gosub requires an argument: Gosub([[context,]exten,]priority[(arg1[,...][,argN])])";
                report(
                    "Gosub() has no target".into(),
                    "no target",
                    format!("Asterisk logs \"{log}\" and the call hangs up; write Gosub([[context,]exten,]priority[(args)])"),
                    error("app_stack.c", log),
                );
                return;
            }
            if !static_text() {
                return;
            }
            let location = data.split('(').next().unwrap_or_default();
            extra_parts(app, data, location, &mut report);
            if let Some(open) = data.find('(') {
                if !data[open..].contains(')') {
                    let log = format!("Ouch.  No closing paren: '{data}'?");
                    report(
                        format!("Gosub({data}) opens its argument list but never closes it"),
                        "missing ')'",
                        format!(
                            "Asterisk logs \"{log}\" and passes everything after '(' as the arguments; add the ')'"
                        ),
                        Some(LogLine::new(LogLevel::Warning, "app_stack.c", log)),
                    );
                }
            }
        }
        AppKind::Read
            if nth_arg(data, 0).is_none_or(|v| v.trim().is_empty())
                && !data.contains(['"', '\\']) =>
        {
            let log = "Read requires an argument (variable)";
            report(
                format!("Read({data}) names no variable to read into"),
                "no variable",
                format!("Asterisk logs \"{log}\" and goes on without playing or reading anything; write Read(VARIABLE[,prompt[,maxdigits]])"),
                warn("app_read.c", log),
            );
        }
        AppKind::Playback | AppKind::BackGround if empty() => {
            let (log, source) = if kind == AppKind::Playback {
                ("Playback requires an argument (filename)", "app_playback.c")
            } else {
                (
                    "Background requires an argument (filename)",
                    "pbx_builtins.c",
                )
            };
            report(
                format!("{app}() names no file to play"),
                "no file",
                format!("Asterisk logs \"{log}\" and the call ends; name the prompt to play"),
                warn(source, log),
            );
        }
        AppKind::ParkAndAnnounce => {
            park_and_announce(data, empty(), &mut report);
        }
        AppKind::BridgeWait if static_text() && !data.contains(['"', '\\']) => {
            bridge_wait(data, &mut report);
        }
        _ => {}
    }
}

/// BridgeWait's role and the values of `S()` and `e()`, read by the application's own parser: each
/// refusal is an ERROR and the call ends.
fn bridge_wait(data: &str, report: &mut impl FnMut(String, &str, String, Option<LogLine>)) {
    use dialplan::apps::bridgewait::{parse, parse_entertainment, parse_timeout, Role};
    let source = "app_bridgewait.c";
    let error = |text: &str| Some(LogLine::new(LogLevel::Error, source, text));
    let args = match parse(data) {
        Ok(a) => a,
        Err(e) => {
            let log = e.message();
            report(
                format!("BridgeWait({data}) names a role that does not exist"),
                "unknown role",
                format!(
                    "Asterisk logs \"{log}\" and the call ends; the role is 'participant' (the default) or 'announcer', in lower case"
                ),
                error(&log),
            );
            return;
        }
    };
    if let Some(t) = &args.options.timeout {
        if let Err(e) = parse_timeout(t) {
            let log = e.message();
            report(
                format!("BridgeWait option S({t}) is not a number of seconds"),
                "bad S()",
                format!("Asterisk logs \"{log}\" and the call ends; write S(seconds), at least 1"),
                error(&log),
            );
        }
    }
    if args.role == Role::Participant {
        if let Some(x) = &args.options.entertainment {
            if let Err(log) = parse_entertainment(x) {
                report(
                    format!("BridgeWait option e({x}) names no entertainment"),
                    "bad e()",
                    format!(
                        "Asterisk logs \"{log}\" and the call ends; the first letter must be m (music on hold), r (ringing), s (silence), h (hold) or n (none)"
                    ),
                    error(&log),
                );
            }
        }
    }
}

/// A `Goto`/`Gosub` location of more than three parts: Asterisk reads the first three and drops the rest.
fn extra_parts(
    app: &str,
    data: &str,
    location: &str,
    report: &mut impl FnMut(String, &str, String, Option<LogLine>),
) {
    let mut parts = location.splitn(4, ',');
    let (Some(a), Some(b), Some(c), Some(rest)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return;
    };
    report(
        format!("{app}({data}) has more than three location parts"),
        "too many parts",
        format!(
            "a location is [[context,]extension,]priority: Asterisk jumps to '{a},{b},{c}' and silently ignores ',{rest}'; remove the extra part"
        ),
        None,
    );
}

fn park_and_announce(
    data: &str,
    empty: bool,
    report: &mut impl FnMut(String, &str, String, Option<LogLine>),
) {
    let source = "parking_applications.c";
    let usage = "ParkAndAnnounce([lot],[options],announce_template,dial)";
    let log = if empty {
        String::from("ParkAndAnnounce has required arguments. No arguments were provided.")
    } else if data.contains('$') {
        return;
    } else {
        let template = nth_arg(data, 2).map(str::trim).unwrap_or_default();
        let dial = nth_arg(data, 3).map(str::trim).unwrap_or_default();
        if data.contains(['"', '\\']) {
            return;
        } else if template.is_empty() {
            String::from("ParkAndAnnounce requires the announce_template argument.")
        } else if dial.is_empty() {
            String::from("ParkAndAnnounce requires the dial argument.")
        } else if !dial.contains('/') {
            format!("ParkAndAnnounce dial string '{dial}' is improperly formed.")
        } else {
            return;
        }
    };
    report(
        format!("ParkAndAnnounce({data}) is missing what it needs"),
        "incomplete",
        format!(
            "Asterisk logs \"{log}\" and the call ends without being parked; write {usage}, the dial string as Tech/resource"
        ),
        Some(LogLine::new(LogLevel::Error, source, log)),
    );
}

/// Checks a function call `${NAME(args)}` found at `open` (the byte index of its `${`) in the data of `p`
/// against the function's argument rule (from the function registry: the same check its `read` makes).
pub(super) fn function(
    name: &str,
    rule: &ArgRule,
    data: &str,
    open: usize,
    p: &Priority,
    out: &mut Vec<Diagnostic>,
) {
    let Some(args) = call_args(data, open) else {
        return;
    };
    if memchr::memchr3(b'$', b'"', b'\\', args.as_bytes()).is_some() || !(rule.refused)(args) {
        return;
    }
    let Some(span) = p.source() else { return };
    let (message, label) = match rule.needed {
        Some(needed) => {
            let count = split_args(args).map_or(0, Iterator::count);
            let message = if count < needed {
                format!(
                    "{name}({args}) has {count} argument{}, but {name} needs {needed}",
                    if count == 1 { "" } else { "s" }
                )
            } else {
                format!("{name}({args}) leaves out an argument {name} needs")
            };
            (message, "too few arguments")
        }
        None => (
            format!("{name}({args}) is missing what {name} needs"),
            "missing argument",
        ),
    };
    out.push(
        Diagnostic::warning(FUNCTION_ARGUMENTS, message)
            .with_span(span)
            .with_label(label)
            .with_help(format!(
                "Asterisk logs \"{}\" and the function substitutes nothing (the empty string); write {}",
                rule.log, rule.usage
            ))
            .with_log(LogLine::new(rule.level, rule.source, rule.log)),
    );
}

/// The argument text of the function call whose `${` is at `open`: what lies between the first `(` and
/// the last `)` of the `${…}` (whose end Asterisk finds by counting braces).
fn call_args(data: &str, open: usize) -> Option<&str> {
    let b = data.as_bytes();
    let start = open + 2;
    let mut depth = 1usize;
    let mut end = None;
    for (i, &c) in b.iter().enumerate().skip(start) {
        match c {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    end = Some(i);
                    break;
                }
            }
            _ => {}
        }
    }
    let content = &data[start..end?];
    let paren = content.find('(')?;
    let close = content.rfind(')')?;
    (close > paren).then(|| &content[paren + 1..close])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_split() {
        let all = |s| split_args(s).map(|i| i.collect::<Vec<_>>());
        assert_eq!(
            all("a,b(c,d),[e,f],"),
            Some(vec!["a", "b(c,d)", "[e,f]", ""])
        );
        assert_eq!(all(""), Some(vec![]));
        assert_eq!(all("\"a,b\""), None);
        assert_eq!(nth_arg("PJSIP/a,30,tT", 2), Some("tT"));
        assert_eq!(nth_arg("PJSIP/a", 2), None);
    }

    #[test]
    fn function_call_args() {
        assert_eq!(call_args("x${CUT(A,-,1)}y", 1), Some("A,-,1"));
        assert_eq!(call_args("${CUT(${B},-)}", 0), Some("${B},-"));
        assert_eq!(call_args("${CUT(A", 0), None);
    }
}
