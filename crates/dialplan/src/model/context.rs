//! One context: its extensions in Asterisk's order, their priorities, includes, ignore patterns and
//! switches, and the two edits Asterisk makes to them (`main/pbx.c`: `ast_add_extension2_lockopt` +
//! `add_priority`, and the registrar-wise removal of `__ast_context_destroy`).
//!
//! Besides the sorted list, Asterisk keeps its extensions and priorities in hash tables whose traversal
//! order is "most recently inserted first" (`main/hashtab.c` pushes every new bucket at the head of the
//! traversal list). Merging a reloaded dialplan walks those tables, so the order of that walk decides which
//! registrar a re-created context is "created by". Every extension and priority therefore carries the
//! sequence number of its last insertion into its table ([`Extension::table_seq`], [`Priority::seq`]).

use super::order::{ext_cmp, ext_cmp_exten, ext_cmp_pattern_scored, pattern_scores, then_cid};
use super::pattern::{key_cow, name_and_key, Fluff, Pattern};
use super::trie::Trie;
use crate::diag::{LogLevel, LogLine};
use crate::source::{FileId, Span};
use std::borrow::Cow;
use std::cmp::Ordering;
use std::sync::{Arc, OnceLock};

/// The priority number of a hint (`PRIORITY_HINT`).
pub const PRIORITY_HINT: i32 = -1;

/// Whether an added priority may replace an existing one with the same number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Replace {
    /// Fail with "already in use" (what pbx_config and res_parking's lot extensions do).
    No,
    /// Replace it (what res_parking's `park-dial` entries do).
    Yes,
}

/// One priority (or the hint) of an extension.
///
/// A large dialplan holds hundreds of thousands of these, so the fields are laid out to keep it small (64
/// bytes): the application name, data and label are ranges of one shared text, and everything that is the
/// same for every priority of one file's load (the registrar, the location's file, the source's file) sits
/// behind one shared pointer ([`Provenance`]).
#[derive(Clone, Debug)]
pub struct Priority {
    number: i32,
    seq: u32,
    /// The line of [`Priority::location`] (meaningful only when the provenance has a location file).
    location_line: u32,
    /// The byte range of [`Priority::source`] (meaningful only when the provenance has a source file).
    source_start: u32,
    source_end: u32,
    /// Index of the name this priority was added under (see [`Extension::name_of`]).
    name_idx: u16,
    /// Whether this priority holds its label in Asterisk's label table (the first one added does; a later
    /// duplicate keeps the label text but is not found by it).
    in_label_table: bool,
    text: AppText,
    prov: Arc<Provenance>,
}

/// What a priority shares with the other priorities of its load: who registered it, the file Asterisk
/// records for it, and the file its source line is in. [`crate::model::Dialplan`] hands consecutive
/// priorities with the same three the same one.
#[derive(Debug)]
pub(crate) struct Provenance {
    registrar: Arc<str>,
    location_file: Option<Arc<str>>,
    source_file: Option<FileId>,
}

impl Provenance {
    pub(crate) fn new(
        registrar: &Arc<str>,
        location_file: Option<&Arc<str>>,
        source_file: Option<FileId>,
    ) -> Provenance {
        Provenance {
            registrar: Arc::clone(registrar),
            location_file: location_file.cloned(),
            source_file,
        }
    }

    /// Whether it says exactly this (the names compared as the same shared strings).
    pub(crate) fn is(
        &self,
        registrar: &Arc<str>,
        location_file: Option<&Arc<str>>,
        source_file: Option<FileId>,
    ) -> bool {
        Arc::ptr_eq(&self.registrar, registrar)
            && self.source_file == source_file
            && match (&self.location_file, location_file) {
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                (None, None) => true,
                _ => false,
            }
    }
}

/// A priority's application name, data and label: three ranges of one text. For pbx_config that text is
/// the file the line was read from (shared by every priority of the file, which saves a string per
/// priority); for anything else it is a string of its own holding the name, the data and the label.
#[derive(Clone, Debug)]
struct AppText {
    text: Arc<String>,
    /// The start and end of the name, of the data, then of the label (an empty label range: no label).
    range: [u32; 6],
}

impl AppText {
    fn new(app: &str, data: &str, label: &str, file: Option<&Arc<String>>) -> AppText {
        if let Some(f) = file {
            if let (Some((a0, a1)), Some((d0, d1)), Some((l0, l1))) =
                (slice_of(f, app), slice_of(f, data), slice_of(f, label))
            {
                return AppText {
                    text: Arc::clone(f),
                    range: [a0, a1, d0, d1, l0, l1],
                };
            }
        }
        let mut own = String::with_capacity(app.len() + data.len() + label.len());
        own.push_str(app);
        own.push_str(data);
        own.push_str(label);
        let (a, d, end) = (
            app.len() as u32,
            (app.len() + data.len()) as u32,
            own.len() as u32,
        );
        AppText {
            text: Arc::new(own),
            range: [0, a, a, d, d, end],
        }
    }

    #[inline]
    fn part(&self, i: usize) -> &str {
        let r = &self.range;
        self.text
            .get(r[i] as usize..r[i + 1] as usize)
            .unwrap_or_default()
    }

    #[inline]
    fn app(&self) -> &str {
        self.part(0)
    }

    #[inline]
    fn data(&self) -> &str {
        self.part(2)
    }

    #[inline]
    fn has_label(&self) -> bool {
        self.range[4] != self.range[5]
    }

    #[inline]
    fn label(&self) -> Option<&str> {
        self.has_label().then(|| self.part(4))
    }

    fn drop_label(&mut self) {
        self.range[4] = 0;
        self.range[5] = 0;
    }
}

/// Where `part` lies within `file`'s text, when it is a slice of it (compared by address: the loader hands
/// over slices of the text it read). An empty part is anywhere.
fn slice_of(file: &Arc<String>, part: &str) -> Option<(u32, u32)> {
    if part.is_empty() {
        return Some((0, 0));
    }
    let base = file.as_ptr() as usize;
    let start = (part.as_ptr() as usize).checked_sub(base)?;
    let end = start.checked_add(part.len())?;
    if end > file.len() || end > u32::MAX as usize {
        return None;
    }
    Some((start as u32, end as u32))
}

/// Where Asterisk says a priority was registered from (`registrar_file` and `registrar_line`): what
/// `dialplan show` prints as `[extensions.conf:16]`. Only priorities loaded from a file have one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The file name without its folder, as Asterisk records it.
    pub file: Arc<str>,
    /// Asterisk's line number.
    pub line: u32,
}

impl Priority {
    /// The priority number; [`PRIORITY_HINT`] (−1) for a hint.
    #[inline]
    pub fn number(&self) -> i32 {
        self.number
    }

    #[inline]
    pub fn is_hint(&self) -> bool {
        self.number == PRIORITY_HINT
    }

    #[inline]
    pub fn label(&self) -> Option<&str> {
        self.text.label()
    }

    /// The application name (for a hint: the device string).
    #[inline]
    pub fn app(&self) -> &str {
        self.text.app()
    }

    /// The application data, unsubstituted.
    #[inline]
    pub fn data(&self) -> &str {
        self.text.data()
    }

    #[inline]
    pub fn registrar(&self) -> &str {
        &self.prov.registrar
    }

    /// The config line it came from, if any (pbx_config priorities; not those of other modules).
    #[inline]
    pub fn source(&self) -> Option<Span> {
        self.prov.source_file.map(|file| Span {
            file,
            start: self.source_start,
            end: self.source_end,
        })
    }

    /// The file and line `dialplan show` prints instead of the registrar.
    #[inline]
    pub fn location(&self) -> Option<Location> {
        self.prov.location_file.as_ref().map(|file| Location {
            file: Arc::clone(file),
            line: self.location_line,
        })
    }

    /// Insertion sequence number (larger = inserted later).
    pub fn seq(&self) -> u32 {
        self.seq
    }

    /// Whether a label lookup can find this priority by its label.
    pub fn label_findable(&self) -> bool {
        self.in_label_table && self.text.label().is_some()
    }
}

/// The caller-id part of `exten => name/cid,...`.
#[derive(Clone, Debug)]
pub struct CallerIdMatch {
    /// As shown by `dialplan show` (`-` removed, as Asterisk shows its match form).
    pattern: Pattern,
}

impl CallerIdMatch {
    /// The caller-id pattern as Asterisk stores and shows it (`cidmatch`).
    pub fn text(&self) -> &str {
        self.pattern.key()
    }

    #[inline]
    pub fn pattern(&self) -> &Pattern {
        &self.pattern
    }

    /// `matchcid`: an empty caller id matches only an empty pattern.
    pub fn accepts(&self, callerid: Option<&str>) -> bool {
        match callerid {
            None | Some("") => self.pattern.key().is_empty(),
            Some(cid) => self.pattern.matches(cid),
        }
    }
}

/// An extension (name, optional caller-id match) with its priorities in ascending order.
#[derive(Clone, Debug)]
pub struct Extension {
    /// The name it was created under, when that name has a space or a `-`; `None` for a plain name, which
    /// is its own display name and key (the key's string then serves as the name: one string less per
    /// extension), and a line naming it exactly needs no cleaning up (see [`Context::add_from`]).
    name: Option<Box<str>>,
    /// Other names priorities were added under that Asterisk treats as the same extension (rare: boxed so
    /// that an extension without any pays one pointer).
    #[allow(clippy::box_collection)]
    // One pointer (8 bytes) where a `Vec` would take 24 in every extension.
    aliases: Option<Box<Vec<Box<str>>>>,
    pattern: Pattern,
    cid: Option<Box<CallerIdMatch>>,
    priorities: Vec<Priority>,
    /// For a pattern, its positions as Asterisk's sort scores them ([`super::order::pattern_scores`]):
    /// placing a new pattern among the others then compares numbers. Empty for a literal.
    scores: Box<[u32]>,
    table_seq: u32,
}

impl Extension {
    /// The name `dialplan show` prints: the name of the lowest priority.
    #[inline]
    pub fn name(&self) -> &str {
        match self.priorities.first() {
            Some(p) => self.name_of(p),
            None => self.first_name(),
        }
    }

    /// The name it was created under.
    #[inline]
    fn first_name(&self) -> &str {
        match &self.name {
            Some(n) => n,
            None => self.pattern.key(),
        }
    }

    /// The name a priority was added under (aliases such as `555-1212` / `5551212` share an extension).
    #[inline]
    pub fn name_of(&self, p: &Priority) -> &str {
        match p.name_idx {
            0 => self.first_name(),
            n => self
                .aliases
                .as_ref()
                .and_then(|a| a.get(n as usize - 1))
                .map_or(self.first_name(), |s| &**s),
        }
    }

    #[inline]
    pub fn pattern(&self) -> &Pattern {
        &self.pattern
    }

    #[inline]
    pub fn is_pattern(&self) -> bool {
        self.pattern.is_pattern()
    }

    #[inline]
    pub fn callerid(&self) -> Option<&CallerIdMatch> {
        self.cid.as_deref()
    }

    /// Priorities in ascending order (a hint, −1, first).
    #[inline]
    pub fn priorities(&self) -> &[Priority] {
        &self.priorities
    }

    /// The priority with this number.
    pub fn priority(&self, number: i32) -> Option<&Priority> {
        self.priorities
            .binary_search_by(|p| p.number.cmp(&number))
            .ok()
            .map(|i| &self.priorities[i])
    }

    /// The priority a label lookup finds (Asterisk's label table: exact, case-sensitive).
    pub fn priority_by_label(&self, label: &str) -> Option<&Priority> {
        self.priorities
            .iter()
            .find(|p| p.in_label_table && p.label() == Some(label))
    }

    pub fn hint(&self) -> Option<&Priority> {
        self.priority(PRIORITY_HINT)
    }

    /// Sequence number of the extension's last insertion into its context's hash table.
    pub fn table_seq(&self) -> u32 {
        self.table_seq
    }

    fn cid_key(&self) -> Option<&str> {
        self.cid.as_ref().map(|c| c.pattern.key())
    }

    fn name_index(&mut self, name: &str) -> u16 {
        if self.first_name() == name {
            return 0;
        }
        let aliases = self.aliases.get_or_insert_with(Box::default);
        if let Some(i) = aliases.iter().position(|a| **a == *name) {
            return (i + 1) as u16;
        }
        aliases.push(Box::from(name));
        aliases.len() as u16
    }

    /// Priorities in Asterisk's hash-table traversal order (most recently inserted first).
    pub(crate) fn priorities_in_table_order(&self) -> Vec<&Priority> {
        let mut v: Vec<&Priority> = self.priorities.iter().collect();
        v.sort_by_key(|p| std::cmp::Reverse(p.seq));
        v
    }
}

/// `include => name[,timing]`.
#[derive(Clone, Debug)]
pub struct Include {
    /// The value as written (with the timing part), as `dialplan show` prints it.
    name: Box<str>,
    /// Length of the context-name part (before the first `|` or `,`).
    rname_len: usize,
    timing: Option<Box<str>>,
    registrar: Arc<str>,
    source: Option<Span>,
}

impl Include {
    pub(crate) fn new(value: &str, registrar: Arc<str>, source: Option<Span>) -> Include {
        let cut = value.find('|').or_else(|| value.find(','));
        let (rname_len, timing) = match cut {
            Some(i) => {
                let t = &value[i + 1..];
                (i, (!t.is_empty()).then(|| Box::from(t)))
            }
            None => (value.len(), None),
        };
        Include {
            name: Box::from(value),
            rname_len,
            timing,
            registrar,
            source,
        }
    }

    /// The whole value as written, timing included.
    #[inline]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The included context's name.
    pub fn context(&self) -> &str {
        &self.name[..self.rname_len]
    }

    /// The time specification (`9:00-17:00,mon-fri,*,*`), if any; the engine decides whether it is active.
    pub fn timing(&self) -> Option<&str> {
        self.timing.as_deref()
    }

    #[inline]
    pub fn registrar(&self) -> &str {
        &self.registrar
    }

    #[inline]
    pub fn source(&self) -> Option<Span> {
        self.source
    }
}

/// `ignorepat => pattern`.
#[derive(Clone, Debug)]
pub struct IgnorePat {
    pub pattern: Box<str>,
    pub registrar: Arc<str>,
    pub source: Option<Span>,
}

/// `switch => Name/data` (also `lswitch`, `eswitch`). Kept and shown, never simulated.
#[derive(Clone, Debug)]
pub struct Switch {
    pub name: Box<str>,
    pub data: Box<str>,
    /// `eswitch`: data substituted at each lookup.
    pub eval: bool,
    pub registrar: Arc<str>,
    pub source: Option<Span>,
}

/// A context.
#[derive(Clone, Debug)]
pub struct Context {
    name: Box<str>,
    registrar: Arc<str>,
    extensions: Vec<Extension>,
    pub(crate) includes: Vec<Include>,
    pub(crate) ignorepats: Vec<IgnorePat>,
    pub(crate) switches: Vec<Switch>,
    pub(crate) autohints: bool,
    pub(crate) refcount: u32,
    /// Whether Asterisk has created the extension hash table (on the first extension ever added).
    pub(crate) has_table: bool,
    /// The `[name]` header that created it (pbx_config contexts).
    pub(crate) source: Option<Span>,
    /// The new matcher's trie, built on first use and dropped by every change.
    trie: OnceLock<Trie>,
    /// For each literal extension (they come first), its name's first 8 characters packed so that integer
    /// order is Asterisk's order ([`literal_prefix`]): exact lookups binary-search this array.
    lit_prefix: Vec<u64>,
    /// Index of the extension the last [`Context::add`] went to: where the next line most likely goes.
    last_added: usize,
}

/// A new priority to add: everything `ast_add_extension2` takes.
#[derive(Clone, Copy, Debug)]
pub struct NewPriority<'a> {
    /// The name as written (`_NXX`, `555-1212`); spaces and fluff are handled as Asterisk does.
    pub exten: &'a str,
    /// The caller-id match, if any.
    pub callerid: Option<&'a str>,
    /// The number; [`PRIORITY_HINT`] for a hint.
    pub priority: i32,
    pub label: Option<&'a str>,
    pub app: &'a str,
    pub data: &'a str,
    pub registrar: &'a str,
    /// Where it came from (pbx_config); `None` for module-generated extensions.
    pub source: Option<Span>,
}

/// Where a priority comes from, beyond what [`NewPriority`] says.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Origin<'a> {
    /// The registrar's one shared name.
    pub registrar: &'a Arc<str>,
    /// The file (its one shared name) and line Asterisk records (priorities loaded from a file).
    pub location: Option<(&'a Arc<str>, u32)>,
    /// The text of the file the line was read from: when the application name and data are slices of it,
    /// the priority shares it instead of copying them.
    pub file: Option<&'a Arc<String>>,
    /// How many priorities a new extension will probably hold (pbx_config counts the `same` lines after an
    /// `exten` line); 1 when nothing is known.
    pub expected: usize,
}

/// Why a priority could not be added.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AddError {
    #[error("context '{0}' does not exist")]
    NoContext(String),
    #[error("empty extension name in context '{0}'")]
    EmptyName(String),
    #[error("extension '{exten}' priority {priority} in '{context}' is already in use")]
    InUse {
        exten: String,
        priority: i32,
        context: String,
        /// The other name when the existing priority was added under an alias.
        aliased: Option<String>,
    },
}

impl AddError {
    /// The line Asterisk logs for this failure (`main/pbx.c`).
    pub fn log_line(&self) -> LogLine {
        match self {
            AddError::NoContext(c) => LogLine::new(
                LogLevel::Warning,
                "pbx.c",
                format!("Unable to find context '{c}'"),
            ),
            AddError::EmptyName(c) => LogLine::new(
                LogLevel::Error,
                "pbx.c",
                format!("You have to be kidding-- add exten '' to context {c}? Figure out a name and call me back. Action ignored."),
            ),
            AddError::InUse {
                exten,
                priority,
                context,
                aliased: None,
            } => LogLine::new(
                LogLevel::Warning,
                "pbx.c",
                format!("Unable to register extension '{exten}' priority {priority} in '{context}', already in use"),
            ),
            AddError::InUse {
                exten,
                priority,
                context,
                aliased: Some(other),
            } => LogLine::new(
                LogLevel::Warning,
                "pbx.c",
                format!("Unable to register extension '{exten}' priority {priority} in '{context}', already in use by aliased extension '{other}'"),
            ),
        }
    }
}

/// What a successful add reports: Asterisk's warnings about a repeated label (the label is dropped).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Added {
    pub warnings: Vec<LogLine>,
}

impl Context {
    pub(crate) fn new(name: &str, registrar: Arc<str>) -> Context {
        Context {
            name: Box::from(name),
            registrar,
            extensions: Vec::new(),
            includes: Vec::new(),
            ignorepats: Vec::new(),
            switches: Vec::new(),
            autohints: false,
            refcount: 1,
            has_table: false,
            source: None,
            trie: OnceLock::new(),
            lit_prefix: Vec::new(),
            last_added: 0,
        }
    }

    #[inline]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The registrar it was created by (`[ Context 'x' created by 'y' ]`).
    #[inline]
    pub fn registrar(&self) -> &str {
        &self.registrar
    }

    /// Extensions in Asterisk's order (literals first, then patterns by specificity).
    #[inline]
    pub fn extensions(&self) -> &[Extension] {
        &self.extensions
    }

    /// Includes in the order written.
    pub fn includes(&self) -> &[Include] {
        &self.includes
    }

    pub fn ignorepats(&self) -> &[IgnorePat] {
        &self.ignorepats
    }

    pub fn switches(&self) -> &[Switch] {
        &self.switches
    }

    pub fn autohints(&self) -> bool {
        self.autohints
    }

    /// The `[name]` header of the section that created it, for pbx_config contexts.
    #[inline]
    pub fn source(&self) -> Option<Span> {
        self.source
    }

    /// The new matcher's trie for this context.
    pub(crate) fn trie(&self) -> &Trie {
        self.trie.get_or_init(|| Trie::build(self))
    }

    /// The literal extensions that `data` names exactly (one run of equal names, caller-id variants
    /// first), found by binary search.
    pub(crate) fn literal_matches(&self, data: &[u8]) -> &[Extension] {
        let want = literal_prefix(data);
        let cmp = |i: usize| -> Ordering {
            let p = self.lit_prefix[i];
            if p != want {
                return p.cmp(&want);
            }
            if p & 0xFF == 128 {
                // Both names end within the packed characters.
                return Ordering::Equal;
            }
            ext_cmp_exten(self.extensions[i].pattern.key().as_bytes(), data)
        };
        let n = self.lit_prefix.len();
        let (mut lo, mut hi) = (0usize, n);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if cmp(mid) == Ordering::Less {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let mut end = lo;
        while end < n && cmp(end) == Ordering::Equal {
            end += 1;
        }
        &self.extensions[lo..end]
    }

    /// Number of literal (non-pattern) extensions; they come first in [`Context::extensions`].
    pub(crate) fn literal_count(&self) -> usize {
        self.lit_prefix.len()
    }

    /// Room for `n` more extensions (a loader that knows how many lines create one).
    pub(crate) fn reserve_extensions(&mut self, n: usize) {
        self.extensions.reserve(n);
        self.lit_prefix.reserve(n);
    }

    /// Gives back the spare capacity of every list (after a load, when growth is over).
    pub(crate) fn shrink_to_fit(&mut self) {
        self.extensions.shrink_to_fit();
        self.lit_prefix.shrink_to_fit();
        for e in &mut self.extensions {
            e.priorities.shrink_to_fit();
        }
    }

    fn rebuild_prefixes(&mut self) {
        self.lit_prefix = self
            .extensions
            .iter()
            .take_while(|e| !e.is_pattern())
            .map(|e| literal_prefix(e.pattern.key().as_bytes()))
            .collect();
    }

    /// The extension stored under exactly this key and caller-id key (Asterisk's root-table lookup).
    pub(crate) fn extension_by_key(&self, key: &str, cid: Option<&str>) -> Option<&Extension> {
        self.extensions
            .iter()
            .find(|e| e.pattern.key() == key && e.cid_key() == cid)
    }

    /// Extensions in Asterisk's hash-table traversal order (most recently inserted first).
    pub(crate) fn extensions_in_table_order(&self) -> Vec<&Extension> {
        let mut v: Vec<&Extension> = self.extensions.iter().collect();
        v.sort_by_key(|e| std::cmp::Reverse(e.table_seq));
        v
    }

    /// `ast_add_extension2` (without locking): inserts a priority, keeping Asterisk's order.
    #[cfg(test)]
    pub(crate) fn add(
        &mut self,
        p: &NewPriority<'_>,
        registrar: Arc<str>,
        location: Option<Location>,
        replace: Replace,
        seq: &mut u32,
    ) -> Result<Added, AddError> {
        let origin = Origin {
            registrar: &registrar,
            location: location.as_ref().map(|l| (&l.file, l.line)),
            file: None,
            expected: 1,
        };
        let prov = Arc::new(Provenance::new(
            &registrar,
            location.as_ref().map(|l| &l.file),
            p.source.map(|s| s.file),
        ));
        self.add_from(p, origin, prov, replace, seq)
    }

    /// `ast_add_extension2` (without locking): inserts a priority, keeping Asterisk's order. `prov` says
    /// what `origin` and `p.source` say about the registrar and the files.
    pub(crate) fn add_from(
        &mut self,
        p: &NewPriority<'_>,
        origin: Origin<'_>,
        prov: Arc<Provenance>,
        replace: Replace,
        seq: &mut u32,
    ) -> Result<Added, AddError> {
        if p.exten.is_empty() {
            return Err(AddError::EmptyName(self.name.to_string()));
        }
        // Hints keep their dashes in the matching key (Asterisk skips fluff removal for them).
        let fluff = if p.priority == PRIORITY_HINT {
            Fluff::KeepDashes
        } else {
            Fluff::DropDashes
        };
        let cid_key = p.callerid.map(key_cow);
        // Lines of one extension come one after another: the extension added to last is checked first.
        // When the line names it exactly as it was first written, and that name has nothing to clean up,
        // it is that extension (a name with neither space nor `-` is its own display name and key).
        let last = self.extensions.get(self.last_added);
        let same_as_last = last.is_some_and(|e| {
            e.name.is_none() && e.pattern.key() == p.exten && e.cid_key() == cid_key.as_deref()
        });
        let (name, key) = if same_as_last {
            (Cow::Borrowed(p.exten), Cow::Borrowed(p.exten))
        } else {
            name_and_key(p.exten, fluff)
        };
        let (source_start, source_end) = p.source.map_or((0, 0), |s| (s.start, s.end));
        let mut tmp = Priority {
            number: p.priority,
            seq: 0,
            location_line: origin.location.map_or(0, |l| l.1),
            source_start,
            source_end,
            name_idx: 0,
            in_label_table: false,
            text: AppText::new(p.app, p.data, p.label.unwrap_or_default(), origin.file),
            prov,
        };
        self.has_table = true;
        if self.trie.get().is_some() {
            self.trie = OnceLock::new();
        }
        // Else the same key still finds it: two different extensions never compare equal, so an identical
        // key finds the one extension there is.
        let hinted = same_as_last
            || last.is_some_and(|e| *e.pattern.key() == *key && e.cid_key() == cid_key.as_deref());
        let (pos, existing, scores) = if hinted {
            (self.last_added, true, None)
        } else {
            self.position(&key, cid_key.as_deref())
        };
        self.last_added = pos;
        if existing {
            let ext = &mut self.extensions[pos];
            tmp.name_idx = if same_as_last {
                0
            } else {
                ext.name_index(&name)
            };
            return add_priority(&self.name, ext, tmp, &name, replace, seq);
        }
        *seq += 1;
        tmp.seq = *seq;
        tmp.in_label_table = tmp.label().is_some();
        let cid = cid_key.map(|k| {
            Box::new(CallerIdMatch {
                pattern: Pattern::new(&k),
            })
        });
        let plain = !name.bytes().any(|b| b == b' ' || b == b'-');
        let ext = Extension {
            name: (!plain).then(|| Box::from(&*name)),
            aliases: None,
            pattern: Pattern::new(&key),
            cid,
            priorities: {
                // Allocated once at the size the loader expects (growing would copy the priorities, and a
                // doubled list would hold unused room).
                let mut v = Vec::with_capacity(origin.expected.max(1));
                v.push(tmp);
                v
            },
            scores: scores.unwrap_or_default(),
            table_seq: *seq,
        };
        if !ext.is_pattern() {
            self.lit_prefix
                .insert(pos, literal_prefix(ext.pattern.key().as_bytes()));
        }
        self.extensions.insert(pos, ext);
        Ok(Added::default())
    }

    /// Where an extension with this key and caller-id key belongs in the sorted list, whether one is
    /// already there, and for a pattern its [`Extension::scores`].
    fn position(&self, key: &str, cid_key: Option<&str>) -> (usize, bool, Option<Box<[u32]>>) {
        // Every literal sorts before every pattern: only the extensions of the same kind are compared.
        let literals = self.lit_prefix.len();
        let (lo, group, scores) = match key.strip_prefix('_') {
            Some(pattern) => (
                literals,
                &self.extensions[literals..],
                Some(pattern_scores(pattern.as_bytes())),
            ),
            None => (0, &self.extensions[..literals], None),
        };
        let cmp = |e: &Extension| {
            let names = match &scores {
                Some(s) => ext_cmp_pattern_scored(
                    e.pattern.key().as_bytes().get(1..).unwrap_or_default(),
                    &e.scores,
                    key.as_bytes().get(1..).unwrap_or_default(),
                    s,
                ),
                None => ext_cmp(e.pattern.key(), key),
            };
            then_cid(names, e.cid_key(), cid_key)
        };
        // Files often list extensions in order: one that sorts after the last goes at the end.
        let after_last = group.last().is_none_or(|e| cmp(e) == Ordering::Less);
        let at = if after_last {
            group.len()
        } else {
            group.partition_point(|e| cmp(e) == Ordering::Less)
        };
        let existing = group.get(at).is_some_and(|e| cmp(e) == Ordering::Equal);
        (lo + at, existing, scores)
    }

    /// Removes everything a registrar owns (`__ast_context_destroy` with a registrar): ignore patterns,
    /// includes, switches and priorities. Returns whether the context itself should now be deleted.
    pub(crate) fn remove_registrar(&mut self, registrar: &str, seq: &mut u32) -> bool {
        self.ignorepats.retain(|i| &*i.registrar != registrar);
        self.includes.retain(|i| &*i.registrar != registrar);
        self.switches.retain(|s| &*s.registrar != registrar);
        if self.has_table {
            self.trie = OnceLock::new();
            // Walk in table order so that re-insertions of new heads get their sequence numbers in the order
            // Asterisk gives them.
            let mut order: Vec<usize> = (0..self.extensions.len()).collect();
            order.sort_by(|&a, &b| {
                self.extensions[b]
                    .table_seq
                    .cmp(&self.extensions[a].table_seq)
            });
            for idx in order {
                let ext = &mut self.extensions[idx];
                let mut prios: Vec<(u32, i32)> = ext
                    .priorities
                    .iter()
                    .filter(|p| p.registrar() == registrar)
                    .map(|p| (p.seq, p.number))
                    .collect();
                prios.sort_by_key(|p| std::cmp::Reverse(p.0));
                for (_, number) in prios {
                    let Ok(i) = ext.priorities.binary_search_by(|p| p.number.cmp(&number)) else {
                        continue;
                    };
                    ext.priorities.remove(i);
                    if i == 0 && !ext.priorities.is_empty() {
                        *seq += 1;
                        ext.table_seq = *seq;
                    }
                }
            }
            self.extensions.retain(|e| !e.priorities.is_empty());
            self.rebuild_prefixes();
        }
        &*self.registrar == registrar
            && self.refcount < 2
            && self.extensions.is_empty()
            && self.ignorepats.is_empty()
            && self.includes.is_empty()
            && self.switches.is_empty()
    }

    /// `ast_context_add_include2`: appends unless the same value (case-insensitive) is already included.
    pub(crate) fn add_include(&mut self, include: Include) -> Result<(), Include> {
        if self
            .includes
            .iter()
            .any(|i| i.name.eq_ignore_ascii_case(&include.name))
        {
            return Err(include);
        }
        self.includes.push(include);
        Ok(())
    }

    /// `ast_context_add_ignorepat2`: appends unless already there (case-insensitive).
    pub(crate) fn add_ignorepat(&mut self, pat: IgnorePat) -> Result<(), IgnorePat> {
        if self
            .ignorepats
            .iter()
            .any(|i| i.pattern.eq_ignore_ascii_case(&pat.pattern))
        {
            return Err(pat);
        }
        self.ignorepats.push(pat);
        Ok(())
    }

    /// `ast_context_add_switch2`: appends unless the same name and data are there (case-insensitive).
    pub(crate) fn add_switch(&mut self, sw: Switch) -> Result<(), Switch> {
        if self
            .switches
            .iter()
            .any(|s| s.name.eq_ignore_ascii_case(&sw.name) && s.data.eq_ignore_ascii_case(&sw.data))
        {
            return Err(sw);
        }
        self.switches.push(sw);
        Ok(())
    }
}

/// A literal name's first 8 characters (`-` skipped) packed big-endian, each mapped from C's signed `char`
/// to 0..=255 and the end of the name to 128 (C's 0), so that comparing two packed values compares the
/// names as `ext_cmp_exten` does — exactly when either name ends within 8 characters (the low byte is then
/// 128, see [`Context::literal_matches`]), else as far as those 8 characters go.
pub(crate) fn literal_prefix(s: &[u8]) -> u64 {
    let mut v = 0u64;
    let mut n = 0;
    let mut i = 0;
    while n < 8 {
        let b = match s.get(i) {
            Some(0) | None => 0,
            Some(b'-') => {
                i += 1;
                continue;
            }
            Some(&b) => b,
        };
        let mapped = (b as i8 as i16 + 128) as u64;
        v = (v << 8) | mapped;
        n += 1;
        if b != 0 {
            i += 1;
        }
    }
    v
}

/// `add_priority`: puts `tmp` into an existing extension's priority chain.
fn add_priority(
    ctx_name: &str,
    ext: &mut Extension,
    mut tmp: Priority,
    tmp_name: &str,
    replace: Replace,
    seq: &mut u32,
) -> Result<Added, AddError> {
    let mut added = Added::default();
    let mut repeated_label = false;
    let mut pos = ext.priorities.len();
    // The lines of a file mostly come in order: a priority numbered above the last one and without a label
    // goes at the end, with no label to compare.
    let appended =
        !tmp.text.has_label() && ext.priorities.last().is_some_and(|e| e.number < tmp.number);
    let tmp_label = tmp.label();
    let compared = if appended {
        &[][..]
    } else {
        &ext.priorities[..]
    };
    for (i, e) in compared.iter().enumerate() {
        if let (Some(el), Some(tl)) = (e.label(), tmp_label) {
            if e.number != tmp.number && el == tl {
                let e_name = ext.name_of(e);
                let text = if e_name != tmp_name {
                    format!(
                        "Extension '{tmp_name}' priority {} in '{ctx_name}', label '{tl}' already in use at aliased extension '{e_name}' priority {}",
                        tmp.number, e.number
                    )
                } else {
                    format!(
                        "Extension '{tmp_name}' priority {} in '{ctx_name}', label '{tl}' already in use at priority {}",
                        tmp.number, e.number
                    )
                };
                added
                    .warnings
                    .push(LogLine::new(LogLevel::Warning, "pbx.c", text));
                repeated_label = true;
            }
        }
        if e.number >= tmp.number {
            pos = i;
            break;
        }
    }
    if repeated_label {
        tmp.text.drop_label();
    }
    let label_free = |ext: &Extension, label: &str| {
        !ext.priorities
            .iter()
            .any(|p| p.in_label_table && p.label() == Some(label))
    };
    if pos < ext.priorities.len() && ext.priorities[pos].number == tmp.number {
        if replace == Replace::No {
            let e_name = ext.name_of(&ext.priorities[pos]);
            return Err(AddError::InUse {
                exten: tmp_name.to_string(),
                priority: tmp.number,
                context: ctx_name.to_string(),
                aliased: (e_name != tmp_name).then(|| e_name.to_string()),
            });
        }
        // Replacement: Asterisk removes the old one's label from the table by lookup (whichever priority
        // holds that label), then inserts the new one's.
        if let Some(old_label) = ext.priorities[pos].label().map(String::from) {
            for p in ext.priorities.iter_mut() {
                if p.in_label_table && p.label() == Some(&*old_label) {
                    p.in_label_table = false;
                }
            }
        }
        ext.priorities.remove(pos);
        let free = tmp.label().map(|l| label_free(ext, l));
        if let Some(free) = free {
            tmp.in_label_table = free;
        }
        *seq += 1;
        tmp.seq = *seq;
        if pos == 0 {
            ext.table_seq = *seq;
        }
        ext.priorities.insert(pos, tmp);
        return Ok(added);
    }
    let free = tmp.label().map(|l| label_free(ext, l));
    if let Some(free) = free {
        tmp.in_label_table = free;
    }
    *seq += 1;
    tmp.seq = *seq;
    if pos == 0 {
        ext.table_seq = *seq;
    }
    ext.priorities.insert(pos, tmp);
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn np<'a>(exten: &'a str, priority: i32, app: &'a str) -> NewPriority<'a> {
        NewPriority {
            exten,
            callerid: None,
            priority,
            label: None,
            app,
            data: "",
            registrar: "pbx_config",
            source: None,
        }
    }

    fn ctx() -> (Context, Arc<str>, u32) {
        let r: Arc<str> = Arc::from("pbx_config");
        (Context::new("c", r.clone()), r, 0)
    }

    #[test]
    fn extensions_are_kept_in_asterisk_order() {
        let (mut c, r, mut seq) = ctx();
        for name in ["_X.", "_XXX", "_NXX", "200", "100", "_1XX", "_X!"] {
            c.add(&np(name, 1, "NoOp"), r.clone(), None, Replace::No, &mut seq)
                .unwrap();
        }
        let names: Vec<&str> = c.extensions().iter().map(|e| e.name()).collect();
        assert_eq!(names, ["100", "200", "_1XX", "_NXX", "_XXX", "_X.", "_X!"]);
    }

    #[test]
    fn duplicate_priority_is_refused_unless_replacing() {
        let (mut c, r, mut seq) = ctx();
        c.add(&np("100", 1, "A"), r.clone(), None, Replace::No, &mut seq)
            .unwrap();
        let err = c
            .add(&np("100", 1, "B"), r.clone(), None, Replace::No, &mut seq)
            .unwrap_err();
        assert_eq!(
            err.log_line().text,
            "Unable to register extension '100' priority 1 in 'c', already in use"
        );
        let err = c
            .add(
                &np("_[0-9]XX", 1, "B"),
                r.clone(),
                None,
                Replace::No,
                &mut seq,
            )
            .map(|_| ())
            .and_then(|_| {
                c.add(&np("_XXX", 1, "C"), r.clone(), None, Replace::No, &mut seq)
                    .map(|_| ())
            })
            .unwrap_err();
        assert_eq!(
            err.log_line().text,
            "Unable to register extension '_XXX' priority 1 in 'c', already in use by aliased extension '_[0-9]XX'"
        );
        c.add(&np("100", 1, "D"), r, None, Replace::Yes, &mut seq)
            .unwrap();
        assert_eq!(c.extensions()[0].priorities()[0].app(), "D");
    }

    #[test]
    fn application_text_is_shared_with_the_file_it_is_a_slice_of() {
        let file = Arc::new(String::from("exten => 1,1,Dial(PJSIP/a,30)"));
        let (app, data) = (&file[13..17], &file[18..28]);
        let shared = AppText::new(app, data, "", Some(&file));
        assert!(Arc::ptr_eq(&shared.text, &file));
        assert_eq!((shared.app(), shared.data()), ("Dial", "PJSIP/a,30"));
        assert_eq!(shared.label(), None);
        assert_eq!(
            AppText::new(app, "", "", Some(&file)).range,
            [13, 17, 0, 0, 0, 0]
        );
        let labelled = AppText::new(app, data, &file[9..10], Some(&file));
        assert!(Arc::ptr_eq(&labelled.text, &file));
        assert_eq!(labelled.label(), Some("1"));
        // Text from elsewhere (a substituted hint, another module's extension) is copied.
        let other = String::from("Dial");
        let mut own = AppText::new(&other, data, "x", Some(&file));
        assert!(!Arc::ptr_eq(&own.text, &file));
        assert_eq!(
            (own.app(), own.data(), own.label()),
            ("Dial", "PJSIP/a,30", Some("x"))
        );
        own.drop_label();
        assert_eq!((own.data(), own.label()), ("PJSIP/a,30", None));
        let alone = AppText::new(app, data, "", None);
        assert_eq!((alone.app(), alone.data()), ("Dial", "PJSIP/a,30"));
    }

    #[test]
    fn a_priority_stays_small() {
        // Every loaded line is one of these: see the layout note on `Priority`.
        assert!(std::mem::size_of::<Priority>() <= 64);
        assert!(std::mem::size_of::<Extension>() <= 112);
    }

    #[test]
    fn a_plain_name_is_its_key_and_other_names_are_kept() {
        let (mut c, r, mut seq) = ctx();
        c.add(&np("100", 1, "A"), r.clone(), None, Replace::No, &mut seq)
            .unwrap();
        c.add(
            &np("555-12", 1, "B"),
            r.clone(),
            None,
            Replace::No,
            &mut seq,
        )
        .unwrap();
        c.add(&np("55512", 2, "C"), r.clone(), None, Replace::No, &mut seq)
            .unwrap();
        let e = &c.extensions()[0];
        assert!(e.name.is_none());
        assert_eq!(e.name(), "100");
        let e = &c.extensions()[1];
        assert_eq!(e.pattern().key(), "55512");
        assert_eq!(e.name(), "555-12");
        assert_eq!(e.name_of(&e.priorities()[1]), "55512");
    }

    #[test]
    fn repeated_label_is_dropped_with_a_warning() {
        let (mut c, r, mut seq) = ctx();
        let mut a = np("100", 1, "A");
        a.label = Some("x");
        c.add(&a, r.clone(), None, Replace::No, &mut seq).unwrap();
        let mut b = np("100", 2, "B");
        b.label = Some("x");
        let added = c.add(&b, r, None, Replace::No, &mut seq).unwrap();
        assert_eq!(
            added.warnings[0].text,
            "Extension '100' priority 2 in 'c', label 'x' already in use at priority 1"
        );
        assert_eq!(c.extensions()[0].priorities()[1].label(), None);
    }

    #[test]
    fn removing_a_registrar() {
        let (mut c, r, mut seq) = ctx();
        c.add(&np("100", 1, "A"), r.clone(), None, Replace::No, &mut seq)
            .unwrap();
        let other: Arc<str> = Arc::from("res_parking");
        c.add(
            &np("100", 2, "B"),
            other.clone(),
            None,
            Replace::No,
            &mut seq,
        )
        .unwrap();
        c.add(&np("700", 1, "Park"), other, None, Replace::No, &mut seq)
            .unwrap();
        assert!(!c.remove_registrar("res_parking", &mut seq));
        assert_eq!(c.extensions().len(), 1);
        assert_eq!(c.extensions()[0].priorities().len(), 1);
        assert!(c.remove_registrar("pbx_config", &mut seq));
    }
}
