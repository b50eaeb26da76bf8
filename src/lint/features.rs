//! Feature codes nobody can use, and `Dial` arguments Asterisk refuses.
//!
//! A `[featuremap]` `parkcall` code only becomes a DTMF hook on a channel that a `Dial` gave `k` (callee) or
//! `K` (caller), or whose `BRIDGE_FEATURES` holds one of them. The page's examples map `#72` and then dial
//! without `k`: pressing `#72` then just sends the digits to the other party.

use super::target::is_dynamic;
use super::{
    priorities_running, DIAL_WITHOUT_TECHNOLOGY, PARKCALL_HOOK_UNAVAILABLE, PARKCALL_NEVER_GRANTED,
};
use crate::config::LoadedConfig;
use dialplan::apps::args::parse_options;
use dialplan::diag::Diagnostic;
use dialplan::expr::{separate_args, ArgMode};
use dialplan::model::Priority;
use features::BuiltinFeature;
use std::borrow::Cow;

/// `dials`: every `Dial` priority loaded from a file, in dialplan order.
pub(super) fn check(config: &LoadedConfig, dials: &[&Priority], out: &mut Vec<Diagnostic>) {
    check_dial_targets(dials, out);
    check_parkcall(config, dials, out);
}

/// What the option letters of a Dial grant for parking.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Grant {
    Nothing,
    Park,
    /// The options are only known at run time.
    Unknown,
}

/// Dial's arguments as Dial splits them (targets, timeout, options, URL); `arg(i)` is argument `i`.
struct DialArgs<'a> {
    data: &'a str,
    /// Where each of the first three arguments starts and ends when they hold no quote or backslash (then
    /// they are plain slices of the data); `None` when [`separate_args`] has to unquote.
    plain: Option<[Option<(usize, usize)>; 3]>,
}

impl<'a> DialArgs<'a> {
    fn new(data: &'a str) -> Self {
        let b = data.as_bytes();
        // The splitting rule of `separate_args` without quotes or escapes: a `,` outside `(...)` and
        // `[...]` ends an argument (a stray `)` or `]` is ignored). What follows the third argument does
        // not change the first three.
        let mut found = [None; 3];
        if !b.is_empty() {
            let (mut paren, mut bracket) = (0u32, 0u32);
            let mut start = 0;
            let mut n = 0;
            for (i, &c) in b.iter().enumerate() {
                match c {
                    b'(' => paren += 1,
                    b')' => paren = paren.saturating_sub(1),
                    b'[' => bracket += 1,
                    b']' => bracket = bracket.saturating_sub(1),
                    b'"' | b'\\' => return DialArgs { data, plain: None },
                    b',' if paren == 0 && bracket == 0 => {
                        found[n] = Some((start, i));
                        n += 1;
                        start = i + 1;
                        if n == found.len() {
                            break;
                        }
                    }
                    _ => {}
                }
            }
            if n < found.len() {
                // The last argument runs to the end (empty after a trailing `,`).
                found[n] = Some((start, data.len()));
            }
        }
        DialArgs {
            data,
            plain: Some(found),
        }
    }

    fn arg(&self, i: usize) -> Option<Cow<'a, str>> {
        match &self.plain {
            Some(found) => found
                .get(i)
                .copied()
                .flatten()
                .map(|(a, b)| Cow::Borrowed(&self.data[a..b])),
            None => separate_args(self.data, ',', ArgMode::Standard, 4)
                .into_iter()
                .nth(i)
                .map(Cow::Owned),
        }
    }
}

fn dial_grant(data: &str) -> Grant {
    let Some(options) = DialArgs::new(data).arg(2) else {
        return Grant::Nothing;
    };
    let options = &*options;
    if is_dynamic(options) {
        return Grant::Unknown;
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

fn check_parkcall(config: &LoadedConfig, dials: &[&Priority], out: &mut Vec<Diagnostic>) {
    let code = config.features.featuremap.code(BuiltinFeature::ParkCall);
    if code.is_empty() {
        return;
    }
    let dp = &config.dialplan;
    let mut granting = Vec::new();
    let mut unknown = false;
    for &p in dials {
        match dial_grant(p.data()) {
            Grant::Park => granting.push(p),
            Grant::Unknown => unknown = true,
            Grant::Nothing => {}
        }
    }
    let bridge_features = priorities_running(dp, &["Set", "MSet"])
        .any(|p| p.data().split(',').any(sets_bridge_features));
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
    if !granting.is_empty() || unknown || bridge_features {
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

fn check_dial_targets(dials: &[&Priority], out: &mut Vec<Diagnostic>) {
    for &p in dials {
        let Some(targets) = DialArgs::new(p.data()).arg(0) else {
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
    fn plain_dial_args_split_as_separate_args_does() {
        for data in [
            "",
            "a",
            "a,",
            ",",
            "a,b",
            "a,b,c",
            "a,b,c,d,e",
            "PJSIP/a&PJSIP/b,30,tT(x,y)",
            "f(a,b),c,[d,e],f",
            "a),b,c",
            "\"a,b\",c,k",
            "a\\,b,c,d",
            "Local/2000@ctx/n,,k",
        ] {
            let want = separate_args(data, ',', ArgMode::Standard, 4);
            let args = DialArgs::new(data);
            for i in 0..3 {
                assert_eq!(
                    args.arg(i).map(|a| a.into_owned()),
                    want.get(i).cloned(),
                    "{data:?} argument {i}"
                );
            }
        }
    }

    #[test]
    fn grants() {
        assert!(dial_grant("Local/a@b/n,,k") == Grant::Park);
        assert!(dial_grant("PJSIP/alice") == Grant::Nothing);
        assert!(dial_grant("PJSIP/alice,30,${OPTS}") == Grant::Unknown);
        assert!(dial_grant("PJSIP/alice,30,D(k)") == Grant::Nothing);
    }
}
