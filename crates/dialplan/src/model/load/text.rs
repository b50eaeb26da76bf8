//! Loading extensions.conf text held in memory: the conf layer and pbx_config's load in one call, for tests,
//! examples and tools that start from text rather than a folder.

use super::{load_extensions_with, ExtensionsLoad, GlobalsOnly};
use crate::conf::{self, ConfFile, FileStatus, MemorySource};
use crate::diag::Diagnostic;
use crate::model::Dialplan;
use crate::source::SourceMap;
use std::path::Path;

/// Parses `files` (name and text; the first is the top-level file, the others what it may `#include`) with
/// the conf layer, registering them in `sources`. `Err` holds the conf layer's diagnostics when Asterisk would
/// not use the file (missing, or rejected as a whole).
pub fn parse_text(
    sources: &mut SourceMap,
    files: &[(&str, &str)],
) -> Result<ConfFile, Vec<Diagnostic>> {
    let Some((top, _)) = files.first() else {
        return Err(Vec::new());
    };
    let src = files.iter().fold(MemorySource::new(), |src, (name, text)| {
        src.with(name, text)
    });
    let load = conf::load(sources, &src, Path::new(top));
    match (load.status, load.file) {
        (FileStatus::Loaded, Some(file)) => Ok(file),
        _ => Err(load.diagnostics),
    }
}

/// [`parse_text`], then pbx_config's load of the result into `dialplan` (with [`GlobalsOnly`] substitution,
/// as `load_extensions` does), which may already hold other modules' contexts.
pub fn load_text(
    dialplan: &mut Dialplan,
    sources: &mut SourceMap,
    files: &[(&str, &str)],
) -> Result<ExtensionsLoad, Vec<Diagnostic>> {
    let file = parse_text(sources, files)?;
    Ok(load_extensions_with(dialplan, &file, sources, &GlobalsOnly))
}
