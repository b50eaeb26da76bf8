//! Application argument splitting: Asterisk's `__ast_app_separate_args` (main/app.c), behind
//! `AST_STANDARD_APP_ARGS` and friends.
//!
//! Arguments are split on the delimiter except inside `(...)`, `[...]` or `"..."` (parentheses and brackets
//! count even inside quotes; a stray `)` or `]` is ignored). In the standard mode double quotes are removed
//! and a backslash makes the next character literal; the raw mode keeps both. An application declares how
//! many arguments it takes: once that many minus one are split off, the rest — delimiters, quotes and
//! backslashes included — is the last argument as written.

/// Whether quotes and backslashes are removed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgMode {
    /// `AST_STANDARD_APP_ARGS` / `AST_NONSTANDARD_APP_ARGS`: quotes removed, `\x` gives `x`.
    Standard,
    /// `AST_STANDARD_RAW_ARGS` / `AST_NONSTANDARD_RAW_ARGS`: the text is kept as written.
    Raw,
}

/// Splits `input` on `delim` into at most `max` arguments (`max` = the number the application declares;
/// `usize::MAX` for no limit). An empty input has no arguments; a trailing delimiter adds an empty one.
pub fn separate_args(input: &str, delim: char, mode: ArgMode, max: usize) -> Vec<String> {
    let mut out = Vec::new();
    if max == 0 {
        return out;
    }
    let chars: Vec<char> = input.chars().collect();
    let (mut paren, mut bracket, mut quote) = (0u32, 0u32, false);
    let mut i = 0;
    let mut ended_on_delim = false;
    while i < chars.len() && out.len() < max - 1 {
        let mut arg = String::new();
        ended_on_delim = false;
        while i < chars.len() {
            let c = chars[i];
            match c {
                '(' => paren += 1,
                ')' => paren = paren.saturating_sub(1),
                '[' => bracket += 1,
                ']' => bracket = bracket.saturating_sub(1),
                '"' if delim != '"' => {
                    quote = !quote;
                    if mode == ArgMode::Standard {
                        i += 1;
                        continue;
                    }
                }
                '\\' => {
                    if mode == ArgMode::Standard {
                        // The backslash goes; the next character is taken as it is.
                        if let Some(&n) = chars.get(i + 1) {
                            arg.push(n);
                        }
                        i += 2;
                        continue;
                    }
                    arg.push(c);
                    if let Some(&n) = chars.get(i + 1) {
                        arg.push(n);
                    }
                    i += 2;
                    continue;
                }
                _ if c == delim && paren == 0 && !quote && bracket == 0 => {
                    i += 1;
                    ended_on_delim = true;
                    break;
                }
                _ => {}
            }
            arg.push(c);
            i += 1;
        }
        out.push(arg);
    }
    if i < chars.len() {
        out.push(chars[i..].iter().collect());
    } else if ended_on_delim {
        out.push(String::new());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn std(s: &str) -> Vec<String> {
        separate_args(s, ',', ArgMode::Standard, usize::MAX)
    }

    #[test]
    fn standard_splitting() {
        assert_eq!(std(""), Vec::<String>::new());
        assert_eq!(std("a"), ["a"]);
        assert_eq!(std("a,b"), ["a", "b"]);
        assert_eq!(std("a,"), ["a", ""]);
        assert_eq!(std(","), ["", ""]);
        assert_eq!(std(",,"), ["", "", ""]);
        assert_eq!(std("f(a,b),c"), ["f(a,b)", "c"]);
        assert_eq!(std("[a,b],c"), ["[a,b]", "c"]);
        assert_eq!(std("\"a,b\",c"), ["a,b", "c"]);
        assert_eq!(std("a\\,b,c"), ["a,b", "c"]);
        assert_eq!(std("a\\\\b"), ["a\\b"]);
        assert_eq!(std("abc\\"), ["abc"]);
        assert_eq!(std("\"(\",x"), ["(,x"]);
        assert_eq!(std("a),b"), ["a)", "b"]);
        assert_eq!(std("say \"hi\" now"), ["say hi now"]);
    }

    #[test]
    fn raw_and_limited() {
        assert_eq!(
            separate_args("a\\,b,\"c\"", ',', ArgMode::Raw, usize::MAX),
            ["a\\,b", "\"c\""]
        );
        assert_eq!(
            separate_args("a,b\\,c,\"d\"", ',', ArgMode::Standard, 2),
            ["a", "b\\,c,\"d\""]
        );
        assert_eq!(separate_args("a,b", ',', ArgMode::Standard, 1), ["a,b"]);
        assert_eq!(
            separate_args("x?y:z:w", '?', ArgMode::Standard, 2),
            ["x", "y:z:w"]
        );
        assert_eq!(separate_args("1?", '?', ArgMode::Standard, 2), ["1", ""]);
        assert_eq!(
            separate_args("a\"b", '"', ArgMode::Standard, usize::MAX),
            ["a", "b"]
        );
    }
}
