//! Priorities that repeat an earlier one: the same application name and the same data, as written.
//!
//! A dialplan repeats a few texts over and over (`Hangup()`, `NoOp(…${EXTEN}…)`, `Set(COUNT=…)`: in the
//! 10 MB workload 170,000 priorities that are not `Dial`s or `Goto`s carry fewer than a hundred distinct
//! texts). Every per-priority check that the walk runs on such a text either reports something or
//! depends only on the text: the language, argument and option checks, and what the variable check
//! notes (the names assigned, the names read). So when the first priority with a text reported nothing
//! and added nothing to the walk's lists, a later one with the same text needs none of those checks run
//! again; only the variable check's count of reads grows ([`super::vars::VarScan::reread`]).
//!
//! The applications whose priorities are collected one by one (jumps, `Dial`s, `Return`s) are never
//! looked up here ([`AppKind::per_text`]), which also keeps the `Dial`s' mostly distinct texts out of
//! the table.

use super::apps::AppKind;
use dialplan::hash::Fx;
use std::collections::HashMap;

/// The texts met so far (of applications whose checks depend only on the text).
#[derive(Default)]
pub(super) struct Seen<'a> {
    texts: HashMap<(&'a str, &'a str), Text, Fx>,
    /// The reads of every quiet text, one after another (see [`Text::reads`]).
    reads: Vec<u32>,
}

/// What the first priority with a text did.
#[derive(Clone, Copy)]
struct Text {
    /// Whether it reported nothing and collected nothing (then a repeat needs no check).
    quiet: bool,
    /// Its reads ([`super::vars::VarScan::recent`]): `len` entries from `start` in [`Seen::reads`].
    start: u32,
    len: u32,
}

impl<'a> Seen<'a> {
    /// The reads of the quiet text `app(data)` if a priority had it before; `None` when the priority must
    /// be checked (a new text, or one that was not quiet).
    #[inline]
    pub(super) fn quiet(&self, app: &'a str, data: &'a str) -> Option<&[u32]> {
        let t = self.texts.get(&(app, data))?;
        if !t.quiet {
            return None;
        }
        self.reads
            .get(t.start as usize..t.start as usize + t.len as usize)
    }

    /// Notes what the first priority with the text `app(data)` did (a text already noted stays as it was):
    /// whether it was `quiet`, and its `reads`.
    pub(super) fn note(&mut self, app: &'a str, data: &'a str, quiet: bool, reads: &[u32]) {
        let Self { texts, reads: all } = self;
        texts.entry((app, data)).or_insert_with(|| {
            let start = all.len() as u32;
            if quiet {
                all.extend_from_slice(reads);
            }
            Text {
                quiet,
                start,
                len: if quiet { reads.len() as u32 } else { 0 },
            }
        });
    }
}

impl AppKind {
    /// Whether the walk's checks of a priority running this application depend only on its text (see the
    /// module documentation): not for the applications whose every priority is collected.
    pub(super) fn per_text(self) -> bool {
        !matches!(
            self,
            AppKind::Dial
                | AppKind::Goto
                | AppKind::GotoIf
                | AppKind::Gosub
                | AppKind::GosubIf
                | AppKind::Return
        )
    }
}
