//! Checks that `dialsim check` adds to what Asterisk itself reports at load time: the things a reader of the
//! Call Parking page trips over. Each says what Asterisk will do at run time and how to fix it.
//!
//! - [`goto`]: `Goto`/`GotoIf` targets that do not exist (knowing the contexts res_parking generates);
//! - [`reach`]: priorities that can never run after an unconditional `Goto` or `Hangup`;
//! - [`features`]: a `parkcall` code that no `Dial` grants and no `BRIDGE_FEATURES` sets, `Dial` arguments
//!   Asterisk refuses;
//! - [`parking`]: a `t` extension in `park-dial` that autofallthrough makes unreachable;
//! - [`lang`]: unknown applications and functions (with spelling suggestions), `Return` outside a
//!   subroutine; `Gosub`/`GosubIf` targets go through the [`goto`] check;
//! - [`jumps`]: the jumps hidden in other applications' arguments (`ExecIf(…?Goto(…))`, Dial `U()`/`b()`/
//!   `B()`/`F()`/`G()`, hangup handlers, Park `c()`), checked like a `Goto`;
//! - [`args`]: application and function arguments Asterisk 22 rejects or ignores at run time;
//! - [`options`]: option letters an application does not define, and option arguments it cannot read;
//! - [`vars`]: `${VARIABLES}` read that nothing sets;
//! - [`shadow`]: pattern extensions an earlier extension in Asterisk's match order always wins over.

mod args;
mod features;
mod goto;
mod jumps;
mod lang;
mod options;
mod parking;
mod reach;
mod shadow;
mod target;
mod vars;

use crate::config::LoadedConfig;
use dialplan::diag::{Code, CodeInfo, Diagnostic};

pub const GOTO_TARGET_MISSING: Code = Code("lint/goto-target-missing");
pub const UNREACHABLE_PRIORITY: Code = Code("lint/unreachable-priority");
pub const PARKCALL_NEVER_GRANTED: Code = Code("lint/parkcall-never-granted");
pub const DIAL_WITHOUT_TECHNOLOGY: Code = Code("lint/dial-without-technology");
pub const PARK_DIAL_T_UNREACHABLE: Code = Code("lint/park-dial-t-unreachable");
pub const PARKCALL_HOOK_UNAVAILABLE: Code = Code("lint/parkcall-hook-unavailable");
pub const UNKNOWN_APPLICATION: Code = Code("lint/unknown-application");
pub const UNKNOWN_FUNCTION: Code = Code("lint/unknown-function");
pub const RETURN_OUTSIDE_SUBROUTINE: Code = Code("lint/return-outside-subroutine");
pub const APP_ARGUMENTS: Code = Code("lint/app-arguments");
pub const FUNCTION_ARGUMENTS: Code = Code("lint/function-arguments");
pub const UNKNOWN_OPTION: Code = Code("lint/unknown-option");
pub const MALFORMED_OPTION: Code = Code("lint/malformed-option");
pub const VARIABLE_NEVER_SET: Code = Code("lint/variable-never-set");
pub const SHADOWED_EXTENSION: Code = Code("lint/shadowed-extension");

pub const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: GOTO_TARGET_MISSING,
        summary: "a Goto/GotoIf names a context, extension, priority or label that does not exist",
    },
    CodeInfo {
        code: UNREACHABLE_PRIORITY,
        summary: "priorities after an unconditional Goto or Hangup that nothing jumps to",
    },
    CodeInfo {
        code: PARKCALL_NEVER_GRANTED,
        summary: "a parkcall code is mapped but no Dial grants k/K and no BRIDGE_FEATURES sets it",
    },
    CodeInfo {
        code: PARKCALL_HOOK_UNAVAILABLE,
        summary:
            "a Dial grants k/K while res_parking is not loaded: the call ends right after answer",
    },
    CodeInfo {
        code: DIAL_WITHOUT_TECHNOLOGY,
        summary: "a Dial target without Tech/resource form, which Asterisk refuses (INVALIDARGS)",
    },
    CodeInfo {
        code: UNKNOWN_APPLICATION,
        summary: "an application Asterisk does not know (the spelling it knows is suggested); the call hangs up there",
    },
    CodeInfo {
        code: UNKNOWN_FUNCTION,
        summary: "a dialplan function Asterisk does not know (names are case-sensitive); it substitutes nothing",
    },
    CodeInfo {
        code: RETURN_OUTSIDE_SUBROUTINE,
        summary: "a Return in a context that no Gosub, Dial U()/b()/B() or hangup handler enters",
    },
    CodeInfo {
        code: APP_ARGUMENTS,
        summary: "application arguments Asterisk 22 rejects or ignores at run time (Set without '=', GotoIf without '?', an empty Goto, …)",
    },
    CodeInfo {
        code: FUNCTION_ARGUMENTS,
        summary: "a dialplan function given fewer arguments than it requires; it logs Asterisk's error or warning and substitutes nothing",
    },
    CodeInfo {
        code: UNKNOWN_OPTION,
        summary: "an option letter the application does not define (Dial, Park, Read, BackGround, WaitExten); Asterisk logs \"Unrecognized option\" and ignores it",
    },
    CodeInfo {
        code: MALFORMED_OPTION,
        summary: "an option argument the application cannot read: an unclosed '(' or a value it rejects",
    },
    CodeInfo {
        code: VARIABLE_NEVER_SET,
        summary: "a ${VARIABLE} read that nothing in the dialplan sets and Asterisk does not provide; it reads as empty",
    },
    CodeInfo {
        code: SHADOWED_EXTENSION,
        summary: "a pattern extension that never runs: an earlier one in Asterisk's match order matches all it matches and has all its priorities",
    },
    CodeInfo {
        code: PARK_DIAL_T_UNREACHABLE,
        summary: "a t extension in park-dial that never runs while autofallthrough=yes",
    },
];

/// Runs every check on a loaded configuration.
pub fn check(config: &LoadedConfig) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // One walk over the dialplan finds what the checks look at.
    let scan = Scan::new(&config.dialplan, &mut out);
    goto::check(config, &scan.jumps, &mut out);
    reach::check(config, &scan.jumps, &mut out);
    shadow::check(&config.dialplan, &scan.jumps, &mut out);
    features::check(config, &scan.dials, &mut out);
    parking::check(config, &mut out);
    out
}

/// How a priority jumps to its targets.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Via {
    /// `Goto`, `GotoIf`.
    Goto,
    /// `Gosub`, `GosubIf`.
    Gosub,
    /// `ExecIf(…?Goto(…))` and the like: the application run, a Goto or a Gosub.
    ExecIf(Inner),
    /// A Dial option that runs a subroutine (`U`, `b`, `B`).
    DialGosub(char),
    /// A Dial option that sends a party on to a location (`F`, `G`).
    DialGoto(char),
    /// `CHANNEL(hangup_handler_push)` (or `_wipe`): a subroutine run at hangup.
    HangupHandler,
    /// Park's `c()`: where a parked call goes when it times out.
    ParkComeback,
}

/// The jumping application `ExecIf` runs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Inner {
    Goto,
    Gosub,
}

/// A priority that jumps (`Goto`, `GotoIf`, `Gosub`, … see [`Via`]) with the location arguments it may jump
/// to.
struct Jump<'a> {
    context: &'a str,
    exten: &'a str,
    extension: &'a dialplan::model::Extension,
    app: &'a str,
    via: Via,
    priority: &'a dialplan::model::Priority,
    targets: goto::Branches<'a>,
    /// Each target read as a location (`None`: dynamic or not a location), read once for both checks.
    locations: [Option<target::Location<'a>>; 2],
}

/// The priorities loaded from a file that the checks look at, in dialplan order.
struct Scan<'a> {
    /// Every `Goto`/`GotoIf`.
    jumps: Vec<Jump<'a>>,
    /// Every `Dial`.
    dials: Vec<&'a dialplan::model::Priority>,
}

/// The applications the checks care about (names compared as Asterisk does, ignoring case).
#[derive(Clone, Copy, PartialEq, Eq)]
enum App {
    Goto,
    GotoIf,
    Gosub,
    GosubIf,
    Dial,
    Hangup,
    Other,
}

impl App {
    fn of(name: &str) -> App {
        // The length rules out most names before any comparison.
        match name.len() {
            4 if name.eq_ignore_ascii_case("Goto") => App::Goto,
            4 if name.eq_ignore_ascii_case("Dial") => App::Dial,
            6 if name.eq_ignore_ascii_case("GotoIf") => App::GotoIf,
            6 if name.eq_ignore_ascii_case("Hangup") => App::Hangup,
            5 if name.eq_ignore_ascii_case("Gosub") => App::Gosub,
            7 if name.eq_ignore_ascii_case("GosubIf") => App::GosubIf,
            _ => App::Other,
        }
    }
}

impl<'a> Scan<'a> {
    fn new(dp: &'a dialplan::model::Dialplan, out: &mut Vec<Diagnostic>) -> Self {
        let mut scan = Scan {
            // About one priority in six jumps somewhere; room for more up front spares the list its
            // copies as it grows (each into fresh memory the kernel must clear).
            jumps: Vec::with_capacity(dp.priority_count() / 4),
            dials: Vec::new(),
        };
        let mut lang = lang::LangScan::new();
        let mut vars = vars::VarScan::new(dp);
        for context in dp.contexts() {
            for ext in context.extensions() {
                for p in ext.priorities() {
                    if p.source().is_none() || p.is_hint() {
                        continue;
                    }
                    let app = p.app();
                    lang.priority(context.name(), ext.name(), p, &mut vars, out);
                    args::app(context.name(), ext, p, out);
                    options::check(p, out);
                    vars.sets(p);
                    let at = jumps::At {
                        context: context.name(),
                        exten: ext.name(),
                        extension: ext,
                        priority: p,
                    };
                    match App::of(app) {
                        App::Goto | App::GotoIf | App::Gosub | App::GosubIf => {
                            let targets = goto::branches(app, p.data());
                            let mut locations = [None, None];
                            for (slot, arg) in locations.iter_mut().zip(targets.iter()) {
                                *slot = target::parse_location(arg);
                            }
                            let via = if matches!(App::of(app), App::Gosub | App::GosubIf) {
                                Via::Gosub
                            } else {
                                Via::Goto
                            };
                            scan.jumps.push(at.jump(via, targets, locations))
                        }
                        App::Dial => {
                            scan.dials.push(p);
                            jumps::dial(&at, &mut scan.jumps);
                        }
                        App::Hangup => {}
                        App::Other => jumps::other(&at, &mut scan.jumps),
                    }
                }
            }
        }
        lang.finish(out);
        vars.finish(out);
        scan
    }
}

/// Every priority loaded from a file running one of `apps` (names compared as Asterisk does, ignoring case).
fn priorities_running<'a>(
    dp: &'a dialplan::model::Dialplan,
    apps: &'a [&'a str],
) -> impl Iterator<Item = &'a dialplan::model::Priority> + 'a {
    dp.contexts().flat_map(move |context| {
        context.extensions().iter().flat_map(move |ext| {
            ext.priorities().iter().filter(move |p| {
                p.source().is_some() && apps.iter().any(|a| p.app().eq_ignore_ascii_case(a))
            })
        })
    })
}
