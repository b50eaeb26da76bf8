//! POSIX extended regular expressions as glibc's `regcomp(REG_EXTENDED)`/`regexec` run them for the `:` and
//! `=~` operators.
//!
//! No crate fits: Rust's `regex` is leftmost-first (Perl), while POSIX matching is leftmost-*longest*, and the
//! GNU syntax differs (`\d` is a plain `d`, `\w`/`\b`/`\<` are GNU extensions, `\1` back-references, `{,n}`).
//! So this is a small engine of its own:
//!
//! - the parser follows glibc's grammar and reports glibc's error messages (`Invalid preceding regular
//!   expression`, `Unmatched ( or \(`, …);
//! - the overall match is found with a set-based NFA simulation (leftmost, then longest), linear in the text;
//! - the first group is then reconstructed as glibc's `set_regs` does: knowing which (instruction, position)
//!   pairs can still complete the match, a walk from the start takes at each choice the first viable
//!   alternative in glibc's order (left to right, an empty alternative last, loops greedy), leaves a loop
//!   re-entered without progress, and keeps an optional group's earlier text over an empty iteration;
//! - back-references make that table unusable: such patterns are searched by backtracking within a step
//!   budget.
//!
//! Known divergence: glibc attaches anchors (`^`, `$`, `\b`, …) to the following NFA nodes and ends the
//! group-1 walk at one particular accepting node; with an empty alternative next to a group and an anchor
//! (`()\b|`) it may report no group where dialsim reports an empty one. The overall match is the same.
//!
//! Matching is on characters (Asterisk runs in the C.UTF-8 locale, where `.` is one UTF-8 character); the
//! offsets reported are bytes, as C's are.

/// Where a match may start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Anchor {
    /// `:` — Asterisk accepts only a match that starts at offset 0.
    Start,
    /// `=~` — the leftmost match anywhere.
    Anywhere,
}

/// A successful match: byte offsets of the whole match and of group 1 when it took part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Match {
    pub start: usize,
    pub end: usize,
    pub group1: Option<(usize, usize)>,
}

/// A `regcomp` failure, with glibc's `regerror` text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RegexError {
    BadPattern,
    Collate,
    CharClass,
    Escape,
    BackRef,
    Bracket,
    Paren,
    Brace,
    BadBrace,
    Range,
    Space,
    BadRepeat,
    TooBig,
}

impl RegexError {
    pub(crate) fn message(self) -> &'static str {
        match self {
            RegexError::BadPattern => "Invalid regular expression",
            RegexError::Collate => "Invalid collation character",
            RegexError::CharClass => "Invalid character class name",
            RegexError::Escape => "Trailing backslash",
            RegexError::BackRef => "Invalid back reference",
            RegexError::Bracket => "Unmatched [, [^, [:, [., or [=",
            RegexError::Paren => "Unmatched ( or \\(",
            RegexError::Brace => "Unmatched \\{",
            RegexError::BadBrace => "Invalid content of \\{\\}",
            RegexError::Range => "Invalid range end",
            RegexError::Space => "Memory exhausted",
            RegexError::BadRepeat => "Invalid preceding regular expression",
            RegexError::TooBig => "Regular expression too big",
        }
    }
}

/// glibc's `RE_DUP_MAX`.
const DUP_MAX: u32 = 0x7fff;
/// Parentheses nested deeper than this are refused (glibc recurses without a limit; dialsim keeps its stack).
const MAX_NESTING: usize = 200;
/// Programs larger than this are refused (huge `{m,n}` expansions).
const MAX_PROGRAM: usize = 100_000;
/// Steps allowed to a search with back-references.
const BACKREF_BUDGET: usize = 1_000_000;
/// Largest table (instructions × text positions) for reconstructing group 1.
const MAX_MEMO: usize = 16_000_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Assertion {
    LineStart,
    LineEnd,
    WordBoundary,
    NotWordBoundary,
    WordStart,
    WordEnd,
    BufferStart,
    BufferEnd,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    Alnum,
    Alpha,
    Blank,
    Cntrl,
    Digit,
    Graph,
    Lower,
    Print,
    Punct,
    Space,
    Upper,
    Xdigit,
    Word,
}

impl Class {
    fn from_name(name: &str) -> Option<Class> {
        Some(match name {
            "alnum" => Class::Alnum,
            "alpha" => Class::Alpha,
            "blank" => Class::Blank,
            "cntrl" => Class::Cntrl,
            "digit" => Class::Digit,
            "graph" => Class::Graph,
            "lower" => Class::Lower,
            "print" => Class::Print,
            "punct" => Class::Punct,
            "space" => Class::Space,
            "upper" => Class::Upper,
            "xdigit" => Class::Xdigit,
            _ => return None,
        })
    }

    fn contains(self, c: char) -> bool {
        match self {
            Class::Alnum => c.is_alphanumeric(),
            Class::Alpha => c.is_alphabetic(),
            Class::Blank => c == ' ' || c == '\t',
            Class::Cntrl => c.is_control(),
            Class::Digit => c.is_ascii_digit(),
            Class::Graph => !c.is_control() && !c.is_whitespace(),
            Class::Lower => c.is_lowercase(),
            Class::Print => !c.is_control(),
            Class::Punct => {
                if c.is_ascii() {
                    c.is_ascii_punctuation()
                } else {
                    !c.is_control() && !c.is_whitespace() && !c.is_alphanumeric()
                }
            }
            Class::Space => c.is_whitespace(),
            Class::Upper => c.is_uppercase(),
            Class::Xdigit => c.is_ascii_hexdigit(),
            Class::Word => is_word(c),
        }
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

#[derive(Clone, Debug, Default)]
struct CharSet {
    negated: bool,
    ranges: Vec<(char, char)>,
    classes: Vec<Class>,
}

impl CharSet {
    fn contains(&self, c: char) -> bool {
        let hit = self.ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi)
            || self.classes.iter().any(|cl| cl.contains(c));
        hit != self.negated
    }
}

#[derive(Clone, Debug)]
enum Ast {
    Empty,
    Lit(char),
    Any,
    Set(Box<CharSet>),
    Assert(Assertion),
    Group(usize, Box<Ast>),
    Cat(Vec<Ast>),
    Alt(Vec<Ast>),
    Repeat(Box<Ast>, u32, Option<u32>),
    BackRef(usize),
}

#[derive(Clone, Debug)]
enum Inst {
    Char(char),
    Any,
    Set(Box<CharSet>),
    Assert(Assertion),
    /// Try the first target, then the second.
    Split(usize, usize),
    Jmp(usize),
    /// Records a group boundary: slot `2g` opens group `g`, `2g + 1` closes it; `opt` marks a group that is
    /// itself the operand of an optional repetition (`(…)*`, `(…)?`), which changes how glibc records an
    /// empty iteration.
    Save {
        slot: usize,
        opt: bool,
    },
    BackRef(usize),
    Match,
}

/// A compiled pattern.
#[derive(Clone, Debug)]
pub(crate) struct Regex {
    prog: Vec<Inst>,
    groups: usize,
    has_backrefs: bool,
}

impl Regex {
    pub(crate) fn new(pattern: &str) -> Result<Regex, RegexError> {
        let mut p = Parser {
            chars: pattern.chars().collect(),
            pos: 0,
            groups: 0,
            completed: 0,
            has_backrefs: false,
        };
        let ast = p.parse()?;
        let mut c = Compiler { prog: Vec::new() };
        c.emit_ast(&ast)?;
        c.push(Inst::Match)?;
        Ok(Regex {
            prog: c.prog,
            groups: p.groups,
            has_backrefs: p.has_backrefs,
        })
    }

    /// `re_nsub`: the number of groups.
    pub(crate) fn groups(&self) -> usize {
        self.groups
    }

    pub(crate) fn find(&self, subject: &str, anchor: Anchor) -> Option<Match> {
        // C strings end at the first NUL.
        let subject = subject.split('\0').next().unwrap_or("");
        let text: Vec<char> = subject.chars().collect();
        let mut offsets: Vec<usize> = subject.char_indices().map(|(i, _)| i).collect();
        offsets.push(subject.len());
        let (start, end) = if self.has_backrefs {
            self.longest_backtracking(&text, anchor)?
        } else {
            self.longest(&text, anchor)?
        };
        let group1 = if self.groups == 0 {
            None
        } else {
            self.first_group(&text, start, end)
        };
        Some(Match {
            start: offsets[start],
            end: offsets[end],
            group1: group1.map(|(s, e)| (offsets[s], offsets[e])),
        })
    }

    fn assertion_holds(a: Assertion, text: &[char], pos: usize) -> bool {
        let before = pos
            .checked_sub(1)
            .and_then(|i| text.get(i))
            .is_some_and(|&c| is_word(c));
        let after = text.get(pos).is_some_and(|&c| is_word(c));
        match a {
            Assertion::LineStart | Assertion::BufferStart => pos == 0,
            Assertion::LineEnd | Assertion::BufferEnd => pos == text.len(),
            Assertion::WordBoundary => before != after,
            Assertion::NotWordBoundary => before == after,
            Assertion::WordStart => !before && after,
            Assertion::WordEnd => before && !after,
        }
    }

    fn consumes(inst: &Inst, c: char) -> bool {
        match inst {
            Inst::Char(x) => *x == c,
            Inst::Any => c != '\0',
            Inst::Set(set) => set.contains(c),
            _ => false,
        }
    }

    /// Leftmost-longest overall match by NFA simulation; threads remember where they started, and at equal
    /// instruction the earlier start wins (its future is the same and it is more to the left).
    fn longest(&self, text: &[char], anchor: Anchor) -> Option<(usize, usize)> {
        let n = self.prog.len();
        let mut mark = vec![usize::MAX; n];
        let mut clist: Vec<(usize, usize)> = Vec::new();
        let mut nlist: Vec<(usize, usize)> = Vec::new();
        let mut stack: Vec<usize> = Vec::new();
        let mut best: Option<(usize, usize)> = None;
        // Generation numbers for `mark`: position i uses generation i.
        for i in 0..=text.len() {
            if best.is_none() && (anchor == Anchor::Anywhere || i == 0) {
                self.add_thread(text, i, 0, i, &mut clist, &mut mark, &mut stack);
            }
            if clist.is_empty() {
                if best.is_some() || anchor == Anchor::Start {
                    break;
                }
                continue;
            }
            for &(pc, start) in &clist {
                match &self.prog[pc] {
                    Inst::Match => {
                        let better = match best {
                            None => true,
                            Some((bs, be)) => start < bs || (start == bs && i > be),
                        };
                        if better {
                            best = Some((start, i));
                        }
                    }
                    inst => {
                        if let Some(&c) = text.get(i) {
                            if Self::consumes(inst, c) {
                                self.add_thread(
                                    text,
                                    i + 1,
                                    pc + 1,
                                    start,
                                    &mut nlist,
                                    &mut mark,
                                    &mut stack,
                                );
                            }
                        }
                    }
                }
            }
            if let Some((bs, _)) = best {
                nlist.retain(|&(_, s)| s <= bs);
            }
            std::mem::swap(&mut clist, &mut nlist);
            nlist.clear();
        }
        best
    }

    /// Adds the ε-closure of `pc` at position `pos` to `list`.
    #[allow(clippy::too_many_arguments)]
    fn add_thread(
        &self,
        text: &[char],
        pos: usize,
        pc: usize,
        start: usize,
        list: &mut Vec<(usize, usize)>,
        mark: &mut [usize],
        stack: &mut Vec<usize>,
    ) {
        stack.push(pc);
        while let Some(pc) = stack.pop() {
            if mark[pc] == pos {
                continue;
            }
            mark[pc] = pos;
            match &self.prog[pc] {
                Inst::Jmp(t) => stack.push(*t),
                Inst::Split(a, b) => {
                    stack.push(*b);
                    stack.push(*a);
                }
                Inst::Save { .. } => stack.push(pc + 1),
                Inst::Assert(a) => {
                    if Self::assertion_holds(*a, text, pos) {
                        stack.push(pc + 1);
                    }
                }
                _ => list.push((pc, start)),
            }
        }
    }

    /// Group 1 of the overall match `start..end`, chosen as glibc's `set_regs` chooses it: walking from the
    /// start, at each choice the first alternative (in priority order) from which the match can still be
    /// completed; a loop re-entered at the same position without progress takes its exit; an empty
    /// iteration of an optional group keeps the previous iteration's text.
    fn first_group(&self, text: &[char], start: usize, end: usize) -> Option<(usize, usize)> {
        let n = self.prog.len();
        let width = end - start + 1;
        if self.has_backrefs || n.saturating_mul(width) > MAX_MEMO {
            return self.first_group_backtracking(text, start, end);
        }
        let alive = self.alive(text, start, end);
        let is_alive = |pc: usize, pos: usize| alive[(pos - start) * n + pc];
        let (mut pc, mut pos) = (0usize, start);
        let mut eps_via = vec![false; n];
        let mut touched: Vec<usize> = Vec::new();
        // Group 1 as glibc's registers hold it: start, and end once closed; `prev` is the last non-empty one.
        let mut cur: Option<Group1> = None;
        let mut prev: Option<Group1> = None;
        let mut steps = n.saturating_mul(width).saturating_mul(2) + 16;
        while steps > 0 {
            steps -= 1;
            match &self.prog[pc] {
                Inst::Match => {
                    return match cur {
                        Some((s, Some(e))) if pos == end => Some((s, e)),
                        _ => None,
                    };
                }
                Inst::Split(a, b) => {
                    eps_via[pc] = true;
                    touched.push(pc);
                    let (a, b) = (*a, *b);
                    pc = match (is_alive(a, pos), is_alive(b, pos)) {
                        (true, true) if eps_via[a] => b,
                        (true, _) => a,
                        (false, true) => b,
                        (false, false) => return None,
                    };
                }
                Inst::Jmp(t) => {
                    eps_via[pc] = true;
                    touched.push(pc);
                    pc = *t;
                }
                Inst::Assert(_) => {
                    eps_via[pc] = true;
                    touched.push(pc);
                    pc += 1;
                }
                Inst::Save { slot, opt } => {
                    eps_via[pc] = true;
                    touched.push(pc);
                    match *slot {
                        2 => cur = Some((pos, None)),
                        3 => {
                            if let Some((s, _)) = cur {
                                if s < pos {
                                    cur = Some((s, Some(pos)));
                                    prev = cur;
                                } else if *opt && prev.is_some() {
                                    cur = prev;
                                } else {
                                    cur = Some((s, Some(pos)));
                                }
                            }
                        }
                        _ => {}
                    }
                    pc += 1;
                }
                Inst::BackRef(_) => return None,
                inst => match text.get(pos) {
                    Some(&c) if pos < end && Self::consumes(inst, c) => {
                        pos += 1;
                        pc += 1;
                        for t in touched.drain(..) {
                            eps_via[t] = false;
                        }
                    }
                    _ => return None,
                },
            }
        }
        None
    }

    /// `alive[(pos - start) * n + pc]`: from instruction `pc` at `pos` the match can end exactly at `end`.
    fn alive(&self, text: &[char], start: usize, end: usize) -> Vec<bool> {
        let n = self.prog.len();
        let mut alive = vec![false; (end - start + 1) * n];
        for pos in (start..=end).rev() {
            let row = (pos - start) * n;
            for pc in 0..n {
                alive[row + pc] = match &self.prog[pc] {
                    Inst::Match => pos == end,
                    Inst::Char(_) | Inst::Any | Inst::Set(_) => {
                        pos < end
                            && text
                                .get(pos)
                                .is_some_and(|&c| Self::consumes(&self.prog[pc], c))
                            && alive[row + n + pc + 1]
                    }
                    _ => false,
                };
            }
            // ε-moves within the position, to a fixpoint (loops jump backwards).
            let mut changed = true;
            let mut passes = 0;
            while changed && passes <= n {
                changed = false;
                passes += 1;
                for pc in (0..n).rev() {
                    if alive[row + pc] {
                        continue;
                    }
                    let v = match &self.prog[pc] {
                        Inst::Jmp(t) => alive[row + t],
                        Inst::Split(a, b) => alive[row + a] || alive[row + b],
                        Inst::Save { .. } => alive[row + pc + 1],
                        Inst::Assert(a) => {
                            Self::assertion_holds(*a, text, pos) && alive[row + pc + 1]
                        }
                        _ => false,
                    };
                    if v {
                        alive[row + pc] = true;
                        changed = true;
                    }
                }
            }
        }
        alive
    }

    /// With back-references: the first path in priority order (backtracking, within a budget).
    fn first_group_backtracking(
        &self,
        text: &[char],
        start: usize,
        end: usize,
    ) -> Option<(usize, usize)> {
        let slots = 2 * (self.groups + 1);
        let mut budget = BACKREF_BUDGET;
        let mut stack: Vec<(usize, usize, Vec<Option<usize>>)> =
            vec![(0, start, vec![None; slots])];
        while let Some((mut pc, mut pos, mut caps)) = stack.pop() {
            loop {
                if budget == 0 {
                    return None;
                }
                budget -= 1;
                match &self.prog[pc] {
                    Inst::Match => {
                        if pos == end {
                            return match (caps[2], caps[3]) {
                                (Some(s), Some(e)) => Some((s, e)),
                                _ => None,
                            };
                        }
                        break;
                    }
                    Inst::Jmp(t) => pc = *t,
                    Inst::Split(a, b) => {
                        stack.push((*b, pos, caps.clone()));
                        pc = *a;
                    }
                    Inst::Save { slot, .. } => {
                        caps[*slot] = Some(pos);
                        pc += 1;
                    }
                    Inst::Assert(a) => {
                        if !Self::assertion_holds(*a, text, pos) {
                            break;
                        }
                        pc += 1;
                    }
                    Inst::BackRef(g) => match backref_len(text, &caps, *g, pos) {
                        Some(len) if pos + len <= end => {
                            pos += len;
                            pc += 1;
                        }
                        _ => break,
                    },
                    inst => match text.get(pos) {
                        Some(&c) if pos < end && Self::consumes(inst, c) => {
                            pos += 1;
                            pc += 1;
                        }
                        _ => break,
                    },
                }
            }
        }
        None
    }

    /// Leftmost-longest with back-references: every path is explored, within a budget.
    fn longest_backtracking(&self, text: &[char], anchor: Anchor) -> Option<(usize, usize)> {
        let slots = 2 * (self.groups + 1);
        let mut budget = BACKREF_BUDGET;
        let last_start = if anchor == Anchor::Start {
            0
        } else {
            text.len()
        };
        for start in 0..=last_start {
            let mut best: Option<usize> = None;
            let mut stack: Vec<(usize, usize, Vec<Option<usize>>)> =
                vec![(0, start, vec![None; slots])];
            'paths: while let Some((mut pc, mut pos, mut caps)) = stack.pop() {
                loop {
                    if budget == 0 {
                        break 'paths;
                    }
                    budget -= 1;
                    match &self.prog[pc] {
                        Inst::Match => {
                            best = Some(best.map_or(pos, |b| b.max(pos)));
                            break;
                        }
                        Inst::Jmp(t) => pc = *t,
                        Inst::Split(a, b) => {
                            stack.push((*b, pos, caps.clone()));
                            pc = *a;
                        }
                        Inst::Save { slot, .. } => {
                            caps[*slot] = Some(pos);
                            pc += 1;
                        }
                        Inst::Assert(a) => {
                            if !Self::assertion_holds(*a, text, pos) {
                                break;
                            }
                            pc += 1;
                        }
                        Inst::BackRef(g) => match backref_len(text, &caps, *g, pos) {
                            Some(len) => {
                                pos += len;
                                pc += 1;
                            }
                            None => break,
                        },
                        inst => match text.get(pos) {
                            Some(&c) if Self::consumes(inst, c) => {
                                pos += 1;
                                pc += 1;
                            }
                            _ => break,
                        },
                    }
                }
            }
            if let Some(end) = best {
                return Some((start, end));
            }
            if budget == 0 {
                return None;
            }
        }
        None
    }
}

/// Group 1's start and, once closed, its end.
type Group1 = (usize, Option<usize>);

/// The length of group `g`'s text when it also appears at `pos`; `None` when it does not (or the group did
/// not take part).
fn backref_len(text: &[char], caps: &[Option<usize>], g: usize, pos: usize) -> Option<usize> {
    let (s, e) = (caps.get(2 * g).copied()??, caps.get(2 * g + 1).copied()??);
    if e < s {
        return None;
    }
    let len = e - s;
    if pos + len > text.len() || text[s..e] != text[pos..pos + len] {
        return None;
    }
    Some(len)
}

/// Tokens of the pattern outside brackets (glibc's `peek_token` for `RE_SYNTAX_POSIX_EXTENDED`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PTok {
    End,
    Char(char),
    /// A backslash at the very end.
    Backslash,
    Alt,
    Star,
    Plus,
    Question,
    OpenBrace,
    CloseBrace,
    Open,
    Close,
    OpenBracket,
    Period,
    Anchor(Assertion),
    Class(Class, bool),
    BackRef(usize),
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    groups: usize,
    /// Groups whose closing parenthesis has been read (a back-reference may only name those).
    completed: u32,
    has_backrefs: bool,
}

impl Parser {
    /// Reads the next token, returning it and its length in characters.
    fn peek(&self) -> (PTok, usize) {
        let Some(&c) = self.chars.get(self.pos) else {
            return (PTok::End, 0);
        };
        let tok = match c {
            '\\' => {
                let Some(&n) = self.chars.get(self.pos + 1) else {
                    return (PTok::Backslash, 1);
                };
                let t = match n {
                    '1'..='9' => PTok::BackRef(n as usize - '0' as usize),
                    '<' => PTok::Anchor(Assertion::WordStart),
                    '>' => PTok::Anchor(Assertion::WordEnd),
                    'b' => PTok::Anchor(Assertion::WordBoundary),
                    'B' => PTok::Anchor(Assertion::NotWordBoundary),
                    '`' => PTok::Anchor(Assertion::BufferStart),
                    '\'' => PTok::Anchor(Assertion::BufferEnd),
                    'w' => PTok::Class(Class::Word, false),
                    'W' => PTok::Class(Class::Word, true),
                    's' => PTok::Class(Class::Space, false),
                    'S' => PTok::Class(Class::Space, true),
                    other => PTok::Char(other),
                };
                return (t, 2);
            }
            '|' => PTok::Alt,
            '*' => PTok::Star,
            '+' => PTok::Plus,
            '?' => PTok::Question,
            '{' => PTok::OpenBrace,
            '}' => PTok::CloseBrace,
            '(' => PTok::Open,
            ')' => PTok::Close,
            '[' => PTok::OpenBracket,
            '.' => PTok::Period,
            '^' => PTok::Anchor(Assertion::LineStart),
            '$' => PTok::Anchor(Assertion::LineEnd),
            other => PTok::Char(other),
        };
        (tok, 1)
    }

    fn fetch(&mut self) -> PTok {
        let (t, len) = self.peek();
        self.pos += len;
        t
    }

    fn parse(&mut self) -> Result<Ast, RegexError> {
        let mut tok = self.fetch();
        self.reg_exp(&mut tok, 0)
    }

    /// Alternatives, until the end (or a `)` when nested).
    fn reg_exp(&mut self, tok: &mut PTok, nest: usize) -> Result<Ast, RegexError> {
        let ends_branch =
            |t: PTok| t == PTok::Alt || t == PTok::End || (nest != 0 && t == PTok::Close);
        // A back-reference may only name a group of its own alternative (or one before the alternation).
        let initial = self.completed;
        let first = if ends_branch(*tok) {
            Ast::Empty
        } else {
            self.branch(tok, nest)?
        };
        let mut alts = vec![first];
        while *tok == PTok::Alt {
            *tok = self.fetch();
            let b = if ends_branch(*tok) {
                Ast::Empty
            } else {
                let accumulated = self.completed;
                self.completed = initial;
                let b = self.branch(tok, nest)?;
                self.completed |= accumulated;
                b
            };
            alts.push(b);
        }
        Ok(if alts.len() == 1 {
            alts.pop().unwrap_or(Ast::Empty)
        } else {
            Ast::Alt(alts)
        })
    }

    fn branch(&mut self, tok: &mut PTok, nest: usize) -> Result<Ast, RegexError> {
        let mut items = vec![self.expression(tok, nest)?];
        while *tok != PTok::Alt && *tok != PTok::End && (nest == 0 || *tok != PTok::Close) {
            items.push(self.expression(tok, nest)?);
        }
        Ok(if items.len() == 1 {
            items.pop().unwrap_or(Ast::Empty)
        } else {
            Ast::Cat(items)
        })
    }

    fn expression(&mut self, tok: &mut PTok, nest: usize) -> Result<Ast, RegexError> {
        let atom = match *tok {
            PTok::Char(c) => Ast::Lit(c),
            PTok::Open => {
                if nest >= MAX_NESTING {
                    return Err(RegexError::Space);
                }
                self.groups += 1;
                let index = self.groups;
                *tok = self.fetch();
                let body = if *tok == PTok::Close {
                    Ast::Empty
                } else {
                    let body = self.reg_exp(tok, nest + 1)?;
                    if *tok != PTok::Close {
                        return Err(RegexError::Paren);
                    }
                    body
                };
                if index <= 9 {
                    self.completed |= 1 << index;
                }
                Ast::Group(index, Box::new(body))
            }
            PTok::OpenBracket => Ast::Set(Box::new(self.bracket()?)),
            PTok::BackRef(n) => {
                if self.completed & (1 << n) == 0 {
                    return Err(RegexError::BackRef);
                }
                self.has_backrefs = true;
                Ast::BackRef(n)
            }
            PTok::OpenBrace | PTok::Star | PTok::Plus | PTok::Question => {
                return Err(RegexError::BadRepeat);
            }
            // An unmatched `)` and a `}` are ordinary characters.
            PTok::Close => Ast::Lit(')'),
            PTok::CloseBrace => Ast::Lit('}'),
            PTok::Anchor(a) => {
                // Anchors take no repetition: the next token is parsed afresh (so `^*` is an error).
                *tok = self.fetch();
                return Ok(Ast::Assert(a));
            }
            PTok::Period => Ast::Any,
            PTok::Class(class, negated) => Ast::Set(Box::new(CharSet {
                negated,
                ranges: Vec::new(),
                classes: vec![class],
            })),
            PTok::Alt | PTok::End => return Ok(Ast::Empty),
            PTok::Backslash => return Err(RegexError::Escape),
        };
        *tok = self.fetch();
        let mut tree = atom;
        loop {
            let (min, max) = match *tok {
                PTok::Star => (0, None),
                PTok::Plus => (1, None),
                PTok::Question => (0, Some(1)),
                PTok::OpenBrace => self.interval(tok)?,
                _ => break,
            };
            *tok = self.fetch();
            tree = if max == Some(0) {
                Ast::Empty
            } else {
                Ast::Repeat(Box::new(tree), min, max)
            };
        }
        Ok(tree)
    }

    /// `{m}`, `{m,}`, `{m,n}`, `{,n}`; on return `tok` is the closing `}`.
    fn interval(&mut self, tok: &mut PTok) -> Result<(u32, Option<u32>), RegexError> {
        let (start, ended_by) = self.number();
        let start = match start {
            Number::None if ended_by == PTok::Char(',') => Number::Value(0),
            Number::None => return Err(RegexError::BadBrace),
            other => other,
        };
        let (end, last) = match start {
            Number::Invalid => (Number::Invalid, ended_by),
            Number::Value(v) if ended_by == PTok::CloseBrace => (Number::Value(v), ended_by),
            Number::Value(_) if ended_by == PTok::Char(',') => self.number(),
            _ => (Number::Invalid, ended_by),
        };
        *tok = last;
        let (Number::Value(min), end) = (start, end) else {
            return Err(if last == PTok::End {
                RegexError::Brace
            } else {
                RegexError::BadBrace
            });
        };
        let max = match end {
            Number::Value(v) => Some(v),
            Number::None => None,
            Number::Invalid => {
                return Err(if last == PTok::End {
                    RegexError::Brace
                } else {
                    RegexError::BadBrace
                })
            }
        };
        if max.is_some_and(|m| min > m) || last != PTok::CloseBrace {
            return Err(RegexError::BadBrace);
        }
        if max.unwrap_or(min) > DUP_MAX {
            return Err(RegexError::TooBig);
        }
        Ok((min, max))
    }

    /// glibc's `fetch_number`: digits up to `,` or `}`.
    fn number(&mut self) -> (Number, PTok) {
        let mut num = Number::None;
        loop {
            let t = self.fetch();
            match t {
                PTok::End => return (Number::Invalid, t),
                PTok::CloseBrace | PTok::Char(',') => return (num, t),
                PTok::Char(c @ '0'..='9') => {
                    let d = c as u32 - '0' as u32;
                    num = match num {
                        Number::None => Number::Value(d),
                        Number::Value(v) => Number::Value((v * 10 + d).min(DUP_MAX + 1)),
                        Number::Invalid => Number::Invalid,
                    };
                }
                _ => num = Number::Invalid,
            }
        }
    }

    /// A bracket expression; the opening `[` has been read.
    fn bracket(&mut self) -> Result<CharSet, RegexError> {
        let mut set = CharSet::default();
        let mut tok = self.peek_bracket();
        if tok.0 == BTok::End {
            return Err(RegexError::BadPattern);
        }
        if tok.0 == BTok::Caret {
            set.negated = true;
            self.pos += tok.1;
            tok = self.peek_bracket();
            if tok.0 == BTok::End {
                return Err(RegexError::BadPattern);
            }
        }
        // A `]` first is an ordinary character.
        if tok.0 == BTok::Close {
            tok.0 = BTok::Char(']');
        }
        let mut first_round = true;
        loop {
            let start_elem = self.bracket_element(tok, first_round)?;
            first_round = false;
            tok = self.peek_bracket();
            let mut range_end = None;
            if !matches!(start_elem, Elem::Class(_) | Elem::Equiv(_)) {
                if tok.0 == BTok::End {
                    return Err(RegexError::Bracket);
                }
                if tok.0 == BTok::Hyphen {
                    self.pos += tok.1;
                    let tok2 = self.peek_bracket();
                    if tok2.0 == BTok::End {
                        return Err(RegexError::Bracket);
                    }
                    if tok2.0 == BTok::Close {
                        // A final `-` is an ordinary character.
                        self.pos -= tok.1;
                        tok.0 = BTok::Char('-');
                    } else {
                        range_end = Some(self.bracket_element(tok2, true)?);
                        tok = self.peek_bracket();
                    }
                }
            }
            match range_end {
                Some(end_elem) => {
                    let lo = elem_char(&start_elem)?;
                    let hi = elem_char(&end_elem)?;
                    // glibc's C.UTF-8 has no collation order for other characters.
                    if !lo.is_ascii() || !hi.is_ascii() {
                        return Err(RegexError::Collate);
                    }
                    if lo > hi {
                        return Err(RegexError::Range);
                    }
                    set.ranges.push((lo, hi));
                }
                None => match start_elem {
                    Elem::Char(c) | Elem::Equiv(c) => set.ranges.push((c, c)),
                    Elem::Coll(name) => {
                        let c = single_char(&name).ok_or(RegexError::Collate)?;
                        set.ranges.push((c, c));
                    }
                    Elem::Class(name) => {
                        let class = Class::from_name(&name).ok_or(RegexError::CharClass)?;
                        set.classes.push(class);
                    }
                },
            }
            if tok.0 == BTok::End {
                return Err(RegexError::Bracket);
            }
            if tok.0 == BTok::Close {
                self.pos += tok.1;
                return Ok(set);
            }
        }
    }

    fn peek_bracket(&self) -> (BTok, usize) {
        let Some(&c) = self.chars.get(self.pos) else {
            return (BTok::End, 0);
        };
        if c == '[' {
            return match self.chars.get(self.pos + 1) {
                Some('.') => (BTok::OpenColl, 2),
                Some('=') => (BTok::OpenEquiv, 2),
                Some(':') => (BTok::OpenClass, 2),
                _ => (BTok::Char('['), 1),
            };
        }
        let t = match c {
            '-' => BTok::Hyphen,
            ']' => BTok::Close,
            '^' => BTok::Caret,
            other => BTok::Char(other),
        };
        (t, 1)
    }

    fn bracket_element(
        &mut self,
        tok: (BTok, usize),
        accept_hyphen: bool,
    ) -> Result<Elem, RegexError> {
        self.pos += tok.1;
        match tok.0 {
            BTok::OpenColl | BTok::OpenEquiv | BTok::OpenClass => {
                let delim = match tok.0 {
                    BTok::OpenColl => '.',
                    BTok::OpenEquiv => '=',
                    _ => ':',
                };
                let mut name = String::new();
                loop {
                    if name.chars().count() >= 32 {
                        return Err(RegexError::Bracket);
                    }
                    let Some(&ch) = self.chars.get(self.pos) else {
                        return Err(RegexError::Bracket);
                    };
                    self.pos += 1;
                    if self.pos >= self.chars.len() {
                        return Err(RegexError::Bracket);
                    }
                    if ch == delim && self.chars[self.pos] == ']' {
                        break;
                    }
                    name.push(ch);
                }
                self.pos += 1;
                Ok(match tok.0 {
                    BTok::OpenColl => Elem::Coll(name),
                    BTok::OpenEquiv => Elem::Equiv(single_char(&name).ok_or(RegexError::Collate)?),
                    _ => Elem::Class(name),
                })
            }
            BTok::Hyphen if !accept_hyphen => {
                if self.peek_bracket().0 != BTok::Close {
                    return Err(RegexError::Range);
                }
                Ok(Elem::Char('-'))
            }
            BTok::Hyphen => Ok(Elem::Char('-')),
            BTok::Close => Ok(Elem::Char(']')),
            BTok::Caret => Ok(Elem::Char('^')),
            BTok::Char(c) => Ok(Elem::Char(c)),
            BTok::End => Err(RegexError::Bracket),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Number {
    None,
    Invalid,
    Value(u32),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum BTok {
    End,
    Char(char),
    Hyphen,
    Close,
    Caret,
    OpenColl,
    OpenEquiv,
    OpenClass,
}

#[derive(Clone, Debug)]
enum Elem {
    Char(char),
    Coll(String),
    Equiv(char),
    Class(String),
}

/// A collating element or equivalence class name: one ASCII character (glibc's C.UTF-8 knows no others).
fn single_char(s: &str) -> Option<char> {
    let mut it = s.chars();
    match (it.next(), it.next()) {
        (Some(c), None) if c.is_ascii() => Some(c),
        _ => None,
    }
}

fn elem_char(e: &Elem) -> Result<char, RegexError> {
    match e {
        Elem::Char(c) => Ok(*c),
        Elem::Coll(name) => single_char(name).ok_or(RegexError::Collate),
        Elem::Equiv(_) | Elem::Class(_) => Err(RegexError::Range),
    }
}

struct Compiler {
    prog: Vec<Inst>,
}

impl Compiler {
    fn push(&mut self, inst: Inst) -> Result<usize, RegexError> {
        if self.prog.len() >= MAX_PROGRAM {
            return Err(RegexError::Space);
        }
        self.prog.push(inst);
        Ok(self.prog.len() - 1)
    }

    fn emit_ast(&mut self, ast: &Ast) -> Result<(), RegexError> {
        self.emit(ast, false)
    }

    /// Emits `ast`; `opt` when it is the optional copy of a repeated group.
    fn emit(&mut self, ast: &Ast, opt: bool) -> Result<(), RegexError> {
        match ast {
            Ast::Empty => {}
            Ast::Lit(c) => {
                self.push(Inst::Char(*c))?;
            }
            Ast::Any => {
                self.push(Inst::Any)?;
            }
            Ast::Set(set) => {
                self.push(Inst::Set(set.clone()))?;
            }
            Ast::Assert(a) => {
                self.push(Inst::Assert(*a))?;
            }
            Ast::BackRef(g) => {
                self.push(Inst::BackRef(*g))?;
            }
            Ast::Group(i, body) => {
                self.push(Inst::Save { slot: 2 * i, opt })?;
                self.emit_ast(body)?;
                self.push(Inst::Save {
                    slot: 2 * i + 1,
                    opt,
                })?;
            }
            Ast::Cat(items) => {
                for item in items {
                    self.emit_ast(item)?;
                }
            }
            Ast::Alt(branches) => {
                // glibc tries alternatives in the order of their first NFA node; an empty alternative's first
                // node is the one after the alternation, numbered after every node inside it.
                let mut ordered: Vec<&Ast> = branches
                    .iter()
                    .filter(|b| !matches!(b, Ast::Empty))
                    .collect();
                if ordered.len() < branches.len() {
                    ordered.push(&Ast::Empty);
                }
                let branches = ordered;
                let mut jumps = Vec::new();
                for (k, branch) in branches.iter().enumerate() {
                    if k + 1 < branches.len() {
                        let split = self.push(Inst::Split(0, 0))?;
                        self.emit_ast(branch)?;
                        jumps.push(self.push(Inst::Jmp(0))?);
                        let next = self.prog.len();
                        self.prog[split] = Inst::Split(split + 1, next);
                    } else {
                        self.emit_ast(branch)?;
                    }
                }
                let end = self.prog.len();
                for j in jumps {
                    self.prog[j] = Inst::Jmp(end);
                }
            }
            Ast::Repeat(body, min, max) => {
                for _ in 0..*min {
                    self.emit_ast(body)?;
                }
                let opt_group = matches!(**body, Ast::Group(..));
                match max {
                    None => {
                        let split = self.push(Inst::Split(0, 0))?;
                        self.emit(body, opt_group)?;
                        self.push(Inst::Jmp(split))?;
                        let exit = self.prog.len();
                        self.prog[split] = Inst::Split(split + 1, exit);
                    }
                    Some(max) => {
                        let mut splits = Vec::new();
                        for _ in *min..*max {
                            splits.push(self.push(Inst::Split(0, 0))?);
                            self.emit(body, opt_group)?;
                        }
                        let exit = self.prog.len();
                        for s in splits {
                            self.prog[s] = Inst::Split(s + 1, exit);
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pat: &str, subject: &str) -> String {
        match Regex::new(pat) {
            Err(e) => format!("ERR {}", e.message()),
            Ok(re) => match re.find(subject, Anchor::Anywhere) {
                None => format!("N {}", re.groups()),
                Some(m) => {
                    let (gs, ge) = m.group1.map_or((-1, -1), |(s, e)| (s as i64, e as i64));
                    format!("M {} {} {} {} {}", m.start, m.end, gs, ge, re.groups())
                }
            },
        }
    }

    /// Cases checked against glibc's regcomp/regexec (REG_EXTENDED, C.UTF-8).
    #[test]
    fn agrees_with_glibc() {
        let cases = [
            ("(a|ab)(c|bcd)(d*)", "abcd", "M 0 4 0 1 3"),
            ("(a*)*", "aa", "M 0 2 0 2 1"),
            ("(a|b)*", "ab", "M 0 2 1 2 1"),
            ("*a", "x", "ERR Invalid preceding regular expression"),
            ("a**", "aaa", "M 0 3 -1 -1 0"),
            ("{", "x", "ERR Invalid preceding regular expression"),
            ("a{", "x", "ERR Unmatched \\{"),
            ("a{1", "x", "ERR Unmatched \\{"),
            ("a{1,2}", "aaa", "M 0 2 -1 -1 0"),
            ("a{,2}", "aaa", "M 0 2 -1 -1 0"),
            ("()", "x", "M 0 0 0 0 1"),
            ("a|", "x", "M 0 0 -1 -1 0"),
            ("\\d", "d", "M 0 1 -1 -1 0"),
            ("\\w+", "ab c", "M 0 2 -1 -1 0"),
            ("[[:alpha:]]+", "abc1", "M 0 3 -1 -1 0"),
            ("(", "x", "ERR Unmatched ( or \\("),
            (")", ")", "M 0 1 -1 -1 0"),
            ("[", "x", "ERR Invalid regular expression"),
            ("[b-a]", "x", "ERR Invalid range end"),
            ("\\", "x", "ERR Trailing backslash"),
            ("(a)\\1", "aa", "M 0 2 0 1 1"),
            (".", "é", "M 0 2 -1 -1 0"),
            ("^*", "x", "ERR Invalid preceding regular expression"),
            ("$", "x", "M 1 1 -1 -1 0"),
            ("x{0}", "x", "M 0 0 -1 -1 0"),
            ("(a*)+", "b", "M 0 0 0 0 1"),
            ("(a|ab)*c", "ababc", "M 0 5 2 4 1"),
        ];
        for (pat, subject, want) in cases {
            assert_eq!(m(pat, subject), want, "pattern {pat:?} on {subject:?}");
        }
    }
}

/// A POSIX extended regular expression for other layers (the manager's `Hangup` with `Channel: /regex/`):
/// `regcomp(REG_EXTENDED | REG_NOSUB)` and `regexec` anywhere in the subject.
#[derive(Clone, Debug)]
pub struct PosixRegex(Regex);

impl PosixRegex {
    /// `None` when glibc's `regcomp` would refuse the pattern.
    pub fn new(pattern: &str) -> Option<PosixRegex> {
        Regex::new(pattern).ok().map(PosixRegex)
    }

    /// Whether the pattern matches somewhere in `subject`.
    pub fn is_match(&self, subject: &str) -> bool {
        self.0.find(subject, Anchor::Anywhere).is_some()
    }
}
