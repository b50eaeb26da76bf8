//! Feature codes nobody can use, and `Dial` arguments Asterisk refuses.
//!
//! A `[featuremap]` `parkcall` code only becomes a DTMF hook on a channel that a `Dial` gave `k` (callee) or
//! `K` (caller), or whose `BRIDGE_FEATURES` holds one of them. The page's examples map `#72` and then dial
//! without `k`: pressing `#72` then just sends the digits to the other party.

use super::dial::{Dial, DialArgs};
use super::target::is_dynamic;
use super::{DIAL_WITHOUT_TECHNOLOGY, PARKCALL_HOOK_UNAVAILABLE, PARKCALL_NEVER_GRANTED};
use crate::config::LoadedConfig;
use dialplan::apps::args::parse_options;
use dialplan::diag::Diagnostic;
use features::BuiltinFeature;

/// `dials`: every `Dial` priority loaded from a file, in dialplan order; `sets`: the data of every `Set` and
/// `MSet`.
pub(super) fn check(
    config: &LoadedConfig,
    dials: &[Dial<'_>],
    sets: &[&str],
    out: &mut Vec<Diagnostic>,
) {
    check_dial_targets(dials, out);
    check_parkcall(config, dials, sets, out);
}

/// What the option letters of a Dial grant for parking.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Grant {
    Nothing,
    Park,
    /// The options are only known at run time.
    Unknown,
}

fn dial_grant(args: &DialArgs<'_>) -> Grant {
    let Some(options) = args.arg(2) else {
        return Grant::Nothing;
    };
    let options = &*options;
    if is_dynamic(options) {
        return Grant::Unknown;
    }
    // Without a `k` or `K` anywhere no option letter can be one: most Dials are ruled out without reading
    // their options.
    if memchr::memchr2(b'k', b'K', options.as_bytes()).is_none() {
        return Grant::Nothing;
    }
    // Dial reads its options with ast_app_parse_options: letters, each with an optional (argument).
    if parse_options(options)
        .iter()
        .any(|(c, _)| *c == 'k' || *c == 'K')
    {
        Grant::Park
    } else {
        Grant::Nothing
    }
}

fn sets_bridge_features(data: &str) -> bool {
    let name = data.split('=').next().unwrap_or_default().trim();
    name.trim_start_matches('_') == "BRIDGE_FEATURES"
}

fn check_parkcall(
    config: &LoadedConfig,
    dials: &[Dial<'_>],
    sets: &[&str],
    out: &mut Vec<Diagnostic>,
) {
    let code = config.features.featuremap.code(BuiltinFeature::ParkCall);
    if code.is_empty() {
        return;
    }
    let mut granting = Vec::new();
    let mut unknown = false;
    for dial in dials {
        match dial_grant(&dial.args) {
            Grant::Park => granting.push(dial.priority),
            Grant::Unknown => unknown = true,
            Grant::Nothing => {}
        }
    }
    // Looked for only when no Dial settles the question.
    let bridge_features = || {
        sets.iter()
            .any(|data| data.split(',').any(sets_bridge_features))
    };
    let span = config.features.featuremap.span(BuiltinFeature::ParkCall);

    if config.parking.is_none() {
        for p in &granting {
            let Some(at) = p.source() else { continue };
            out.push(
                Diagnostic::error(
                    PARKCALL_HOOK_UNAVAILABLE,
                    format!(
                        "Dial({}) grants the parkcall code '{code}', but res_parking is not loaded",
                        p.data()
                    ),
                )
                .with_span(at)
                .with_label("k/K arms the parkcall hook")
                .with_help(
                    "Asterisk cannot arm the hook without a parking provider: it logs \"Requested DTMF \
                     feature Park Call not available\", the bridge refuses the channel and the call ends \
                     right after it is answered; make res_parking load (fix res_parking.conf) or drop k/K",
                ),
            );
        }
    }
    if !granting.is_empty() || unknown || bridge_features() {
        return;
    }
    let mut diag = Diagnostic::warning(
        PARKCALL_NEVER_GRANTED,
        format!("parkcall code '{code}' can never park a call: no Dial grants k or K and nothing sets BRIDGE_FEATURES"),
    )
    .with_label("mapped here")
    .with_help(format!(
        "Asterisk arms '{code}' only on a channel given k (the called party) or K (the calling party) by Dial, \
         or through BRIDGE_FEATURES; pressing it otherwise just sends the digits to the other party. Add the \
         letter to the Dial options, e.g. Dial(PJSIP/alice,,k)"
    ));
    if let Some(span) = span {
        diag = diag.with_span(span);
    }
    out.push(diag);
}

fn check_dial_targets(dials: &[Dial<'_>], out: &mut Vec<Diagnostic>) {
    for dial in dials {
        let p = dial.priority;
        let Some(targets) = dial.args.arg(0) else {
            continue;
        };
        if is_dynamic(&targets) {
            continue;
        }
        let bad = targets
            .split('&')
            .map(str::trim)
            .find(|t| !t.is_empty() && !t.contains('/'));
        let (Some(bad), Some(span)) = (bad, p.source()) else {
            continue;
        };
        out.push(
            Diagnostic::warning(
                DIAL_WITHOUT_TECHNOLOGY,
                format!("Dial target '{bad}' is not of the form technology/resource"),
            )
            .with_span(span)
            .with_label("no '/'")
            .with_help(format!(
                "Asterisk logs \"Dial argument takes format (technology/resource)\", sets DIALSTATUS=INVALIDARGS \
                 and the call ends; to reach a dialplan extension use Local/{bad}@<context>"
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grants() {
        let grant = |data| dial_grant(&DialArgs::new(data));
        assert!(grant("Local/a@b/n,,k") == Grant::Park);
        assert!(grant("PJSIP/alice") == Grant::Nothing);
        assert!(grant("PJSIP/alice,30,${OPTS}") == Grant::Unknown);
        assert!(grant("PJSIP/alice,30,D(k)") == Grant::Nothing);
        assert!(grant("PJSIP/alice,30,tT") == Grant::Nothing);
        assert!(grant("\"PJSIP/a,b\",30,K") == Grant::Park);
    }
}
