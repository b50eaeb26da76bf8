//! Reading console commands: from a terminal with rustyline (line editing, history, tab completion of
//! commands, contexts, channels and devices), or line by line from standard input when it is not a
//! terminal, each command echoed after the prompt so the output reads as a transcript.

use super::session::{Flow, Session};
use rustyline::completion::{Completer, Pair};
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::history::DefaultHistory;
use rustyline::validate::Validator;
use rustyline::{Context, Editor, Helper};
use std::cell::RefCell;
use std::io::{BufRead, Write};
use std::rc::Rc;

/// Completes the word under the cursor from the session's words.
pub struct Completion {
    words: Rc<RefCell<Vec<String>>>,
}

impl Completer for Completion {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let (start, candidates) = complete(&self.words.borrow(), &line[..pos]);
        Ok((
            start,
            candidates
                .into_iter()
                .map(|c| Pair {
                    display: c.clone(),
                    replacement: c,
                })
                .collect(),
        ))
    }
}

impl Hinter for Completion {
    type Hint = String;
}
impl Highlighter for Completion {}
impl Validator for Completion {}
impl Helper for Completion {}

/// Where the word being typed starts and what it may become: the whole line against multi-word commands
/// first (`core show ch` → `core show channels`), then the last word against single words.
pub fn complete(words: &[String], before: &str) -> (usize, Vec<String>) {
    let start = before.rfind([' ', ',', '@']).map_or(0, |i| i + 1);
    let word = &before[start..];
    let mut out: Vec<String> = Vec::new();
    if !before.trim_start().is_empty() {
        for w in words.iter().filter(|w| w.contains(' ')) {
            if let Some(rest) = w.strip_prefix(before.trim_start()) {
                if !rest.is_empty() {
                    out.push(format!("{word}{rest}"));
                }
            }
        }
    }
    for w in words.iter().filter(|w| !w.contains(' ')) {
        if w.starts_with(word) && w != word {
            out.push(w.clone());
        }
    }
    out.sort();
    out.dedup();
    (start, out)
}

/// Runs the console on a terminal.
pub fn interactive(session: &mut Session) -> rustyline::Result<()> {
    let words = Rc::new(RefCell::new(session.completions()));
    let mut editor: Editor<Completion, DefaultHistory> = Editor::new()?;
    editor.set_helper(Some(Completion {
        words: words.clone(),
    }));
    loop {
        match editor.readline(&session.prompt()) {
            Ok(line) => {
                if !line.trim().is_empty() {
                    let _ = editor.add_history_entry(line.as_str());
                }
                let (out, flow) = session.execute(&line);
                print!("{out}");
                let _ = std::io::stdout().flush();
                *words.borrow_mut() = session.completions();
                if flow == Flow::Quit {
                    return Ok(());
                }
            }
            Err(rustyline::error::ReadlineError::Interrupted) => continue,
            Err(rustyline::error::ReadlineError::Eof) => return Ok(()),
            Err(e) => return Err(e),
        }
    }
}

/// Runs the console on commands from `input`, writing the transcript to `out`.
pub fn scripted(
    session: &mut Session,
    input: impl BufRead,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    for line in input.lines() {
        let line = line?;
        write!(out, "{}{}\n", session.prompt(), line)?;
        let (text, flow) = session.execute(&line);
        out.write_all(text.as_bytes())?;
        if flow == Flow::Quit {
            break;
        }
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completes_commands_and_names() {
        let words: Vec<String> = [
            "core show channels",
            "core show channel",
            "parkedcalls",
            "PJSIP/outside-00000000",
            "step",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            complete(&words, "core show chan"),
            (10, vec!["channel".into(), "channels".into()])
        );
        assert_eq!(complete(&words, "st"), (0, vec!["step".into()]));
        assert_eq!(
            complete(&words, "break park"),
            (6, vec!["parkedcalls".into()])
        );
        assert_eq!(
            complete(&words, "hangup PJ"),
            (7, vec!["PJSIP/outside-00000000".into()])
        );
    }
}
