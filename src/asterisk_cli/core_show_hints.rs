//! `core show hints`: every hint of the dialplan with its current state. [main/pbx.c · handle_show_hints]
//!
//! Asterisk walks its hints container: a hash table of 563 buckets keyed by the extension name
//! (`ast_str_case_hash`), each bucket in insertion order. dialsim walks the same buckets; within a bucket it
//! keeps the dialplan's order (contexts in list order), which is Asterisk's insertion order for hints
//! registered together. Only `park:` devices are modelled: a hint that names any other device is answered
//! with a note rather than an invented state.

use super::{CliAnswer, CliContext};
use dialplan::engine::Engine;
use parking::runtime::devstate::{engine_hints, ExtensionState, Hint};
use std::fmt::Write;

/// The number of buckets of Asterisk's hints container (`HASH_EXTENHINT_SIZE`).
const HINT_BUCKETS: u32 = 563;

/// `ast_str_case_hash` restricted to a non-negative `int`, then the bucket.
pub fn hint_bucket(exten: &str) -> u32 {
    let mut hash: u32 = 5381;
    for b in exten.bytes() {
        hash = hash.wrapping_mul(33) ^ u32::from(b.to_ascii_lowercase());
    }
    (hash & 0x7fff_ffff) % HINT_BUCKETS
}

/// The hints in the order Asterisk lists them.
pub fn ordered(mut hints: Vec<Hint>) -> Vec<Hint> {
    hints.sort_by_key(|h| hint_bucket(&h.exten));
    hints
}

pub(super) fn show(engine: &Engine, ctx: &CliContext) -> CliAnswer {
    let hints = engine_hints(engine);
    let answer = render(hints, |h| {
        ctx.parking
            .as_ref()
            .map_or(ExtensionState::Idle, |p| p.hint_state(h))
    });
    match answer {
        Ok(text) => CliAnswer::Output(text),
        Err(note) => CliAnswer::NotSimulated(note),
    }
}

/// The command's text for `hints` with their states; `Err` with a note when a hint names devices dialsim
/// does not model.
pub fn render(hints: Vec<Hint>, state: impl Fn(&Hint) -> ExtensionState) -> Result<String, String> {
    let hints = ordered(hints);
    if hints.is_empty() {
        return Ok("There are no registered dialplan hints\n".to_string());
    }
    if let Some(h) = hints.iter().find(|h| !h.modelled()) {
        return Err(format!(
            "'core show hints' is not simulated for this dialplan: hint '{}@{}' names devices dialsim does not model ('{}'); only park: devices have states",
            h.exten, h.context, h.devices
        ));
    }
    let mut out = String::from("\n    -= Registered Asterisk Dial Plan Hints =-\n");
    for h in &hints {
        let at = format!("{}@{}", h.exten, h.context);
        let _ = writeln!(
            out,
            "{:<30.30}: {:<60.60}  State:{:<15.15} Presence:{:<15.15} Watchers {:>2}",
            at,
            h.devices,
            state(h).text(),
            "not_set",
            0
        );
    }
    out.push_str("----------------\n");
    let _ = writeln!(out, "- {} hints registered", hints.len());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_follow_asterisks_hash() {
        // djb2 with xor over lower-cased bytes: "701" → 5381*33^'7'…
        let mut h: u32 = 5381;
        for b in b"701" {
            h = h.wrapping_mul(33) ^ u32::from(*b);
        }
        assert_eq!(hint_bucket("701"), (h & 0x7fff_ffff) % 563);
        assert_eq!(hint_bucket("ABC"), hint_bucket("abc"));
    }
}
