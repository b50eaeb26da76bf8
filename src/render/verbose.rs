//! `--format verbose`: the lines Asterisk's console prints at the chosen verbosity, each prefixed by the
//! virtual time (`[00:00:02.806]     -- Executing [...]`), with dialsim's own explanations set apart by a
//! `[dialsim]` tag so that a reader never mistakes them for Asterisk's lines.
//!
//! Asterisk's lines come verbatim from the event stream's log lines (verbose lines with their console
//! prefix; `WARNING: pbx.c: …` for the others). dialsim's lines come from its `DialsimDiagnostic` events
//! (message, code, then the help on its own line), `DialsimCli` events (the command, then Asterisk's CLI
//! output unchanged) and `DialsimAmi` events (a scenario's AMI action, then Asterisk's response blocks).

use super::{write_all, Sink};
use dialplan::engine::event::clock_text;
use dialplan::engine::{Event, EventBody, Fields, Interest, Subscriber};

/// The console verbosity `dialsim run` uses unless told otherwise (`core set verbose 3`).
pub const DEFAULT_VERBOSITY: u8 = 3;

/// The verbose renderer.
pub struct Verbose {
    sink: Sink,
    verbosity: u8,
}

impl Verbose {
    pub fn new(sink: Sink, verbosity: u8) -> Verbose {
        Verbose { sink, verbosity }
    }
}

impl Subscriber for Verbose {
    fn interest(&self) -> Interest {
        Interest {
            ami: false,
            log_verbosity: Some(self.verbosity),
            dialsim: true,
        }
    }

    fn on_event(&mut self, event: &Event) {
        let text = render(event);
        if !text.is_empty() {
            write_all(&self.sink, &text);
        }
    }
}

/// The lines of one event (empty for events the console does not show).
pub fn render(event: &Event) -> String {
    let t = clock_text(event.time);
    match &event.body {
        EventBody::Log(line) => format!("[{t}] {}\n", line.console()),
        EventBody::Dialsim(f) => dialsim_lines(&t, f),
        EventBody::Ami(_) => String::new(),
    }
}

/// The tag that starts every line of dialsim's own.
pub const TAG: &str = "[dialsim]";

fn dialsim_lines(t: &str, f: &Fields) -> String {
    match &*f.name {
        "DialsimCli" => {
            let mut out = format!(
                "[{t}] {TAG} CLI> {}\n",
                f.get("Command").unwrap_or_default()
            );
            let output = f.get("Output").unwrap_or_default();
            out.push_str(output);
            if !output.is_empty() && !output.ends_with('\n') {
                out.push('\n');
            }
            out
        }
        "DialsimAmi" => {
            // The request, then Asterisk's response blocks, with LF line endings.
            let request = f.get("Request").unwrap_or_default().replace("\r\n", "\n");
            let reply = f.get("Reply").unwrap_or_default().replace("\r\n", "\n");
            let mut out = format!("[{t}] {TAG} AMI>\n{request}");
            out.push_str(&reply);
            out
        }
        _ => {
            let Some(message) = f.get("Message") else {
                return String::new();
            };
            let mut out = format!("[{t}] {TAG} {message}");
            if let Some(code) = f.get("Code") {
                out.push_str(&format!(" [{code}]"));
            }
            out.push('\n');
            if let Some(help) = f.get("Help") {
                out.push_str(&format!("[{t}] {TAG}   help: {help}\n"));
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dialplan::diag::{LogLevel, LogLine};
    use std::time::Duration;

    #[test]
    fn asterisk_lines_keep_their_prefix() {
        let e = Event {
            time: Duration::from_millis(2806),
            body: EventBody::Log(LogLine::new(
                LogLevel::Verbose(3),
                "pbx.c",
                "Goto (parkedcalls,701,1)",
            )),
        };
        assert_eq!(
            render(&e),
            "[00:00:02.806]     -- Goto (parkedcalls,701,1)\n"
        );
        let w = Event {
            time: Duration::ZERO,
            body: EventBody::Log(LogLine::new(LogLevel::Warning, "pbx.c", "x")),
        };
        assert_eq!(render(&w), "[00:00:00.000] WARNING: pbx.c: x\n");
    }

    #[test]
    fn dialsim_lines_are_tagged() {
        let mut f = Fields::new("DialsimDiagnostic", "dialsim");
        f.push("Code", "run/x")
            .push("Message", "something")
            .push("Help", "do this");
        let e = Event {
            time: Duration::ZERO,
            body: EventBody::Dialsim(f),
        };
        assert_eq!(
            render(&e),
            "[00:00:00.000] [dialsim] something [run/x]\n[00:00:00.000] [dialsim]   help: do this\n"
        );
    }
}
