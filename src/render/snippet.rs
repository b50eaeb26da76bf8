//! The source snippet under a diagnostic's message, written directly in the common case.
//!
//! miette's snippet rendering is general (several labels, spans over many lines, tabs, colour) and costs
//! some 36,000 instructions per diagnostic: 60 M of `dialsim check` on a 10 MB dialplan with 1,662
//! warnings. Most diagnostics point at part of one plain line in the middle of a file, with one label, and
//! for those [`Snippet`] writes the very lines miette writes (a test renders both and compares them); the
//! renderer leaves every other case to miette.

use dialplan::source::{SourceFile, Span};
use miette::ThemeCharacters;
use std::fmt::Write;

/// One labelled span on one line, with the line before and the line after it.
pub struct Snippet<'a> {
    /// The file's name as the header shows it.
    name: String,
    /// The line's number (1-based), and the texts of the line before, the line and the line after.
    line: u32,
    texts: [&'a str; 3],
    /// The span's columns on the line (0-based; the line is ASCII, so bytes).
    start: usize,
    end: usize,
    label: &'a str,
}

impl<'a> Snippet<'a> {
    /// The snippet of `span` in `file`, when it is the simple case: the span is non-empty and on one line
    /// of printable text that is neither the file's first line nor one of its last two, the three lines
    /// shown have no tab, carriage return or escape, the span's line is ASCII, and the label is one line.
    pub fn simple(file: &'a SourceFile, span: Span, label: &'a str) -> Option<Self> {
        if span.start >= span.end || label.is_empty() || label.contains('\n') {
            return None;
        }
        let line = file.line_col(span.start).line;
        let start_of = |n: u32| file.line_start(n);
        let (prev, this, next, after) = (
            start_of(line.checked_sub(1).filter(|&l| l > 0)?)?,
            start_of(line)?,
            start_of(line + 1)?,
            start_of(line + 2)?,
        );
        // A line after the last one shown, so that the last has its newline and miette shows no more.
        let text = file.text.as_str();
        if after >= text.len() || span.end as usize >= next {
            return None;
        }
        let texts = [
            text.get(prev..this)?.strip_suffix('\n')?,
            text.get(this..next)?.strip_suffix('\n')?,
            text.get(next..after)?.strip_suffix('\n')?,
        ];
        let plain = |t: &str| !t.bytes().any(|b| matches!(b, b'\t' | b'\r' | 0x1b));
        if !texts.iter().all(|t| plain(t)) || !texts[1].is_ascii() {
            return None;
        }
        let start = span.start as usize - this;
        let end = span.end as usize - this;
        (end <= texts[1].len()).then(|| Snippet {
            name: file.path.display().to_string(),
            line,
            texts,
            start,
            end,
            label,
        })
    }

    /// Writes the snippet as miette does with `chars`, without colour.
    pub fn write(&self, chars: &ThemeCharacters, out: &mut String) {
        let width = digits(self.line + 1);
        let pad = width + 2;
        let _ = writeln!(
            out,
            "{:pad$}{}{}[{}:{}:{}]",
            "",
            chars.ltop,
            chars.hbar,
            self.name,
            self.line,
            self.start + 1
        );
        for (i, text) in self.texts.iter().enumerate() {
            let number = self.line - 1 + i as u32;
            let _ = writeln!(out, " {number:>width$} {} {text}", chars.vbar);
            if i == 1 {
                self.write_underline(chars, width, out);
            }
        }
        let _ = writeln!(out, "{:pad$}{}{}", "", chars.lbot, Repeat(chars.hbar, 4));
    }

    /// The underline with its tick in the middle, and the label hanging from the tick.
    fn write_underline(&self, chars: &ThemeCharacters, width: usize, out: &mut String) {
        let tick = (self.start + self.end) / 2;
        let _ = writeln!(
            out,
            " {:width$} {} {:start$}{}{}{}",
            "",
            chars.vbar_break,
            "",
            Repeat(chars.underline, tick - self.start),
            chars.underbar,
            Repeat(chars.underline, self.end - tick - 1),
            start = self.start
        );
        let _ = writeln!(
            out,
            " {:width$} {} {:tick$}{}{} {}",
            "",
            chars.vbar_break,
            "",
            chars.lbot,
            Repeat(chars.hbar, 2),
            self.label
        );
    }
}

/// How many decimal digits `n` has.
fn digits(n: u32) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

/// A character written `n` times.
struct Repeat(char, usize);

impl std::fmt::Display for Repeat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (0..self.1).try_for_each(|_| f.write_char(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_of_line_numbers() {
        assert_eq!(digits(1), 1);
        assert_eq!(digits(9), 1);
        assert_eq!(digits(10), 2);
        assert_eq!(digits(222_692), 6);
    }
}
