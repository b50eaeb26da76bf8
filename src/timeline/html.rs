//! The HTML page: the timeline picture inline, then the verbose trace with every `Executing [...]` line
//! linked to the configuration line the priority came from, then the diagnostics (the load's, linked to
//! their lines, and the run's), then the configuration files with one anchor per line. One file, no
//! script, nothing fetched from anywhere.

use super::svg::esc;
use crate::config::LoadedConfig;
use crate::render::verbose;
use dialplan::engine::{Event, EventBody};
use dialplan::source::Span;
use std::fmt::Write;

/// The anchor id of a line of a loaded file.
pub fn line_id(file: u32, line: u32) -> String {
    format!("f{file}-L{line}")
}

/// The page for a run: `svg` is the picture, `events` the run's events, `config` the loaded configuration
/// (for the links and the load diagnostics).
pub fn render(title: &str, svg: &str, events: &[Event], config: &LoadedConfig) -> String {
    let mut out = String::with_capacity(svg.len() + 64 * 1024);
    let _ = writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>",
        esc(title)
    );
    out.push_str(STYLE);
    out.push_str("</head>\n<body>\n");
    let _ = writeln!(out, "<h1>{}</h1>", esc(title));
    out.push_str("<nav><a href=\"#picture\">picture</a> · <a href=\"#trace\">trace</a> · <a href=\"#diagnostics\">diagnostics</a> · <a href=\"#config\">configuration</a></nav>\n");
    out.push_str("<h2 id=\"picture\">Timeline</h2>\n<div class=\"picture\">\n");
    // The SVG document without an XML prolog is valid inline HTML.
    out.push_str(svg);
    out.push_str("</div>\n");
    trace(&mut out, events, config);
    diagnostics(&mut out, events, config);
    files(&mut out, config);
    out.push_str("</body>\n</html>\n");
    out
}

fn trace(out: &mut String, events: &[Event], config: &LoadedConfig) {
    out.push_str("<h2 id=\"trace\">Trace</h2>\n<p>Asterisk's console lines (and dialsim's, tagged <code>[dialsim]</code>); each <code>Executing</code> line links to the line of the configuration its priority comes from.</p>\n<pre class=\"trace\">");
    for e in events {
        let text = verbose::render(e);
        if text.is_empty() {
            continue;
        }
        let target = match &e.body {
            EventBody::Log(line) => executing_target(&line.text, config),
            _ => None,
        };
        let class = match &e.body {
            EventBody::Log(_) => "ast",
            _ => "sim",
        };
        let body = esc(text.trim_end_matches('\n'));
        match target {
            Some(id) => {
                let _ = writeln!(out, "<a class=\"{class}\" href=\"#{id}\">{body}</a>");
            }
            None => {
                let _ = writeln!(out, "<span class=\"{class}\">{body}</span>");
            }
        }
    }
    out.push_str("</pre>\n");
}

/// The anchor of the config line behind an `Executing [exten@context:priority] …` line, if the priority
/// came from a file.
pub fn executing_target(text: &str, config: &LoadedConfig) -> Option<String> {
    let rest = text.strip_prefix("Executing [")?;
    let close = rest.find("] ")?;
    let loc = &rest[..close];
    let (place, prio) = loc.rsplit_once(':')?;
    let (exten, context) = place.rsplit_once('@')?;
    let prio: i32 = prio.parse().ok()?;
    let found = config.dialplan.find(context, exten, prio, None)?;
    span_target(found.priority.source()?, config)
}

fn span_target(span: Span, config: &LoadedConfig) -> Option<String> {
    let lc = config.sources.line_col(span);
    Some(line_id(span.file.0, lc.line))
}

fn diagnostics(out: &mut String, events: &[Event], config: &LoadedConfig) {
    out.push_str("<h2 id=\"diagnostics\">Diagnostics</h2>\n<h3>Loading the configuration</h3>\n<ul class=\"diags\">\n");
    if config.diagnostics.is_empty() {
        out.push_str("<li>none</li>\n");
    }
    for d in &config.diagnostics {
        let place = d.span.and_then(|s| {
            let lc = config.sources.line_col(s);
            let name = config.sources.file(s.file).basename().to_string();
            span_target(s, config).map(|id| (id, format!("{name}:{}", lc.line)))
        });
        let _ = write!(
            out,
            "<li><span class=\"sev\">{:?}</span> <code>{}</code> {}",
            d.severity,
            esc(d.code.0),
            esc(&d.message)
        );
        if let Some((id, label)) = place {
            let _ = write!(out, " (<a href=\"#{id}\">{}</a>)", esc(&label));
        }
        if let Some(h) = &d.help {
            let _ = write!(out, "<br><span class=\"help\">help: {}</span>", esc(h));
        }
        for l in &d.asterisk {
            let _ = write!(
                out,
                "<br><span class=\"astlog\">{}</span>",
                esc(&l.console())
            );
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ul>\n<h3>During the run</h3>\n<ul class=\"diags\">\n");
    let mut any = false;
    for e in events {
        let EventBody::Dialsim(f) = &e.body else {
            continue;
        };
        if f.name != "DialsimDiagnostic" {
            continue;
        }
        any = true;
        let _ = write!(
            out,
            "<li>{} <code>{}</code> {}",
            dialplan::engine::event::clock_text(e.time),
            esc(f.get("Code").unwrap_or_default()),
            esc(f.get("Message").unwrap_or_default())
        );
        if let Some(h) = f.get("Help") {
            let _ = write!(out, "<br><span class=\"help\">help: {}</span>", esc(h));
        }
        out.push_str("</li>\n");
    }
    if !any {
        out.push_str("<li>none</li>\n");
    }
    out.push_str("</ul>\n");
}

fn files(out: &mut String, config: &LoadedConfig) {
    out.push_str("<h2 id=\"config\">Configuration</h2>\n");
    for (id, file) in config.sources.files() {
        let _ = writeln!(
            out,
            "<h3>{}</h3>\n<pre class=\"conf\">",
            esc(file.basename())
        );
        for (i, line) in file.text.lines().enumerate() {
            let n = i as u32 + 1;
            let _ = writeln!(
                out,
                "<span id=\"{}\"><span class=\"ln\">{n:>4}</span> {}</span>",
                line_id(id.0, n),
                esc(line)
            );
        }
        out.push_str("</pre>\n");
    }
}

const STYLE: &str = "<style>
body{font-family:sans-serif;margin:1em 2em;color:#222}
pre{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:12px;background:#fafafa;border:1px solid #ddd;padding:.5em;overflow-x:auto}
pre a{color:#0b4f9c;text-decoration:none;display:block}
pre a:hover{background:#eef3fb}
pre span{display:block}
.sim{color:#8a4b00}
.ln{display:inline !important;color:#999}
.conf span:target{background:#fff3b0}
.picture{overflow-x:auto;border:1px solid #ddd}
.help{color:#555}
.astlog{font-family:monospace;color:#555}
.sev{font-weight:bold}
</style>
";
