//! Reading jump targets out of `Goto` and `GotoIf` arguments as written (before substitution), the way
//! `pbx_parseable_goto` and `pbx_builtin_gotoif` split them at run time.

use super::bytes::hits;

/// A `[[context,]exten,]priority` location; parts left out keep the current value at run time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Location<'a> {
    pub context: Option<&'a str>,
    pub exten: Option<&'a str>,
    pub priority: Priority<'a>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Priority<'a> {
    Number(i32),
    /// `+N` / `-N`: relative to the current priority.
    Relative(i32),
    Label(&'a str),
}

/// Whether text is resolved only at run time (variables, functions, expressions).
pub fn is_dynamic(text: &str) -> bool {
    text.contains('$')
}

/// Parses a Goto argument; `None` when it is empty, dynamic, or has too many parts.
pub fn parse_location(arg: &str) -> Option<Location<'_>> {
    parse_location_sep(arg, ',')
}

/// Parses a location whose parts are separated by `sep` (Dial's options write `context^exten^priority`).
pub fn parse_location_sep(arg: &str, sep: char) -> Option<Location<'_>> {
    let arg = arg.trim();
    if arg.is_empty() || is_dynamic(arg) {
        return None;
    }
    let mut parts = arg.split(sep).map(str::trim);
    let first = parts.next()?;
    let (context, exten, priority) = match (parts.next(), parts.next(), parts.next()) {
        (None, _, _) => (None, None, first),
        (Some(p), None, _) => (None, Some(first), p),
        (Some(e), Some(p), None) => (Some(first), Some(e), p),
        (Some(_), Some(_), Some(_)) => return None,
    };
    let priority = if let Some(rest) = priority.strip_prefix('+') {
        Priority::Relative(rest.parse().ok()?)
    } else if let Some(rest) = priority.strip_prefix('-') {
        Priority::Relative(-rest.parse::<i32>().ok()?)
    } else if let Ok(n) = priority.parse::<i32>() {
        Priority::Number(n)
    } else {
        Priority::Label(priority)
    };
    Some(Location {
        context: context.filter(|c| !c.is_empty()),
        exten: exten.filter(|e| !e.is_empty()),
        priority,
    })
}

/// The two branches of `GotoIf(cond?a:b)`, each possibly empty ("continue"). The condition is found at the
/// first `?` outside `${…}`/`$[…]`, as the condition is substituted before Asterisk splits it.
pub fn gotoif_branches(arg: &str) -> Option<(&str, &str)> {
    let q = top_level_find(arg, b'?')?;
    let branches = &arg[q + 1..];
    match branches.find(':') {
        Some(c) => Some((&branches[..c], &branches[c + 1..])),
        None => Some((branches, "")),
    }
}

/// Byte index of the first `needle` outside `${…}` and `$[…]`. Only the bytes that open, close or match
/// are looked at (found a word at a time: this runs for every `GotoIf`).
fn top_level_find(text: &str, needle: u8) -> Option<usize> {
    let b = text.as_bytes();
    let mut depth = 0usize;
    for i in hits(b, [b'$', b'}', b']', needle]) {
        match b[i] {
            b'$' => {
                if matches!(b.get(i + 1), Some(b'{' | b'[')) {
                    depth += 1;
                }
            }
            b'}' | b']' if depth > 0 => depth -= 1,
            c if c == needle && depth == 0 => return Some(i),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goto_forms() {
        let l = parse_location("parkedcalls,701,1").unwrap();
        assert_eq!(l.context, Some("parkedcalls"));
        assert_eq!(l.exten, Some("701"));
        assert_eq!(l.priority, Priority::Number(1));
        assert_eq!(
            parse_location("done").unwrap().priority,
            Priority::Label("done")
        );
        assert_eq!(
            parse_location("s,+2").unwrap().priority,
            Priority::Relative(2)
        );
        assert!(parse_location("${X},1").is_none());
        assert!(parse_location("a,b,c,d").is_none());
        assert!(parse_location("").is_none());
    }

    #[test]
    fn gotoif_splits_outside_expressions() {
        assert_eq!(gotoif_branches("$[${A} = 1]?yes:no"), Some(("yes", "no")));
        assert_eq!(gotoif_branches("$[1 ? 2 :: 3]?x"), Some(("x", "")));
        assert_eq!(gotoif_branches("1"), None);
        assert_eq!(gotoif_branches("1?:ctx,s,1"), Some(("", "ctx,s,1")));
    }
}
