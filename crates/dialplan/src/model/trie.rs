//! The new extension matcher (`extenpatternmatchnew=yes`): Asterisk's pattern trie (`main/pbx.c`:
//! `add_exten_to_pattern_tree`, `get_pattern_node`, `insert_in_next_chars_alt_char_list`,
//! `new_find_extension`, `trie_find_next_match`).
//!
//! Every extension of a context (with `/cid` appended when it has a caller-id match) becomes a path of
//! nodes, one per character or character set; siblings are kept sorted by specificity (a literal
//! character 1, a set `count << 8 | first`, `N` 0x832, `Z` 0x931, `X` 0xa30, `.` 0x18000, `!` 0x28000),
//! ties in insertion order. A search takes the first path that matches completely, so it picks one
//! extension and only then looks for the wanted priority in it — no fall-through to a less specific
//! extension as the legacy matcher has.
//!
//! The trie is built from the context's hash-table traversal order, as Asterisk builds it on the first
//! lookup. dialsim rebuilds it after any change to the context, where Asterisk appends later additions to
//! the existing trie; the two differ only in the order of equally specific siblings.
//!
//! Quirks reproduced on purpose: sets whose smallest member is `N`, `X` or `Z` never match; a literal
//! extension with a caller-id match is never found; an empty set is skipped (the legacy matcher treats a
//! trailing one differently).

use super::context::{Context, Extension};
use super::lookup::{Found, Own, Search, Target};
use super::pattern::{at, Mode};

#[derive(Clone, Debug)]
struct Node {
    x: Box<[u8]>,
    is_pattern: bool,
    specificity: i32,
    alt: Option<u32>,
    next: Option<u32>,
    /// Index of the extension in the context's list.
    exten: Option<u32>,
}

/// A context's pattern trie.
#[derive(Clone, Debug, Default)]
pub struct Trie {
    nodes: Vec<Node>,
    root: Option<u32>,
}

/// Which list a node is inserted into.
#[derive(Clone, Copy)]
enum Slot {
    Root,
    Next(u32),
}

impl Trie {
    pub(crate) fn build(ctx: &Context) -> Trie {
        let mut t = Trie::default();
        let mut order: Vec<(u32, usize)> = ctx
            .extensions()
            .iter()
            .enumerate()
            .map(|(i, e)| (e.table_seq(), i))
            .collect();
        order.sort_by_key(|o| std::cmp::Reverse(o.0));
        for (_, i) in order {
            t.add(&ctx.extensions()[i], i as u32);
        }
        t
    }

    /// The nodes of extension `idx` of `ctx`, root first; `None` when the trie does not lead to it (an
    /// alias whose last node names another extension).
    fn path(&self, ctx: &Context, idx: usize) -> Option<Vec<u32>> {
        let ext = ctx.extensions().get(idx)?;
        let mut buf: Vec<u8> = ext.pattern().key().as_bytes().to_vec();
        if let Some(cid) = ext.callerid() {
            buf.push(b'/');
            buf.extend_from_slice(cid.text().as_bytes());
        }
        let (is_pattern, mut pos) = if at(&buf, 0) == b'_' {
            (true, 1usize)
        } else {
            (false, 0usize)
        };
        let mut list = self.root;
        let mut out = Vec::new();
        loop {
            let cur = get_pattern_node(&buf, &mut pos, is_pattern);
            if cur.buf.is_empty() {
                break;
            }
            let n = self.already_in_tree(list, &cur.buf, is_pattern)?;
            out.push(n);
            list = self.nodes[n as usize].next;
        }
        let last = *out.last()?;
        (self.nodes[last as usize].exten == Some(idx as u32)).then_some(out)
    }

    /// Whether a search meets extension `a`'s path before extension `b`'s: at the first node where the
    /// two paths part, `a`'s comes earlier among the siblings (more specific, or equally specific and
    /// inserted first). `None` when they do not part (one path is the start of the other) or either is not
    /// in the trie.
    fn path_before(&self, ctx: &Context, a: usize, b: usize) -> Option<bool> {
        let pa = self.path(ctx, a)?;
        let pb = self.path(ctx, b)?;
        let i = pa.iter().zip(&pb).position(|(x, y)| x != y)?;
        let mut cur = if i == 0 {
            self.root
        } else {
            self.nodes[pa[i - 1] as usize].next
        };
        while let Some(c) = cur {
            if c == pa[i] {
                return Some(true);
            }
            if c == pb[i] {
                return Some(false);
            }
            cur = self.nodes[c as usize].alt;
        }
        None
    }

    fn head(&self, slot: Slot) -> Option<u32> {
        match slot {
            Slot::Root => self.root,
            Slot::Next(n) => self.nodes[n as usize].next,
        }
    }

    fn set_head(&mut self, slot: Slot, v: Option<u32>) {
        match slot {
            Slot::Root => self.root = v,
            Slot::Next(n) => self.nodes[n as usize].next = v,
        }
    }

    fn already_in_tree(&self, list: Option<u32>, pat: &[u8], is_pattern: bool) -> Option<u32> {
        let mut cur = list;
        while let Some(i) = cur {
            let n = &self.nodes[i as usize];
            if n.is_pattern == is_pattern && *n.x == *pat {
                return Some(i);
            }
            cur = n.alt;
        }
        None
    }

    /// Inserts before the first sibling that is strictly more specific.
    fn insert_sorted(&mut self, slot: Slot, node: u32) {
        let spec = self.nodes[node as usize].specificity;
        let Some(head) = self.head(slot) else {
            self.set_head(slot, Some(node));
            return;
        };
        if self.nodes[head as usize].specificity > spec {
            self.nodes[node as usize].alt = Some(head);
            self.set_head(slot, Some(node));
            return;
        }
        let mut prev = head;
        let mut cur = self.nodes[head as usize].alt;
        while let Some(c) = cur {
            if self.nodes[c as usize].specificity > spec {
                self.nodes[node as usize].alt = Some(c);
                self.nodes[prev as usize].alt = Some(node);
                return;
            }
            prev = c;
            cur = self.nodes[c as usize].alt;
        }
        self.nodes[prev as usize].alt = Some(node);
    }

    fn new_node(&mut self, pn: &PatNode, is_pattern: bool) -> u32 {
        let specificity = if pn.specif == 1 && is_pattern {
            match pn.buf[0] {
                b'N' => 0x0832,
                b'Z' => 0x0931,
                b'X' => 0x0a30,
                b'.' => 0x18000,
                b'!' => 0x28000,
                _ => pn.specif,
            }
        } else {
            pn.specif
        };
        self.nodes.push(Node {
            x: pn.buf.clone().into_boxed_slice(),
            is_pattern,
            specificity,
            alt: None,
            next: None,
            exten: None,
        });
        (self.nodes.len() - 1) as u32
    }

    fn add(&mut self, ext: &Extension, idx: u32) {
        let mut buf: Vec<u8> = ext.pattern().key().as_bytes().to_vec();
        if let Some(cid) = ext.callerid() {
            buf.push(b'/');
            buf.extend_from_slice(cid.text().as_bytes());
        }
        let (is_pattern, mut pos) = if at(&buf, 0) == b'_' {
            (true, 1usize)
        } else {
            (false, 0usize)
        };
        let mut m1: Option<u32> = self.root;
        let mut m0 = Slot::Root;
        let mut already = true;
        let mut cur = get_pattern_node(&buf, &mut pos, is_pattern);
        while !cur.buf.is_empty() {
            let next = get_pattern_node(&buf, &mut pos, is_pattern);
            let m2 = if already {
                self.already_in_tree(m1, &cur.buf, is_pattern)
            } else {
                None
            };
            match m2 {
                Some(m2) if self.nodes[m2 as usize].next.is_some() => {
                    if next.buf.is_empty() {
                        self.nodes[m2 as usize].exten = Some(idx);
                    }
                    m1 = self.nodes[m2 as usize].next;
                    m0 = Slot::Next(m2);
                }
                _ => {
                    let node = match m2 {
                        Some(m2) => m2,
                        None => {
                            let n = self.new_node(&cur, is_pattern);
                            let slot = if self.root.is_none() {
                                Slot::Root
                            } else if already {
                                m0
                            } else {
                                // `m1` is the node added for the previous character.
                                match m1 {
                                    Some(p) => Slot::Next(p),
                                    None => Slot::Root,
                                }
                            };
                            self.insert_sorted(slot, n);
                            m0 = Slot::Next(n);
                            n
                        }
                    };
                    m1 = Some(node);
                    if next.buf.is_empty() {
                        self.nodes[node as usize].exten = Some(idx);
                    }
                    already = false;
                }
            }
            cur = next;
        }
    }
}

/// One node's characters and specificity (`struct pattern_node`).
struct PatNode {
    specif: i32,
    buf: Vec<u8>,
}

/// `get_pattern_node`: the next node of `src` from `*pos`.
fn get_pattern_node(src: &[u8], pos: &mut usize, pattern: bool) -> PatNode {
    let mut node = PatNode {
        specif: 0,
        buf: Vec::new(),
    };
    loop {
        let c = at(src, *pos);
        if c == 0 {
            return node;
        }
        if c == b'[' && pattern {
            *pos += 1;
            let mut set: Vec<u8> = Vec::new();
            loop {
                let c = at(src, *pos);
                if c == b'\\' {
                    *pos += 1;
                    let e = at(src, *pos);
                    if matches!(e, b'[' | b'\\' | b'-' | b']') {
                        set.push(e);
                        *pos += 1;
                    }
                } else if c == b'-' {
                    let first = if *pos > 0 { src[*pos - 1] } else { 0 };
                    let mut next = *pos + 1;
                    let mut last = at(src, next);
                    if last == b'\\' {
                        next += 1;
                        last = at(src, next);
                    }
                    if !set.is_empty() && last != 0 {
                        let mut ch = first as u16 + 1;
                        while ch <= last as u16 {
                            set.push(ch as u8);
                            ch += 1;
                        }
                        *pos = next + 1;
                    } else {
                        set.push(b'-');
                        *pos += 1;
                    }
                } else if c == 0 {
                    break;
                } else if c == b']' {
                    *pos += 1;
                    break;
                } else {
                    set.push(c);
                    *pos += 1;
                }
            }
            if set.len() > 255 || set.is_empty() {
                // Asterisk ignores an oversized or empty set and reads on.
                continue;
            }
            set.sort_unstable();
            set.dedup();
            node.specif = ((set.len() as i32) << 8) | set[0] as i32;
            node.buf = set;
            return node;
        } else if c == b'-' {
            *pos += 1;
        } else {
            let ch = if c == b'\\' {
                *pos += 1;
                let e = at(src, *pos);
                if e == 0 {
                    return node;
                }
                e
            } else if pattern {
                match c {
                    b'n' => b'N',
                    b'x' => b'X',
                    b'z' => b'Z',
                    other => other,
                }
            } else {
                c
            };
            node.buf = vec![ch];
            node.specif = 1;
            *pos += 1;
            return node;
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Action<'q> {
    Match,
    CanMatch,
    MatchMore,
    FindLabel(&'q str),
}

impl Action<'_> {
    fn exact(self) -> bool {
        matches!(self, Action::Match | Action::FindLabel(_))
    }
    fn partial(self) -> bool {
        matches!(self, Action::CanMatch | Action::MatchMore)
    }
}

#[derive(Default)]
struct Score {
    last_char: u8,
    canmatch: bool,
    node: Option<u32>,
    canmatch_exten: Option<u32>,
    exten: Option<u32>,
}

struct Walk<'a, 'q> {
    trie: &'a Trie,
    ctx: &'a Context,
    callerid: &'q [u8],
    action: Action<'q>,
    score: Score,
}

/// `candidate_exten_advance`: past the current character and any `-` after it.
fn advance(s: &[u8]) -> &[u8] {
    if s.is_empty() {
        return s;
    }
    let mut i = 1;
    while at(s, i) == b'-' {
        i += 1;
    }
    &s[i.min(s.len())..]
}

fn more(s: &[u8]) -> bool {
    at(advance(s), 0) != 0
}

/// `strchr(x, c)`, which also "finds" the terminating NUL.
fn has(x: &[u8], c: u8) -> bool {
    c == 0 || x.contains(&c)
}

impl Walk<'_, '_> {
    fn node(&self, i: u32) -> &Node {
        &self.trie.nodes[i as usize]
    }

    fn update(&mut self, exten: Option<u32>, last: u8, node: u32) {
        self.score.exten = exten;
        self.score.last_char = last;
        self.score.node = Some(node);
    }

    fn has_label(&self, label: &str) -> bool {
        self.score
            .exten
            .and_then(|e| self.ctx.extensions().get(e as usize))
            .is_some_and(|e| e.priority_by_label(label).is_some())
    }

    fn canmatch_exten(&self, from: u32) -> Option<u32> {
        let mut cur = Some(from);
        while let Some(n) = cur {
            if let Some(e) = self.node(n).exten {
                return Some(e);
            }
            cur = self.node(n).next;
        }
        None
    }

    /// `NEW_MATCHER_CHK_MATCH`; true when the search is over.
    fn check_match(&mut self, p: u32, s: &[u8]) -> bool {
        let Some(e) = self.node(p).exten else {
            return false;
        };
        if more(s) || !self.action.exact() {
            return false;
        }
        self.update(Some(e), 0, p);
        match self.action {
            Action::FindLabel(l) => self.has_label(l),
            _ => true,
        }
    }

    /// `NEW_MATCHER_RECURSE`; true when the search is over.
    fn recurse(&mut self, p: u32, s: &[u8]) -> bool {
        let next = self.node(p).next;
        let next_is = |w: &Self, want: &[u8]| next.is_some_and(|n| *w.node(n).x == *want);
        let next_bang = next.is_some_and(|n| at(&self.node(n).x, 0) == b'!');
        if next.is_some() && (more(s) || next_is(self, b"/") || next_bang) {
            if more(s) || next_bang {
                self.find(advance(s), next);
                if self.score.exten.is_some() {
                    return true;
                }
            } else {
                self.find(b"/", next);
                if self.score.exten.is_some() || (self.action.partial() && self.score.canmatch) {
                    return true;
                }
            }
        } else if (next.is_some() || self.action == Action::CanMatch) && !more(s) {
            self.score.canmatch = true;
            self.score.canmatch_exten = self.canmatch_exten(p);
            if self.action.partial() {
                return true;
            }
        }
        false
    }

    fn chk_and_recurse(&mut self, p: u32, s: &[u8]) -> bool {
        self.check_match(p, s) || self.recurse(p, s)
    }

    fn over_after_slash(&self) -> bool {
        self.score.exten.is_some() || (self.action.partial() && self.score.canmatch)
    }

    /// `new_find_extension`.
    fn find(&mut self, s: &[u8], tree: Option<u32>) {
        let mut cur = tree;
        let c = at(s, 0);
        while let Some(p) = cur {
            let (is_pattern, x0, x1) = {
                let n = self.node(p);
                (n.is_pattern, at(&n.x, 0), at(&n.x, 1))
            };
            let done = if is_pattern {
                match x0 {
                    b'N' => x1 == 0 && (b'2'..=b'9').contains(&c) && self.chk_and_recurse(p, s),
                    b'Z' => x1 == 0 && (b'1'..=b'9').contains(&c) && self.chk_and_recurse(p, s),
                    b'X' => x1 == 0 && c.is_ascii_digit() && self.chk_and_recurse(p, s),
                    b'.' | b'!' if x1 == 0 => self.wildcard(p, s, x0),
                    b'/' if x1 == 0 => {
                        let next = self.node(p).next;
                        if next.is_some() && !self.callerid.is_empty() {
                            let cid = self.callerid;
                            self.find(cid, next);
                            self.over_after_slash()
                        } else {
                            false
                        }
                    }
                    _ => has(&self.node(p).x, c) && self.chk_and_recurse(p, s),
                }
            } else {
                has(&self.node(p).x, c) && self.chk_and_recurse(p, s)
            };
            if done {
                return;
            }
            cur = self.node(p).alt;
        }
    }

    /// The `.` and `!` nodes.
    fn wildcard(&mut self, p: u32, s: &[u8], which: u8) -> bool {
        let rest = s
            .iter()
            .position(|&b| b == 0 || b == b'/')
            .unwrap_or(s.len());
        let ends_at_slash = at(s, rest) == b'/';
        if let Some(e) = self.node(p).exten {
            if !ends_at_slash {
                self.update(Some(e), which, p);
                return true;
            }
        }
        let next = self.node(p).next;
        if next.is_some_and(|n| *self.node(n).x == *b"/") {
            self.find(b"/", next);
            if self.over_after_slash() {
                return true;
            }
        }
        false
    }

    /// `trie_find_next_match`.
    fn next_match(&self, node: Option<u32>) -> Option<u32> {
        let n = node?;
        let x = &self.node(n).x;
        if **x == *b"." || **x == *b"!" {
            return self.node(n).exten;
        }
        let m3 = self.node(n).next?;
        if let Some(e) = self.node(m3).exten {
            return Some(e);
        }
        let mut m4 = self.node(m3).alt;
        while let Some(m) = m4 {
            if let Some(e) = self.node(m).exten {
                return Some(e);
            }
            m4 = self.node(m).alt;
        }
        self.next_match(Some(m3))
    }
}

/// The new matcher's search of one context's own extensions.
/// For `dialsim check`: whether the new matcher's search of `ctx` meets extension `a` (an index into
/// `ctx.extensions()`) before extension `b` wherever their trie paths part; see [`Trie`]'s ordering.
pub fn searched_before(ctx: &Context, a: usize, b: usize) -> Option<bool> {
    ctx.trie().path_before(ctx, a, b)
}

pub(crate) fn find<'a>(s: &mut Search<'a, '_, '_>, ctx: &'a Context) -> Own<'a> {
    let q = *s.query();
    let action = match (q.target, q.mode) {
        (Target::Label(l), _) => Action::FindLabel(l),
        (Target::Priority(_), Mode::Match) => Action::Match,
        (Target::Priority(_), Mode::CanMatch) => Action::CanMatch,
        (Target::Priority(_), Mode::MatchMore) => Action::MatchMore,
    };
    let trie = ctx.trie();
    let mut w = Walk {
        trie,
        ctx,
        callerid: q.callerid.unwrap_or("").as_bytes(),
        action,
        score: Score::default(),
    };
    let exten = q.exten.as_bytes();
    w.find(exten, trie.root);
    let ext_at = |i: u32| ctx.extensions().get(i as usize);
    // The partial-match answers return an extension without looking for the priority.
    let head = |ext: &'a Extension| {
        ext.priorities().first().map(|p| Found {
            context: ctx,
            extension: ext,
            priority: p,
        })
    };
    if w.score.last_char == b'!' && action == Action::MatchMore {
        return Own::Final;
    }
    let eroot = w.score.exten;
    if eroot.is_none() && action.partial() {
        if let Some(found) = w.score.canmatch_exten.and_then(ext_at).and_then(head) {
            s.succeed();
            return Own::Found(found);
        }
    }
    if action.partial() {
        if eroot.is_some() {
            if let Some(node) = w.score.node {
                let z = w.next_match(Some(node)).or(w.score.canmatch_exten);
                return match z.and_then(ext_at).and_then(head) {
                    Some(f) => Own::Found(f),
                    None => Own::Final,
                };
            }
            return Own::Final;
        }
        return Own::NotHere;
    }
    if let Some(ext) = eroot.and_then(ext_at) {
        if let Some(f) = s.take(ctx, ext) {
            return Own::Found(f);
        }
    }
    Own::NotHere
}

#[cfg(test)]
mod tests {
    use super::super::context::{NewPriority, Replace};
    use super::super::dialplan::Dialplan;

    fn dp(lines: &[(&str, i32, &str)]) -> Dialplan {
        let mut dp = Dialplan::new();
        dp.general.extenpatternmatchnew = true;
        dp.find_or_create_context("c", "pbx_config");
        for &(exten, prio, app) in lines {
            dp.add_extension(
                "c",
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

    fn app(d: &Dialplan, exten: &str, prio: i32) -> Option<String> {
        d.find("c", exten, prio, None)
            .map(|f| f.priority.app().to_string())
    }

    #[test]
    fn best_extension_only_no_fall_through() {
        let d = dp(&[("_1XX", 1, "Pat1"), ("_1XX", 2, "Pat2"), ("100", 1, "Lit1")]);
        assert_eq!(app(&d, "100", 1).as_deref(), Some("Lit1"));
        assert_eq!(app(&d, "100", 2), None);
        assert_eq!(app(&d, "101", 2).as_deref(), Some("Pat2"));
    }

    #[test]
    fn equally_specific_first_characters_tie_by_insertion() {
        // A literal `1` and a pattern's `1` are equally specific; the trie is built newest first, so the
        // pattern added after the literal is tried first.
        let d = dp(&[("100", 1, "Lit1"), ("_1XX", 1, "Pat1")]);
        assert_eq!(app(&d, "100", 1).as_deref(), Some("Pat1"));
    }

    #[test]
    fn specificity_orders_siblings() {
        let d = dp(&[
            ("_X.", 1, "Dot"),
            ("_NXX", 1, "N"),
            ("_1XX", 1, "One"),
            ("_2!", 1, "Bang"),
        ]);
        assert_eq!(app(&d, "123", 1).as_deref(), Some("One"));
        assert_eq!(app(&d, "523", 1).as_deref(), Some("N"));
        assert_eq!(app(&d, "5234", 1).as_deref(), Some("Dot"));
        assert_eq!(app(&d, "2", 1).as_deref(), Some("Bang"));
        assert!(d.match_more("c", "1", 1, None));
    }

    #[test]
    fn sets_are_exploded() {
        let d = dp(&[("_[2-4]X", 1, "Set")]);
        assert_eq!(app(&d, "31", 1).as_deref(), Some("Set"));
        assert_eq!(app(&d, "51", 1), None);
    }
}
