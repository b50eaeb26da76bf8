//! Finding an extension: `pbx_find_extension` (`main/pbx.c`).
//!
//! A search of context C for (exten, priority or label): first C's own extensions, then C's switches, then
//! C's includes in the order written, depth-first. Every context is searched at most once per lookup
//! (names compared case-insensitively), and a lookup gives up after 512 contexts (`AST_PBX_MAX_STACK`,
//! warning each time it hits the limit). Includes with a time specification are asked whether they are
//! active now ([`IncludeFilter`]; the engine owns the clock).
//!
//! The legacy matcher (`extenpatternmatchnew=no`, the default) walks C's extensions in sorted order and
//! takes the **first matching extension that has the wanted priority**: if the best match lacks it, a less
//! specific matching extension that has it is used. The new matcher ([`super::trie`]) picks the single best
//! extension first and looks only there.
//!
//! Switches are never simulated: each one met is reported back as Asterisk's "No such switch" warning
//! (dialsim loads no switch module), and the search goes on as Asterisk's does when a switch is missing.

use super::context::{Context, Extension, Include, Priority};
use super::dialplan::{Dialplan, Matcher};
use super::pattern::{Mode, Outcome};
use crate::diag::{LogLevel, LogLine};
use std::collections::HashSet;
use std::hash::{Hash, Hasher};

/// A context name compared as Asterisk's include stack compares them (`strcasecmp`).
#[derive(Clone, Copy, Debug)]
struct Caseless<'a>(&'a str);

impl PartialEq for Caseless<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(other.0)
    }
}

impl Eq for Caseless<'_> {}

impl Hash for Caseless<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        for b in self.0.bytes() {
            state.write_u8(b.to_ascii_lowercase());
        }
    }
}

/// `AST_PBX_MAX_STACK` (builds without `LOW_MEMORY`): contexts one lookup may visit.
pub const MAX_STACK: usize = 512;

/// What to look for in the matching extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target<'q> {
    /// A priority number ([`super::PRIORITY_HINT`] for the hint).
    Priority(i32),
    /// A label (`E_FINDLABEL`).
    Label(&'q str),
}

/// A lookup request.
#[derive(Clone, Copy, Debug)]
pub struct Query<'q> {
    pub context: &'q str,
    pub exten: &'q str,
    pub target: Target<'q>,
    /// The caller's number; `None` or empty matches only extensions without a caller-id match, and those
    /// whose caller-id match is empty.
    pub callerid: Option<&'q str>,
    pub mode: Mode,
}

impl<'q> Query<'q> {
    /// An exact-match query for a priority.
    pub fn priority(
        context: &'q str,
        exten: &'q str,
        priority: i32,
        callerid: Option<&'q str>,
    ) -> Self {
        Query {
            context,
            exten,
            target: Target::Priority(priority),
            callerid,
            mode: Mode::Match,
        }
    }
}

/// How far a lookup got (Asterisk's `STATUS_*`, in increasing order).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    NoContext,
    NoExtension,
    NoPriority,
    NoLabel,
    Success,
}

/// A found priority.
#[derive(Clone, Copy, Debug)]
pub struct Found<'a> {
    /// The context it was found in (possibly an included one).
    pub context: &'a Context,
    pub extension: &'a Extension,
    pub priority: &'a Priority,
}

/// The full answer of a lookup.
#[derive(Clone, Debug)]
pub struct Lookup<'a> {
    pub found: Option<Found<'a>>,
    pub status: Status,
    /// Switches met on the way, in order; Asterisk logs `No such switch '%s'` for each.
    pub missing_switches: Vec<&'a str>,
    /// How many times the search hit [`MAX_STACK`].
    pub stack_exceeded: u32,
}

impl Lookup<'_> {
    /// The log lines Asterisk prints during this lookup (switch and stack warnings), in order of kind.
    pub fn log_lines(&self) -> Vec<LogLine> {
        let mut out: Vec<LogLine> = self
            .missing_switches
            .iter()
            .map(|s| LogLine::new(LogLevel::Warning, "pbx.c", format!("No such switch '{s}'")))
            .collect();
        for _ in 0..self.stack_exceeded {
            out.push(LogLine::new(
                LogLevel::Warning,
                "pbx.c",
                format!("Maximum PBX stack ({MAX_STACK}) exceeded. Too many includes?"),
            ));
        }
        out
    }
}

/// Decides whether an include with a time specification is active now. The default says yes.
pub trait IncludeFilter {
    fn active(&self, include: &Include) -> bool;
}

/// Every include is active (no clock).
#[derive(Clone, Copy, Debug, Default)]
pub struct AllIncludesActive;

impl IncludeFilter for AllIncludesActive {
    fn active(&self, _include: &Include) -> bool {
        true
    }
}

impl<F: Fn(&Include) -> bool> IncludeFilter for F {
    fn active(&self, include: &Include) -> bool {
        self(include)
    }
}

impl Dialplan {
    /// `pbx_find_extension` with everything it reports.
    pub fn lookup<'a>(&'a self, q: &Query<'_>, includes: &dyn IncludeFilter) -> Lookup<'a> {
        let mut s = Search::new(self, q, includes, None);
        let found = s.find(q.context);
        s.finish(found)
    }

    /// Asterisk's "bypass" search, used for labels while loading: `ctx` is searched under every name,
    /// including the names of its includes (each include searches `ctx` again until the stack limit).
    pub(crate) fn lookup_in<'a>(&'a self, ctx: &'a Context, q: &Query<'_>) -> Lookup<'a> {
        let mut s = Search::new(self, q, &AllIncludesActive, Some(ctx));
        let found = s.find(q.context);
        s.finish(found)
    }

    /// The priority that runs for `exten@context` (exact match; every include active).
    pub fn find(
        &self,
        context: &str,
        exten: &str,
        priority: i32,
        callerid: Option<&str>,
    ) -> Option<Found<'_>> {
        self.lookup(
            &Query::priority(context, exten, priority, callerid),
            &AllIncludesActive,
        )
        .found
    }

    /// `ast_findlabel_extension`: the priority a label names for `exten@context`.
    pub fn find_label(
        &self,
        context: &str,
        exten: &str,
        label: &str,
        callerid: Option<&str>,
    ) -> Option<Found<'_>> {
        let q = Query {
            context,
            exten,
            target: Target::Label(label),
            callerid,
            mode: Mode::Match,
        };
        self.lookup(&q, &AllIncludesActive).found
    }

    /// `ast_exists_extension`.
    pub fn exists(
        &self,
        context: &str,
        exten: &str,
        priority: i32,
        callerid: Option<&str>,
    ) -> bool {
        self.find(context, exten, priority, callerid).is_some()
    }

    /// `ast_canmatch_extension`: matches now or could with more digits.
    pub fn can_match(
        &self,
        context: &str,
        exten: &str,
        priority: i32,
        callerid: Option<&str>,
    ) -> bool {
        self.mode_lookup(context, exten, priority, callerid, Mode::CanMatch)
    }

    /// `ast_matchmore_extension`: could match only with more digits.
    pub fn match_more(
        &self,
        context: &str,
        exten: &str,
        priority: i32,
        callerid: Option<&str>,
    ) -> bool {
        self.mode_lookup(context, exten, priority, callerid, Mode::MatchMore)
    }

    fn mode_lookup(
        &self,
        context: &str,
        exten: &str,
        priority: i32,
        callerid: Option<&str>,
        mode: Mode,
    ) -> bool {
        let q = Query {
            context,
            exten,
            target: Target::Priority(priority),
            callerid,
            mode,
        };
        self.lookup(&q, &AllIncludesActive).found.is_some()
    }

    /// res_parking's conflict check: does anything answer `exten@context` at `priority` (patterns and
    /// included contexts count; no caller id)?
    pub fn matches_any(&self, context: &str, exten: &str, priority: i32) -> Option<Found<'_>> {
        self.find(context, exten, priority, None)
    }
}

pub(crate) struct Search<'a, 'q, 'f> {
    dp: &'a Dialplan,
    q: &'q Query<'q>,
    filter: &'f dyn IncludeFilter,
    bypass: Option<&'a Context>,
    /// Contexts searched so far (`incstack`); allocated only when a search goes into includes.
    stack: Vec<&'a str>,
    /// The same names in a set once the stack is deep (Asterisk compares with every entry; same answer).
    visited: Option<HashSet<Caseless<'a>, crate::hash::Fx>>,
    status: Status,
    missing_switches: Vec<&'a str>,
    stack_exceeded: u32,
}

impl<'a, 'q, 'f> Search<'a, 'q, 'f> {
    fn new(
        dp: &'a Dialplan,
        q: &'q Query<'q>,
        filter: &'f dyn IncludeFilter,
        bypass: Option<&'a Context>,
    ) -> Self {
        Search {
            dp,
            q,
            filter,
            bypass,
            stack: Vec::new(),
            visited: None,
            status: Status::NoContext,
            missing_switches: Vec::new(),
            stack_exceeded: 0,
        }
    }

    fn finish(self, found: Option<Found<'a>>) -> Lookup<'a> {
        Lookup {
            found,
            status: self.status,
            missing_switches: self.missing_switches,
            stack_exceeded: self.stack_exceeded,
        }
    }

    fn raise(&mut self, s: Status) {
        if self.status < s {
            self.status = s;
        }
    }

    fn find(&mut self, name: &str) -> Option<Found<'a>> {
        if self.stack.len() >= MAX_STACK {
            self.stack_exceeded += 1;
            return None;
        }
        let seen = match &self.visited {
            Some(set) => set.contains(&Caseless(name)),
            None => self.stack.iter().any(|s| s.eq_ignore_ascii_case(name)),
        };
        if seen {
            return None;
        }
        let ctx = match self.bypass {
            Some(c) => c,
            None => self.dp.context(name)?,
        };
        self.raise(Status::NoExtension);
        if let Some(sw) = self.dp.general.overrideswitch.as_deref() {
            let sw_name = sw.split('/').next().unwrap_or_default();
            self.missing_switches.push(sw_name);
        }
        let own = match self.dp.matcher() {
            Matcher::Legacy => self.legacy(ctx),
            Matcher::Trie => super::trie::find(self, ctx),
        };
        match own {
            Own::Found(f) => return Some(f),
            Own::Final => return None,
            Own::NotHere => {}
        }
        for sw in &ctx.switches {
            self.missing_switches.push(&sw.name);
        }
        self.push_visited(ctx.name());
        for inc in ctx.includes() {
            if self.filter.active(inc) {
                if let Some(f) = self.find(inc.context()) {
                    return Some(f);
                }
            }
        }
        None
    }

    fn push_visited(&mut self, name: &'a str) {
        self.stack.push(name);
        match &mut self.visited {
            Some(set) => {
                set.insert(Caseless(name));
            }
            None if self.stack.len() >= 16 => {
                self.visited = Some(self.stack.iter().map(|s| Caseless(s)).collect());
            }
            None => {}
        }
    }

    /// Looks for the wanted priority or label in one matching extension.
    pub(crate) fn take(&mut self, ctx: &'a Context, ext: &'a Extension) -> Option<Found<'a>> {
        self.raise(Status::NoPriority);
        let prio = match self.q.target {
            Target::Priority(n) => ext.priority(n),
            Target::Label(l) => {
                self.raise(Status::NoLabel);
                ext.priority_by_label(l)
            }
        };
        let prio = prio?;
        self.status = Status::Success;
        Some(Found {
            context: ctx,
            extension: ext,
            priority: prio,
        })
    }

    pub(crate) fn query(&self) -> &Query<'q> {
        self.q
    }

    /// The new matcher's partial-match answers count as a success without a priority check.
    pub(crate) fn succeed(&mut self) {
        self.status = Status::Success;
    }

    fn legacy(&mut self, ctx: &'a Context) -> Own<'a> {
        let exts = ctx.extensions();
        let exten = self.q.exten;
        let callerid = self.q.callerid;
        let mode = self.q.mode;
        let (lits, rest): (&'a [Extension], &'a [Extension]) = if mode == Mode::Match {
            // Exact matches among literals are one run of equal names in the sorted list.
            (
                ctx.literal_matches(exten.as_bytes()),
                &exts[ctx.literal_count()..],
            )
        } else {
            (&exts[..0], exts)
        };
        for ext in lits.iter() {
            if ext.callerid().is_some_and(|c| !c.accepts(callerid)) {
                continue;
            }
            if let Some(f) = self.take(ctx, ext) {
                return Own::Found(f);
            }
        }
        for ext in rest.iter() {
            let outcome = ext.pattern().test(exten, mode);
            if outcome == Outcome::No || ext.callerid().is_some_and(|c| !c.accepts(callerid)) {
                continue;
            }
            if outcome == Outcome::Early && mode == Mode::MatchMore {
                // An extension ending in `!` answers "match more" with a final no.
                return Own::Final;
            }
            if let Some(f) = self.take(ctx, ext) {
                return Own::Found(f);
            }
        }
        Own::NotHere
    }
}

/// The result of searching one context's own extensions.
pub(crate) enum Own<'a> {
    Found(Found<'a>),
    /// Stop searching this context and its includes.
    Final,
    /// Go on with switches and includes.
    NotHere,
}

#[cfg(test)]
mod tests {
    use super::super::context::{NewPriority, Replace};
    use super::*;

    fn dp(lines: &[(&str, &str, i32, &str)]) -> Dialplan {
        let mut dp = Dialplan::new();
        for &(ctx, exten, prio, app) in lines {
            dp.find_or_create_context(ctx, "pbx_config");
            dp.add_extension(
                ctx,
                NewPriority {
                    exten,
                    callerid: None,
                    priority: prio,
                    label: None,
                    app,
                    data: "",
                    registrar: "pbx_config",
                    source: None,
                },
                Replace::No,
            )
            .unwrap();
        }
        dp
    }

    fn app(dp: &Dialplan, ctx: &str, exten: &str, prio: i32) -> Option<String> {
        dp.find(ctx, exten, prio, None)
            .map(|f| f.priority.app().to_string())
    }

    #[test]
    fn literal_beats_pattern_and_missing_priority_falls_through() {
        let d = dp(&[
            ("c", "100", 1, "Lit1"),
            ("c", "_1XX", 1, "Pat1"),
            ("c", "_1XX", 2, "Pat2"),
        ]);
        assert_eq!(app(&d, "c", "100", 1).as_deref(), Some("Lit1"));
        assert_eq!(app(&d, "c", "100", 2).as_deref(), Some("Pat2"));
        assert_eq!(app(&d, "c", "101", 1).as_deref(), Some("Pat1"));
        assert_eq!(app(&d, "c", "100", 3), None);
    }

    #[test]
    fn includes_are_searched_depth_first_in_order() {
        let mut d = dp(&[
            ("a", "1", 1, "A"),
            ("b", "2", 1, "B"),
            ("c", "2", 1, "C"),
            ("b2", "3", 1, "B2"),
        ]);
        for (c, i) in [("a", "b"), ("a", "c"), ("b", "b2"), ("b2", "a")] {
            let r = d.intern("pbx_config");
            d.context_mut(c)
                .unwrap()
                .add_include(Include::new(i, r, None))
                .unwrap();
        }
        assert_eq!(app(&d, "a", "2", 1).as_deref(), Some("B"));
        assert_eq!(app(&d, "a", "3", 1).as_deref(), Some("B2"));
        assert_eq!(app(&d, "a", "9", 1), None);
        let inactive = |i: &Include| i.context() != "b";
        let l = d.lookup(&Query::priority("a", "2", 1, None), &inactive);
        assert_eq!(l.found.map(|f| f.priority.app()), Some("C"));
        assert_eq!(l.status, Status::Success);
    }

    #[test]
    fn pattern_in_including_context_beats_literal_in_included_one() {
        let mut d = dp(&[("a", "_X.", 1, "Pat"), ("b", "123", 1, "Lit")]);
        let r = d.intern("pbx_config");
        d.context_mut("a")
            .unwrap()
            .add_include(Include::new("b", r, None))
            .unwrap();
        assert_eq!(app(&d, "a", "123", 1).as_deref(), Some("Pat"));
    }

    #[test]
    fn modes_and_status() {
        let d = dp(&[("c", "_1XX", 1, "P"), ("c", "_2!", 1, "Q")]);
        assert!(d.match_more("c", "1", 1, None));
        assert!(!d.match_more("c", "100", 1, None));
        assert!(d.can_match("c", "10", 1, None));
        assert!(!d.match_more("c", "2", 1, None));
        let l = d.lookup(&Query::priority("c", "100", 5, None), &AllIncludesActive);
        assert_eq!(l.status, Status::NoPriority);
        let l = d.lookup(&Query::priority("c", "300", 1, None), &AllIncludesActive);
        assert_eq!(l.status, Status::NoExtension);
        let l = d.lookup(&Query::priority("x", "300", 1, None), &AllIncludesActive);
        assert_eq!(l.status, Status::NoContext);
    }

    #[test]
    fn include_loops_stop_and_the_stack_limit_warns() {
        let n = MAX_STACK + 5;
        let mut d = Dialplan::new();
        let r = d.intern("pbx_config");
        for i in 0..n {
            d.find_or_create_context(&format!("c{i}"), "pbx_config");
        }
        for i in 0..n {
            let inc = Include::new(&format!("c{}", (i + 1) % n), r.clone(), None);
            d.context_mut(&format!("c{i}"))
                .unwrap()
                .add_include(inc)
                .unwrap();
        }
        let l = d.lookup(&Query::priority("c0", "1", 1, None), &AllIncludesActive);
        assert!(l.found.is_none());
        assert_eq!(l.stack_exceeded, 1);
        assert_eq!(
            l.log_lines()[0].text,
            "Maximum PBX stack (512) exceeded. Too many includes?"
        );
    }
}
