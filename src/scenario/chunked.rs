//! Reading a long TOML array of tables (a scenario's `[[calls]]`) a few hundred entries at a time.
//!
//! The TOML parser keeps a token list and a table tree several times the size of the text until it is done.
//! For a scenario of 10,000 calls that garbage (≈ 30 MB) outweighs what the run itself needs, and the
//! allocator does not give it back before the run starts; read in pieces, each piece reuses the memory of
//! the previous one. Every piece is parsed on its own, so the spans of its values are offsets into the
//! piece; `merge` gets the piece's offset in the whole text and moves them there, so they are exactly those
//! of a parse of the whole text. (A piece used to be parsed behind a comment as long as the text before it:
//! simpler, but quadratic: 12 MB of comment for 10,000 calls, 10 % of a short run's time.)
//!
//! Only the simple shape is read in pieces: after the first `[[name]]` line, no header other than
//! `[[name]]` and `[name.…]`, and no multi-line strings. Anything else, and any piece that fails to parse,
//! gives `None`, and the caller parses the whole text at once (which also gives the exact message).

use serde::de::DeserializeOwned;

/// Entries per piece: small enough that a piece's garbage stays small.
const PER_PIECE: usize = 500;

/// Parses `text` as a `T`, the `[[name]]` tables a piece at a time; `merge` appends the entries of a piece
/// (a `T` holding only them, with spans into the piece) to the whole, adding the piece's offset in `text`
/// (the third argument) to their spans. `None`: parse the whole text instead (see the module docs).
pub fn from_str<T: DeserializeOwned>(
    text: &str,
    name: &str,
    mut merge: impl FnMut(&mut T, T, usize),
) -> Option<T> {
    if text.contains("\"\"\"") || text.contains("'''") {
        return None;
    }
    let header = format!("[[{name}]]");
    let sub_table = format!("[{name}.");
    // Byte offsets of the `[[name]]` lines.
    let mut starts = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let code = line.trim();
        if code == header {
            starts.push(offset);
        } else if starts.is_empty() {
            // The head must not touch the array in any other way (`name = [...]`, dotted keys, headers).
            let key = if code.starts_with('#') {
                ""
            } else if code.starts_with('[') {
                code
            } else {
                code.split('=').next().unwrap_or_default()
            };
            if key.contains(name) {
                return None;
            }
        } else if code.starts_with('[') && !code.starts_with(&sub_table) {
            return None;
        }
        offset += line.len();
    }
    if starts.len() < 2 * PER_PIECE {
        return None;
    }
    let mut whole: T = toml::from_str(&text[..starts[0]]).ok()?;
    for (i, group) in starts.chunks(PER_PIECE).enumerate() {
        let begin = group[0];
        let end = starts
            .get((i + 1) * PER_PIECE)
            .copied()
            .unwrap_or(text.len());
        merge(&mut whole, toml::from_str(&text[begin..end]).ok()?, begin);
    }
    Some(whole)
}

/// `spanned` with its span moved `by` bytes on (a value of a piece, placed in the whole text).
pub fn shifted<V>(spanned: toml::Spanned<V>, by: usize) -> toml::Spanned<V> {
    let span = spanned.span();
    toml::Spanned::new(span.start + by..span.end + by, spanned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use toml::Spanned;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        title: Option<String>,
        #[serde(default)]
        calls: Vec<Spanned<Call>>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Call {
        to: Spanned<String>,
        #[serde(default)]
        variables: std::collections::BTreeMap<String, String>,
    }

    fn doc(calls: usize) -> String {
        let mut text = String::from("# 1000 calls\ntitle = \"t\" # calls\n\n");
        for i in 0..calls {
            text.push_str(&format!("\n[[calls]]\nto = \"{i}@ctx\"\n"));
            if i % 7 == 0 {
                text.push_str("[calls.variables]\nA = \"1\"\n");
            }
        }
        text
    }

    fn merge(whole: &mut Doc, part: Doc, by: usize) {
        whole.calls.extend(part.calls.into_iter().map(|c| {
            let c = shifted(c, by);
            let span = c.span();
            let mut call = c.into_inner();
            call.to = shifted(call.to, by);
            toml::Spanned::new(span, call)
        }));
    }

    #[test]
    fn pieces_give_what_the_whole_text_gives_spans_included() {
        for n in [1000, 1001, 1499, 2345] {
            let text = doc(n);
            let whole: Doc = toml::from_str(&text).unwrap();
            let pieces = from_str(&text, "calls", merge).unwrap();
            assert_eq!(pieces, whole);
            let last = pieces.calls.last().unwrap();
            assert_eq!(
                &text[last.get_ref().to.span()],
                format!("\"{}@ctx\"", n - 1)
            );
        }
    }

    #[test]
    fn short_or_unusual_texts_are_left_to_the_whole_parse() {
        assert!(from_str(&doc(10), "calls", merge).is_none());
        let other_header = format!("{}[devices.x]\nmedia = false\n", doc(1200));
        assert!(from_str::<Doc>(&other_header, "calls", merge).is_none());
        let inline = format!("calls = []\n{}", doc(1200));
        let dotted = format!("calls.x = 1\n{}", doc(1200));
        assert!(from_str::<Doc>(&dotted, "calls", merge).is_none());
        assert!(from_str::<Doc>(&inline, "calls", merge).is_none());
        let multiline = doc(1200).replacen("\"0@ctx\"", "\"\"\"0@ctx\"\"\"", 1);
        assert!(toml::from_str::<Doc>(&multiline).is_ok());
        assert!(from_str::<Doc>(&multiline, "calls", merge).is_none());
        let bad = format!("{}to = 5\n", doc(1200));
        assert!(from_str::<Doc>(&bad, "calls", merge).is_none());
    }
}
