//! A minimal `.conf` reader for this crate's tests, standing in for `dialplan::conf::load` until it lands:
//! sections, `(!)` templates, `key = value` / `key => value`, `;` comments. The first line of the source map is
//! the top-level file.

use dialplan::conf::{ConfFile, ConfLoad, FileStatus, Item, Op, Section};
use dialplan::source::{SourceMap, Span};
use std::sync::Arc;

pub fn parse(sources: &mut SourceMap, name: &str, text: &str) -> ConfLoad {
    let id = sources.add(name.into(), Arc::from(text), None);
    let mut file = ConfFile::default();
    let mut offset = 0usize;
    for raw in text.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let line = raw.split(';').next().unwrap_or("");
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let lead = line.len() - line.trim_start().len();
        let span = Span::new(id, start + lead, start + lead + trimmed.len());
        if let Some(rest) = trimmed.strip_prefix('[') {
            let close = rest.find(']').expect("test fixture: closing ]");
            file.sections.push(Section {
                name: rest[..close].to_string(),
                span,
                is_template: rest[close + 1..].starts_with("(!)"),
                inherits: Vec::new(),
                items: Vec::new(),
            });
            continue;
        }
        let Some(section) = file.sections.last_mut() else {
            return ConfLoad {
                status: FileStatus::Invalid,
                file: None,
                diagnostics: Vec::new(),
            };
        };
        let Some(eq) = trimmed.find('=') else {
            continue;
        };
        let (op, vstart) = if trimmed[eq + 1..].starts_with('>') {
            (Op::Arrow, eq + 2)
        } else {
            (Op::Assign, eq + 1)
        };
        let key = trimmed[..eq].trim_end();
        let value_raw = &trimmed[vstart..];
        let value = value_raw.trim();
        let vlead = value_raw.len() - value_raw.trim_start().len();
        let abs = start + lead;
        section.items.push(Item {
            key: key.to_string(),
            value: value.to_string(),
            op,
            span,
            key_span: Span::new(id, abs, abs + key.len()),
            value_span: Span::new(id, abs + vstart + vlead, abs + vstart + vlead + value.len()),
            inherited_from: None,
        });
    }
    ConfLoad {
        status: FileStatus::Loaded,
        file: Some(file),
        diagnostics: Vec::new(),
    }
}

/// Diagnostics as a reviewer reads them in a snapshot: the short line, label, help, Asterisk's own lines.
pub fn render(diags: &[dialplan::diag::Diagnostic], sources: &SourceMap) -> String {
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
