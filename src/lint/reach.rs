//! Priorities that can never run: after an unconditional `Goto` or `Hangup` (or a `GotoIf` whose both
//! branches jump), with nothing jumping to them.

use super::target::{self, is_dynamic, parse_location};
use super::{jumps, UNREACHABLE_PRIORITY};
use crate::config::LoadedConfig;
use dialplan::diag::Diagnostic;
use dialplan::model::{Dialplan, Extension, Priority};
use std::collections::{HashMap, HashSet};

pub(super) fn check(config: &LoadedConfig, out: &mut Vec<Diagnostic>) {
    let dp = &config.dialplan;
    let targets = Targets::collect(dp);
    for context in dp.contexts() {
        if targets.dynamic_contexts.contains(context.name()) || targets.any_dynamic_context {
            continue;
        }
        for ext in context.extensions() {
            check_extension(context.name(), ext, &targets, out);
        }
    }
}

fn check_extension(context: &str, ext: &Extension, targets: &Targets, out: &mut Vec<Diagnostic>) {
    let prios: Vec<&Priority> = ext.priorities().iter().filter(|p| !p.is_hint()).collect();
    let mut reachable = vec![false; prios.len()];
    for (i, p) in prios.iter().enumerate() {
        let by_fall = i > 0
            && reachable[i - 1]
            && prios[i - 1].number() + 1 == p.number()
            && falls_through(prios[i - 1]);
        reachable[i] =
            p.number() == 1 || by_fall || targets.hits(context, ext, p.number(), p.label());
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

/// Whether the dialplan goes on to the next priority after this one (when it returns 0).
fn falls_through(p: &Priority) -> bool {
    let app = p.app();
    if app.eq_ignore_ascii_case("Goto") || app.eq_ignore_ascii_case("Hangup") {
        return false;
    }
    if app.eq_ignore_ascii_case("GotoIf") {
        return super::goto::branches(app, p.data()).len() < 2;
    }
    true
}

/// Every literal jump target in the dialplan, by target context, and where a dynamic jump could land.
struct Targets {
    by_context: HashMap<String, ContextTargets>,
    dynamic_contexts: HashSet<String>,
    any_dynamic_context: bool,
}

/// The jumps into one context: (extension, priority) and (extension, label).
#[derive(Default)]
struct ContextTargets {
    numbers: HashSet<(String, i32)>,
    labels: HashSet<(String, String)>,
}

impl Targets {
    fn collect(dp: &Dialplan) -> Self {
        let mut t = Targets {
            by_context: HashMap::new(),
            dynamic_contexts: HashSet::new(),
            any_dynamic_context: false,
        };
        for jump in jumps(dp) {
            for arg in jump.targets {
                if is_dynamic(arg) {
                    t.note_dynamic(arg, jump.context);
                    continue;
                }
                let Some(loc) = parse_location(arg) else {
                    continue;
                };
                let context = loc.context.unwrap_or(jump.context).to_string();
                let exten = loc.exten.unwrap_or(jump.exten).to_string();
                let into = t.by_context.entry(context).or_default();
                match loc.priority {
                    target::Priority::Number(n) => {
                        into.numbers.insert((exten, n));
                    }
                    target::Priority::Label(l) => {
                        into.labels.insert((exten, l.to_string()));
                    }
                    target::Priority::Relative(n) => {
                        into.numbers.insert((exten, jump.priority.number() + n));
                    }
                }
            }
        }
        t
    }

    fn note_dynamic(&mut self, arg: &str, current: &str) {
        let parts: Vec<&str> = arg.split(',').collect();
        match parts.as_slice() {
            [c, _, _] if !is_dynamic(c) => {
                self.dynamic_contexts.insert(c.trim().to_string());
            }
            [_, _, _] => self.any_dynamic_context = true,
            _ => {
                self.dynamic_contexts.insert(current.to_string());
            }
        }
    }

    fn hits(&self, context: &str, ext: &Extension, number: i32, label: Option<&str>) -> bool {
        let Some(into) = self.by_context.get(context) else {
            return false;
        };
        if !ext.is_pattern() {
            let name = ext.name().to_string();
            return into.numbers.contains(&(name.clone(), number))
                || label.is_some_and(|l| into.labels.contains(&(name, l.to_string())));
        }
        let matches_ext = |e: &str| e == ext.name() || ext.pattern().matches(e);
        into.numbers
            .iter()
            .any(|(e, n)| *n == number && matches_ext(e))
            || label.is_some_and(|l| into.labels.iter().any(|(e, ll)| ll == l && matches_ext(e)))
    }
}
