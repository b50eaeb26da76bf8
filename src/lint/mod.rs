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
//!
//! The per-priority checks run in one walk over the dialplan ([`walk`]), which reads each priority once:
//! its application classified by one look-up ([`apps`]), its data scanned once ([`bytes`]), a `Dial`'s
//! arguments split once ([`dial`]); names are looked up as [`name::Name`]s.

mod apps;
mod args;
mod bytes;
mod dial;
mod features;
mod goto;
mod jumplist;
mod jumps;
mod lang;
mod name;
mod options;
mod parking;
mod reach;
mod repeat;
mod shadow;
mod target;
mod vars;
mod walk;

#[cfg(test)]
mod proptests;

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
    check_with(config, walk::Repeats::Skip)
}

fn check_with(config: &LoadedConfig, repeats: walk::Repeats) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // One walk over the dialplan runs the per-priority checks and finds what the others look at.
    let scan = walk::Scan::new(
        &config.dialplan,
        features::Dials::new(config),
        repeats,
        &mut out,
    );
    goto::check(config, &scan.jumps, &mut out);
    reach::check(&scan.jumps, &scan.stopping, &mut out);
    shadow::check(&config.dialplan, &scan.jumps, &mut out);
    features::check(config, scan.dials, &mut out);
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
