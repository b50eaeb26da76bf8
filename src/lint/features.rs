//! Feature codes nobody can use, and `Dial` arguments Asterisk refuses.
//!
//! A `[featuremap]` `parkcall` code only becomes a DTMF hook on a channel that a `Dial` gave `k` (callee) or
//! `K` (caller), or whose `BRIDGE_FEATURES` holds one of them. The page's examples map `#72` and then dial
//! without `k`: pressing `#72` then just sends the digits to the other party.

use super::bytes::{hits, trim};
use super::dial::DialArgs;
use super::target::is_dynamic;
use super::{DIAL_WITHOUT_TECHNOLOGY, PARKCALL_HOOK_UNAVAILABLE, PARKCALL_NEVER_GRANTED};
use crate::config::LoadedConfig;
use dialplan::apps::args::parse_options;
use dialplan::diag::Diagnostic;
use dialplan::model::Priority;
use features::BuiltinFeature;

/// What the feature checks need from the walk over the priorities, gathered as it goes so that nothing is
/// kept per `Dial`: the diagnostics of `Dial` targets (reported after the other checks, in dialplan order),
/// and, only when a `parkcall` code is mapped, what the Dials grant and the data of every `Set`/`MSet`.
pub(super) struct Dials<'a> {
    /// Whether a `parkcall` code is mapped (otherwise grants do not matter).
    parkcall: bool,
    targets: Vec<Diagnostic>,
    granting: Vec<&'a Priority>,
    /// Some Dial's options are only known at run time.
    unknown: bool,
    /// Looked through for `BRIDGE_FEATURES` only if no Dial settles the question.
    sets: Vec<&'a str>,
}

impl<'a> Dials<'a> {
    pub(super) fn new(config: &LoadedConfig) -> Self {
        Dials {
            parkcall: !config
                .features
                .featuremap
                .code(BuiltinFeature::ParkCall)
                .is_empty(),
            targets: Vec::new(),
            granting: Vec::new(),
            unknown: false,
            sets: Vec::new(),
        }
    }

    /// One `Dial` loaded from a file; what its options grant (for [`Dials::dial_again`]).
    pub(super) fn dial(&mut self, p: &'a Priority, args: &DialArgs<'_>) -> Grant {
        if let Some(targets) = args.arg(0) {
            check_dial_target(p, &targets, &mut self.targets);
        }
        if !self.parkcall {
            return Grant::Nothing;
        }
        let grant = dial_grant(args);
        self.grant(p, grant);
        grant
    }

    /// A `Dial` whose arguments after its `targets` (a plain first argument) are those of an earlier one,
    /// which granted `grant`.
    pub(super) fn dial_again(&mut self, p: &'a Priority, targets: &str, grant: Grant) {
        check_dial_target(p, targets, &mut self.targets);
        if self.parkcall {
            self.grant(p, grant);
        }
    }

    fn grant(&mut self, p: &'a Priority, grant: Grant) {
        match grant {
            Grant::Park => self.granting.push(p),
            Grant::Unknown => self.unknown = true,
            Grant::Nothing => {}
        }
    }

    /// The data of one `Set` or `MSet` loaded from a file.
    pub(super) fn set(&mut self, data: &'a str) {
        if self.parkcall {
            self.sets.push(data);
        }
    }
}

/// Reports what the walk gathered in `dials`.
pub(super) fn check(config: &LoadedConfig, dials: Dials<'_>, out: &mut Vec<Diagnostic>) {
    out.extend(dials.targets);
    check_parkcall(config, &dials.granting, dials.unknown, &dials.sets, out);
}

/// What the option letters of a Dial grant for parking.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Grant {
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
    granting: &[&Priority],
    unknown: bool,
    sets: &[&str],
    out: &mut Vec<Diagnostic>,
) {
    let code = config.features.featuremap.code(BuiltinFeature::ParkCall);
    if code.is_empty() {
        return;
    }
    // Looked for only when no Dial settles the question.
    let bridge_features = || {
        sets.iter()
            .any(|data| data.split(',').any(sets_bridge_features))
    };
    let span = config.features.featuremap.span(BuiltinFeature::ParkCall);

    if config.parking.is_none() {
        for p in granting {
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

/// A `Dial` target without a technology, in Dial's first argument `targets` (unquoted).
fn check_dial_target(p: &Priority, targets: &str, out: &mut Vec<Diagnostic>) {
    // One pass over the bytes for what decides the usual case, a single target with a '/'.
    let (mut amp, mut slash) = (false, false);
    let b = targets.as_bytes();
    for i in hits(b, [b'$', b'&', b'/']) {
        match b[i] {
            b'$' => return,
            b'&' => amp = true,
            _ => slash = true,
        }
    }
    let bad = if amp {
        targets
            .split('&')
            .map(str::trim)
            .find(|t| !t.is_empty() && !t.contains('/'))
    } else if slash {
        None
    } else {
        Some(trim(targets)).filter(|t| !t.is_empty())
    };
    let (Some(bad), Some(span)) = (bad, p.source()) else {
        return;
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
