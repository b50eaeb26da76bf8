//! Test fixtures: text loaded as `res_parking.conf` through the real `.conf` parser, and diagnostics rendered
//! for snapshots.

use dialplan::conf::{self, ConfLoad, MemorySource};
use dialplan::diag::Diagnostic;
use dialplan::source::SourceMap;
use std::path::Path;

/// Parses `text` as the top-level file `name`.
pub fn parse(sources: &mut SourceMap, name: &str, text: &str) -> ConfLoad {
    parse_files(sources, name, &[(name, text)])
}

/// Parses `top` from a set of in-memory files (for `#include` tests).
pub fn parse_files(sources: &mut SourceMap, top: &str, files: &[(&str, &str)]) -> ConfLoad {
    let source = files
        .iter()
        .fold(MemorySource::new(), |s, (name, text)| s.with(name, text));
    conf::load(sources, &source, Path::new(top))
}

/// Diagnostics as a reviewer reads them in a snapshot: the short line, label, help, Asterisk's own lines.
pub fn render(diags: &[Diagnostic], sources: &SourceMap) -> String {
    let mut out = String::new();
    for d in diags {
        out.push_str(&d.short(sources));
        out.push('\n');
        if let Some(label) = &d.label {
            out.push_str(&format!("  label: {label}\n"));
        }
        if let Some(help) = &d.help {
            out.push_str(&format!("  help: {help}\n"));
        }
        for line in &d.asterisk {
            out.push_str(&format!("  asterisk: {}\n", line.console()));
        }
    }
    out
}
