//! Priorities that can never run: after an unconditional `Goto` or `Hangup` (or a `GotoIf` whose both
//! branches jump), with nothing jumping to them.

use super::apps::AppKind;
use super::jumplist::Jumps;
use super::name::{Name, Names};
use super::target::{self, is_dynamic};
use super::UNREACHABLE_PRIORITY;
use dialplan::diag::Diagnostic;
use dialplan::hash::Fx;
use dialplan::model::{Extension, Priority};
use std::collections::{HashMap, HashSet};

/// Checks the extensions of `stopping` (in dialplan order, with their contexts' names): the walk's list of
/// those where some priority before the last never goes on, or that it did not read in full
/// ([`super::walk::Scan::stopping`]); in every other extension each priority falls through to the next.
pub(super) fn check(jumps: &Jumps<'_>, stopping: &[(&str, &Extension)], out: &mut Vec<Diagnostic>) {
    if stopping.is_empty() {
        return;
    }
    let targets = Targets::collect(jumps);
    if targets.any_dynamic_context {
        return;
    }
    // Scratch lists reused for every extension.
    let mut scratch = Scratch::default();
    for &(context, ext) in stopping {
        if targets.dynamic_contexts.contains(context) {
            continue;
        }
        let hits = jumps_into(targets.by_context.get(context), ext);
        check_extension(context, ext, hits, &mut scratch, out);
    }
}

#[derive(Default)]
struct Scratch<'a> {
    prios: Vec<&'a Priority>,
    reachable: Vec<bool>,
}

fn check_extension<'a>(
    context: &str,
    ext: &'a Extension,
    hits: ExtHits<'_>,
    scratch: &mut Scratch<'a>,
    out: &mut Vec<Diagnostic>,
) {
    let Scratch { prios, reachable } = scratch;
    prios.clear();
    prios.extend(ext.priorities().iter().filter(|p| !p.is_hint()));
    reachable.clear();
    reachable.resize(prios.len(), false);
    for (i, p) in prios.iter().enumerate() {
        let by_fall = i > 0
            && reachable[i - 1]
            && prios[i - 1].number() + 1 == p.number()
            && falls_through(prios[i - 1]);
        reachable[i] = p.number() == 1 || by_fall || hits.hits(p.number(), p.label());
    }
    let mut i = 1;
    while i < prios.len() {
        let prev = prios[i - 1];
        let starts_dead_run = !reachable[i]
            && reachable[i - 1]
            && prev.number() + 1 == prios[i].number()
            && !falls_through(prev);
        if !starts_dead_run {
            i += 1;
            continue;
        }
        let run = reachable[i..].iter().take_while(|r| !**r).count();
        let first = prios[i];
        let last = prios[i + run - 1];
        if let Some(span) = first.source() {
            let what = if run > 1 {
                format!(
                    "priorities {}-{} of '{}' in '{context}' can never run",
                    first.number(),
                    last.number(),
                    ext.name()
                )
            } else {
                format!(
                    "priority {} of '{}' in '{context}' can never run",
                    first.number(),
                    ext.name()
                )
            };
            out.push(
                Diagnostic::warning(
                    UNREACHABLE_PRIORITY,
                    format!(
                        "{what}: priority {} is {}({}), which never continues, and nothing jumps here",
                        prev.number(),
                        prev.app(),
                        prev.data()
                    ),
                )
                .with_span(span)
                .with_label("never executed")
                .with_help(format!(
                    "{} does not go on to the next priority; move these steps before it, or give them a \
                     label and jump to it, or delete them",
                    prev.app()
                )),
            );
        }
        i += run;
    }
}

/// Every literal jump target in the dialplan, by target context, and where a dynamic jump could land. All
/// names are borrowed from the dialplan.
struct Targets<'a> {
    by_context: HashMap<&'a str, ContextTargets<'a>, Fx>,
    dynamic_contexts: HashSet<&'a str, Fx>,
    any_dynamic_context: bool,
}

/// The jumps into one context: (extension, priority) and (extension, label).
#[derive(Default)]
struct ContextTargets<'a> {
    /// The extensions jumped to: a literal extension no jump names needs no look-up per priority.
    extens: HashSet<Name<'a>, Names>,
    numbers: HashSet<(Name<'a>, i32), Names>,
    labels: HashSet<(Name<'a>, Name<'a>), Names>,
}

impl<'a> Targets<'a> {
    fn collect(jumps: &Jumps<'a>) -> Self {
        let mut t = Targets {
            by_context: HashMap::default(),
            dynamic_contexts: HashSet::default(),
            any_dynamic_context: false,
        };
        for jump in jumps.iter() {
            for (i, loc) in jump.locations().iter().take(jump.count()).enumerate() {
                if jump.is_dynamic(i) {
                    t.note_dynamic(jump.target(i), jump.context());
                    continue;
                }
                let Some(loc) = loc else {
                    continue;
                };
                let context = loc.context.unwrap_or(jump.context());
                let exten = Name::new(loc.exten.unwrap_or(jump.exten()));
                let into = t.by_context.entry(context).or_default();
                into.extens.insert(exten);
                match loc.priority {
                    target::Priority::Number(n) => {
                        into.numbers.insert((exten, n));
                    }
                    target::Priority::Label(l) => {
                        into.labels.insert((exten, Name::new(l)));
                    }
                    target::Priority::Relative(n) => {
                        into.numbers
                            .insert((exten, jump.priority().number().wrapping_add(n)));
                    }
                }
            }
        }
        t
    }

    fn note_dynamic(&mut self, arg: &'a str, current: &'a str) {
        let mut parts = arg.split(',');
        let first = parts.next().unwrap_or_default();
        if parts.count() == 2 {
            if is_dynamic(first) {
                self.any_dynamic_context = true;
            } else {
                self.dynamic_contexts.insert(first.trim());
            }
        } else {
            self.dynamic_contexts.insert(current);
        }
    }
}

/// Whether the dialplan goes on to the next priority after this one (when it returns 0).
fn falls_through(p: &Priority) -> bool {
    // Asked for nearly every priority of the extensions checked: the name is compared as one word, its
    // letters folded.
    let app = p.app().as_bytes();
    match app.len() {
        4 if is_goto(app) => false,
        6 if folded(app) == folded(b"hangup") => false,
        6 if folded(app) == folded(b"gotoif") => {
            super::goto::branches(AppKind::GotoIf, p.data()).len() < 2
        }
        _ => true,
    }
}

/// Whether an application name is `Goto`, in any case.
fn is_goto(app: &[u8]) -> bool {
    app.len() == 4 && folded(app) == folded(b"goto")
}

/// The bytes of `text` (at most eight) as one word, each with bit 5 set: two words are equal exactly when the
/// texts are equal ignoring ASCII case, if one of them is all lower-case letters.
fn folded(text: &[u8]) -> u64 {
    text.iter()
        .take(8)
        .rev()
        .fold(0, |x, &c| (x << 8) | u64::from(c | 0x20))
}

/// The jumps that land in one extension, given those into its context.
fn jumps_into<'t>(into: Option<&'t ContextTargets<'t>>, ext: &'t Extension) -> ExtHits<'t> {
    let Some(into) = into else {
        return ExtHits::Nothing;
    };
    if !ext.is_pattern() {
        let name = Name::new(ext.name());
        if !into.extens.contains(&name) {
            return ExtHits::Nothing;
        }
        return ExtHits::Literal(into, name);
    }
    ExtHits::Pattern(into, ext)
}

/// The jumps into one extension (see [`jumps_into`]).
enum ExtHits<'t> {
    Nothing,
    /// A literal extension: (its name, priority or label) looked up in its context's sets.
    Literal(&'t ContextTargets<'t>, Name<'t>),
    /// A pattern extension: the jumps into its context whose extension it matches.
    Pattern(&'t ContextTargets<'t>, &'t Extension),
}

impl ExtHits<'_> {
    /// Whether some jump lands on this priority (by number or by label).
    fn hits(&self, number: i32, label: Option<&str>) -> bool {
        match self {
            ExtHits::Nothing => false,
            ExtHits::Literal(into, name) => {
                into.numbers.contains(&(*name, number))
                    || label.is_some_and(|l| into.labels.contains(&(*name, Name::new(l))))
            }
            ExtHits::Pattern(into, ext) => {
                // The pattern is matched only against jumps to this very priority or label.
                let matches_ext = |e: &str| e == ext.name() || ext.pattern().matches(e);
                into.numbers
                    .iter()
                    .any(|&(e, n)| n == number && matches_ext(e.as_str()))
                    || label.is_some_and(|l| {
                        into.labels
                            .iter()
                            .any(|&(e, ll)| ll.as_str() == l && matches_ext(e.as_str()))
                    })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::folded;

    #[test]
    fn folded_words_compare_ignoring_ascii_case() {
        for (a, b, same) in [
            ("Goto", "goto", true),
            ("GOTO", "goto", true),
            ("GoTo", "goto", true),
            ("Gota", "goto", false),
            ("HangUp", "hangup", true),
            ("GotoIf", "gotoif", true),
            ("G0to", "goto", false),
        ] {
            assert_eq!(
                folded(a.as_bytes()) == folded(b.as_bytes()),
                same,
                "{a} {b}"
            );
            assert_eq!(a.eq_ignore_ascii_case(b), same, "{a} {b}");
        }
    }
}
