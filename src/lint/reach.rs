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
///
/// Only a jump can reach a priority that neither is priority 1 nor follows one that falls through to it:
/// those priorities are the questions ([`Questions`]), and the jumps are then read once, each looked up
/// among the questions, instead of every jump target of the dialplan being gathered into sets.
pub(super) fn check(jumps: &Jumps<'_>, stopping: &[(&str, &Extension)], out: &mut Vec<Diagnostic>) {
    if stopping.is_empty() {
        return;
    }
    let mut questions = Questions::default();
    let mut scratch = Scratch::default();
    for (k, &(context, ext)) in stopping.iter().enumerate() {
        scratch.fill(ext, |_, _| false);
        for (p, reachable) in scratch.prios.iter().zip(&scratch.reachable) {
            if !reachable {
                questions.ask(k, context, ext, p);
            }
        }
    }
    let answers = questions.answer(jumps);
    if answers.any_dynamic_context {
        return;
    }
    for (k, &(context, ext)) in stopping.iter().enumerate() {
        if answers.dynamic_contexts.contains(context) {
            continue;
        }
        let hits = |number: i32, label: Option<&str>| answers.hits(k, context, ext, number, label);
        scratch.fill(ext, hits);
        report(context, ext, &scratch, out);
    }
}

#[derive(Default)]
struct Scratch<'a> {
    prios: Vec<&'a Priority>,
    reachable: Vec<bool>,
}

impl<'a> Scratch<'a> {
    /// The extension's priorities (hints aside) and whether each can run, given which of them a jump
    /// `hits` (by number or label).
    fn fill(&mut self, ext: &'a Extension, hits: impl Fn(i32, Option<&str>) -> bool) {
        let Scratch { prios, reachable } = self;
        prios.clear();
        prios.extend(ext.priorities().iter().filter(|p| !p.is_hint()));
        reachable.clear();
        reachable.resize(prios.len(), false);
        for (i, p) in prios.iter().enumerate() {
            let by_fall = i > 0
                && reachable[i - 1]
                && prios[i - 1].number() + 1 == p.number()
                && falls_through(prios[i - 1]);
            reachable[i] = p.number() == 1 || by_fall || hits(p.number(), p.label());
        }
    }
}

/// Reports the runs of priorities of `ext` that can never run (see [`Scratch::fill`]).
fn report(context: &str, ext: &Extension, scratch: &Scratch<'_>, out: &mut Vec<Diagnostic>) {
    let Scratch { prios, reachable } = scratch;
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

/// The priorities only a jump can reach, by what a jump names: (context, extension, number) and
/// (context, extension, label) for literal extensions; (context, number) and (context, label) for
/// patterns, which are then matched against the jump's extension. Each question about a pattern holds
/// the index of its extension in the walk's list.
#[derive(Default)]
struct Questions<'a> {
    numbers: HashSet<(Name<'a>, Name<'a>, i32), Names>,
    labels: HashSet<(Name<'a>, Name<'a>, Name<'a>), Names>,
    pattern_numbers: HashMap<(Name<'a>, i32), Vec<(usize, &'a Extension)>, Names>,
    pattern_labels: HashMap<(Name<'a>, Name<'a>), Vec<(usize, &'a Extension)>, Names>,
}

/// The questions a jump answered, and where a dynamic jump could land.
struct Answers<'a> {
    numbers: HashSet<(Name<'a>, Name<'a>, i32), Names>,
    labels: HashSet<(Name<'a>, Name<'a>, Name<'a>), Names>,
    pattern_numbers: HashSet<(usize, i32), Names>,
    pattern_labels: HashSet<(usize, Name<'a>), Names>,
    dynamic_contexts: HashSet<&'a str, Fx>,
    any_dynamic_context: bool,
}

impl<'a> Questions<'a> {
    /// Asks whether a jump reaches `p`, of extension `ext` (number `k` in the walk's list) in `context`.
    fn ask(&mut self, k: usize, context: &'a str, ext: &'a Extension, p: &'a Priority) {
        let c = Name::new(context);
        if ext.is_pattern() {
            self.pattern_numbers
                .entry((c, p.number()))
                .or_default()
                .push((k, ext));
            if let Some(l) = p.label() {
                self.pattern_labels
                    .entry((c, Name::new(l)))
                    .or_default()
                    .push((k, ext));
            }
            return;
        }
        let e = Name::new(ext.name());
        self.numbers.insert((c, e, p.number()));
        if let Some(l) = p.label() {
            self.labels.insert((c, e, Name::new(l)));
        }
    }

    /// Reads every jump once: the questions it answers, and the contexts a dynamic one may land in.
    fn answer(&self, jumps: &Jumps<'a>) -> Answers<'a> {
        let mut a = Answers {
            numbers: HashSet::default(),
            labels: HashSet::default(),
            pattern_numbers: HashSet::default(),
            pattern_labels: HashSet::default(),
            dynamic_contexts: HashSet::default(),
            any_dynamic_context: false,
        };
        let patterns = !self.pattern_numbers.is_empty() || !self.pattern_labels.is_empty();
        for jump in jumps.iter() {
            for (i, loc) in jump.locations().iter().take(jump.count()).enumerate() {
                if jump.is_dynamic(i) {
                    a.note_dynamic(jump.target(i), jump.context());
                    continue;
                }
                let Some(loc) = loc else {
                    continue;
                };
                let context = Name::new(loc.context.unwrap_or(jump.context()));
                let exten_text = loc.exten.unwrap_or(jump.exten());
                let exten = Name::new(exten_text);
                let number = match loc.priority {
                    target::Priority::Number(n) => Some(n),
                    target::Priority::Relative(n) => Some(jump.priority().number().wrapping_add(n)),
                    target::Priority::Label(_) => None,
                };
                // A pattern extension is reached by a jump to a name it matches (or to its own name).
                let matching = |&&(_, ext): &&(usize, &Extension)| {
                    exten_text == ext.name() || ext.pattern().matches(exten_text)
                };
                match (number, loc.priority) {
                    (Some(n), _) => {
                        if self.numbers.contains(&(context, exten, n)) {
                            a.numbers.insert((context, exten, n));
                        }
                        if patterns {
                            if let Some(asked) = self.pattern_numbers.get(&(context, n)) {
                                for &(k, _) in asked.iter().filter(matching) {
                                    a.pattern_numbers.insert((k, n));
                                }
                            }
                        }
                    }
                    (None, target::Priority::Label(l)) => {
                        let label = Name::new(l);
                        if self.labels.contains(&(context, exten, label)) {
                            a.labels.insert((context, exten, label));
                        }
                        if patterns {
                            if let Some(asked) = self.pattern_labels.get(&(context, label)) {
                                for &(k, _) in asked.iter().filter(matching) {
                                    a.pattern_labels.insert((k, label));
                                }
                            }
                        }
                    }
                    (None, _) => {}
                }
            }
        }
        a
    }
}

impl<'a> Answers<'a> {
    /// Whether some jump lands on priority `number` (or `label`) of `ext`, number `k` in the walk's list,
    /// in `context`.
    fn hits(
        &self,
        k: usize,
        context: &str,
        ext: &Extension,
        number: i32,
        label: Option<&str>,
    ) -> bool {
        if ext.is_pattern() {
            return self.pattern_numbers.contains(&(k, number))
                || label.is_some_and(|l| self.pattern_labels.contains(&(k, Name::new(l))));
        }
        let (c, e) = (Name::new(context), Name::new(ext.name()));
        self.numbers.contains(&(c, e, number))
            || label.is_some_and(|l| self.labels.contains(&(c, e, Name::new(l))))
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
