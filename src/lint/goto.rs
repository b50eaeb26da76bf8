//! `Goto`/`GotoIf` targets that do not exist. Unlike a plain linter, this knows the contexts res_parking
//! generates: `Goto(parkedcalls,701,1)` is valid exactly when a lot generates space 701 in `parkedcalls`.

use super::apps::AppKind;
use super::jumplist::{At, Jumps};
use super::target::{gotoif_branches, Location, Priority};
use super::{Via, GOTO_TARGET_MISSING};
use crate::config::LoadedConfig;
use dialplan::diag::Diagnostic;
use dialplan::model::Matcher;

pub(super) fn check(config: &LoadedConfig, jumps: &Jumps<'_>, out: &mut Vec<Diagnostic>) {
    let legacy = config.dialplan.matcher() == Matcher::Legacy;
    for jump in jumps.iter() {
        let Some(span) = jump.priority().source() else {
            continue;
        };
        for loc in jump.locations().iter().take(jump.count()) {
            let Some(loc) = loc else {
                continue;
            };
            let context = loc.context.unwrap_or(jump.context());
            let exten = match loc.exten {
                Some(e) => e,
                // Without an extension the jump stays on the dialled extension, unknown for a pattern.
                None if jump.exten().starts_with('_') => continue,
                None => jump.exten(),
            };
            // Most jumps stay in their own extension (`GotoIf(...?done)`): when it has the target itself, a
            // lookup would find it there (the legacy matcher tries every literal of that name, the plain one
            // included), so the search is skipped.
            if legacy
                && context == jump.context()
                && exten == jump.exten()
                && own_target(&jump, loc)
            {
                continue;
            }
            if let Some(mut problem) = problem(config, context, exten, loc) {
                if let Some(help) = gosub_help(jump.via()) {
                    problem.help = help.to_string();
                } else if jump.via() == Via::ParkComeback {
                    problem.help = format!(
                        "when the parked call times out Asterisk sends it there instead of the lot's comeback \
                         route, and then {}",
                        problem.help.trim_start_matches("at run time ")
                    );
                }
                let target = format!("{context},{exten},{}", priority_text(&loc.priority));
                let how = match jump.via() {
                    Via::Goto | Via::Gosub | Via::ExecIf(_) => "jumps to",
                    Via::DialGosub(_) | Via::HangupHandler => "runs the subroutine",
                    Via::DialGoto(_) => "sends the call on to",
                    Via::ParkComeback => "sends a timed-out parked call to",
                };
                let option = match jump.via() {
                    Via::DialGosub(c) | Via::DialGoto(c) => format!(" (option {c})"),
                    Via::ParkComeback => String::from(" (option c)"),
                    Via::HangupHandler => String::from(" at hangup"),
                    _ => String::new(),
                };
                out.push(
                    Diagnostic::warning(
                        GOTO_TARGET_MISSING,
                        format!(
                            "{}({}) {how} '{target}'{option}, {}",
                            jump.app(),
                            jump.priority().data(),
                            problem.what
                        ),
                    )
                    .with_span(span)
                    .with_label("target does not exist")
                    .with_help(problem.help),
                );
            }
        }
    }
}

/// Whether the jump's own (literal, caller-id-less) extension has the priority or label it names.
fn own_target(jump: &At<'_, '_>, loc: &Location<'_>) -> bool {
    let ext = jump.extension();
    if ext.is_pattern() || ext.callerid().is_some() {
        return false;
    }
    match loc.priority {
        Priority::Number(n) => ext.priority(n).is_some(),
        Priority::Label(l) => ext.priority_by_label(l).is_some(),
        Priority::Relative(_) => false,
    }
}

/// What happens when a subroutine's location does not exist; `None` for a plain jump.
fn gosub_help(via: Via) -> Option<&'static str> {
    Some(match via {
        Via::Gosub | Via::ExecIf(super::Inner::Gosub) => {
            "at run time Gosub logs \"Gosub attempted to reach non-existent destination\" and the call hangs up; correct the target or add it"
        }
        Via::DialGosub('U') => {
            "when the called party answers, Dial's Gosub on it logs \"Gosub attempted to reach non-existent destination\", the subroutine does not run and the parties are connected as if there were no U(); correct the context or add its 's' extension"
        }
        Via::DialGosub(_) => {
            "before the call is placed, Dial's Gosub logs \"Gosub attempted to reach non-existent destination\" and the subroutine does not run; correct the target or add it"
        }
        Via::HangupHandler => {
            "when the channel hangs up the handler's Gosub logs \"Gosub attempted to reach non-existent destination\" and the handler does not run; correct the target or add it"
        }
        _ => return None,
    })
}

struct Problem {
    what: String,
    help: String,
}

fn priority_text(p: &Priority<'_>) -> String {
    match p {
        Priority::Number(n) => n.to_string(),
        Priority::Relative(n) => format!("{n:+}"),
        Priority::Label(l) => (*l).to_string(),
    }
}

fn problem(
    config: &LoadedConfig,
    context: &str,
    exten: &str,
    loc: &Location<'_>,
) -> Option<Problem> {
    let dp = &config.dialplan;
    let parking_note = if config.parking.is_none() {
        " (res_parking did not load, so none of the contexts it would generate exist)"
    } else {
        ""
    };
    if dp.context(context).is_none() {
        return Some(Problem {
            what: format!("but there is no context '{context}'{parking_note}"),
            help: String::from(
                "at run time Asterisk logs \"sent to invalid extension but no invalid handler\" and ends the \
                 call; define the context or correct the name",
            ),
        });
    }
    match loc.priority {
        Priority::Number(n) => {
            if dp.find(context, exten, n, None).is_some() {
                return None;
            }
            if dp.find(context, exten, 1, None).is_none() {
                return Some(Problem {
                    what: format!("but nothing in '{context}' matches extension '{exten}'{parking_note}"),
                    help: format!(
                        "at run time Asterisk sends the channel to the 'i' extension of '{context}' if there \
                         is one, else logs \"sent to invalid extension but no invalid handler\" and ends the \
                         call"
                    ),
                });
            }
            Some(Problem {
                what: format!("but '{exten}' in '{context}' has no priority {n}"),
                help: String::from(
                    "at run time the missing priority ends the call (autofallthrough); jump to a priority \
                     that exists",
                ),
            })
        }
        Priority::Label(label) => {
            if dp.find_label(context, exten, label, None).is_some() {
                return None;
            }
            Some(Problem {
                what: format!("but '{exten}' in '{context}' has no label '{label}'"),
                help: format!(
                    "at run time Asterisk logs \"Priority '{label}' must be a number > 0, or valid label\" \
                     and the call ends; add the label with n({label}) or correct the name"
                ),
            })
        }
        Priority::Relative(_) => None,
    }
}

/// Keeps the call's branches of a GotoIf, or the single argument of a Goto.
pub(super) fn branches<'a>(kind: AppKind, data: &'a str) -> Branches<'a> {
    let mut b = Branches {
        items: [""; 2],
        len: 0,
    };
    // A Gosub's location ends at its argument list.
    let gosub = matches!(kind, AppKind::Gosub | AppKind::GosubIf);
    let cut = |s: &'a str| {
        if gosub {
            s.split('(').next().unwrap_or(s)
        } else {
            s
        }
    };
    if matches!(kind, AppKind::Goto | AppKind::Gosub) {
        b.push(cut(data));
        return b;
    }
    if let Some((x, y)) = gotoif_branches(data) {
        for s in [x, y] {
            if !s.trim().is_empty() {
                b.push(cut(s));
            }
        }
    }
    b
}

/// The location arguments of one jump (at most two: a GotoIf's branches), kept without allocating.
#[derive(Clone, Copy)]
pub(super) struct Branches<'a> {
    items: [&'a str; 2],
    len: usize,
}

impl<'a> Branches<'a> {
    pub(super) fn new() -> Self {
        Branches {
            items: [""; 2],
            len: 0,
        }
    }

    pub(super) fn push(&mut self, s: &'a str) {
        if let Some(slot) = self.items.get_mut(self.len) {
            *slot = s;
            self.len += 1;
        }
    }

    pub(super) fn len(&self) -> usize {
        self.len
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.items[..self.len].iter().copied()
    }
}
