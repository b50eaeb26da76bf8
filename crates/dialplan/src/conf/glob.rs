//! Glob patterns for `#include`, as Asterisk calls `glob(3)` (`GLOB_NOMAGIC | GLOB_BRACE`).
//!
//! `{a,b}` alternatives are expanded first, in order; each alternative without `*`, `?` or `[` stands for
//! itself (even if no such file exists: the reader then finds nothing); the others match file names one path
//! component at a time, sorted by bytes. Wildcards do not match a leading `.` or a `/`.

/// Expands `{a,b}` alternatives (nested braces allowed), in order of appearance.
pub fn expand_braces(pattern: &str) -> Vec<String> {
    let bytes = pattern.as_bytes();
    let Some(open) = bytes.iter().position(|&b| b == b'{') else {
        return vec![pattern.to_string()];
    };
    // Find the matching `}` and the top-level commas inside.
    let mut depth = 0usize;
    let mut commas = Vec::new();
    let mut close = None;
    for (i, &b) in bytes.iter().enumerate().skip(open) {
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(i);
                    break;
                }
            }
            b',' if depth == 1 => commas.push(i),
            _ => {}
        }
    }
    let Some(close) = close else {
        // An unbalanced brace is an ordinary character.
        return vec![pattern.to_string()];
    };
    let prefix = &pattern[..open];
    let suffix = &pattern[close + 1..];
    let mut bounds = vec![open];
    bounds.extend(commas);
    bounds.push(close);
    let mut out = Vec::new();
    for w in bounds.windows(2) {
        let alt = &pattern[w[0] + 1..w[1]];
        out.extend(expand_braces(&format!("{prefix}{alt}{suffix}")));
    }
    out
}

/// Whether a pattern has wildcards (`*`, `?`, `[`).
pub fn has_magic(pattern: &str) -> bool {
    pattern.bytes().any(|b| matches!(b, b'*' | b'?' | b'['))
}

/// Whether one path component `name` matches the component pattern `pat`.
pub fn component_matches(pat: &str, name: &str) -> bool {
    if name.starts_with('.') && !pat.starts_with('.') {
        return false;
    }
    matches_from(pat.as_bytes(), name.as_bytes())
}

fn matches_from(pat: &[u8], name: &[u8]) -> bool {
    // Iterative wildcard matching with backtracking to the last `*`.
    let (mut p, mut n) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        if p < pat.len() {
            match pat[p] {
                b'*' => {
                    star = Some((p, n));
                    p += 1;
                    continue;
                }
                b'?' => {
                    p += 1;
                    n += 1;
                    continue;
                }
                b'[' => {
                    if let Some((ok, next)) = class(&pat[p..], name[n]) {
                        if ok {
                            p += next;
                            n += 1;
                            continue;
                        }
                    } else if name[n] == b'[' {
                        p += 1;
                        n += 1;
                        continue;
                    }
                }
                b'\\' if p + 1 < pat.len() && pat[p + 1] == name[n] => {
                    p += 2;
                    n += 1;
                    continue;
                }
                b'\\' if p + 1 < pat.len() => {}
                c if c == name[n] => {
                    p += 1;
                    n += 1;
                    continue;
                }
                _ => {}
            }
        }
        match star {
            Some((sp, sn)) => {
                p = sp + 1;
                n = sn + 1;
                star = Some((sp, sn + 1));
            }
            None => return false,
        }
    }
    pat[p..].iter().all(|&b| b == b'*')
}

/// Matches a `[...]` class at the start of `pat` against `c`: `(matched, length of the class)`, or `None`
/// when the bracket is not closed (then `[` is literal).
fn class(pat: &[u8], c: u8) -> Option<(bool, usize)> {
    let mut i = 1;
    let negate = matches!(pat.get(i), Some(b'!') | Some(b'^'));
    if negate {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    loop {
        let b = *pat.get(i)?;
        if b == b']' && !first {
            return Some((matched != negate, i + 1));
        }
        first = false;
        if pat.get(i + 1) == Some(&b'-') && pat.get(i + 2).is_some_and(|&e| e != b']') {
            let hi = pat[i + 2];
            if b <= c && c <= hi {
                matched = true;
            }
            i += 3;
        } else {
            if b == c {
                matched = true;
            }
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn braces() {
        assert_eq!(expand_braces("a.conf"), vec!["a.conf"]);
        assert_eq!(expand_braces("{a,b}.conf"), vec!["a.conf", "b.conf"]);
        assert_eq!(expand_braces("x{1,{2,3}}y"), vec!["x1y", "x2y", "x3y"]);
        assert_eq!(expand_braces("x{1"), vec!["x{1"]);
    }

    #[test]
    fn wildcards() {
        assert!(component_matches("*.conf", "a.conf"));
        assert!(!component_matches("*.conf", ".a.conf"));
        assert!(component_matches(".*", ".a"));
        assert!(component_matches("a?c", "abc"));
        assert!(!component_matches("a?c", "ac"));
        assert!(component_matches("[a-c]x", "bx"));
        assert!(!component_matches("[!a-c]x", "bx"));
        assert!(component_matches("[]]", "]"));
        assert!(component_matches("[x", "[x"));
        assert!(component_matches("*a*b*", "xxaybz"));
        assert!(!component_matches("*a*b", "xxaybz"));
        assert!(has_magic("a*"));
        assert!(!has_magic("a{b}"));
    }
}
