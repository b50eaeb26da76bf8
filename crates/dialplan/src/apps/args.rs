//! Argument helpers shared by the applications: Asterisk's standard argument splitting
//! (`main/app.c · __ast_app_separate_args`), its time-length parser and option letters.

/// `AST_STANDARD_APP_ARGS` with `max` declared arguments: splits on `,` outside `(...)`, `[...]` and
/// `"..."`; quotes are removed and `\x` yields `x` — except in the last declared argument, which gets the
/// rest of the text untouched.
pub fn standard_args(data: &str, max: usize) -> Vec<String> {
    separate(data, ',', max)
}

/// `__ast_app_separate_args(buf, delim, remove_chars = 1, array, max)`.
pub fn separate(data: &str, delim: char, max: usize) -> Vec<String> {
    crate::expr::separate_args(data, delim, crate::expr::ArgMode::Standard, max)
}

/// The argument at `i`, or `""`.
pub fn arg(args: &[String], i: usize) -> &str {
    args.get(i).map_or("", String::as_str)
}

/// `ast_app_parse_timelen` (main/app.c) with a default unit: `sscanf("%30lf%9s")`, so a number (decimals
/// and an exponent allowed) and, after optional blanks, one word that must be exactly `h`, `s`, `m` or
/// `ms` (any case); anything after that word is ignored. The result is truncated to whole milliseconds
/// as C's `(int)` does. `None` when it does not parse or is negative.
pub fn parse_timelen(text: &str, default_unit_ms: f64) -> Option<f64> {
    let (n, rest) = scan_lf(text)?;
    let unit: String = rest
        .trim_start_matches(is_c_space)
        .chars()
        .take_while(|c| !is_c_space(*c))
        .take(9)
        .collect();
    let u = unit.as_bytes();
    let factor = match u.first().map(u8::to_ascii_lowercase) {
        None => default_unit_ms,
        Some(b'h') if u.len() == 1 => 3_600_000.0,
        Some(b's') if u.len() == 1 => 1000.0,
        Some(b'm') if u.len() == 1 => 60_000.0,
        Some(b'm') if u.len() == 2 && u[1].eq_ignore_ascii_case(&b's') => 1.0,
        _ => return None,
    };
    let ms = (n * factor).min(f64::from(i32::MAX)).trunc();
    (ms >= 0.0).then_some(ms)
}

fn is_c_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')
}

/// `%30lf`: blanks, then the longest decimal floating-point number (sign, digits, point, exponent)
/// within 30 characters; the value and the text after it.
fn scan_lf(text: &str) -> Option<(f64, &str)> {
    let t = text.trim_start_matches(is_c_space);
    let b = &t.as_bytes()[..t.len().min(30)];
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let mut digits = 0;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
        digits += 1;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
            digits += 1;
        }
    }
    if digits == 0 {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(b.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let start = j;
        while b.get(j).is_some_and(u8::is_ascii_digit) {
            j += 1;
        }
        if j > start {
            i = j;
        }
    }
    Some((t[..i].parse().ok()?, &t[i..]))
}

/// `sscanf("%30lf")`-like: the leading decimal number of `text` (after blanks), if any.
pub fn leading_f64(text: &str) -> Option<f64> {
    let t = text.trim_start();
    let mut end = 0;
    let b = t.as_bytes();
    if end < b.len() && (b[end] == b'+' || b[end] == b'-') {
        end += 1;
    }
    let digits_start = end;
    while end < b.len() && b[end].is_ascii_digit() {
        end += 1;
    }
    if end < b.len() && b[end] == b'.' {
        end += 1;
        while end < b.len() && b[end].is_ascii_digit() {
            end += 1;
        }
    }
    if end == digits_start || (end == digits_start + 1 && b.get(digits_start) == Some(&b'.')) {
        return None;
    }
    t[..end].parse().ok()
}

/// `atoi`-like: the leading integer, 0 when there is none.
pub fn atoi(text: &str) -> i64 {
    let t = text.trim_start();
    let b = t.as_bytes();
    let mut end = 0;
    if end < b.len() && (b[end] == b'+' || b[end] == b'-') {
        end += 1;
    }
    while end < b.len() && b[end].is_ascii_digit() {
        end += 1;
    }
    t[..end].parse().unwrap_or(0)
}

/// Option letters with optional parenthesised arguments (`ast_app_parse_options`): `k`, `D(123:456)`.
pub fn parse_options(text: &str) -> Vec<(char, Option<String>)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if chars.get(i) == Some(&'(') {
            let mut depth = 1;
            let start = i + 1;
            let mut j = start;
            while j < chars.len() {
                match chars[j] {
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            out.push((c, Some(chars[start..j.min(chars.len())].iter().collect())));
            i = j + 1;
        } else {
            out.push((c, None));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_asterisk() {
        assert_eq!(standard_args("a,b,c", 4), ["a", "b", "c"]);
        assert_eq!(standard_args("a,b,", 4), ["a", "b", ""]);
        assert_eq!(standard_args("a,(b,c),d", 4), ["a", "(b,c)", "d"]);
        assert_eq!(standard_args("\"x,y\",z", 4), ["x,y", "z"]);
        assert_eq!(standard_args("a\\,b,c", 4), ["a,b", "c"]);
        // The last declared argument keeps the rest verbatim.
        assert_eq!(standard_args("a,b,\"c\",d", 2), ["a", "b,\"c\",d"]);
        assert!(standard_args("", 3).is_empty());
    }

    #[test]
    fn timelens() {
        assert_eq!(parse_timelen("250", 1.0), Some(250.0));
        assert_eq!(parse_timelen("2s", 1.0), Some(2000.0));
        assert_eq!(parse_timelen("1.5", 1000.0), Some(1500.0));
        assert_eq!(parse_timelen("x", 1.0), None);
        // main/app.c ast_app_parse_timelen: `%30lf%9s` and exactly one of h, s, m, ms.
        assert_eq!(parse_timelen("2sec", 1000.0), None);
        assert_eq!(parse_timelen("1min", 1000.0), None);
        assert_eq!(parse_timelen("1 M", 1000.0), Some(60_000.0));
        assert_eq!(parse_timelen("500MS", 1000.0), Some(500.0));
        assert_eq!(parse_timelen("2s and more", 1000.0), Some(2000.0));
        assert_eq!(parse_timelen("1e1", 1000.0), Some(10_000.0));
        assert_eq!(parse_timelen("0.0015", 1000.0), Some(1.0));
        assert_eq!(parse_timelen("", 1000.0), None);
    }

    #[test]
    fn options() {
        assert_eq!(
            parse_options("kD(1:2)g"),
            [('k', None), ('D', Some("1:2".to_string())), ('g', None)]
        );
    }

    #[test]
    fn numbers() {
        assert_eq!(leading_f64(" 2.5abc"), Some(2.5));
        assert_eq!(leading_f64("abc"), None);
        assert_eq!(atoi("12x"), 12);
        assert_eq!(atoi("x"), 0);
    }
}
