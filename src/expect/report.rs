//! A failed expectation as text: where it is written (`file:line`), what it expected, what happened
//! instead, and the stretch of the run's trace it is about — readable without knowing dialsim.

use super::Failure;
use dialplan::engine::event::clock_text;
use std::path::Path;

/// The report of one failure, indented by two spaces, ending with a newline.
pub fn failure_text(file: &Path, f: &Failure) -> String {
    let mut s = format!("  {}:{}: {}\n", file.display(), f.line, f.title);
    labelled(&mut s, "expected", &f.expected);
    labelled(&mut s, "happened", &f.happened);
    if !f.detail.is_empty() {
        for l in &f.detail {
            s.push_str(&format!("      {l}\n"));
        }
    } else if !f.trace.is_empty() {
        let head = match f.window {
            Some((a, b)) if a == b => format!("the trace around {}:", clock_text(a)),
            Some((a, b)) => format!("the trace around {} to {}:", clock_text(a), clock_text(b)),
            None => "the trace:".to_string(),
        };
        s.push_str(&format!("    {head}\n"));
        for l in &f.trace {
            s.push_str(&format!("      {l}\n"));
        }
    } else if f.whole_trace {
        s.push_str("    (the run's trace is below)\n");
    }
    s
}

/// `    expected: first line` then the other lines aligned under it.
fn labelled(s: &mut String, label: &str, text: &str) {
    let mut lines = text.lines();
    s.push_str(&format!(
        "    {label}: {}\n",
        lines.next().unwrap_or_default()
    ));
    for l in lines {
        s.push_str(&format!("    {:width$}  {l}\n", "", width = label.len()));
    }
}
