//! `core show channels [concise|verbose|count]` (main/cli.c `handle_chanlist`): the live channels, newest
//! first as Asterisk's channel cache lists them, then the channel and call counts.

use super::CliAnswer;
use dialplan::engine::{Channel, Engine};
use std::time::Duration;

/// The command's usage, printed for wrong arguments (`CLI_SHOWUSAGE`).
pub const USAGE: &str = "Usage: core show channels [concise|verbose|count]
       Lists currently defined channels and some information about them. If
       'concise' is specified, the format is abridged and in a more easily
       machine parsable format. If 'verbose' is specified, the output includes
       more and longer fields. If 'count' is specified only the channel and call
       count is output.
";

/// Asterisk's default AMA flags (`AST_AMA_DOCUMENTATION`), what `concise` prints.
const AMAFLAGS: u32 = 3;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    Normal,
    Concise,
    Verbose,
    Count,
}

/// Answers `core show channels` with `args` (the words after it).
pub(super) fn show(engine: &Engine, args: &[&str]) -> CliAnswer {
    let form = match args {
        [] => Form::Normal,
        [w] if w.eq_ignore_ascii_case("concise") => Form::Concise,
        [w] if w.eq_ignore_ascii_case("verbose") => Form::Verbose,
        [w] if w.eq_ignore_ascii_case("count") => Form::Count,
        _ => return CliAnswer::Output(USAGE.to_string()),
    };
    let now = engine.now();
    let mut out = String::new();
    match form {
        Form::Normal => out.push_str(&format!(
            "{:<64.64} {:<32.32} {:<7.7} {:<30.30}\n",
            "Channel", "Location", "State", "Application(Data)"
        )),
        Form::Verbose => out.push_str(&format!(
            "{:<80.80} {:<24.24} {:<24.24} {:<4.4} {:<7.7} {:<12.12} {:<25.25} {:<15.15} {:>8.8} {:<11.11} {:<11.11} {:<20.20}\n",
            "Channel", "Context", "Extension", "Priority", "State", "Application", "Data", "CallerID",
            "Duration", "Accountcode", "PeerAccount", "BridgeID"
        )),
        Form::Concise | Form::Count => {}
    }
    let ids = engine.channel_ids();
    if form != Form::Count {
        for id in ids.iter().rev() {
            let bridge = engine
                .bridge_of(*id)
                .and_then(|b| engine.with_bridge(b, |b| b.uniqueid.to_string()))
                .unwrap_or_default();
            if let Some(line) = engine.with_chan(*id, |c| line(form, c, &bridge, now)) {
                out.push_str(&line);
            }
        }
    }
    if form != Form::Concise {
        let n = ids.len();
        out.push_str(&format!("{n} active channel{}\n", ess(n)));
        let calls = engine.active_calls();
        out.push_str(&format!("{calls} active call{}\n", ess(calls)));
        let done = engine.calls_processed() as usize;
        out.push_str(&format!("{done} call{} processed\n", ess(done)));
    }
    CliAnswer::Output(out)
}

fn line(form: Form, c: &Channel, bridge: &str, now: Duration) -> String {
    let secs = now.saturating_sub(c.created()).as_secs();
    let number = c.caller.number.as_deref().unwrap_or_default();
    let appl = if c.appl.is_empty() { "(None)" } else { &c.appl };
    match form {
        Form::Concise => format!(
            "{}!{}!{}!{}!{}!{}!{}!{}!{}!{}!{}!{}!{}!{}\n",
            c.name,
            c.context,
            c.exten,
            c.priority,
            c.state.desc(),
            appl,
            c.data,
            number,
            c.accountcode(),
            "",
            AMAFLAGS,
            secs,
            bridge,
            c.uniqueid
        ),
        Form::Verbose => format!(
            "{:<80.80} {:<24.24} {:<24.24} {:>4} {:<7.7} {:<12.12} {:<25.25} {:<15.15} {:>8.8} {:<11.11} {:<11.11} {:<20.20}\n",
            c.name,
            c.context,
            c.exten,
            c.priority,
            c.state.desc(),
            appl,
            if c.data.is_empty() { "(Empty)" } else { &c.data },
            number,
            format!("{:02}:{:02}:{:02}", secs / 3600, (secs % 3600) / 60, secs % 60),
            c.accountcode(),
            "",
            bridge
        ),
        Form::Normal | Form::Count => {
            // Asterisk formats these two into 40-byte buffers: at most 39 characters survive.
            let loc = if c.context.is_empty() || c.exten.is_empty() {
                "(None)".to_string()
            } else {
                cut(&format!("{}@{}:{}", c.exten, c.context, c.priority), 39)
            };
            let app = if c.appl.is_empty() {
                "(None)".to_string()
            } else {
                cut(&format!("{}({})", c.appl, c.data), 39)
            };
            format!(
                "{:<64.64} {:<32.32} {:<7.7} {:<30.30}\n",
                c.name,
                loc,
                c.state.desc(),
                app
            )
        }
    }
}

/// `ESS(n)`: the plural `s`.
pub(super) fn ess(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The first `n` bytes of `s` (on a character boundary), as `snprintf` into a buffer of `n + 1` keeps.
pub(super) fn cut(s: &str, n: usize) -> String {
    let mut end = n.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_string()
}
