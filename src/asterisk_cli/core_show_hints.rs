//! `core show hints`: every hint of the dialplan with its current state. [main/extension_state.c ·
//! handle_show_hints]
//!
//! Since Asterisk 22.9 the hints live in their own store, a tree sorted by `exten@context` (byte order,
//! `strcmp`), which the command walks: dialsim sorts the same way. `Watchers` counts the subscribers of a
//! hint's topic, which always include the manager's own callback (the one sending `ExtensionStatus`), so
//! it is 1 (0 for a pattern hint, which has no topic). Only `park:` devices are modelled: a hint that names
//! any other device is answered with a note rather than an invented state.

use super::{CliAnswer, CliContext};
use dialplan::engine::Engine;
use parking::runtime::devstate::{engine_hints, ExtensionState, Hint};
use std::fmt::Write;

/// The hints in the order Asterisk lists them: by `exten@context`, byte by byte
/// [main/extension_state.c · ast_extension_state_init (rbtree, `AO2_STRING_FIELD_SORT_FN`)].
pub fn ordered(mut hints: Vec<Hint>) -> Vec<Hint> {
    hints.sort_by_cached_key(|h| format!("{}@{}", h.exten, h.context).into_bytes());
    hints
}

pub(super) fn show(engine: &Engine, ctx: &CliContext) -> CliAnswer {
    let hints = engine_hints(engine);
    let answer = render(hints, |h| {
        ctx.parking
            .as_ref()
            // Without res_parking no `park` provider exists: every park: device is invalid.
            .map_or(ExtensionState::Unavailable, |p| p.hint_state(h))
    });
    match answer {
        Ok(text) => CliAnswer::Output(text),
        Err(note) => CliAnswer::NotSimulated(note),
    }
}

/// `core show hint <exten>`: the hints whose `exten@context` starts with `prefix` (ignoring case), then a
/// count line. [main/extension_state.c · handle_show_hint]
/// What `core show hint` without an extension prints (`CLI_SHOWUSAGE`).
pub const HINT_USAGE: &str = "Usage: core show hint <exten>
       List registered hint.
       Hint details are shown in five columns. In order from left to right, they are:
       1. Hint extension URI.
       2. List of mapped device or presence state identifiers.
       3. Current extension state. The aggregate of mapped device states.
       4. Current presence state for the mapped presence state provider.
       5. Watchers - number of subscriptions and other entities watching this hint.
";

pub(super) fn show_one(engine: &Engine, ctx: &CliContext, prefix: &str) -> CliAnswer {
    let hints = engine_hints(engine);
    let answer = render_matching(hints, prefix, |h| {
        ctx.parking
            .as_ref()
            .map_or(ExtensionState::Unavailable, |p| p.hint_state(h))
    });
    match answer {
        Ok(text) => CliAnswer::Output(text),
        Err(note) => CliAnswer::NotSimulated(note),
    }
}

/// The text of `core show hint <prefix>`; `Err` with a note when a matching hint names devices dialsim
/// does not model.
pub fn render_matching(
    hints: Vec<Hint>,
    prefix: &str,
    state: impl Fn(&Hint) -> ExtensionState,
) -> Result<String, String> {
    if hints.is_empty() {
        return Ok("There are no registered dialplan hints\n".to_string());
    }
    let wanted = prefix.as_bytes();
    let matching: Vec<Hint> = ordered(hints)
        .into_iter()
        .filter(|h| {
            let at = format!("{}@{}", h.exten, h.context);
            at.as_bytes()
                .get(..wanted.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(wanted))
        })
        .collect();
    if let Some(h) = matching.iter().find(|h| !h.modelled()) {
        return Err(not_modelled(h));
    }
    let mut out = String::new();
    for h in &matching {
        row(&mut out, h, state(h));
    }
    match matching.len() {
        0 => {
            let _ = writeln!(out, "No hints matching extension {prefix}");
        }
        1 => {
            let _ = writeln!(out, "1 hint matching extension {prefix}");
        }
        n => {
            let _ = writeln!(out, "{n} hints matching extension {prefix}");
        }
    }
    Ok(out)
}

fn not_modelled(h: &Hint) -> String {
    format!(
        "'core show hints' is not simulated for this dialplan: hint '{}@{}' names devices dialsim does not model ('{}'); only park: devices have states",
        h.exten, h.context, h.devices
    )
}

/// One hint's line, as both commands print it.
fn row(out: &mut String, h: &Hint, state: ExtensionState) {
    let at = format!("{}@{}", h.exten, h.context);
    let _ = writeln!(
        out,
        "{:<30.30}: {:<60.60}  State:{:<15.15} Presence:{:<15.15} Watchers {:>2}",
        at,
        h.devices,
        state.text(),
        "not_set",
        h.watchers()
    );
}

/// The command's text for `hints` with their states; `Err` with a note when a hint names devices dialsim
/// does not model.
pub fn render(hints: Vec<Hint>, state: impl Fn(&Hint) -> ExtensionState) -> Result<String, String> {
    let hints = ordered(hints);
    if hints.is_empty() {
        return Ok("There are no registered dialplan hints\n".to_string());
    }
    if let Some(h) = hints.iter().find(|h| !h.modelled()) {
        return Err(not_modelled(h));
    }
    let mut out = String::from("\n    -= Registered Asterisk Dial Plan Hints =-\n");
    for h in &hints {
        row(&mut out, h, state(h));
    }
    out.push_str("----------------\n");
    let _ = writeln!(out, "- {} hints registered", hints.len());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hint(exten: &str, context: &str, registrar: &str) -> Hint {
        Hint {
            exten: exten.into(),
            context: context.into(),
            devices: format!("park:701@{context}"),
            registrar: registrar.into(),
        }
    }

    // Asterisk 22.9+ lists hints from a tree sorted with strcmp on "exten@context"
    // [main/extension_state.c · ast_extension_state_init, handle_show_hints].
    #[test]
    fn hints_are_listed_in_byte_order_of_exten_at_context() {
        let hints = vec![
            hint("lobby", "internal", "pbx_config"),
            hint("702", "parkedcalls", "res_parking/default"),
            hint("Lobby", "internal", "pbx_config"),
            hint("701", "zeta", "pbx_config"),
            hint("701", "parkedcalls", "res_parking/default"),
        ];
        let order: Vec<String> = ordered(hints)
            .iter()
            .map(|h| format!("{}@{}", h.exten, h.context))
            .collect();
        assert_eq!(
            order,
            [
                "701@parkedcalls",
                "701@zeta",
                "702@parkedcalls",
                "Lobby@internal",
                "lobby@internal"
            ]
        );
    }

    // Watchers: the manager's callback on the all-hints topic reaches every hint's topic
    // [main/manager.c · __init_manager; main/stasis.c · stasis_forward_all]; a pattern hint has no topic
    // [main/extension_state.c · extension_state_alloc].
    // core show hint <x>: prefix of exten@context, case-insensitive, then the count line
    // [main/extension_state.c · handle_show_hint].
    #[test]
    fn show_hint_matches_a_prefix_of_exten_at_context() {
        let hints = || {
            vec![
                hint("701", "parkedcalls", "res_parking/default"),
                hint("702", "parkedcalls", "res_parking/default"),
                hint("Lobby", "internal", "pbx_config"),
            ]
        };
        let idle = |_: &Hint| ExtensionState::Idle;
        let one = render_matching(hints(), "701@PARK", idle).unwrap_or_default();
        assert!(one.starts_with("701@parkedcalls "));
        assert!(one.ends_with("Watchers  1\n1 hint matching extension 701@PARK\n"));
        let two = render_matching(hints(), "70", idle).unwrap_or_default();
        assert_eq!(two.lines().count(), 3);
        assert!(two.ends_with("\n2 hints matching extension 70\n"));
        assert!(render_matching(hints(), "lob", idle)
            .unwrap_or_default()
            .starts_with("Lobby@internal "));
        assert_eq!(
            render_matching(hints(), "9", idle).unwrap_or_default(),
            "No hints matching extension 9\n"
        );
        assert_eq!(
            render_matching(Vec::new(), "9", idle).unwrap_or_default(),
            "There are no registered dialplan hints\n"
        );
    }

    #[test]
    fn every_hint_has_the_managers_watcher_but_patterns() {
        let text = render(
            vec![
                hint("701", "parkedcalls", "res_parking/default"),
                hint("_7XX", "internal", "pbx_config"),
            ],
            |h| {
                if h.is_pattern() {
                    ExtensionState::Unavailable
                } else {
                    ExtensionState::Idle
                }
            },
        )
        .unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[2].ends_with("State:Idle            Presence:not_set         Watchers  1"));
        assert!(lines[3].starts_with("_7XX@internal "));
        assert!(lines[3].ends_with("State:Unavailable     Presence:not_set         Watchers  0"));
    }
}
