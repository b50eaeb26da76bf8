//! `--format tap`: the Test Anything Protocol (version 14), one test point per scenario; a failure's
//! report follows its `not ok` line as `#` comment lines.

use super::{ScenarioResult, Status};
use crate::expect::report::failure_text;

/// The header: the version and the plan.
pub fn header(count: usize) -> String {
    format!("TAP version 14\n1..{count}\n")
}

/// The test point of scenario number `n` (from 1).
pub fn point(n: usize, r: &ScenarioResult) -> String {
    let path = r.path.display().to_string().replace('#', "\\#");
    let mut s = match &r.status {
        Status::Passed => format!("ok {n} - {path}\n"),
        Status::NoExpectations => format!("ok {n} - {path} (no expectations)\n"),
        Status::Failed => format!("not ok {n} - {path}\n"),
        Status::Unloadable(_) => format!("not ok {n} - {path} (cannot be loaded)\n"),
    };
    let mut comment = String::new();
    if let Status::Unloadable(m) = &r.status {
        comment.push_str(m);
        comment.push('\n');
    }
    for f in &r.failures {
        comment.push_str(&failure_text(&r.path, f));
    }
    comment.push_str(&super::human::trace_text(&r.trace));
    for l in comment.lines() {
        s.push_str(&format!("# {l}\n"));
    }
    s
}
