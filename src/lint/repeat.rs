//! Priorities that repeat an earlier one: the same application name and the same data, as written.
//!
//! A dialplan repeats a few texts over and over (`Hangup()`, `NoOp(…${EXTEN}…)`, `Set(COUNT=…)`: in the
//! 10 MB workload 170,000 priorities that are not `Dial`s or `Goto`s carry fewer than a hundred distinct
//! texts). Every per-priority check that the walk runs on such a text either reports something or
//! depends only on the text: the language, argument and option checks, and what the variable check
//! notes (the names assigned, the names read), the jumps read from it (`GotoIf` branches, `ExecIf(…?Goto(…))`,
//! hangup handlers: their targets are parts of the data). So when the first priority with a text reported
//! nothing, a later one with the same text needs none of those checks run again: the variable check's
//! count of reads grows ([`super::vars::VarScan::reread`]) and the first one's jumps are added again for
//! it ([`super::jumplist::Jumps::repeat`]).
//!
//! The walk looks a priority's text up before it classifies the application, so a repeat costs one
//! look-up. The applications whose checks depend on more than the text (a `Gosub` without a context
//! enters the priority's own, a `Return` and a `Dial` are collected one by one) are never noted here
//! ([`AppKind::per_text`]), nor are `Goto`s; this also keeps their mostly distinct texts out of the table.

use super::apps::AppKind;
use super::bytes::load;
use super::features::Grant;
use super::name::Name;
use dialplan::hash::mix;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};

/// The texts met so far (of applications whose checks depend only on the text).
#[derive(Default)]
pub(super) struct Seen<'a> {
    texts: HashMap<Key<'a>, Text, BuildHasherDefault<KeyHasher>>,
    /// The `Dial`s met so far, by their arguments after the first ([`dial_tail`]): what their options
    /// grant, when the first `Dial` with them reported nothing and jumped nowhere (`None` otherwise).
    dials: HashMap<Key<'a>, Option<Grant>, BuildHasherDefault<KeyHasher>>,
    /// The reads of every quiet text, one after another (see [`Text::reads`]).
    reads: Vec<u32>,
}

/// What the first priority with a text did.
#[derive(Clone, Copy)]
struct Text {
    /// Whether it reported nothing (then a repeat needs no check).
    quiet: bool,
    /// Whether it never goes on to the next priority (`Hangup`, a `GotoIf` with both branches).
    stops: bool,
    /// Its reads ([`super::vars::VarScan::recent`]): `len` entries from `start` in [`Seen::reads`].
    start: u32,
    len: u32,
    /// The jumps it added to the walk's list: `jumps` entries from index `first`.
    first: u32,
    jumps: u32,
}

/// What a priority repeating a quiet text does again (see [`Seen::quiet`]).
pub(super) struct Repeat<'s> {
    /// Its reads, for [`super::vars::VarScan::reread`].
    pub reads: &'s [u32],
    /// The jumps of the first priority with the text, to add again for this one: `count` from `first`.
    pub first: usize,
    pub count: usize,
    /// Whether it never goes on to the next priority.
    pub stops: bool,
}

/// What the first priority with a text did, for [`Seen::note`].
pub(super) struct First<'r> {
    /// Whether it reported nothing.
    pub quiet: bool,
    pub stops: bool,
    pub reads: &'r [u32],
    /// The jumps it added: `count` from `first` in the walk's list.
    pub first: usize,
    pub count: usize,
}

impl<'a> Seen<'a> {
    /// What a priority with the quiet text `app(data)` did before; `None` when the priority must be
    /// checked (a new text, or one that was not quiet).
    #[inline]
    pub(super) fn quiet(&self, app: &'a str, data: &'a str) -> Option<Repeat<'_>> {
        let t = self.texts.get(&Key::new(app, data))?;
        if !t.quiet {
            return None;
        }
        Some(Repeat {
            reads: self
                .reads
                .get(t.start as usize..t.start as usize + t.len as usize)?,
            first: t.first as usize,
            count: t.jumps as usize,
            stops: t.stops,
        })
    }

    /// Notes what the first priority with the text `app(data)` did (a text already noted stays as it was).
    pub(super) fn note(&mut self, app: &'a str, data: &'a str, first: First<'_>) {
        let Self {
            texts, reads: all, ..
        } = self;
        texts.entry(Key::new(app, data)).or_insert_with(|| {
            let start = all.len() as u32;
            let quiet = first.quiet && u32::try_from(first.first).is_ok();
            if quiet {
                all.extend_from_slice(first.reads);
            }
            Text {
                quiet,
                stops: first.stops,
                start,
                len: if quiet { first.reads.len() as u32 } else { 0 },
                first: first.first as u32,
                jumps: first.count as u32,
            }
        });
    }

    /// What the options of an earlier quiet `Dial` (named `app` as written) with the arguments `rest`
    /// after its targets granted; `None` when this `Dial` must be checked.
    #[inline]
    pub(super) fn dial_again(&self, app: &'a str, rest: &'a str) -> Option<Grant> {
        self.dials.get(&Key::new(app, rest)).copied().flatten()
    }

    /// Notes what the first `Dial` with the arguments `rest` after its targets did: whether it was
    /// `quiet` (reported nothing, jumped nowhere) and what it granted.
    pub(super) fn note_dial(&mut self, app: &'a str, rest: &'a str, quiet: bool, grant: Grant) {
        self.dials
            .entry(Key::new(app, rest))
            .or_insert(quiet.then_some(grant));
    }
}

/// A `Dial`'s data cut after its first argument, the targets, when everything but the target check
/// depends only on the rest: no `$` or `=` anywhere (nothing for the language and variable checks), no
/// quote or backslash (the arguments are plain slices), and no bracket in the targets (the first `,`
/// ends them). The rest keeps its `,` (`Dial(a)` and `Dial(a,)` differ in their argument count).
#[inline]
pub(super) fn dial_tail(data: &str) -> Option<(&str, &str)> {
    let b = data.as_bytes();
    if b.is_empty() {
        return None;
    }
    let mut comma = None;
    for (i, &c) in b.iter().enumerate() {
        if !DIAL_BYTES[usize::from(c)] {
            continue;
        }
        match c {
            b'$' | b'=' | b'"' | b'\\' => return None,
            b',' if comma.is_none() => comma = Some(i),
            b'(' | b')' | b'[' | b']' if comma.is_none() => return None,
            _ => {}
        }
    }
    Some(match comma {
        Some(i) => (data.get(..i)?, data.get(i..)?),
        None => (data, ""),
    })
}

/// The bytes [`dial_tail`] stops at.
const DIAL_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let special = b"$=\"\\,()[]";
    let mut i = 0;
    while i < special.len() {
        table[special[i] as usize] = true;
        i += 1;
    }
    table
};

/// A text as a hash key: the application name and the data, hashed once a word at a time, inline (the
/// general `str` hashing goes through a call per text and copies the last bytes of each).
#[derive(Clone, Copy)]
struct Key<'a> {
    /// The application name as a [`Name`]: compared as two words (a short name is all of them) instead
    /// of with a call.
    app: Name<'a>,
    data: &'a str,
    hash: u64,
}

impl<'a> Key<'a> {
    #[inline]
    fn new(app: &'a str, data: &'a str) -> Self {
        let app = Name::new(app);
        let hash = words(data.as_bytes(), app.word());
        Key { app, data, hash }
    }
}

impl PartialEq for Key<'_> {
    #[inline]
    fn eq(&self, other: &Self) -> bool {
        self.hash == other.hash && self.app == other.app && self.data == other.data
    }
}

impl Eq for Key<'_> {}

impl Hash for Key<'_> {
    #[inline]
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

/// Hands a [`Key`]'s hash over as it is.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    #[inline]
    fn write_u64(&mut self, hash: u64) {
        self.0 = hash;
    }

    /// Only [`KeyHasher::write_u64`] is used by [`Key`].
    fn write(&mut self, bytes: &[u8]) {
        self.0 = words(bytes, self.0);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

/// `state` with the bytes of `b` and their count mixed in, eight at a time (FxHash's step): the last word
/// is the last eight bytes, overlapping the one before (the count tells the texts apart).
#[inline]
fn words(b: &[u8], mut state: u64) -> u64 {
    let mut add = |w: u64| state = mix(state, w);
    add(b.len() as u64);
    let n = b.len();
    if n < 8 {
        add(b.iter().fold(0, |x, &c| (x << 8) | u64::from(c)));
    } else {
        let mut at = 0;
        while at + 8 < n {
            add(load(&b[at..at + 8]));
            at += 8;
        }
        add(load(&b[n - 8..]));
    }
    state
}

impl AppKind {
    /// Whether the walk's checks of a priority running this application depend only on its text (see the
    /// module documentation): not for the applications whose every priority is collected.
    pub(super) fn per_text(self) -> bool {
        !matches!(
            self,
            AppKind::Dial | AppKind::Goto | AppKind::Gosub | AppKind::GosubIf | AppKind::Return
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_equal_exactly_when_the_texts_are() {
        let texts = [
            "",
            "a",
            "ab",
            "1234567",
            "12345678",
            "12345679",
            "123456789",
            "023456789",
            "Set(COUNT=$[${COUNT} + 2])",
            "Set(COUNT=$[${COUNT} + 3])",
            "Set(COUNT=$[${COUNT} + 23])",
            "Set(COUNT=$[${CoUNT} + 2])",
            "NoOp(Call to ${EXTEN} in ${CONTEXT} from ${CALLERID(num)})",
        ];
        for a in texts {
            for b in texts {
                let (ka, kb) = (Key::new("Set", a), Key::new("Set", b));
                assert_eq!(ka == kb, a == b, "{a:?} {b:?}");
                if a == b {
                    assert_eq!(ka.hash, kb.hash);
                }
            }
            assert!(Key::new("Set", a) != Key::new("NoOp", a));
        }
    }

    #[test]
    fn dial_tails() {
        assert_eq!(
            dial_tail("Local/2012@ctx-01334/n,11,tT"),
            Some(("Local/2012@ctx-01334/n", ",11,tT"))
        );
        assert_eq!(dial_tail("PJSIP/a"), Some(("PJSIP/a", "")));
        assert_eq!(dial_tail("PJSIP/a,"), Some(("PJSIP/a", ",")));
        assert_eq!(
            dial_tail("PJSIP/a,30,U(sub^x)"),
            Some(("PJSIP/a", ",30,U(sub^x)"))
        );
        assert_eq!(dial_tail(""), None);
        assert_eq!(dial_tail("PJSIP/${X},30"), None);
        assert_eq!(dial_tail("PJSIP/a,30,G(c^s^1)=x"), None);
        assert_eq!(dial_tail("\"a,b\",30"), None);
        assert_eq!(dial_tail("PJSIP/[a,b],30"), None);
        assert_eq!(dial_tail("f(a,b),30"), None);
    }
}
