//! The `.conf` syntax layer: Asterisk's configuration file format, as `main/config.c` reads it.
//!
//! Independent of the engine and of what the files mean: this module turns text into [`ConfFile`] (sections of
//! `key = value` items, each with its span), follows `#include`/`#tryinclude`, and reports every problem as a
//! [`Diagnostic`]. Parsing never aborts; but where Asterisk rejects a whole file, [`ConfLoad::status`] says so,
//! and the module that owns the file decides what that means (pbx_config declines, res_parking declines, …).

mod diags;
mod glob;
pub mod grammar;
mod line;
mod loader;
mod reader;
mod sources;
mod text;

pub use diags::CODES;
pub use line::{classify, ItemOp, LineKind};
pub use sources::relative_name;
pub use text::ConfText;

use crate::diag::Diagnostic;
use crate::source::{FileId, SourceMap, Span};
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

/// The folder real Asterisk reads its configuration from. Asterisk's own log lines name files by their full
/// path there (`/etc/asterisk/extensions.conf`), and dialsim reproduces those lines verbatim.
pub const ASTERISK_CONFIG_DIR: &str = "/etc/asterisk";

/// Where configuration files come from: a folder on disk, or files held in memory (tests, embedded examples).
pub trait ConfSource {
    /// Reads the file `name`, resolved relative to the configuration folder unless absolute.
    fn read(&self, name: &Path) -> io::Result<Vec<u8>>;
    /// The path under which `name` is shown in messages (Asterisk prints full paths).
    fn display_path(&self, name: &Path) -> PathBuf;
    /// Names matching a glob pattern (for `#include` with wildcards), sorted. Default: the name itself.
    fn glob(&self, pattern: &Path) -> Vec<PathBuf> {
        vec![pattern.to_path_buf()]
    }
    /// Whether `name` is a directory (Asterisk ignores non-regular files it is asked to include).
    fn is_dir(&self, name: &Path) -> bool {
        let _ = name;
        false
    }
    /// The folder on disk the files come from, when there is one (a reload reads it again).
    fn folder(&self) -> Option<&Path> {
        None
    }
}

/// A configuration folder on disk.
#[derive(Clone, Debug)]
pub struct DirSource {
    pub dir: PathBuf,
}

/// Configuration files held in memory, keyed by file name.
#[derive(Clone, Debug, Default)]
pub struct MemorySource {
    pub files: BTreeMap<PathBuf, Vec<u8>>,
}

impl MemorySource {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn with(mut self, name: &str, text: &str) -> Self {
        self.files
            .insert(PathBuf::from(name), text.as_bytes().to_vec());
        self
    }
}

/// What Asterisk made of a file as a whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileStatus {
    /// Read and parsed (possibly with skipped lines).
    Loaded,
    /// The file does not exist (`Unable to load config file …` for modules that need it).
    Missing,
    /// Asterisk's parser rejected the whole file (no category context, unclosed `]`, missing include, …).
    Invalid,
}

/// The result of loading one top-level file.
#[derive(Debug)]
pub struct ConfLoad {
    pub status: FileStatus,
    /// The parsed file; present when `status` is `Loaded`, and also for `Invalid` so that tools can still look
    /// at what was read (the engine must not use it: Asterisk would not).
    pub file: Option<ConfFile>,
    pub diagnostics: Vec<Diagnostic>,
}

/// A parsed configuration file, includes resolved.
#[derive(Clone, Debug, Default)]
pub struct ConfFile {
    pub sections: Vec<Section>,
    /// The file names Asterisk itself records on sections and items (see [`AsteriskOrigin`]); index 0 is
    /// always `""`, the name Asterisk records for everything in the top-level file.
    pub asterisk_files: Vec<String>,
    /// For each file read: how Asterisk names and numbers its lines (see [`ConfFile::asterisk_origin`]).
    pub file_origins: Vec<FileOrigin>,
}

/// Where Asterisk itself thinks a section or item comes from: the `lineno` and `file` of its
/// `ast_category`/`ast_variable`. Modules print these in messages such as res_parking's
/// `... at line %d of %s`.
///
/// `file` indexes [`ConfFile::asterisk_files`]. Asterisk records `""` for the top-level file, the full path
/// (`/etc/asterisk/x.conf`) for an `#include`d one, and `x.conf~~N` for the N-th repeated inclusion of the
/// same name. Inherited items keep the origin of the template line they were copied from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AsteriskOrigin {
    pub line: u32,
    pub file: u32,
}

/// How Asterisk names and numbers the lines of one file read during a load.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileOrigin {
    pub file: FileId,
    /// Index into [`ConfFile::asterisk_files`] of the name Asterisk records for this file's lines.
    pub asterisk_file: u32,
    /// Asterisk's line number minus the physical line number (non-zero for the second and later files of a
    /// glob `#include`, whose line counter runs on from the previous file).
    pub line_offset: u32,
}

impl ConfFile {
    /// Sections a module sees: templates `(!)` are invisible to consumers.
    pub fn visible_sections(&self) -> impl Iterator<Item = &Section> {
        self.sections.iter().filter(|s| !s.is_template)
    }

    /// The file name Asterisk records for an origin (`""` for the top-level file).
    pub fn asterisk_file(&self, origin: AsteriskOrigin) -> &str {
        self.asterisk_files
            .get(origin.file as usize)
            .map_or("", String::as_str)
    }

    /// `(line, file)` as Asterisk's own messages give them for the text at `span` ("line %d of %s"): the line
    /// by Asterisk's counter, and the file name Asterisk records — empty for the top-level file (the
    /// res_parking quirk: `... at line 2 of ` with nothing after "of"), the full path for an included one.
    ///
    /// This answers from the span's file as it was when reading began. For a section or item prefer
    /// [`Item::asterisk_origin`] / [`Section::origin`], which are exact even in the rare cases where Asterisk
    /// changes its mind mid-file (after an included file it rejected, it names later lines of the top-level
    /// file by full path).
    pub fn asterisk_origin(&self, sources: &SourceMap, span: Span) -> (u32, String) {
        let line = sources.line_col(span).line;
        match self.file_origins.iter().find(|o| o.file == span.file) {
            Some(o) => (
                line + o.line_offset,
                self.asterisk_file(AsteriskOrigin {
                    line,
                    file: o.asterisk_file,
                })
                .to_string(),
            ),
            None => (line, String::new()),
        }
    }
}

/// `[name](options)` and the items under it.
#[derive(Clone, Debug)]
pub struct Section {
    /// The name exactly as Asterisk keeps it (inner spaces kept).
    pub name: String,
    /// The header line.
    pub span: Span,
    /// `(!)`: a template, invisible to consumers.
    pub is_template: bool,
    /// Names of templates/sections this one copied items from, in order.
    pub inherits: Vec<String>,
    /// Items in order; inherited items come first (their spans point at the template's lines).
    pub items: Vec<Item>,
    /// Asterisk's line and file for the header (see [`AsteriskOrigin`]).
    pub origin: AsteriskOrigin,
}

/// The operator of an item line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `=`
    Assign,
    /// `=>` (an "object" in Asterisk's terms; means the same as `=` to every module dialsim models)
    Arrow,
}

/// `key = value` / `key => value`.
#[derive(Clone, Debug)]
pub struct Item {
    /// Trimmed name.
    pub key: ConfText,
    /// Trimmed value, comments removed, `\;` unescaped.
    pub value: ConfText,
    pub op: Op,
    /// The whole line (after comment removal and trimming).
    pub span: Span,
    pub key_span: Span,
    pub value_span: Span,
    /// `Some(template name)` when the item was copied from a template or inherited section.
    /// (A boxed `str`, not a `String`: a large file has hundreds of thousands of items, and every byte of
    /// an item is memory the process must touch.)
    pub inherited_from: Option<Box<str>>,
    /// Asterisk's line and file for the item (see [`AsteriskOrigin`]).
    pub origin: AsteriskOrigin,
}

impl Item {
    /// `(line, file)` as Asterisk's messages print them for this item ("line %d of %s"); the file is empty
    /// for the top-level file.
    pub fn asterisk_origin<'c>(&self, conf: &'c ConfFile) -> (u32, &'c str) {
        (self.origin.line, conf.asterisk_file(self.origin))
    }
}

impl Section {
    /// Items with a given key (case-sensitive), in order.
    pub fn get_all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a Item> + 'a {
        self.items.iter().filter(move |i| i.key == key)
    }
}

/// Loads `name` from `source`, following includes, registering every file read in `sources`.
///
/// Never fails and never panics: every problem is a diagnostic, and [`ConfLoad::status`] says whether Asterisk
/// would accept the file.
pub fn load(sources: &mut SourceMap, source: &dyn ConfSource, name: &Path) -> ConfLoad {
    loader::load(sources, source, name)
}
