//! Test fixtures: a minimal stand-in for the `.conf` parser (sections and `key = value` / `key => value`
//! lines, `;` comments) so that the loader can be tested on real-looking text.

use dialplan::conf::{ConfFile, ConfLoad, FileStatus, Item, Op, Section};
use dialplan::source::{SourceMap, Span};
use std::sync::Arc;

/// Parses `text` as a top-level `features.conf`.
pub fn conf(text: &str) -> (ConfLoad, SourceMap) {
    let mut sources = SourceMap::new();
    let id = sources.add("features.conf".into(), Arc::from(text), None);
    let mut file = ConfFile::default();
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let line = raw.split(';').next().unwrap_or_default();
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let lead = line.len() - line.trim_start().len();
        let line_span = Span::new(id, start + lead, start + lead + trimmed.len());
        if let Some(rest) = trimmed.strip_prefix('[') {
            let (name, is_template) = match rest.split_once(']') {
                Some((n, after)) => (n.to_string(), after.starts_with("(!)")),
                None => (rest.to_string(), false),
            };
            file.sections.push(Section {
                name,
                span: line_span,
                is_template,
                inherits: Vec::new(),
                items: Vec::new(),
            });
            continue;
        }
        let eq = trimmed.find('=').expect("test lines need '='");
        let (op, vstart) = if trimmed[eq + 1..].starts_with('>') {
            (Op::Arrow, eq + 2)
        } else {
            (Op::Assign, eq + 1)
        };
        let key = trimmed[..eq].trim();
        let value_raw = &trimmed[vstart..];
        let value = value_raw.trim();
        let base = start + lead;
        let vs = base + vstart + (value_raw.len() - value_raw.trim_start().len());
        let item = Item {
            key: key.to_string(),
            value: value.to_string(),
            op,
            span: line_span,
            key_span: Span::new(id, base, base + key.len()),
            value_span: Span::new(id, vs, vs + value.len()),
            inherited_from: None,
        };
        file.sections
            .last_mut()
            .expect("test lines need a section")
            .items
            .push(item);
    }
    let load = ConfLoad {
        status: FileStatus::Loaded,
        file: Some(file),
        diagnostics: Vec::new(),
    };
    (load, sources)
}
