//! `dialplan show [[exten@]context]`, character for character as Asterisk prints it (`main/pbx.c`:
//! `handle_show_dialplan`, `show_dialplan_helper`, `print_ext`,
//! `show_dialplan_helper_extension_output`; `main/cli.c` for the failure line).
//!
//! Contexts in list order (newest first), each as `[ Context 'x' created by 'y' ]`, its extensions (the
//! first priority on the name's line, the others below, labels as `   [label]`), `Include =>`,
//! `Ignore pattern =>` and `Alt. Switch =>` lines, and a blank line; then the
//! `-= N extensions (M priorities) in K contexts. =-` footer. A priority loaded from a file shows
//! `[file:line]`, one registered by a module shows `[registrar]`. With `exten@context` only matching
//! extensions are shown, and included contexts are searched too (`[ Included context ... ]`).

use super::context::{Context, Extension, Priority};
use super::dialplan::Dialplan;
use super::lookup::MAX_STACK;
use super::pattern::Pattern;
use crate::diag::{LogLevel, LogLine};
use crate::source::SourceMap;
use std::fmt::Write;

/// What `dialplan show` prints. `arg` is the command's argument (`context`, `exten@context`, `exten@`),
/// `None` for the whole dialplan. `Err` holds what Asterisk prints when the command fails (the message and
/// `Command 'dialplan show ...' failed.`).
///
/// `_sources` is not needed (priorities keep the file and line Asterisk prints); it stays for callers
/// written against the first version of this function.
pub fn show_dialplan(
    dp: &Dialplan,
    _sources: &SourceMap,
    arg: Option<&str>,
) -> Result<String, String> {
    show_dialplan_logged(dp, arg).0
}

/// [`show_dialplan`] plus the log lines Asterisk writes while printing (circular include warnings).
pub fn show_dialplan_logged(
    dp: &Dialplan,
    arg: Option<&str>,
) -> (Result<String, String>, Vec<LogLine>) {
    let (exten, context) = match arg {
        None => (None, None),
        Some(a) => match a.split_once('@') {
            Some((e, c)) => ((!e.is_empty()).then_some(e), (!c.is_empty()).then_some(c)),
            None => (None, (!a.is_empty()).then_some(a)),
        },
    };
    let mut s = Show {
        dp,
        out: String::new(),
        log: Vec::new(),
        counters: Counters::default(),
        exten_text: exten,
        top_context: context,
    };
    let mut includes: Vec<&str> = Vec::new();
    s.helper(context, None, &mut includes);
    let command = match arg {
        Some(a) => format!("dialplan show {a}"),
        None => String::from("dialplan show"),
    };
    let Show {
        mut out,
        log,
        counters: c,
        ..
    } = s;
    if let Some(ctx) = context {
        if !c.context_existence {
            out.push_str(&format!(
                "There is no existence of '{ctx}' context\nCommand '{command}' failed.\n"
            ));
            return (Err(out), log);
        }
    }
    if let Some(e) = exten {
        if !c.extension_existence {
            match context {
                Some(ctx) => {
                    out.push_str(&format!("There is no existence of {e}@{ctx} extension\n"))
                }
                None => out.push_str(&format!(
                    "There is no existence of '{e}' extension in all contexts\n"
                )),
            }
            out.push_str(&format!("Command '{command}' failed.\n"));
            return (Err(out), log);
        }
    }
    let _ = writeln!(
        out,
        "-= {} {} ({} {}) in {} {}. =-",
        c.total_exten,
        if c.total_exten == 1 {
            "extension"
        } else {
            "extensions"
        },
        c.total_prio,
        if c.total_prio == 1 {
            "priority"
        } else {
            "priorities"
        },
        c.total_context,
        if c.total_context == 1 {
            "context"
        } else {
            "contexts"
        },
    );
    (Ok(out), log)
}

#[derive(Default)]
struct Counters {
    total_context: usize,
    total_exten: usize,
    total_prio: usize,
    context_existence: bool,
    extension_existence: bool,
}

struct Show<'a> {
    dp: &'a Dialplan,
    out: String,
    log: Vec<LogLine>,
    counters: Counters,
    /// The extension argument: the *data* matched against each extension's name.
    exten_text: Option<&'a str>,
    top_context: Option<&'a str>,
}

impl<'a> Show<'a> {
    fn helper(&mut self, context: Option<&str>, rinclude: Option<()>, includes: &mut Vec<&'a str>) {
        let dp = self.dp;
        for c in dp.contexts() {
            if context.is_some_and(|name| name != c.name()) {
                continue;
            }
            self.counters.context_existence = true;
            let mut printed = false;
            if self.exten_text.is_none() {
                self.counters.total_context += 1;
                self.header(c, "Context");
                printed = true;
            }
            for e in c.extensions() {
                if let Some(want) = self.exten_text {
                    if !Pattern::new(e.name()).matches(want) {
                        continue;
                    }
                }
                self.counters.extension_existence = true;
                if !printed {
                    self.counters.total_context += 1;
                    self.header(
                        c,
                        if rinclude.is_some() {
                            "Included context"
                        } else {
                            "Context"
                        },
                    );
                    printed = true;
                }
                self.extension(e);
            }
            for inc in c.includes() {
                if self.exten_text.is_some() {
                    if includes.len() >= MAX_STACK {
                        self.log.push(LogLine::new(
                            LogLevel::Warning,
                            "pbx.c",
                            "Maximum include depth exceeded!",
                        ));
                    } else if includes.iter().any(|i| i.eq_ignore_ascii_case(inc.name())) {
                        self.log.push(LogLine::new(
                            LogLevel::Warning,
                            "pbx.c",
                            format!(
                                "Avoiding circular include of {} within {}",
                                inc.name(),
                                self.top_context.unwrap_or("(null)")
                            ),
                        ));
                    } else {
                        includes.push(inc.name());
                        // Asterisk looks the included context up by the include's whole text, timing
                        // included, so a timed include shows nothing here.
                        self.helper(Some(inc.name()), Some(()), includes);
                        includes.pop();
                    }
                } else {
                    let _ = writeln!(
                        self.out,
                        "  Include =>        {} [{}]",
                        pad(&format!("'{}'", inc.name()), 45),
                        inc.registrar()
                    );
                }
            }
            for ip in c.ignorepats() {
                let shown = match self.exten_text {
                    None => true,
                    Some(want) => Pattern::new(&format!("_{}.", ip.pattern)).matches(want),
                };
                if shown {
                    let _ = writeln!(
                        self.out,
                        "  Ignore pattern => {} [{}]",
                        pad(&format!("'{}'", ip.pattern), 45),
                        ip.registrar
                    );
                }
            }
            if rinclude.is_none() {
                for sw in c.switches() {
                    let _ = writeln!(
                        self.out,
                        "  Alt. Switch =>    {} [{}]",
                        pad(&format!("'{}/{}'", sw.name, sw.data), 45),
                        sw.registrar
                    );
                }
            }
            if printed {
                self.out.push('\n');
            }
        }
    }

    fn header(&mut self, c: &Context, what: &str) {
        let _ = writeln!(
            self.out,
            "[ {what} '{}' created by '{}' ]",
            c.name(),
            c.registrar()
        );
        if c.autohints() && what == "Context" {
            self.out.push_str("Autohints support enabled\n");
        }
    }

    fn extension(&mut self, e: &Extension) {
        let mut prios = e.priorities().iter();
        let Some(first) = prios.next() else {
            return;
        };
        self.counters.total_prio += 1;
        let name = match e.callerid() {
            Some(cid) => format!("'{}' (CID match '{}') => ", e.name(), cid.text()),
            None => format!("'{}' =>", e.name()),
        };
        self.line(&name, first);
        self.counters.total_exten += 1;
        for p in prios {
            self.counters.total_prio += 1;
            let label = match p.label() {
                Some(l) => format!("   [{l}]"),
                None => String::new(),
            };
            self.line(&label, p);
        }
    }

    fn line(&mut self, left: &str, p: &Priority) {
        let what = if p.is_hint() {
            format!("hint: {}", p.app())
        } else {
            format!("{}. {}({})", p.number(), p.app(), p.data())
        };
        let (left, what) = (pad(left, 17), pad(&what, 45));
        match p.location() {
            Some(loc) => {
                let _ = writeln!(self.out, "  {left} {what} [{}:{}]", loc.file, loc.line);
            }
            None => {
                let _ = writeln!(self.out, "  {left} {what} [{}]", p.registrar());
            }
        }
    }
}

/// `%-Ns`: pads with spaces to `width` bytes (C counts bytes, not characters).
fn pad(s: &str, width: usize) -> String {
    let mut out = String::with_capacity(width.max(s.len()));
    out.push_str(s);
    for _ in s.len()..width {
        out.push(' ');
    }
    out
}

#[cfg(test)]
mod tests;
