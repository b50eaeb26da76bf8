//! The `.conf` syntax layer: Asterisk's configuration file format, as `main/config.c` reads it.
//!
//! Independent of the engine and of what the files mean: this module turns text into [`ConfFile`] (sections of
//! `key = value` items, each with its span), follows `#include`/`#tryinclude`, and reports every problem as a
//! [`Diagnostic`]. Parsing never aborts; but where Asterisk rejects a whole file, [`ConfLoad::status`] says so,
//! and the module that owns the file decides what that means (pbx_config declines, res_parking declines, …).

use crate::diag::Diagnostic;
use crate::source::{SourceMap, Span};
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
        self.files.insert(PathBuf::from(name), text.as_bytes().to_vec());
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
}

impl ConfFile {
    /// Sections a module sees: templates `(!)` are invisible to consumers.
    pub fn visible_sections(&self) -> impl Iterator<Item = &Section> {
        self.sections.iter().filter(|s| !s.is_template)
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
    pub key: String,
    /// Trimmed value, comments removed, `\;` unescaped.
    pub value: String,
    pub op: Op,
    /// The whole line (after comment removal and trimming).
    pub span: Span,
    pub key_span: Span,
    pub value_span: Span,
    /// `Some(template name)` when the item was copied from a template or inherited section.
    pub inherited_from: Option<String>,
}

impl Section {
    /// Items with a given key (case-sensitive), in order.
    pub fn get_all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a Item> + 'a {
        self.items.iter().filter(move |i| i.key == key)
    }
}

/// Loads `name` from `source`, following includes, registering every file read in `sources`.
pub fn load(sources: &mut SourceMap, source: &dyn ConfSource, name: &Path) -> ConfLoad {
    let _ = (sources, source, name);
    todo!("conf loader")
}
