//! Word wrapping of diagnostic messages.
//!
//! miette wraps a report's message with textwrap, which costs some 25,000 instructions per message even when
//! words are only split at spaces: 40 M instructions of `dialsim check` on a 10 MB dialplan with 1,662
//! warnings. [`wrap_plain`] gives the very same lines as textwrap configured the way the renderer
//! configures miette (words end at spaces, a word may be split after a hyphen between two letters or digits,
//! a word longer than a line is cut, first fit), for the common case of a one-line printable ASCII message,
//! in one pass over its bytes. The renderer hands miette the message already wrapped.

/// The lines of `text` wrapped the way textwrap's `fill` wraps it to `width` columns, with
/// `WordSeparator::AsciiSpace`, the hyphen splitter, `break_words` and first fit, behind a first-line indent
/// `first_indent` columns wide and a `rest_indent` for the other lines, without the indents.
///
/// `None` when `text` is not a single non-empty line of printable ASCII, or when a line would be blank
/// (miette writes a blank line's indent differently): the caller lets textwrap wrap those.
pub fn wrap_plain(
    text: &str,
    width: usize,
    first_indent: usize,
    rest_indent: usize,
) -> Option<Vec<&str>> {
    let bytes = text.as_bytes();
    if bytes.is_empty() || !bytes.iter().all(|b| (b' '..=b'~').contains(b)) {
        return None;
    }
    let first_width = width.saturating_sub(first_indent);
    let rest_width = width.saturating_sub(rest_indent);
    let mut fit = FirstFit::new(first_width, rest_width);
    // textwrap puts an empty word before the first when the first line has an indent, so that a first word
    // too wide for the first line can start the second.
    if first_indent > 0 {
        fit.push(Fragment {
            start: 0,
            end: 0,
            space_end: 0,
        });
    }
    for word in words(bytes) {
        for piece in hyphen_pieces(bytes, word) {
            cut_to_width(piece, rest_width, |f| fit.push(f));
        }
    }
    let lines = fit.finish();
    let out: Vec<&str> = lines.iter().map(|&(a, b)| &text[a..b]).collect();
    if out.iter().any(|l| l.bytes().all(|b| b == b' ')) {
        return None;
    }
    Some(out)
}

/// A piece of the text that wrapping never splits: `start..end` is the word, `end..space_end` the spaces
/// after it (kept between words on a line, dropped at a line's end). Each byte is one column wide.
#[derive(Clone, Copy, Debug)]
struct Fragment {
    start: usize,
    end: usize,
    space_end: usize,
}

impl Fragment {
    fn width(&self) -> usize {
        self.end - self.start
    }

    fn space(&self) -> usize {
        self.space_end - self.end
    }
}

/// Words as textwrap's `AsciiSpace` separator finds them: a new word begins at each non-space byte that
/// follows a space, so spaces at the start of the text form a word of their own (empty, with spaces).
fn words(bytes: &[u8]) -> impl Iterator<Item = Fragment> + '_ {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= bytes.len() {
            return None;
        }
        let end = start + bytes[start..].iter().take_while(|&&b| b != b' ').count();
        let space_end = end + bytes[end..].iter().take_while(|&&b| b == b' ').count();
        let word = Fragment {
            start,
            end,
            space_end,
        };
        start = space_end;
        Some(word)
    })
}

/// A word split after each `-` that has a letter or digit on both sides (textwrap's hyphen splitter); the
/// spaces stay with the last piece.
fn hyphen_pieces(bytes: &[u8], word: Fragment) -> impl Iterator<Item = Fragment> + '_ {
    let mut from = word.start;
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let splits_after = |i: usize| {
            bytes[i] == b'-'
                && i > word.start
                && i + 1 < word.end
                && bytes[i - 1].is_ascii_alphanumeric()
                && bytes[i + 1].is_ascii_alphanumeric()
        };
        match (from..word.end).find(|&i| splits_after(i)) {
            Some(i) => {
                let piece = Fragment {
                    start: from,
                    end: i + 1,
                    space_end: i + 1,
                };
                from = i + 1;
                Some(piece)
            }
            None => {
                done = true;
                Some(Fragment {
                    start: from,
                    end: word.end,
                    space_end: word.space_end,
                })
            }
        }
    })
}

/// Cuts a fragment wider than `width` into pieces of `width` columns (the last keeps the spaces), as
/// textwrap's `break_words` does; a narrower one is passed on whole.
fn cut_to_width(piece: Fragment, width: usize, mut emit: impl FnMut(Fragment)) {
    if piece.width() <= width {
        emit(piece);
        return;
    }
    // Every piece holds at least one column, even when the line has none.
    let step = width.max(1);
    let mut start = piece.start;
    while piece.end - start > step {
        emit(Fragment {
            start,
            end: start + step,
            space_end: start + step,
        });
        start += step;
    }
    emit(Fragment {
        start,
        end: piece.end,
        space_end: piece.space_end,
    });
}

/// First-fit line filling: a fragment starts a new line when it does not fit on the current one, unless it
/// would be the line's first.
struct FirstFit {
    first_width: usize,
    rest_width: usize,
    /// Finished lines, as byte ranges of the text without their trailing spaces.
    lines: Vec<(usize, usize)>,
    /// The current line: where it starts, its last fragment, and its width so far (spaces included).
    current: Option<(usize, Fragment)>,
    used: usize,
}

impl FirstFit {
    fn new(first_width: usize, rest_width: usize) -> Self {
        FirstFit {
            first_width,
            rest_width,
            lines: Vec::with_capacity(2),
            current: None,
            used: 0,
        }
    }

    fn push(&mut self, f: Fragment) {
        let limit = if self.lines.is_empty() {
            self.first_width
        } else {
            self.rest_width
        };
        match self.current {
            Some((start, last)) if self.used + f.width() > limit => {
                self.lines.push((start, last.end));
                self.current = Some((f.start, f));
                self.used = 0;
            }
            Some((start, _)) => self.current = Some((start, f)),
            None => self.current = Some((f.start, f)),
        }
        self.used += f.width() + f.space();
    }

    fn finish(mut self) -> Vec<(usize, usize)> {
        if let Some((start, last)) = self.current {
            self.lines.push((start, last.end));
        }
        self.lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What textwrap gives for the same options, without the indents.
    fn textwrap_lines(text: &str, width: usize, first: &str, rest: &str) -> Vec<String> {
        let opts = textwrap::Options::new(width)
            .initial_indent(first)
            .subsequent_indent(rest)
            .break_words(true)
            .word_separator(textwrap::WordSeparator::AsciiSpace)
            .word_splitter(textwrap::WordSplitter::HyphenSplitter)
            .wrap_algorithm(textwrap::WrapAlgorithm::FirstFit);
        textwrap::wrap(text, opts)
            .into_iter()
            .enumerate()
            .map(|(i, l)| {
                let indent = if i == 0 { first } else { rest };
                l.strip_prefix(indent).unwrap_or(&l).to_string()
            })
            .collect()
    }

    fn check(text: &str, width: usize, first: &str, rest: &str) {
        let ours = wrap_plain(
            text,
            width,
            textwrap::core::display_width(first),
            textwrap::core::display_width(rest),
        );
        let theirs = textwrap_lines(text, width, first, rest);
        if let Some(ours) = ours {
            assert_eq!(ours, theirs, "text {text:?} width {width}");
        }
    }

    #[test]
    fn a_diagnostic_message_wraps_at_spaces() {
        let msg = "priority 3 of '_X.' in 'ctx-01661' can never run: priority 2 is \
                   Goto(ctx-01661,2000,1), which never continues, and nothing jumps here";
        let lines = wrap_plain(msg, 108, 4, 4).unwrap();
        assert_eq!(
            lines,
            [
                "priority 3 of '_X.' in 'ctx-01661' can never run: priority 2 is Goto(ctx-01661,2000,1), which never",
                "continues, and nothing jumps here",
            ]
        );
        check(msg, 108, "  ⚠ ", "  │ ");
    }

    #[test]
    fn hyphens_long_words_and_narrow_lines_match_textwrap() {
        for (text, width) in [
            ("well-known multi-word hyphen-split words", 12),
            ("a--b -x x- 9-9 a-", 3),
            ("averyveryverylongwordthatdoesnotfit and more", 10),
            ("   leading spaces and trailing   ", 9),
            ("x", 1),
            ("ab cd", 4),
            ("ab cd", 5),
            ("abcdefgh", 5),
        ] {
            for (first, rest) in [("", ""), ("  ⚠ ", "  │ "), ("> ", "    ")] {
                check(text, width, first, rest);
            }
        }
    }

    #[test]
    fn other_text_is_left_to_textwrap() {
        assert_eq!(wrap_plain("", 80, 4, 4), None);
        assert_eq!(wrap_plain("two\nlines", 80, 4, 4), None);
        assert_eq!(wrap_plain("caf\u{e9}", 80, 4, 4), None);
        assert_eq!(wrap_plain("tab\there", 80, 4, 4), None);
    }

    proptest! {
        #[test]
        fn same_lines_as_textwrap(
            text in "[a-c0-9 ./(),'$={}_-]{1,80}",
            width in 0usize..30,
            first in "[ >]{0,6}",
            rest in "[ >]{0,6}",
        ) {
            check(&text, width, &first, &rest);
        }
    }
}
