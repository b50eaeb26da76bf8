//! `trace = "expected.txt"` (with `format = "verbose" | "json" | "ami"` and, for verbose, `verbosity`):
//! the run's trace, exactly as `dialsim run` prints it in that format, compared line by line with a file
//! beside the scenario; `dialsim test --update` writes the file instead.

use super::record::Record;
use super::{GoldenMode, Miss};
use crate::render::{ami, json, verbose};
use dialplan::diag::LogLevel;
use dialplan::engine::EventBody;
use std::path::{Path, PathBuf};

/// At most this many differing lines are shown.
const SHOWN_DIFFERENCES: usize = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TraceFormat {
    /// Asterisk's console lines at this verbosity.
    Verbose(u8),
    Json,
    Ami,
}

#[derive(Clone, Debug)]
pub struct TraceExpect {
    /// As written, relative to the scenario's folder.
    pub file: PathBuf,
    pub format: TraceFormat,
}

/// What comparing (or updating) found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Same,
    /// `--update` wrote the file (it was missing or different).
    Updated(PathBuf),
    Differs(Miss),
}

/// The run's trace in a format, as `dialsim run --format …` prints it.
pub fn render(rec: &Record, format: TraceFormat) -> String {
    let mut out = String::new();
    for e in &rec.events {
        match format {
            TraceFormat::Verbose(v) => {
                let shown = match &e.body {
                    EventBody::Log(l) => match l.level {
                        LogLevel::Verbose(n) => n <= v,
                        _ => true,
                    },
                    EventBody::Dialsim(_) => true,
                    EventBody::Ami(_) => false,
                };
                if shown {
                    out.push_str(&verbose::render(e));
                }
            }
            TraceFormat::Json => {
                if let Some(l) = json::render(e) {
                    out.push_str(&l);
                }
            }
            TraceFormat::Ami => {
                if let Some(b) = ami::render(e, rec.epoch) {
                    out.push_str(&b);
                }
            }
        }
    }
    out
}

impl TraceExpect {
    pub fn check(&self, rec: &Record, base: &Path, mode: GoldenMode) -> Outcome {
        let path = base.join(&self.file);
        let actual = render(rec, self.format);
        let existing = std::fs::read_to_string(&path);
        if mode == GoldenMode::Update {
            if existing.as_deref().ok() == Some(actual.as_str()) {
                return Outcome::Same;
            }
            return match std::fs::write(&path, &actual) {
                Ok(()) => Outcome::Updated(path),
                Err(e) => Outcome::Differs(Miss::new(
                    format!("to write the trace into {}", path.display()),
                    format!("it cannot be written: {e}"),
                )),
            };
        }
        let expected = match existing {
            Ok(t) => t,
            Err(e) => {
                return Outcome::Differs(Miss::new(
                    format!("the trace in {}", path.display()),
                    format!(
                        "the file cannot be read ({e}); `dialsim test --update` writes it from this run"
                    ),
                ))
            }
        };
        if expected == actual {
            return Outcome::Same;
        }
        Outcome::Differs(compare(&path, &expected, &actual))
    }
}

/// The differing lines of two traces.
fn compare(path: &Path, expected: &str, actual: &str) -> Miss {
    let exp: Vec<&str> = expected.lines().collect();
    let act: Vec<&str> = actual.lines().collect();
    let mut detail = Vec::new();
    let mut differing = 0;
    for i in 0..exp.len().max(act.len()) {
        let (e, a) = (exp.get(i), act.get(i));
        if e == a {
            continue;
        }
        differing += 1;
        if differing > SHOWN_DIFFERENCES {
            continue;
        }
        detail.push(format!("line {}:", i + 1));
        detail.push(format!(
            "  - {}",
            e.copied().unwrap_or("(no line: the file ends before)")
        ));
        detail.push(format!(
            "  + {}",
            a.copied()
                .unwrap_or("(no line: the run's trace ends before)")
        ));
    }
    if differing > SHOWN_DIFFERENCES {
        detail.push(format!(
            "… and {} more differing lines",
            differing - SHOWN_DIFFERENCES
        ));
    }
    if differing == 0 {
        // Only the line endings or the final newline differ.
        detail.push("only the line endings differ".to_string());
    }
    let mut m = Miss::new(
        format!("the trace in {} ({} lines)", path.display(), exp.len()),
        format!(
            "the run's trace ({} lines) differs in {differing} line{} (- the file, + this run); \
             if the change is intended, `dialsim test --update` rewrites the file",
            act.len(),
            if differing == 1 { "" } else { "s" }
        ),
    );
    m.detail = detail;
    m
}
