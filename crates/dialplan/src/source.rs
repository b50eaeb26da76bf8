//! The source map: every configuration file dialsim read, and spans into them.
//!
//! Every item that comes from a `.conf` file keeps a [`Span`], so that a diagnostic, a trace line or a
//! `dialplan show` location can point back at the text that produced it. A [`SourceMap`] owns the text of
//! every file read during one load, including `#include`d files and the chain of includes that led to them.

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Index of a file in a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A byte range in one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        Span {
            file,
            start: start as u32,
            end: end as u32,
        }
    }

    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
}

/// A 1-based line and column (column counted in characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// One file read during a load.
#[derive(Debug)]
pub struct SourceFile {
    /// The path the file was read from (as the loader resolved it).
    pub path: PathBuf,
    /// The file's text. Invalid UTF-8 is replaced (lossily) so that spans stay meaningful. An `Arc<String>`
    /// so that a file read into a `String` is shared (by the items that slice it) without copying it.
    pub text: Arc<String>,
    /// Where this file was `#include`d from; `None` for a top-level file.
    pub included_from: Option<Span>,
    /// The offset where each line starts (shared: the conf reader walks it while the map grows).
    line_starts: Arc<[u32]>,
}

impl SourceFile {
    /// The file name without its folder (`extensions.conf`), as Asterisk shows it in `[extensions.conf:16]`.
    pub fn basename(&self) -> &str {
        self.path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
    }

    /// 1-based line and column of a byte offset.
    pub fn line_col(&self, offset: u32) -> LineCol {
        let line_idx = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let line_start = self.line_starts[line_idx] as usize;
        let end = (offset as usize).min(self.text.len());
        let col = self
            .text
            .get(line_start..end)
            .map_or(end - line_start, |s| s.chars().count());
        LineCol {
            line: line_idx as u32 + 1,
            col: col as u32 + 1,
        }
    }

    /// The byte offset where 1-based line `line` starts (`None` past the last line).
    pub fn line_start(&self, line: u32) -> Option<usize> {
        let idx = line.checked_sub(1)? as usize;
        self.line_starts.get(idx).map(|&o| o as usize)
    }

    /// The offset where each line starts: 0, then the offset after each `\n`.
    pub fn line_starts(&self) -> &Arc<[u32]> {
        &self.line_starts
    }

    /// The text of 1-based line `line`, without its line terminator.
    pub fn line_text(&self, line: u32) -> &str {
        let idx = line.saturating_sub(1) as usize;
        let Some(&start) = self.line_starts.get(idx) else {
            return "";
        };
        let end = self
            .line_starts
            .get(idx + 1)
            .map_or(self.text.len(), |&e| e as usize);
        self.text[start as usize..end].trim_end_matches(['\n', '\r'])
    }
}

/// All files read during one load.
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file and returns its id. `text` should already be decoded (see [`decode_text`]).
    pub fn add(
        &mut self,
        path: PathBuf,
        text: impl Into<Arc<String>>,
        included_from: Option<Span>,
    ) -> FileId {
        let text: Arc<String> = text.into();
        // Counted first (a fast vectorised count) so that the table is allocated once at its size: grown by
        // doubling, a large file's table would be copied into fresh memory again and again.
        let lines = memchr::memchr_iter(b'\n', text.as_bytes()).count();
        // Allocated in place at its size (`Take<Repeat>` has an exact length), then filled.
        let mut line_starts: Arc<[u32]> = std::iter::repeat_n(0u32, lines + 1).collect();
        if let Some(table) = Arc::get_mut(&mut line_starts) {
            fill_line_starts(text.as_bytes(), &mut table[1..]);
        }
        let id = FileId(self.files.len() as u32);
        self.files.push(SourceFile {
            path,
            text,
            included_from,
            line_starts,
        });
        id
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    /// Line and column of the start of a span.
    pub fn line_col(&self, span: Span) -> LineCol {
        self.file(span.file).line_col(span.start)
    }

    /// The text a span covers.
    pub fn snippet(&self, span: Span) -> &str {
        let text = &self.file(span.file).text;
        text.get(span.start as usize..span.end as usize)
            .unwrap_or_default()
    }

    /// The chain of `#include` spans that led to `file`, innermost first.
    pub fn include_chain(&self, file: FileId) -> Vec<Span> {
        let mut chain = Vec::new();
        let mut current = self.file(file).included_from;
        while let Some(span) = current {
            chain.push(span);
            current = self.file(span.file).included_from;
        }
        chain
    }

    /// `path:line:col` for a span, with the path as it was read.
    pub fn location(&self, span: Span) -> String {
        let lc = self.line_col(span);
        format!(
            "{}:{}:{}",
            self.file(span.file).path.display(),
            lc.line,
            lc.col
        )
    }

    /// Whether `path` is already open somewhere up the include chain of `from` (an include cycle).
    pub fn is_in_chain(&self, from: FileId, path: &Path) -> bool {
        let mut current = Some(from);
        while let Some(id) = current {
            let f = self.file(id);
            if f.path == path {
                return true;
            }
            current = f.included_from.map(|s| s.file);
        }
        false
    }
}

/// Decodes file bytes the way dialsim treats them: UTF-8, with invalid sequences replaced by U+FFFD.
/// Asterisk works on bytes; a replacement keeps offsets meaningful for diagnostics.
pub fn decode_text(bytes: &[u8]) -> Arc<String> {
    Arc::new(String::from_utf8_lossy(bytes).into_owned())
}

/// Writes the offset just after each `\n` of `bytes` into `out`, in order (`out` has room for them all;
/// any more are dropped).
///
/// A large file has a line every 40 bytes or so: one `memchr` call per line costs about 80 instructions
/// (setting up each search). Here the text is tested eight bytes at a time with exact zero-byte arithmetic
/// on a `u64` (no false positives), about one instruction per byte, and only the words holding a `\n` are
/// looked at further.
fn fill_line_starts(bytes: &[u8], out: &mut [u32]) {
    let mut slots = out.iter_mut();
    let mut emit = |mut hits: u64, base: u32| {
        while hits != 0 {
            if let Some(slot) = slots.next() {
                *slot = base + hits.trailing_zeros() / 8;
            }
            hits &= hits - 1;
        }
    };
    // Two words per step: most 16-byte blocks hold no `\n`, and one test skips both words.
    let mut blocks = bytes.chunks_exact(16);
    let mut base = 1u32;
    for block in &mut blocks {
        let (a, b) = block.split_at(8);
        let (ha, hb) = (newline_bits(a), newline_bits(b));
        if ha | hb != 0 {
            emit(ha, base);
            emit(hb, base + 8);
        }
        base = base.wrapping_add(16);
    }
    for (i, &b) in blocks.remainder().iter().enumerate() {
        if b == b'\n' {
            emit(0x80, base + i as u32);
        }
    }
}

/// The high bit of each byte of `word` (8 bytes) that is a `\n`, and of no other byte.
#[inline]
fn newline_bits(word: &[u8]) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const NEWLINES: u64 = 0x0a0a_0a0a_0a0a_0a0a;
    let mut w = [0u8; 8];
    w.copy_from_slice(word);
    let x = u64::from_le_bytes(w) ^ NEWLINES;
    !(((x & LOW7) + LOW7) | x | LOW7)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_starts_match_a_plain_search() {
        // Every length up to 300 (across the 16-byte blocks and the remainder), newlines at both ends of
        // blocks and in runs, and bytes that differ from `\n` only in the high bit or one low bit.
        let mut text = Vec::new();
        for n in 0..300usize {
            text.push(if n % 7 == 0 || n % 64 == 63 || (128..131).contains(&n) {
                b'\n'
            } else if n % 5 == 0 {
                0x8a
            } else if n % 3 == 0 {
                0x0b
            } else {
                b'a'
            });
            let mut fast = vec![0; memchr::memchr_iter(b'\n', &text).count()];
            fill_line_starts(&text, &mut fast);
            let plain: Vec<u32> = memchr::memchr_iter(b'\n', &text)
                .map(|i| i as u32 + 1)
                .collect();
            assert_eq!(fast, plain, "length {}", text.len());
        }
    }

    #[test]
    fn line_and_column_of_offsets() {
        let mut map = SourceMap::new();
        let id = map.add("a.conf".into(), String::from("[a]\nx => 1\n"), None);
        assert_eq!(
            map.line_col(Span::new(id, 0, 1)),
            LineCol { line: 1, col: 1 }
        );
        assert_eq!(
            map.line_col(Span::new(id, 6, 7)),
            LineCol { line: 2, col: 3 }
        );
        assert_eq!(map.file(id).line_text(2), "x => 1");
        assert_eq!(map.file(id).basename(), "a.conf");
    }

    #[test]
    fn include_chain_is_innermost_first() {
        let mut map = SourceMap::new();
        let top = map.add("top.conf".into(), String::from("#include a.conf\n"), None);
        let a = map.add(
            "a.conf".into(),
            String::from("#include b.conf\n"),
            Some(Span::new(top, 0, 15)),
        );
        let b = map.add("b.conf".into(), String::new(), Some(Span::new(a, 0, 15)));
        assert_eq!(map.include_chain(b).len(), 2);
        assert!(map.is_in_chain(b, Path::new("top.conf")));
        assert!(!map.is_in_chain(top, Path::new("b.conf")));
    }
}
