//! A `t` extension in `park-dial` that never runs. The page's second example expects it to catch an
//! unanswered comeback call, but res_parking's generated `park-dial` extension has priority 1 only: after its
//! `Dial` times out, the next priority is missing and with `autofallthrough=yes` (the default) the call just
//! ends. `t` would run only with `autofallthrough=no`, after a further response timeout.

use super::PARK_DIAL_T_UNREACHABLE;
use crate::config::LoadedConfig;
use dialplan::diag::Diagnostic;

const PARK_DIAL: &str = "park-dial";

pub(super) fn check(config: &LoadedConfig, out: &mut Vec<Diagnostic>) {
    let dp = &config.dialplan;
    if !dp.general.autofallthrough {
        return;
    }
    let Some(context) = dp.context(PARK_DIAL) else {
        return;
    };
    let Some(t) = context.extensions().iter().find(|e| e.name() == "t") else {
        return;
    };
    let Some(span) = t.priorities().iter().find_map(|p| p.source()) else {
        return;
    };
    out.push(
        Diagnostic::warning(
            PARK_DIAL_T_UNREACHABLE,
            "the 't' extension in 'park-dial' never runs while autofallthrough=yes",
        )
        .with_span(span)
        .with_label("never reached")
        .with_help(
            "when a comeback Dial from park-dial is not answered, the generated extension has no priority 2, so \
             Asterisk logs \"Auto fallthrough, channel '...' status is 'NOANSWER'\" and hangs up; set \
             autofallthrough=no under [general] in extensions.conf to reach 't' (after a further 10 s), or use \
             comebacktoorigin=no with a comebackcontext that handles the call",
        ),
    );
}
