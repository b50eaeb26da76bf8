//! Test fixtures: load text as features.conf through the real `.conf` parser.

use dialplan::conf::{self, ConfLoad, MemorySource};
use dialplan::source::SourceMap;
use std::path::Path;

/// Parses `text` as a top-level `features.conf`.
pub fn conf(text: &str) -> (ConfLoad, SourceMap) {
    conf_files(&[("features.conf", text)])
}

/// Parses `features.conf` from a set of in-memory files (for `#include` tests).
pub fn conf_files(files: &[(&str, &str)]) -> (ConfLoad, SourceMap) {
    let source = files
        .iter()
        .fold(MemorySource::new(), |s, (name, text)| s.with(name, text));
    let mut sources = SourceMap::new();
    let load = conf::load(&mut sources, &source, Path::new("features.conf"));
    (load, sources)
}
