//! The loader: `config_text_file_load` and `process_text_line` of Asterisk's `main/config.c` as a Rust state
//! machine — includes, templates, `(+)`, `+=`, and every complaint Asterisk makes on the way.
//!
//! What it models, beyond the line syntax:
//! - One load keeps Asterisk's `include_level`. A file rejected while being `#include`d ends only that file
//!   (the including file goes on), and Asterisk never lowers the level again after it; the level decides the
//!   file name recorded on sections and items (`""` at level 1) and the 10-level include limit.
//! - A glob `#include` reads its files with one line counter, one block-comment state and one current
//!   section, as Asterisk's single `config_text_file_load` call does.
//! - An included file starts in the section that was current when it was included (it needs no header);
//!   afterwards the including file goes on in *its* own current section.
//! - After a fatal error in the top-level file Asterisk stops reading. dialsim reads on to report every
//!   problem (without Asterisk log lines for them), but the file's status is [`FileStatus::Invalid`].
//!
//! Divergence (on purpose): an include cycle is reported and not followed; Asterisk follows it 10 levels deep.

use super::diags::{self, At, Fatal};
use super::line::{classify, trim_end_range, trim_range, trim_start_range, ItemOp, LineKind};
use super::reader::{CommentEvent, Comments, Kept, LineReader, Piece, Splice};
use super::{
    AsteriskOrigin, ConfFile, ConfLoad, ConfSource, ConfText, FileOrigin, FileStatus, Item, Op,
    Section, ASTERISK_CONFIG_DIR,
};
use crate::diag::Diagnostic;
use crate::source::{FileId, SourceMap, Span};
use std::collections::BTreeMap;
use std::io;
use std::path::Path;
use std::sync::Arc;

/// Asterisk's `MAX_INCLUDE_LEVEL`.
const MAX_INCLUDE_LEVEL: i32 = 10;
/// `char name[80]` in `struct ast_category`.
const MAX_SECTION_NAME: usize = 79;
/// How far ahead the loader looks for the next section header to make room for a section's items (see
/// [`LineRef::lines_to_next_header`]): enough for a thousand lines or so.
const RESERVE_WINDOW: usize = 64 * 1024;
/// The most items room is made for at once (a longer section grows its list as usual): this bounds what a
/// wrong guess can cost (a section of blank lines, or one that the next lines add to by `(+)`).
const MAX_RESERVE: usize = 4096;

pub(super) fn load(sources: &mut SourceMap, source: &dyn ConfSource, name: &Path) -> ConfLoad {
    let mut loader = Loader {
        sources,
        source,
        conf: ConfFile {
            sections: Vec::new(),
            asterisk_files: vec![String::new()],
            file_origins: Vec::new(),
        },
        by_name: BTreeMap::new(),
        file_names: BTreeMap::new(),
        diags: Vec::new(),
        // ast_config_internal_load raises the level to 1 for the top-level file.
        include_level: 1,
        current: None,
        includes: Vec::new(),
        stopped_at: None,
    };
    let pattern = name.to_string_lossy().into_owned();
    let outcome = loader.load_set(&pattern, 0, None, Fatal::Top);
    let status = match outcome {
        Outcome::NotFound => FileStatus::Missing,
        Outcome::Invalid => FileStatus::Invalid,
        Outcome::Loaded => FileStatus::Loaded,
    };
    ConfLoad {
        status,
        file: (status != FileStatus::Missing).then_some(loader.conf),
        diagnostics: loader.diags,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    NotFound,
    Loaded,
    Invalid,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum IncludeKind {
    Include,
    TryInclude,
}

struct Loader<'s> {
    sources: &'s mut SourceMap,
    source: &'s dyn ConfSource,
    conf: ConfFile,
    /// Lower-case section name → indices of the sections with that name, in order (strcasecmp lookups).
    by_name: BTreeMap<String, Vec<usize>>,
    /// Interning of [`ConfFile::asterisk_files`].
    file_names: BTreeMap<String, u32>,
    diags: Vec<Diagnostic>,
    /// Asterisk's `cfg->include_level`.
    include_level: i32,
    /// Asterisk's `cfg->current`: the section an included file starts in.
    current: Option<usize>,
    /// `#include` names seen, with how often each was repeated (`ast_include_find`).
    includes: Vec<(String, u32)>,
    /// Asterisk's line where it stopped reading the top-level file (a fatal error there).
    stopped_at: Option<u32>,
}

/// The state of one `config_text_file_load` call (shared by all files of a glob).
struct SetState {
    lineno: u32,
    comments: Comments,
    /// The current section (`cat`).
    cat: Option<usize>,
    fatal: Fatal,
    /// Interned name Asterisk was asked to record (`suggested_include_file`; 0 = none).
    suggested: u32,
    /// Asterisk rejected this call's files (`CONFIG_STATUS_FILEINVALID`).
    invalid: bool,
    /// `(include_level, interned file name)` last used for origins in the current file.
    origin_cache: Option<(i32, u32)>,
}

/// The file being read.
struct FileCtx {
    id: FileId,
    /// The full path Asterisk prints (`/etc/asterisk/x.conf`).
    asterisk_path: String,
}

/// A comment-free line and the source offset of each of its bytes.
struct LineRef<'a> {
    bytes: &'a [u8],
    base: Base<'a>,
    /// The whole file's text, when `base` is [`Base::At`]: sub-slices of it are shared, not copied.
    source: Option<&'a Arc<String>>,
    /// The file's line table (`0` and the offset after each `\n`), or empty when unknown.
    line_starts: &'a [u32],
}

enum Base<'a> {
    At(usize),
    Table(&'a [u32]),
}

impl LineRef<'_> {
    fn off(&self, i: usize) -> usize {
        match self.base {
            Base::At(b) => b + i,
            Base::Table(t) => t.get(i).map_or(0, |&o| o as usize),
        }
    }

    /// The text of `a..b`: a slice of the file when the line is one, else a copy.
    ///
    /// The loader cuts lines only next to ASCII bytes (blanks, `=`, `>`, `+`, `\`), which are character
    /// boundaries of any UTF-8 text, so only the bounds need checking here.
    fn text(&self, a: usize, b: usize) -> ConfText {
        if let (Base::At(base), Some(src)) = (&self.base, self.source) {
            if a <= b && base + b <= src.len() {
                return ConfText::shared(src, base + a, base + b);
            }
        }
        ConfText::from(text_of(&self.bytes[a..b]))
    }

    /// How many lines of the file follow this one before the next section header: room for the items of a
    /// section that starts here, so that its list is allocated once instead of being doubled and copied
    /// as it grows (and holding up to twice the room it needs). Only a hint: at most [`RESERVE_WINDOW`]
    /// bytes are looked at, and the count stops at [`MAX_RESERVE`].
    fn lines_to_next_header(&self) -> usize {
        let (Base::At(base), Some(src)) = (&self.base, self.source) else {
            return 0;
        };
        let text = src.as_bytes();
        let from = (base + self.bytes.len()).min(text.len());
        if self.line_starts.is_empty() {
            lines_to_header_by_search(text, from)
        } else {
            lines_to_header_by_table(text, self.line_starts, from)
        }
    }

    fn span(&self, file: FileId, a: usize, b: usize) -> Span {
        let start = self.off(a);
        let end = if b > a { self.off(b - 1) + 1 } else { start };
        Span::new(file, start, end.max(start))
    }
}

/// [`LineRef::lines_to_next_header`] from offset `from` of `text`, searching the text: the `\n`s before
/// the next `[` that has only blanks before it on its line, within [`RESERVE_WINDOW`] bytes.
fn lines_to_header_by_search(text: &[u8], from: usize) -> usize {
    let window = &text[from..(from + RESERVE_WINDOW).min(text.len())];
    // The next `[` with only blanks before it on its line.
    let header = memchr::memchr_iter(b'[', window).find(|&k| {
        let before = &window[..k];
        let blanks = before
            .iter()
            .rev()
            .take_while(|&&c| c != b'\n' && c < 33)
            .count();
        k > blanks && before[k - blanks - 1] == b'\n'
    });
    let end = header.unwrap_or(window.len());
    memchr::memchr_iter(b'\n', &window[..end])
        .count()
        .min(MAX_RESERVE)
}

/// The same count from the file's line table: one look at the first non-blank byte of each following
/// line, instead of visiting every `[` of the text (a dialplan's values are full of `$[...]`) and counting
/// the `\n`s again.
fn lines_to_header_by_table(text: &[u8], starts: &[u32], from: usize) -> usize {
    let limit = (from + RESERVE_WINDOW).min(text.len());
    let first = starts.partition_point(|&s| s as usize <= from);
    let mut count = 0;
    for &s in starts.get(first..).unwrap_or_default() {
        let s = s as usize;
        if s > limit || count >= MAX_RESERVE {
            break;
        }
        // Each line start here follows a `\n` inside the window.
        count += 1;
        let mut p = s;
        while p < limit && text[p] < 33 && text[p] != b'\n' {
            p += 1;
        }
        if p < limit && text[p] == b'[' {
            // The header's own line start is counted: its `\n` comes before the `[`.
            break;
        }
    }
    count.min(MAX_RESERVE)
}

/// The `#include` line that asked for a file.
struct IncludeFrom {
    span: Span,
    file: FileId,
    line: u32,
    asterisk_path: String,
}

/// Where `*cat` points while a header's options are processed.
#[derive(Clone, Copy)]
enum Target {
    New,
    Existing(usize),
}

fn text_of(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// The full path Asterisk uses for a name relative to its configuration folder.
fn asterisk_path(name: &Path) -> String {
    if name.is_absolute() {
        name.to_string_lossy().into_owned()
    } else {
        format!("{ASTERISK_CONFIG_DIR}/{}", name.to_string_lossy())
    }
}

/// Decodes file bytes keeping every offset: an invalid byte becomes one `?`. Returns the offset of the first
/// invalid byte, if any.
fn decode(bytes: Vec<u8>) -> (Arc<String>, Option<usize>) {
    match String::from_utf8(bytes) {
        // No copy: the text read is the text kept.
        Ok(s) => (Arc::new(s), None),
        Err(e) => {
            let bytes = e.into_bytes();
            let mut out = String::with_capacity(bytes.len());
            let mut first = None;
            for chunk in bytes.utf8_chunks() {
                out.push_str(chunk.valid());
                if !chunk.invalid().is_empty() {
                    first.get_or_insert(out.len());
                    out.extend(std::iter::repeat_n('?', chunk.invalid().len()));
                }
            }
            (Arc::new(out), first)
        }
    }
}

impl Loader<'_> {
    fn intern(&mut self, name: &str) -> u32 {
        if name.is_empty() {
            return 0;
        }
        if let Some(&i) = self.file_names.get(name) {
            return i;
        }
        let i = self.conf.asterisk_files.len() as u32;
        self.conf.asterisk_files.push(name.to_string());
        self.file_names.insert(name.to_string(), i);
        i
    }

    /// The file name Asterisk records on what it reads now: `S_OR(suggested, level == 1 ? "" : configfile)`.
    /// (Inlined: it runs for every item, and nearly always answers from the cache.)
    #[inline]
    fn origin_file(&mut self, st: &mut SetState, f: &FileCtx) -> u32 {
        if st.suggested != 0 {
            return st.suggested;
        }
        if let Some((level, idx)) = st.origin_cache {
            if level == self.include_level {
                return idx;
            }
        }
        let idx = if self.include_level == 1 {
            0
        } else {
            let path = f.asterisk_path.clone();
            self.intern(&path)
        };
        st.origin_cache = Some((self.include_level, idx));
        idx
    }

    fn at<'a>(&self, f: &'a FileCtx, span: Span, line: u32) -> At<'a> {
        At {
            span: Some(span),
            line,
            file: &f.asterisk_path,
            stopped_at: self.stopped_at,
        }
    }

    /// Records a fatal parse error: Asterisk rejects this call's files (`process_text_line` returned -1).
    fn fail(&mut self, st: &mut SetState, lineno: u32) {
        if !st.invalid && st.fatal == Fatal::Top && self.stopped_at.is_none() {
            self.stopped_at = Some(lineno);
            if let Some(line) = st.comments.open_line() {
                // Asterisk reports an open block comment even when it stops reading early.
                if let Some(d) = self.diags.last_mut() {
                    d.asterisk.push(crate::diag::LogLine::new(
                        crate::diag::LogLevel::Warning,
                        "config.c",
                        format!("Unterminated comment detected beginning on line {line}"),
                    ));
                }
            }
        }
        st.invalid = true;
    }

    /// One `config_text_file_load` call: every file `pattern` globs to, read with one shared state.
    fn load_set(
        &mut self,
        pattern: &str,
        suggested: u32,
        include: Option<&IncludeFrom>,
        fatal: Fatal,
    ) -> Outcome {
        let names = self.source.glob(Path::new(pattern));
        let mut st = SetState {
            lineno: 0,
            comments: Comments::default(),
            cat: self.current,
            fatal,
            suggested,
            invalid: false,
            origin_cache: None,
        };
        let mut count = 0usize;
        for name in names {
            let ast_path = asterisk_path(&name);
            let include_span = include.map(|i| i.span);
            if self.source.is_dir(&name) {
                let at = At {
                    span: include_span,
                    line: 0,
                    file: "",
                    stopped_at: self.stopped_at,
                };
                self.diags.push(diags::include_not_regular(&at, &ast_path));
                continue;
            }
            let bytes = match self.source.read(&name) {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => {
                    let shown = self.source.display_path(&name);
                    self.diags.push(diags::unreadable_file(
                        &shown.to_string_lossy(),
                        &e.to_string(),
                        include_span,
                    ));
                    continue;
                }
            };
            let path = self.source.display_path(&name);
            if let Some(from) = include {
                if self.sources.is_in_chain(from.file, &path) {
                    count += 1;
                    self.report_cycle(from, &path, pattern);
                    continue;
                }
            }
            count += 1;
            let (text, first_invalid) = decode(bytes);
            let id = self.sources.add(path, text, include_span);
            let f = FileCtx {
                id,
                asterisk_path: ast_path,
            };
            st.origin_cache = None;
            let asterisk_file = self.origin_file(&mut st, &f);
            self.conf.file_origins.push(FileOrigin {
                file: id,
                asterisk_file,
                line_offset: st.lineno,
            });
            if let Some(off) = first_invalid {
                let at = self.at(&f, Span::new(id, off, off + 1), 0);
                self.diags.push(diags::invalid_utf8(&at));
            }
            self.read_file(&f, &mut st);
            if let Some(off) = st.comments.open_offset() {
                // (When Asterisk stopped early in the top-level file, its own line went with that error.)
                let at = self.at(&f, Span::new(id, off, off + 3), 0);
                self.diags
                    .push(diags::unterminated_comment(&at, st.comments.open_line()));
            }
            if st.invalid {
                break;
            }
        }
        if count == 0 {
            Outcome::NotFound
        } else if st.invalid {
            Outcome::Invalid
        } else {
            Outcome::Loaded
        }
    }

    fn report_cycle(&mut self, from: &IncludeFrom, path: &Path, name: &str) {
        let mut chain: Vec<String> = self
            .sources
            .include_chain(from.file)
            .iter()
            .rev()
            .map(|s| self.sources.file(s.file).path.display().to_string())
            .collect();
        chain.push(self.sources.file(from.file).path.display().to_string());
        chain.push(path.display().to_string());
        let at = At {
            span: Some(from.span),
            line: from.line,
            file: &from.asterisk_path,
            stopped_at: self.stopped_at,
        };
        let d = diags::include_cycle(&at, name, &chain.join(" -> "), false);
        self.diags.push(d);
    }

    /// Reads one file line by line (Asterisk's `fgets` loop).
    fn read_file(&mut self, f: &FileCtx, st: &mut SetState) {
        let file = self.sources.file(f.id);
        let (text, line_starts) = (file.text.clone(), file.line_starts().clone());
        let bytes = text.as_bytes();
        let mut reader = LineReader::with_line_starts(bytes, &line_starts);
        let mut splice = Splice::default();
        while let Some(piece) = reader.next_piece(&mut st.lineno) {
            match piece {
                Piece::TooLong { lineno, start, end } => {
                    let shown_end = if bytes.get(end.wrapping_sub(1)) == Some(&b'\n') {
                        end - 1
                    } else {
                        end
                    };
                    let begins = String::from_utf8_lossy(&bytes[start..(start + 32).min(end)]);
                    let at = self.at(f, Span::new(f.id, start, shown_end), lineno);
                    self.diags
                        .push(diags::line_too_long(&at, shown_end - start, &begins));
                }
                Piece::Line {
                    lineno,
                    start,
                    end,
                    nul,
                } => {
                    if let Some(n) = nul {
                        let at = self.at(f, Span::new(f.id, n, n + 1), lineno);
                        self.diags.push(diags::nul_byte(&at));
                    }
                    let kept = st.comments.strip(bytes, start, end, lineno, &mut splice);
                    let line = match kept {
                        Kept::Nothing => None,
                        Kept::Slice { start, end } => Some(LineRef {
                            bytes: &bytes[start..end],
                            base: Base::At(start),
                            source: Some(&text),
                            line_starts: &line_starts,
                        }),
                        Kept::Spliced { bytes, offsets } => Some(LineRef {
                            bytes,
                            base: Base::Table(offsets),
                            source: None,
                            line_starts: &[],
                        }),
                    };
                    for ev in std::mem::take(&mut st.comments.events) {
                        let d = match ev {
                            CommentEvent::StrayClose { at } => {
                                let a = self.at(f, Span::new(f.id, at, at + 3), lineno);
                                diags::stray_comment_close(&a)
                            }
                            CommentEvent::NestLimit { at } => {
                                let a = self.at(f, Span::new(f.id, at, at + 3), lineno);
                                diags::comment_nest_limit(&a)
                            }
                        };
                        self.diags.push(d);
                    }
                    if let Some(line) = line {
                        self.process_line(st, f, lineno, &line);
                    }
                }
            }
            if st.invalid && st.fatal == Fatal::Included {
                break;
            }
        }
    }

    /// `process_text_line`: one comment-free line.
    fn process_line(&mut self, st: &mut SetState, f: &FileCtx, lineno: u32, line: &LineRef) {
        let (a, b) = trim_range(line.bytes, 0, line.bytes.len());
        if a == b {
            return;
        }
        let text = &line.bytes[a..b];
        let span = line.span(f.id, a, b);
        let kind = classify(text);
        let sub = |r: (u32, u32)| (a + r.0 as usize, a + r.1 as usize);
        match kind {
            LineKind::Section {
                name,
                options,
                trailing,
            } => self.section(
                st,
                f,
                lineno,
                line,
                span,
                sub(name),
                options.map(sub),
                sub(trailing),
            ),
            LineKind::UnclosedBracket => {
                let at = self.at(f, span, lineno);
                self.diags
                    .push(diags::no_closing_bracket(&at, &text_of(text), st.fatal));
                self.fail(st, lineno);
            }
            LineKind::UnclosedParen { name } => {
                let at = self.at(f, span, lineno);
                self.diags
                    .push(diags::no_closing_paren(&at, &text_of(text), st.fatal));
                self.fail(st, lineno);
                if st.fatal == Fatal::Top {
                    // Go on in a section of that name, so that the lines below are still checked.
                    let (n0, n1) = sub(name);
                    let section = self.new_section(st, f, lineno, &line.bytes[n0..n1], span);
                    self.append_section(st, section);
                }
            }
            LineKind::Directive { name, arg } => {
                self.directive(st, f, lineno, line, span, sub(name), arg.map(sub))
            }
            LineKind::BadEscape | LineKind::NoEquals | LineKind::Item { .. } => {
                let Some(cat) = st.cat else {
                    let at = self.at(f, span, lineno);
                    self.diags
                        .push(diags::no_category(&at, &text_of(text), st.fatal));
                    self.fail(st, lineno);
                    return;
                };
                match kind {
                    LineKind::BadEscape => {
                        let at = self.at(f, span, lineno);
                        self.diags
                            .push(diags::invalid_escape(&at, &text_of(text), st.fatal));
                        self.fail(st, lineno);
                    }
                    LineKind::NoEquals => {
                        let at = self.at(f, span, lineno);
                        let section = self.conf.sections[cat].name.clone();
                        self.diags
                            .push(diags::no_equals(&at, &text_of(text), &section));
                    }
                    LineKind::Item { key, op, value, .. } => {
                        self.item(st, f, lineno, line, span, cat, sub(key), op, sub(value))
                    }
                    _ => {}
                }
            }
        }
    }

    fn new_section(
        &mut self,
        st: &mut SetState,
        f: &FileCtx,
        lineno: u32,
        raw_name: &[u8],
        span: Span,
    ) -> Section {
        let mut name = text_of(raw_name);
        if name.len() > MAX_SECTION_NAME {
            let mut cut = MAX_SECTION_NAME;
            while !name.is_char_boundary(cut) {
                cut -= 1;
            }
            let full = std::mem::take(&mut name);
            name = full[..cut].to_string();
            let at = self.at(f, span, lineno);
            self.diags.push(diags::long_section_name(&at, &full, &name));
        }
        let file = self.origin_file(st, f);
        Section {
            name,
            span,
            is_template: false,
            inherits: Vec::new(),
            items: Vec::new(),
            origin: AsteriskOrigin { line: lineno, file },
        }
    }

    fn append_section(&mut self, st: &mut SetState, section: Section) {
        let idx = self.conf.sections.len();
        self.by_name
            .entry(section.name.to_ascii_lowercase())
            .or_default()
            .push(idx);
        self.conf.sections.push(section);
        self.current = Some(idx);
        st.cat = Some(idx);
    }

    /// `[name](options)`.
    #[allow(clippy::too_many_arguments)]
    fn section(
        &mut self,
        st: &mut SetState,
        f: &FileCtx,
        lineno: u32,
        line: &LineRef,
        span: Span,
        name: (usize, usize),
        options: Option<(usize, usize)>,
        trailing: (usize, usize),
    ) {
        let mut new = Some(self.new_section(st, f, lineno, &line.bytes[name.0..name.1], span));
        let section_name = new.as_ref().map(|s| s.name.clone()).unwrap_or_default();
        let trailing_text = &line.bytes[trailing.0..trailing.1];
        if !trailing_text.is_empty() {
            let at = self.at(f, line.span(f.id, trailing.0, trailing.1), lineno);
            self.diags.push(diags::header_trailing_text(
                &at,
                &section_name,
                &text_of(trailing_text),
            ));
        }
        let mut target = Target::New;
        let mut failed = false;
        if let Some((o0, o1)) = options {
            for opt in line.bytes[o0..o1].split(|&c| c == b',') {
                if opt == b"!" {
                    match target {
                        Target::New => {
                            if let Some(s) = new.as_mut() {
                                s.is_template = true;
                            }
                        }
                        Target::Existing(i) => self.conf.sections[i].is_template = true,
                    }
                } else if let Some(filter) = opt.strip_prefix(b"+") {
                    let filter = text_of(filter);
                    let at = self.at(f, span, lineno);
                    match self.find_append(&section_name, &filter, &at) {
                        Some(i) => {
                            if let Some(n) = new.take() {
                                self.current = Some(i);
                                let existing = &mut self.conf.sections[i];
                                existing.is_template |= n.is_template;
                                existing.items.extend(n.items);
                                existing.inherits.extend(n.inherits);
                            }
                            target = Target::Existing(i);
                        }
                        None => {
                            let only_template = self.find_any(&section_name).is_some();
                            self.diags.push(diags::append_missing(
                                &at,
                                &section_name,
                                only_template,
                                st.fatal,
                            ));
                            failed = true;
                            break;
                        }
                    }
                } else {
                    let base_name = text_of(opt);
                    let Some(b) = self.find_any(&base_name) else {
                        let at = self.at(f, span, lineno);
                        self.diags.push(diags::unknown_template(
                            &at,
                            &section_name,
                            &base_name,
                            st.fatal,
                        ));
                        failed = true;
                        break;
                    };
                    let base = &self.conf.sections[b];
                    let copied_name: Box<str> = Box::from(base.name.as_str());
                    let copied: Vec<Item> = base
                        .items
                        .iter()
                        .map(|it| Item {
                            inherited_from: Some(copied_name.clone()),
                            ..it.clone()
                        })
                        .collect();
                    let dest = match target {
                        Target::New => new.as_mut(),
                        Target::Existing(i) => self.conf.sections.get_mut(i),
                    };
                    if let Some(dest) = dest {
                        dest.items.extend(copied);
                        dest.inherits.push(copied_name.into());
                    }
                }
            }
        }
        if failed {
            self.fail(st, lineno);
            if st.fatal == Fatal::Included {
                // Asterisk discards the new section and stops reading this file.
                return;
            }
        }
        match (new, target) {
            (Some(mut section), _) => {
                section.items.reserve_exact(line.lines_to_next_header());
                self.append_section(st, section)
            }
            (None, Target::Existing(i)) => st.cat = Some(i),
            (None, Target::New) => {}
        }
    }

    /// The first section named `name` (ASCII case-insensitive), template or not; an empty name matches the
    /// first section of all (Asterisk's lookup treats an empty name as "any").
    fn find_any(&self, name: &str) -> Option<usize> {
        if name.is_empty() {
            return (!self.conf.sections.is_empty()).then_some(0);
        }
        self.by_name
            .get(&name.to_ascii_lowercase())
            .and_then(|v| v.first().copied())
    }

    /// The section `[name](+filter)` adds to: the first one with that name that passes the filter (an empty
    /// filter: the first one that is not a template).
    fn find_append(&mut self, name: &str, filter: &str, at: &At) -> Option<usize> {
        let candidates: Vec<usize> = if name.is_empty() {
            (0..self.conf.sections.len()).collect()
        } else {
            self.by_name
                .get(&name.to_ascii_lowercase())
                .cloned()
                .unwrap_or_default()
        };
        let mut reported = false;
        for i in candidates {
            let section = &self.conf.sections[i];
            let ok = if filter.is_empty() {
                Some(!section.is_template)
            } else {
                filter_matches(section, filter)
            };
            match ok {
                Some(true) => return Some(i),
                Some(false) => {}
                None => {
                    if !reported {
                        reported = true;
                        self.diags.push(diags::unsupported_filter(at, filter));
                    }
                }
            }
        }
        None
    }

    /// `#include`, `#tryinclude`, `#exec`, or an unknown directive.
    #[allow(clippy::too_many_arguments)]
    fn directive(
        &mut self,
        st: &mut SetState,
        f: &FileCtx,
        lineno: u32,
        line: &LineRef,
        span: Span,
        name: (usize, usize),
        arg: Option<(usize, usize)>,
    ) {
        let dname = text_of(&line.bytes[name.0..name.1]);
        let at = self.at(f, span, lineno);
        let kind = if dname.eq_ignore_ascii_case("include") {
            IncludeKind::Include
        } else if dname.eq_ignore_ascii_case("tryinclude") {
            IncludeKind::TryInclude
        } else if dname.eq_ignore_ascii_case("exec") {
            // dialsim's Asterisk never has execincludes=yes.
            let command = arg.map_or(String::new(), |(a, b)| text_of(&line.bytes[a..b]));
            self.diags.push(diags::exec_disabled(&at, &command));
            return;
        } else {
            self.diags.push(diags::unknown_directive(&at, &dname));
            return;
        };
        let Some((a0, a1)) = arg else {
            self.diags
                .push(diags::directive_needs_argument(&at, &dname));
            return;
        };
        let target = text_of(&line.bytes[a0..a1]);
        self.include(st, f, lineno, span, &target, kind);
    }

    fn include(
        &mut self,
        st: &mut SetState,
        f: &FileCtx,
        lineno: u32,
        span: Span,
        target: &str,
        kind: IncludeKind,
    ) {
        let at = self.at(f, span, lineno);
        // ast_include_new: the same name included again is read again, under the name `name~~N`.
        let saved_as = match self.includes.iter_mut().find(|(n, _)| n == target) {
            Some(entry) => {
                entry.1 += 1;
                format!("{target}~~{}", entry.1)
            }
            None => {
                self.includes.push((target.to_string(), 0));
                String::new()
            }
        };
        if !saved_as.is_empty() {
            let from_file = if self.include_level == 1 {
                ""
            } else {
                f.asterisk_path.as_str()
            };
            self.diags
                .push(diags::duplicate_include(&at, target, from_file, &saved_as));
        }
        let tolerated = kind == IncludeKind::TryInclude;
        // ast_config_internal_load: the include limit.
        if self.include_level > MAX_INCLUDE_LEVEL {
            self.diags
                .push(diags::include_depth(&at, target, tolerated, st.fatal));
            if !tolerated {
                self.fail(st, lineno);
            }
            return;
        }
        self.include_level += 1;
        let suggested = self.intern(&saved_as);
        let from = IncludeFrom {
            span,
            file: f.id,
            line: lineno,
            asterisk_path: f.asterisk_path.clone(),
        };
        let outcome = self.load_set(target, suggested, Some(&from), Fatal::Included);
        if outcome != Outcome::Invalid {
            self.include_level -= 1;
        }
        if outcome == Outcome::NotFound {
            let at = self.at(f, span, lineno);
            if tolerated {
                self.diags.push(diags::tryinclude_missing(&at, target));
            } else {
                self.diags
                    .push(diags::missing_include(&at, target, st.fatal));
                self.fail(st, lineno);
            }
        }
    }

    /// `name = value`, `name => value`, `name += value`.
    #[allow(clippy::too_many_arguments)]
    fn item(
        &mut self,
        st: &mut SetState,
        f: &FileCtx,
        lineno: u32,
        line: &LineRef,
        span: Span,
        cat: usize,
        key: (usize, usize),
        op: ItemOp,
        value: (usize, usize),
    ) {
        let bytes = line.bytes;
        // The line is trimmed already (`process_line`): the key starts at a non-blank (the line's first
        // byte, or the one after a `\` that `classify` checked), and the value ends at the line's last
        // byte, so each needs trimming on one side only.
        let (k0, k1) = (key.0, trim_end_range(bytes, key.0, key.1));
        let key_bytes = &bytes[k0..k1];
        if op == ItemOp::Append {
            let items = &self.conf.sections[cat].items;
            if let Some(r) = items.iter().rposition(|it| it.key.as_bytes() == key_bytes) {
                let replace_key = items[r].key.clone();
                let replace_value = items[r].value.clone();
                // The old value, the raw text after `+=`, blanks trimmed at both ends of the whole.
                let mut joined = replace_value.as_bytes().to_vec();
                joined.extend_from_slice(&bytes[value.0..value.1]);
                let (j0, j1) = trim_range(&joined, 0, joined.len());
                let new_value = text_of(&joined[j0..j1]);
                // ast_variable_update: the first item with that name (any case) whose value equals the old
                // value (any case; an empty old value matches any) is the one that changes.
                let items = &mut self.conf.sections[cat].items;
                if let Some(target) = items.iter_mut().find(|it| {
                    it.key.eq_ignore_ascii_case(&replace_key)
                        && (replace_value.is_empty()
                            || it.value.eq_ignore_ascii_case(&replace_value))
                }) {
                    target.key = replace_key;
                    target.value = ConfText::from(new_value);
                    target.inherited_from = None;
                }
                return;
            }
        }
        if key_bytes.is_empty() {
            let at = self.at(f, span, lineno);
            let text = text_of(bytes);
            self.diags.push(diags::no_variable_name(
                &at,
                text.trim_matches(|c: char| c < '!'),
            ));
            return;
        }
        let (v0, v1) = (trim_start_range(bytes, value.0, value.1), value.1);
        let file = self.origin_file(st, f);
        let (key, value, key_span, value_span) = match (&line.base, line.source) {
            // The usual line, a slice of its file: both texts share the file's text, and both spans are
            // the file offsets of the trimmed ranges (what `LineRef::text`/`span` give, without matching
            // on the line's kind four times).
            (&Base::At(base), Some(src)) if base + k1.max(v1) <= src.len() => (
                ConfText::shared(src, base + k0, base + k1),
                ConfText::shared(src, base + v0, base + v1),
                Span::new(f.id, base + k0, base + k1),
                Span::new(f.id, base + v0, base + v1),
            ),
            _ => (
                line.text(k0, k1),
                line.text(v0, v1),
                line.span(f.id, k0, k1),
                line.span(f.id, v0, v1),
            ),
        };
        let item = Item {
            key,
            value,
            op: if op == ItemOp::Arrow {
                Op::Arrow
            } else {
                Op::Assign
            },
            span,
            key_span,
            value_span,
            inherited_from: None,
            origin: AsteriskOrigin { line: lineno, file },
        };
        self.conf.sections[cat].items.push(item);
    }
}

/// `does_category_match` for a `(+filter)`: `&`-separated `name=value` pairs (regular expressions matched
/// against the section's items) and `TEMPLATES=include|restrict`. `None` when a pair needs a real regular
/// expression engine (dialsim evaluates only literal patterns, which match as substrings, as `regexec` does).
fn filter_matches(section: &Section, filter: &str) -> Option<bool> {
    let mut found = 0;
    let mut exprs = 0;
    let mut template_ok = false;
    for token in filter.split('&') {
        exprs += 1;
        let mut parts = token.split('=');
        let name = parts.next().unwrap_or_default().trim();
        let Some(value) = parts.next().map(str::trim) else {
            break;
        };
        if name == "TEMPLATES" {
            if value.eq_ignore_ascii_case("include") {
                template_ok |= section.is_template;
                found += 1;
            } else if value.eq_ignore_ascii_case("restrict") {
                if section.is_template {
                    found += 1;
                    template_ok = true;
                } else {
                    break;
                }
            }
            continue;
        }
        let is_regex = |s: &str| s.chars().any(|c| ".[]()*+?{}|^$\\".contains(c));
        if is_regex(name) || is_regex(value) {
            return None;
        }
        if section
            .items
            .iter()
            .any(|it| it.key.contains(name) && it.value.contains(value))
        {
            found += 1;
        }
    }
    Some(found == exprs && (!section.is_template || template_ok))
}

#[cfg(test)]
mod tests {
    use super::super::{load, MemorySource};
    use super::*;

    fn run(src: &MemorySource, name: &str) -> (ConfLoad, SourceMap) {
        let mut map = SourceMap::new();
        let l = load(&mut map, src, Path::new(name));
        (l, map)
    }

    fn one(text: &str) -> (ConfLoad, SourceMap) {
        run(&MemorySource::new().with("t.conf", text), "t.conf")
    }

    fn file(l: &ConfLoad) -> &ConfFile {
        l.file.as_ref().expect("file")
    }

    fn items(s: &Section) -> Vec<(String, String)> {
        s.items
            .iter()
            .map(|i| (i.key.to_string(), i.value.to_string()))
            .collect()
    }

    fn kv(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn asterisk(l: &ConfLoad) -> Vec<String> {
        l.diagnostics
            .iter()
            .flat_map(|d| d.asterisk.iter().map(|a| a.console()))
            .collect()
    }

    #[test]
    fn basic_file() {
        let (l, map) = one(
            "[general]\nstatic=yes ; c\n\n[ctx]\nexten => 1,1,NoOp(a;b)\n same => n,Hangup()\n",
        );
        assert_eq!(l.status, FileStatus::Loaded);
        assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
        let f = file(&l);
        assert_eq!(f.sections.len(), 2);
        assert_eq!(items(&f.sections[0]), kv(&[("static", "yes")]));
        assert_eq!(
            items(&f.sections[1]),
            kv(&[("exten", "1,1,NoOp(a"), ("same", "n,Hangup()")])
        );
        let it = &f.sections[1].items[1];
        assert_eq!(it.op, Op::Arrow);
        assert_eq!(map.snippet(it.key_span), "same");
        assert_eq!(map.snippet(it.value_span), "n,Hangup()");
        assert_eq!(map.snippet(it.span), "same => n,Hangup()");
        assert_eq!(it.asterisk_origin(f), (6, ""));
        assert_eq!(map.snippet(f.sections[1].span), "[ctx]");
    }

    #[test]
    fn templates_inherit_and_append() {
        let (l, _) = one("[tpl](!)\na=1\nb=2\n[x](tpl)\nc=3\n[x](+)\nd=4\n[x]\ne=5\n[T](+)\nz=1\n");
        // `[T](+)`: the only `T` is a template, which `(+)` cannot add to.
        assert_eq!(l.status, FileStatus::Invalid);
        let f = file(&l);
        assert!(f.sections[0].is_template);
        assert_eq!(
            items(&f.sections[1]),
            kv(&[("a", "1"), ("b", "2"), ("c", "3"), ("d", "4")])
        );
        assert_eq!(
            f.sections[1].items[0].inherited_from.as_deref(),
            Some("tpl")
        );
        assert_eq!(f.sections[1].inherits, vec!["tpl".to_string()]);
        assert_eq!(items(&f.sections[2]), kv(&[("e", "5")]));
        assert_eq!(
            asterisk(&l),
            vec!["WARNING: config.c: Category addition requested, but category 'T' does not exist, line 10 of /etc/asterisk/t.conf"]
        );
    }

    #[test]
    fn plus_equals_appends_to_the_last_same_name_item() {
        let (l, _) = one("[a]\nx=1\nx=2\nx += 3\nX=9\ny+=new\n");
        let f = file(&l);
        assert_eq!(
            items(&f.sections[0]),
            kv(&[("x", "1"), ("x", "2 3"), ("X", "9"), ("y", "new")])
        );
        // The old value is found case-insensitively and the first equal one changes.
        let (l, _) = one("[a]\nx=v\nx=V\nx+=w\n");
        assert_eq!(items(&file(&l).sections[0]), kv(&[("x", "Vw"), ("x", "V")]));
    }

    #[test]
    fn included_file_continues_the_current_section() {
        let src = MemorySource::new()
            .with("top.conf", "[a]\nx=1\n#include inc.conf\ny=2\n")
            .with("inc.conf", "z=3\n[b]\nw=4\n");
        let (l, map) = run(&src, "top.conf");
        assert_eq!(l.status, FileStatus::Loaded);
        let f = file(&l);
        assert_eq!(
            items(&f.sections[0]),
            kv(&[("x", "1"), ("z", "3"), ("y", "2")])
        );
        assert_eq!(items(&f.sections[1]), kv(&[("w", "4")]));
        let z = &f.sections[0].items[1];
        assert_eq!(z.asterisk_origin(f), (1, "/etc/asterisk/inc.conf"));
        assert_eq!(map.include_chain(z.span.file).len(), 1);
        assert_eq!(
            f.asterisk_origin(&map, z.span),
            (1, "/etc/asterisk/inc.conf".to_string())
        );
    }

    #[test]
    fn header_option_combinations() {
        // `(+,tpl)`: add to the existing section, then copy the template's items after its own.
        let (l, _) = one("[tpl](!)\nt=1\n[a]\na=1\n[a](+,tpl)\nb=2\n");
        let f = file(&l);
        assert_eq!(f.sections.len(), 2);
        assert_eq!(
            items(&f.sections[1]),
            kv(&[("a", "1"), ("t", "1"), ("b", "2")])
        );
        // `(!,+)`: the existing section becomes a template.
        let (l, _) = one("[a]\na=1\n[a](!,+)\n");
        assert!(file(&l).sections[0].is_template);
        assert_eq!(file(&l).visible_sections().count(), 0);
        // `()` inherits from the first section of all (an empty name matches any).
        let (l, _) = one("[first]\nf=1\n[b]()\n");
        assert_eq!(l.status, FileStatus::Loaded);
        assert_eq!(items(&file(&l).sections[1]), kv(&[("f", "1")]));
        // Repeated plain headers are separate sections.
        let (l, _) = one("[a]\nx=1\n[a]\nx=2\n");
        assert_eq!(file(&l).sections.len(), 2);
        // Inheritance copies what the base has at that moment, its own inherited items included.
        let (l, _) = one("[t1](!)\na=1\n[t2](!,t1)\nb=2\n[c](t2)\n[t1](+)\nlate=1\n");
        assert_eq!(l.status, FileStatus::Invalid);
        let f = file(&l);
        assert_eq!(items(&f.sections[2]), kv(&[("a", "1"), ("b", "2")]));
        assert_eq!(f.sections[2].items[0].inherited_from.as_deref(), Some("t2"));
    }

    #[test]
    fn long_section_names_are_cut() {
        let long = "n".repeat(100);
        let (l, _) = one(&format!("[{long}]\nx=1\n[b]({long})\n"));
        let f = file(&l);
        assert_eq!(f.sections[0].name.len(), 79);
        // The cut name no longer matches the full one.
        assert_eq!(l.status, FileStatus::Invalid);
        assert!(l
            .diagnostics
            .iter()
            .any(|d| d.code == diags::LONG_SECTION_NAME));
    }

    #[test]
    fn append_filter() {
        let (l, _) = one("[a]\ntype=x\n[a]\ntype=y\n[a](+type=y)\nz=1\n");
        let f = file(&l);
        assert_eq!(l.status, FileStatus::Loaded);
        assert_eq!(items(&f.sections[1]), kv(&[("type", "y"), ("z", "1")]));
        let (l, _) = one("[a]\ntype=x\n[a](+type=^x$)\n");
        assert_eq!(l.status, FileStatus::Invalid);
        assert!(l
            .diagnostics
            .iter()
            .any(|d| d.code == diags::UNSUPPORTED_FILTER));
    }

    #[test]
    fn header_distance_by_table_equals_the_search() {
        let texts: [&[u8]; 6] = [
            b"[a]\nx=1\n; note\ny=2\n[b]\nz=1\n",
            b"[a]\nx=$[1+2]\n  [b]\nq=[c]\n\t[d] ; x\n[e]",
            b"[a]\n\n\n",
            b"[a]\nexten => 1,1,Set(A=$[${B} + 1])\n \n[",
            b"x\n[\n[a]\n",
            b"",
        ];
        for text in texts {
            let mut starts = vec![0u32];
            starts.extend(memchr::memchr_iter(b'\n', text).map(|i| i as u32 + 1));
            for from in 0..=text.len() {
                assert_eq!(
                    lines_to_header_by_table(text, &starts, from),
                    lines_to_header_by_search(text, from),
                    "{:?} from {from}",
                    String::from_utf8_lossy(text)
                );
            }
        }
    }

    #[test]
    fn room_for_a_sections_items_is_counted_up_to_the_next_header() {
        let (l, _) = one("[a]\nx=1\n; note\ny=2\n[b]\nz=1\n");
        let f = file(&l);
        // The lines up to `[b]` (the comment too): the list is allocated once, not doubled.
        assert!((2..=4).contains(&f.sections[0].items.capacity()));
        // An indented header ends the count too.
        let (l, _) = one("[a]\nx=1\n \t[b]\nk=v\n[c]\n");
        assert!((1..=2).contains(&file(&l).sections[0].items.capacity()));
        // `$[` in a value is no header.
        let (l, _) = one("[a]\nx=$[1]\ny=[2]\nz=3\n[b]\n");
        assert!((3..=4).contains(&file(&l).sections[0].items.capacity()));
    }

    #[test]
    fn included_file_rejected_keeps_what_came_before() {
        let src = MemorySource::new()
            .with("top.conf", "[a]\n#include bad.conf\nafter=1\n")
            .with("bad.conf", "[b]\nb1=1\n[c](nope)\nc1=1\n");
        let (l, _) = run(&src, "top.conf");
        assert_eq!(l.status, FileStatus::Loaded);
        let f = file(&l);
        // `[c]` is discarded with the rest of bad.conf; top.conf goes on in `[a]`.
        assert_eq!(
            f.sections
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert_eq!(items(&f.sections[0]), kv(&[("after", "1")]));
        assert_eq!(items(&f.sections[1]), kv(&[("b1", "1")]));
    }
}
