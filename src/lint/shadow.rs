//! Pattern extensions that never run because an earlier extension in Asterisk's match order always wins.
//!
//! With the default (legacy) matcher, Asterisk looks for an (extension, priority) by walking the context's
//! extensions in their sorted order (literals first, then patterns from the most specific) and takes the
//! first one that matches the dialled string *and* has the priority. A pattern is therefore never used
//! when an extension sorted before it matches every string it matches and has every priority and label it
//! has — e.g. `_1XX` after `_1XX!`, or `_100` after `100`. (Two spellings of the same pattern, `_NXX` and
//! `_[2-9]XX`, are one extension to Asterisk: the loader reports those as `ext/aliased-extension`.)
//!
//! Only extensions without a caller-id match are compared; a jump naming the pattern itself
//! (`Goto(ctx,_1XX,1)`, which Asterisk resolves to that pattern) keeps it alive. With
//! `extenpatternmatchnew=yes` the trie picks extensions in its own order and never falls through to
//! another extension for a missing priority: there an extension is shadowed by a pattern that matches
//! everything it matches and that the trie's search meets first ([`new_matcher`]). Cost: the patterns of
//! a context are compared pairwise (with the new matcher, every extension against the patterns), so
//! contexts with more than [`MAX_PATTERNS`] patterns are skipped.

use super::jumplist::Jumps;
use super::SHADOWED_EXTENSION;
use dialplan::diag::Diagnostic;
use dialplan::model::trie::searched_before;
use dialplan::model::{Dialplan, Extension, Matcher, Pattern};
use std::collections::HashSet;

/// Contexts with more patterns than this are not compared pairwise.
const MAX_PATTERNS: usize = 256;

pub(super) fn check(dp: &Dialplan, jumps: &Jumps<'_>, out: &mut Vec<Diagnostic>) {
    // Patterns jumped to by their own name.
    let named: HashSet<&str> = jumps
        .iter()
        .flat_map(|j| j.location_extens())
        .filter(|e| e.starts_with('_'))
        .collect();
    if dp.matcher() != Matcher::Legacy {
        new_matcher(dp, &named, out);
        return;
    }
    // The patterns before the one looked at, each with its extent (read once, not once per pair).
    let mut earlier: Vec<(&Extension, Option<Extent>)> = Vec::new();
    for context in dp.contexts() {
        let exts = context.extensions();
        let first_pattern = exts.iter().position(Extension::is_pattern);
        let Some(first_pattern) = first_pattern else {
            continue;
        };
        if exts.len() - first_pattern > MAX_PATTERNS {
            continue;
        }
        earlier.clear();
        for e in &exts[first_pattern..] {
            if e.callerid().is_some() {
                continue;
            }
            let extent = Extent::of(e.pattern());
            // A pattern whose extent rules it out is not compared position by position.
            let candidates = earlier
                .iter()
                .filter(|(_, f)| Extent::may_cover(*f, extent))
                .map(|&(f, _)| f)
                .chain(single_string_literal(exts, first_pattern, e));
            let winner = candidates
                .filter(|f| f.pattern().covers(e.pattern()) == Some(true))
                .find(|f| has_everything(f, e));
            if let Some(f) = winner {
                if !named.contains(e.name()) {
                    report(context.name(), e, f, out);
                }
            }
            earlier.push((e, extent));
        }
    }
}

/// How many positions a pattern's name has before its tail, what may follow them, and the plain
/// characters it starts with: the first tests of [`dialplan::model::Pattern::covers`], read here once per
/// pattern from its name instead of once per pair.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Extent {
    positions: usize,
    tail: Tail,
    /// The first positions while they are plain characters (at most eight), byte `j` of the word for
    /// position `j`, and how many there are.
    prefix: u64,
    plain: u32,
}

/// What may follow a pattern's positions.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tail {
    End,
    /// `.`: one or more characters.
    OneOrMore,
    /// `!`: zero or more.
    ZeroOrMore,
}

impl Extent {
    /// The extent of a pattern extension's name, read as the matcher compiles it (`-` skipped, a `[…]`
    /// set one position, each other byte one, up to the first `.` or `!`); `None` for a name with a `/`
    /// or a NUL, an empty or unterminated set, which only `covers` reads.
    fn of(p: &Pattern) -> Option<Extent> {
        let body = p.key().as_bytes().strip_prefix(b"_")?;
        if memchr::memchr2(b'/', 0, body).is_some() {
            return None;
        }
        let mut e = Extent {
            positions: 0,
            tail: Tail::End,
            prefix: 0,
            plain: 0,
        };
        let mut i = 0;
        while let Some(&c) = body.get(i) {
            i += 1;
            let plain = match c {
                b'-' => continue,
                b'.' | b'!' => {
                    e.tail = if c == b'.' {
                        Tail::OneOrMore
                    } else {
                        Tail::ZeroOrMore
                    };
                    return Some(e);
                }
                b'[' => {
                    // A set is one position up to the next `]` (an empty set is not modelled).
                    let end = memchr::memchr(b']', body.get(i..)?)?;
                    if end == 0 {
                        return None;
                    }
                    i += end + 1;
                    false
                }
                b'n' | b'N' | b'x' | b'X' | b'z' | b'Z' => false,
                _ => true,
            };
            if plain && e.plain as usize == e.positions && e.plain < 8 {
                e.prefix |= u64::from(c) << (8 * e.plain);
                e.plain += 1;
            }
            e.positions += 1;
        }
        Some(e)
    }

    /// Whether a pattern of extent `f` may match every string one of extent `e` matches: false only when
    /// `covers` would answer no for the lengths alone, or for two plain characters at the same position
    /// of their prefixes; true when either extent is unknown.
    fn may_cover(f: Option<Extent>, e: Option<Extent>) -> bool {
        let (Some(f), Some(e)) = (f, e) else {
            return true;
        };
        let (n, m) = (f.positions, e.positions);
        // The shortest string `e` matches.
        let shortest = m + usize::from(e.tail == Tail::OneOrMore);
        let length_ok = match f.tail {
            Tail::End => e.tail == Tail::End && m == n,
            Tail::OneOrMore => m >= n && shortest > n,
            Tail::ZeroOrMore => m >= n,
        };
        // Where both start with plain characters, those must be the same ones.
        let both = f.plain.min(e.plain);
        let mask = if both >= 8 {
            u64::MAX
        } else {
            (1u64 << (8 * both)) - 1
        };
        length_ok && (f.prefix ^ e.prefix) & mask == 0
    }
}

/// The literal extension (sorted before every pattern) of the one string pattern `e` matches, if `e`
/// matches a single string and the context has that literal.
fn single_string_literal<'a>(
    exts: &'a [Extension],
    literals: usize,
    e: &Extension,
) -> Option<&'a Extension> {
    // Cheap test first: a single-string pattern has no class characters.
    let body = e.name().strip_prefix('_')?;
    if body.contains(['X', 'x', 'Z', 'z', 'N', 'n', '.', '!', '[']) {
        return None;
    }
    exts[..literals]
        .iter()
        .find(|l| l.callerid().is_none() && l.pattern().covers(e.pattern()) == Some(true))
}

/// Whether `f` has every priority number and label `e` has (hints aside).
fn has_everything(f: &Extension, e: &Extension) -> bool {
    e.priorities().iter().filter(|p| !p.is_hint()).all(|p| {
        f.priority(p.number()).is_some()
            && p.label().is_none_or(|l| f.priority_by_label(l).is_some())
    })
}

/// `extenpatternmatchnew=yes`: the trie takes, for a number, the first extension whose path matches it
/// completely, trying at each character the more specific sibling first; it then looks for the priority
/// in that extension only. An extension `e` is never picked when another, `f`, matches every number `e`
/// matches and the search meets `f`'s path first where the two part — confirmed by a real look-up of a
/// number `e` matches, which must find `f`.
fn new_matcher(dp: &Dialplan, named: &HashSet<&str>, out: &mut Vec<Diagnostic>) {
    for context in dp.contexts() {
        let exts = context.extensions();
        let patterns: Vec<usize> = (0..exts.len())
            .filter(|&i| exts[i].is_pattern() && exts[i].callerid().is_none())
            .collect();
        if patterns.is_empty() || patterns.len() > MAX_PATTERNS {
            continue;
        }
        for (ei, e) in exts.iter().enumerate() {
            if e.callerid().is_some() || named.contains(e.name()) {
                continue;
            }
            let winner = patterns.iter().copied().filter(|&fi| fi != ei).find(|&fi| {
                let f = &exts[fi];
                f.pattern().covers(e.pattern()) == Some(true)
                    && searched_before(context, fi, ei) == Some(true)
                    && picks(dp, context.name(), e, f)
            });
            if let Some(fi) = winner {
                report_new(context.name(), e, &exts[fi], out);
            }
        }
    }
}

/// Whether the new matcher, asked for a number `e` matches, finds `f`.
fn picks(dp: &Dialplan, context: &str, e: &Extension, f: &Extension) -> bool {
    let (Some(sample), Some(first)) = (
        e.pattern().sample(),
        f.priorities().iter().find(|p| !p.is_hint()),
    ) else {
        return false;
    };
    dp.find(context, &sample, first.number(), None)
        .is_some_and(|found| std::ptr::eq(found.extension, f))
}

fn report_new(context: &str, e: &Extension, f: &Extension, out: &mut Vec<Diagnostic>) {
    let Some(span) = e.priorities().iter().find_map(|p| p.source()) else {
        return;
    };
    out.push(
        Diagnostic::warning(
            SHADOWED_EXTENSION,
            format!(
                "extension '{}' in '{context}' never runs: with extenpatternmatchnew the pattern '{}' is found first for every number it matches",
                e.name(),
                f.name()
            ),
        )
        .with_span(span)
        .with_label("never matched")
        .with_help(format!(
            "with extenpatternmatchnew=yes Asterisk searches a context's pattern tree, trying the more specific \
             choice first at each character (ties in the order the extensions were added), and takes the first \
             extension that matches the whole number, then looks for the priority only there; '{}' matches every \
             number '{}' matches and is met first, so '{}' is never used; remove one of them, or make '{}' more specific",
            f.name(),
            e.name(),
            e.name(),
            e.name()
        )),
    );
}

fn report(context: &str, e: &Extension, f: &Extension, out: &mut Vec<Diagnostic>) {
    let Some(span) = e.priorities().iter().find_map(|p| p.source()) else {
        return;
    };
    let kind = if f.is_pattern() {
        "pattern"
    } else {
        "extension"
    };
    out.push(
        Diagnostic::warning(
            SHADOWED_EXTENSION,
            format!(
                "extension '{}' in '{context}' never runs: the {kind} '{}' comes first in Asterisk's match order and matches everything it matches",
                e.name(),
                f.name()
            ),
        )
        .with_span(span)
        .with_label("never matched")
        .with_help(format!(
            "Asterisk tries a context's extensions in sorted order and takes the first that matches the number and has the \
             priority; '{}' has every priority '{}' has, so '{}' is never used; remove one of them, or make '{}' more specific",
            f.name(),
            e.name(),
            e.name(),
            f.name()
        )),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extents_rule_out_only_what_covers_rules_out() {
        let names = [
            "_X.",
            "_X!",
            "_NXX",
            "_1XX",
            "_[2-4]XX!",
            "_8000010XX",
            "_90NXXXXXX",
            "_9-0NXX",
            "_XX.",
            "_XXX!",
            "_.",
            "_!",
            "_1",
            "_12",
            "_1.",
            "_1!",
            "_Z",
            "_N/1",
            "_[]1",
            "_[1]2",
            "_[12",
            "_1[2]",
            "_2[2]",
            "_-1X",
            "_9XXXXXXXX",
            "_8XXXXXXXX",
            "_[89]XXXXXXXX",
            "_9-0NXXXXXX",
        ];
        for f in names {
            for e in names {
                let (pf, pe) = (Pattern::new(f), Pattern::new(e));
                let may = Extent::may_cover(Extent::of(&pf), Extent::of(&pe));
                if pf.covers(&pe) == Some(true) {
                    assert!(may, "{f} covers {e}");
                }
            }
        }
        assert!(!Extent::may_cover(
            Extent::of(&Pattern::new("_NXX")),
            Extent::of(&Pattern::new("_90NXXXXXX"))
        ));
        assert!(!Extent::may_cover(
            Extent::of(&Pattern::new("_90NXXXXXX")),
            Extent::of(&Pattern::new("_91NXXXXXX"))
        ));
        assert!(Extent::may_cover(
            Extent::of(&Pattern::new("_9XXXXXXXX")),
            Extent::of(&Pattern::new("_91NXXXXXX"))
        ));
        assert!(Extent::of(&Pattern::new("_[]1")).is_none());
        assert!(Extent::of(&Pattern::new("_[2-4]XX!")).is_some());
    }
}
