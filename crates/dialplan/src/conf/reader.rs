//! Reading a file's text the way `config.c` does: `fgets` into an 8192-byte buffer, and comments.
//!
//! [`LineReader`] cuts the text into the pieces Asterisk's `fgets` loop sees: at most 8191 bytes or up to a
//! `\n`; a NUL ends the line's text (C strings); a piece that fills the buffer without a `\n` is a line "too
//! long", skipped up to its end; a UTF-8 BOM on line 1 is dropped. Asterisk's line counter counts pieces, not
//! physical lines (they differ only around NUL bytes in overlong lines), and a glob `#include` reads all its
//! files with one counter, so the counter lives outside the reader.
//!
//! [`Comments`] removes `;` comments, `\;` escapes and nestable `;-- --;` blocks with the exact algorithm of
//! `config_text_file_load`, including its corner cases (a stray `--;` drives the nesting counter negative).

use memchr::memchr;

/// Size of Asterisk's line buffer (`char buf[8192]`): `fgets` reads at most one byte less.
pub const LINE_BUF: usize = 8192;
const PIECE: usize = LINE_BUF - 1;
/// Deepest block-comment nesting Asterisk records (`MAX_NESTED_COMMENTS`).
pub const MAX_NESTED_COMMENTS: i32 = 128;
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One line as Asterisk's `fgets` loop hands it on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Piece {
    /// Text to process: `start..end` (no `\n`; BOM removed); `nul` is where a NUL byte cut it.
    Line {
        lineno: u32,
        start: usize,
        end: usize,
        nul: Option<usize>,
    },
    /// A line that did not fit the buffer; `start..end` is everything skipped.
    TooLong {
        lineno: u32,
        start: usize,
        end: usize,
    },
}

/// Cuts one file's bytes into [`Piece`]s.
pub struct LineReader<'t> {
    text: &'t [u8],
    pos: usize,
    eof: bool,
    /// The next NUL byte at or after `pos` (or the end): NULs are rare, so one scan serves many lines.
    next_nul: usize,
    /// Where the text's lines start (see [`crate::source::SourceFile::line_starts`]), when known: the end
    /// of each line is looked up instead of searched for.
    line_starts: &'t [u32],
    /// The first entry of `line_starts` past `pos`, or near below it.
    next_line: usize,
}

/// One `fgets` result: the piece `start..end` and the C string length of it.
struct Fgets {
    start: usize,
    end: usize,
    strlen: usize,
}

impl<'t> LineReader<'t> {
    /// A reader that searches for each line's end (the loader passes the file's line table instead).
    #[cfg(test)]
    pub fn new(text: &'t [u8]) -> Self {
        LineReader::with_line_starts(text, &[])
    }

    /// A reader of `text` whose line starts are known: `line_starts` must be 0 and the offset after each
    /// `\n` of `text`, in order (an empty table: the reader searches for each line's end).
    pub fn with_line_starts(text: &'t [u8], line_starts: &'t [u32]) -> Self {
        LineReader {
            text,
            pos: 0,
            eof: false,
            next_nul: memchr(0, text).unwrap_or(text.len()),
            line_starts,
            next_line: 0,
        }
    }

    /// The end of the piece starting at `start` that may reach `window_end`: just after the first `\n`
    /// in between, else `window_end`.
    #[inline]
    fn piece_end(&mut self, start: usize, window_end: usize) -> usize {
        if self.line_starts.is_empty() {
            let window = &self.text[start..window_end];
            return memchr(b'\n', window).map_or(window_end, |i| start + i + 1);
        }
        while self
            .line_starts
            .get(self.next_line)
            .is_some_and(|&s| s as usize <= start)
        {
            self.next_line += 1;
        }
        match self.line_starts.get(self.next_line) {
            Some(&s) if s as usize <= window_end => s as usize,
            _ => window_end,
        }
    }

    /// The next piece; `lineno` is Asterisk's counter, advanced as `config_text_file_load` advances it
    /// (including the final read that finds end of file).
    ///
    /// (Inlined, with [`Self::fgets`] and [`Comments::strip`], into the loader's line loop: they run once
    /// per line, and as calls across codegen units they cost about 24 M instructions more on a 10 MB file.)
    #[inline]
    pub fn next_piece(&mut self, lineno: &mut u32) -> Option<Piece> {
        if self.eof {
            return None;
        }
        *lineno += 1;
        let f = self.fgets()?;
        if f.strlen == PIECE && self.text[f.start + PIECE - 1] != b'\n' {
            let start = f.start;
            let mut end = f.end;
            while let Some(g) = self.fgets() {
                end = g.end;
                if g.strlen != PIECE || self.text[g.start + PIECE - 1] == b'\n' {
                    break;
                }
            }
            return Some(Piece::TooLong {
                lineno: *lineno,
                start,
                end,
            });
        }
        let mut start = f.start;
        let mut end = f.start + f.strlen;
        let nul = (f.strlen < f.end - f.start && self.text[end] == 0).then_some(end);
        if end > start && self.text[end - 1] == b'\n' {
            end -= 1;
        }
        if *lineno == 1 && self.text[start..end].starts_with(BOM) {
            start += BOM.len();
        }
        Some(Piece::Line {
            lineno: *lineno,
            start,
            end,
            nul,
        })
    }

    #[inline]
    fn fgets(&mut self) -> Option<Fgets> {
        let start = self.pos;
        let window_end = (start + PIECE).min(self.text.len());
        if start >= window_end {
            self.eof = true;
            return None;
        }
        if self.next_nul < start {
            self.next_nul = memchr(0, &self.text[start..]).map_or(self.text.len(), |i| start + i);
        }
        let end = self.piece_end(start, window_end);
        let strlen = self.next_nul.min(end) - start;
        // fgets notices end of file only when it tries to read past it.
        if end == window_end && self.text[end - 1] != b'\n' && end - start < PIECE {
            self.eof = true;
        }
        self.pos = end;
        Some(Fgets { start, end, strlen })
    }
}

/// Something notable the comment scanner met on a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommentEvent {
    /// `--;` outside any block comment at this source offset: Asterisk's counter goes negative.
    StrayClose { at: usize },
    /// `;--` at this offset would nest deeper than Asterisk allows (Asterisk loops forever here).
    NestLimit { at: usize },
}

/// The text left of a line after comment removal, with the source offset of each byte.
pub enum Kept<'b> {
    /// Nothing to process (the whole line is inside a block comment).
    Nothing,
    /// A contiguous part of the source: `start..end`.
    Slice { start: usize, end: usize },
    /// Text spliced from several parts; `offsets[i]` is the source offset of `bytes[i]`, and
    /// `offsets[bytes.len()]` the offset just past the last byte.
    Spliced { bytes: &'b [u8], offsets: &'b [u32] },
}

/// Block-comment state across the lines of one `config_text_file_load` call.
#[derive(Debug)]
pub struct Comments {
    /// Asterisk's `comment` counter (an `int`: a stray `--;` makes it negative).
    pub depth: i32,
    /// `nest[i]`: the line where the block at depth `i + 1` opened, and `nest_at[i]` its source offset.
    nest: Vec<u32>,
    nest_at: Vec<u32>,
    pub events: Vec<CommentEvent>,
}

/// Scratch space for lines that need splicing, reused from line to line; and the position of the next `;`
/// in the file, so that lines without one cost no scan of their own. One `Splice` serves one file's text.
#[derive(Debug, Default)]
pub struct Splice {
    buf: Vec<u8>,
    offs: Vec<u32>,
    /// `(from, at)`: the first `;` at or after `from` is at `at` (`usize::MAX`: none).
    next_semi: Option<(usize, usize)>,
}

impl Default for Comments {
    fn default() -> Self {
        Comments {
            depth: 0,
            nest: vec![0; MAX_NESTED_COMMENTS as usize],
            nest_at: vec![0; MAX_NESTED_COMMENTS as usize],
            events: Vec::new(),
        }
    }
}

impl Comments {
    /// The line where the innermost open block comment began, when Asterisk knows it.
    pub fn open_line(&self) -> Option<u32> {
        (self.depth >= 1).then(|| self.nest[(self.depth - 1) as usize])
    }

    /// The source offset of the innermost open `;--`, when one is open.
    pub fn open_offset(&self) -> Option<usize> {
        (self.depth >= 1).then(|| self.nest_at[(self.depth - 1) as usize] as usize)
    }

    /// Removes comments from `text[start..end]` (line `lineno`).
    #[inline]
    pub fn strip<'b>(
        &mut self,
        text: &[u8],
        start: usize,
        end: usize,
        lineno: u32,
        splice: &'b mut Splice,
    ) -> Kept<'b> {
        let line = &text[start..end];
        let semi = match splice.next_semi {
            Some((from, at)) if from <= start && (at >= start || at == usize::MAX) => at,
            _ => {
                let at = memchr(b';', &text[start..]).map_or(usize::MAX, |i| start + i);
                splice.next_semi = Some((start, at));
                at
            }
        };
        let first = (semi < end).then(|| semi - start);
        // Fast paths: no `;` at all, or a first `;` that is a plain comment outside any block.
        match first {
            None if self.depth == 0 => return Kept::Slice { start, end },
            None => return Kept::Nothing,
            Some(p) if self.depth == 0 && is_plain(line, p) => {
                return Kept::Slice {
                    start,
                    end: start + p,
                }
            }
            Some(_) => {}
        }
        self.strip_slow(line, start, lineno, splice)
    }

    /// The general case, following `config_text_file_load` step by step on a NUL-terminated copy.
    #[inline(never)]
    fn strip_slow<'b>(
        &mut self,
        line: &[u8],
        start: usize,
        lineno: u32,
        splice: &'b mut Splice,
    ) -> Kept<'b> {
        let Splice { buf, offs, .. } = splice;
        buf.clear();
        offs.clear();
        buf.extend_from_slice(line);
        buf.push(0);
        offs.extend((start..=start + line.len()).map(|o| o as u32));
        let at = |b: &Vec<u8>, i: usize| b.get(i).copied().unwrap_or(0);
        let mut new_buf = 0usize;
        let mut process: Option<usize> = (self.depth == 0).then_some(0);
        while let Some(p) = cstr_find(buf, new_buf, b';') {
            if p > new_buf && buf[p - 1] == b'\\' {
                // `\;`: drop the backslash, keep the `;`, go on after it.
                let len = cstrlen(buf, p);
                buf.copy_within(p..=p + len, p - 1);
                offs.copy_within(p..=p + len, p - 1);
                new_buf = p;
            } else if at(buf, p + 1) == b'-' && at(buf, p + 2) == b'-' && at(buf, p + 3) != b'-' {
                if self.depth < MAX_NESTED_COMMENTS {
                    buf[p] = 0;
                    new_buf = p + 3;
                    self.depth += 1;
                    if self.depth >= 1 {
                        self.nest[(self.depth - 1) as usize] = lineno;
                        self.nest_at[(self.depth - 1) as usize] = offs[p];
                    }
                } else {
                    // Asterisk logs "Maximum nest limit" and retries the same `;` forever; dialsim reports
                    // it and reads on as if this `;--` were not there.
                    self.events.push(CommentEvent::NestLimit {
                        at: offs[p] as usize,
                    });
                    new_buf = p + 1;
                }
            } else if p >= new_buf + 2 && buf[p - 1] == b'-' && buf[p - 2] == b'-' {
                self.depth -= 1;
                if self.depth < 0 {
                    self.events.push(CommentEvent::StrayClose {
                        at: offs[p - 2] as usize,
                    });
                }
                new_buf = p + 1;
                if self.depth == 0 {
                    match process {
                        Some(pb) => {
                            // Join the text after `--;` to the text before the block.
                            let old = pb + cstrlen(buf, pb);
                            let len = cstrlen(buf, new_buf);
                            buf.copy_within(new_buf..=new_buf + len, old);
                            offs.copy_within(new_buf..=new_buf + len, old);
                            new_buf = old;
                        }
                        None => process = Some(new_buf),
                    }
                }
            } else if self.depth == 0 {
                // A plain comment: the line ends here (the blanks before it are trimmed later anyway).
                buf[p] = 0;
                new_buf = p;
            } else {
                new_buf = p + 1;
            }
        }
        match process {
            None => Kept::Nothing,
            Some(pb) => {
                let len = cstrlen(buf, pb);
                Kept::Spliced {
                    bytes: &buf[pb..pb + len],
                    offsets: &offs[pb..=pb + len],
                }
            }
        }
    }
}

/// Whether the `;` at `p` is a plain comment start (not `\;`, not `;--`, not the end of `--;`).
fn is_plain(line: &[u8], p: usize) -> bool {
    let escaped = p > 0 && line[p - 1] == b'\\';
    let get = |i: usize| line.get(i).copied().unwrap_or(0);
    let opens = get(p + 1) == b'-' && get(p + 2) == b'-' && get(p + 3) != b'-';
    let closes = p >= 2 && line[p - 1] == b'-' && line[p - 2] == b'-';
    !escaped && !opens && !closes
}

/// `strchr` on the NUL-terminated string starting at `from`.
fn cstr_find(buf: &[u8], from: usize, needle: u8) -> Option<usize> {
    let s = buf.get(from..)?;
    let end = memchr(0, s).unwrap_or(s.len());
    memchr(needle, &s[..end]).map(|i| from + i)
}

/// `strlen` of the NUL-terminated string starting at `from`.
fn cstrlen(buf: &[u8], from: usize) -> usize {
    buf.get(from..)
        .map_or(0, |s| memchr(0, s).unwrap_or(s.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &[u8]) -> (Vec<Piece>, u32) {
        let (out, lineno) = pieces_of(LineReader::new(text));
        // The reader given the line table cuts the very same pieces.
        let starts: Vec<u32> = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text).map(|i| i as u32 + 1))
            .collect();
        assert_eq!(
            pieces_of(LineReader::with_line_starts(text, &starts)),
            (out.clone(), lineno)
        );
        (out, lineno)
    }

    fn pieces_of(mut r: LineReader<'_>) -> (Vec<Piece>, u32) {
        let mut lineno = 0;
        let mut out = Vec::new();
        while let Some(p) = r.next_piece(&mut lineno) {
            out.push(p);
        }
        (out, lineno)
    }

    fn line(lineno: u32, start: usize, end: usize) -> Piece {
        Piece::Line {
            lineno,
            start,
            end,
            nul: None,
        }
    }

    #[test]
    fn lines_and_final_counter() {
        let (p, n) = pieces(b"a\nbc\n");
        assert_eq!(p, vec![line(1, 0, 1), line(2, 2, 4)]);
        // Asterisk's loop makes one more read, which finds end of file.
        assert_eq!(n, 3);
        let (p, n) = pieces(b"a\nbc");
        assert_eq!(p, vec![line(1, 0, 1), line(2, 2, 4)]);
        assert_eq!(n, 2);
        let (p, n) = pieces(b"");
        assert!(p.is_empty());
        assert_eq!(n, 1);
    }

    #[test]
    fn bom_only_on_line_one() {
        let (p, _) = pieces(b"\xEF\xBB\xBF[a]\n\xEF\xBB\xBFx");
        assert_eq!(p, vec![line(1, 3, 6), line(2, 7, 11)]);
    }

    #[test]
    fn nul_cuts_the_line() {
        let (p, _) = pieces(b"ab\0cd\nx");
        assert_eq!(
            p,
            vec![
                Piece::Line {
                    lineno: 1,
                    start: 0,
                    end: 2,
                    nul: Some(2)
                },
                line(2, 6, 7)
            ]
        );
    }

    #[test]
    fn long_lines() {
        // 8190 bytes + \n fits; 8191 bytes + \n does not.
        let mut t = vec![b'a'; 8190];
        t.push(b'\n');
        assert_eq!(pieces(&t).0, vec![line(1, 0, 8190)]);
        let mut t = vec![b'a'; 8191];
        t.extend_from_slice(b"\nb\n");
        assert_eq!(
            pieces(&t).0,
            vec![
                Piece::TooLong {
                    lineno: 1,
                    start: 0,
                    end: 8192
                },
                line(2, 8192, 8193)
            ]
        );
        let mut t = vec![b'x'; 1 << 20];
        t.extend_from_slice(b"\ny");
        let (p, _) = pieces(&t);
        assert_eq!(p.len(), 2);
        assert_eq!(p[1], line(2, (1 << 20) + 1, (1 << 20) + 2));
        // A NUL early in an overlong line: the rest of it becomes further "lines".
        let mut t = vec![b'x'; 9000];
        t[10] = 0;
        let (p, _) = pieces(&t);
        assert_eq!(p.len(), 2);
        assert_eq!(
            p[0],
            Piece::Line {
                lineno: 1,
                start: 0,
                end: 10,
                nul: Some(10)
            }
        );
        assert_eq!(p[1], line(2, 8191, 9000));
    }

    fn strip_all(lines: &[&str]) -> (Vec<Option<String>>, Comments) {
        let mut c = Comments::default();
        let mut out = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            // Each line is its own text here, and a Splice belongs to one text.
            let mut sp = Splice::default();
            let text = l.as_bytes();
            let kept = match c.strip(text, 0, text.len(), i as u32 + 1, &mut sp) {
                Kept::Nothing => None,
                Kept::Slice { start, end } => Some(l[start..end].to_string()),
                Kept::Spliced { bytes, .. } => Some(String::from_utf8_lossy(bytes).into_owned()),
            };
            out.push(kept);
        }
        (out, c)
    }

    fn s(x: &str) -> Option<String> {
        Some(x.to_string())
    }

    #[test]
    fn plain_and_escaped_semicolons() {
        let (out, _) = strip_all(&["a = b ; c", "a = b\\;c ; d", "a\\;;b", "\\\\;x"]);
        assert_eq!(out, vec![s("a = b "), s("a = b;c "), s("a;"), s("\\;x")]);
    }

    #[test]
    fn block_comments() {
        let (out, c) = strip_all(&["a ;-- x --; b", "c ;-- open", "inside ; --", "--; d", "e"]);
        assert_eq!(out, vec![s("a  b"), s("c "), None, s(" d"), s("e")]);
        assert_eq!(c.depth, 0);
        let (out, c) = strip_all(&[";-- ;-- --; still --; out", ";--- not a block"]);
        assert_eq!(out, vec![s(" out"), s("")]);
        assert_eq!(c.depth, 0);
        let (_, c) = strip_all(&["x", ";-- never closed"]);
        assert_eq!(c.open_line(), Some(2));
    }

    #[test]
    fn stray_close_goes_negative() {
        let (out, c) = strip_all(&["a = 1 --; b", "x = 2", ";-- back", "y = 3"]);
        assert_eq!(out, vec![s("a = 1 --; b"), None, None, s("y = 3")]);
        assert_eq!(c.depth, 0);
        assert_eq!(c.events, vec![CommentEvent::StrayClose { at: 6 }]);
    }

    #[test]
    fn spliced_offsets_point_into_the_source() {
        let mut c = Comments::default();
        let mut sp = Splice::default();
        let text = b"ab;--x--;cd";
        match c.strip(text, 0, text.len(), 1, &mut sp) {
            Kept::Spliced { bytes, offsets } => {
                assert_eq!(bytes, b"abcd");
                assert_eq!(offsets, &[0, 1, 9, 10, 11]);
            }
            _ => panic!("expected a spliced line"),
        }
    }

    fn kept_text(text: &[u8], k: Kept) -> Option<Vec<u8>> {
        match k {
            Kept::Nothing => None,
            Kept::Slice { start, end } => Some(text[start..end].to_vec()),
            Kept::Spliced { bytes, .. } => Some(bytes.to_vec()),
        }
    }

    proptest::proptest! {
        /// Lines looked up in the line table are the lines searched for, around overlong lines and NULs.
        #[test]
        fn line_table_gives_the_same_pieces(
            runs in proptest::collection::vec((0usize..9000, proptest::sample::select(b"\n\0a".to_vec())), 0..6)
        ) {
            let mut text = Vec::new();
            for (len, end) in runs {
                text.extend(std::iter::repeat_n(b'x', len));
                text.push(end);
            }
            pieces(&text);
        }

        /// The fast paths (and the `;` position cache) answer exactly what the step-by-step algorithm does.
        #[test]
        fn fast_paths_equal_the_full_algorithm(
            text in proptest::collection::vec(
                proptest::sample::select(b";-\\ a\n".to_vec()), 0..200)
        ) {
            let mut fast = Comments::default();
            let mut slow = Comments::default();
            let mut sp_fast = Splice::default();
            let mut sp_slow = Splice::default();
            let mut reader = LineReader::new(&text);
            let mut lineno = 0;
            while let Some(Piece::Line { lineno: n, start, end, .. }) = reader.next_piece(&mut lineno) {
                let a = kept_text(&text, fast.strip(&text, start, end, n, &mut sp_fast));
                let b = kept_text(&text, slow.strip_slow(&text[start..end], start, n, &mut sp_slow));
                proptest::prop_assert_eq!(a, b);
                proptest::prop_assert_eq!(fast.depth, slow.depth);
                proptest::prop_assert_eq!(&fast.events, &slow.events);
            }
        }
    }
}
