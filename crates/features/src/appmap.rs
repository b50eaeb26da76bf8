//! Parsing one `[applicationmap]` value the way Asterisk 22 does
//! [main/features_config.c · applicationmap_handler; main/app.c · __ast_app_separate_args].
//!
//! The value is split at commas into `dtmf, activate_on, app, app_data, moh_class` with Asterisk's
//! application-argument rules: commas inside `()`, `[]` or `"…"` do not split, quotes are removed, a
//! backslash makes the next character literal, and the fifth field takes the rest of the line as is.
//! Fields are **not** trimmed: `*9, self, Playback` has the activate_on value `" self"`, which fails.

use crate::config::{truncate_code, ActivateOn};

/// A parsed item (without its name and span).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ParsedItem {
    pub dtmf: String,
    pub activate_on: ActivateOn,
    pub app: String,
    pub app_data: String,
    pub moh_class: String,
}

/// Why Asterisk refused an item; each carries the WARNING text Asterisk logs before `Error parsing …`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum AppMapError {
    /// dtmf, activate_on or app is empty.
    MissingArgument,
    /// New syntax with nothing before `(`.
    NoApplication,
    /// activate_on is not self/caller/peer/callee (ignoring case).
    BadActivateOn(String),
}

impl AppMapError {
    pub fn asterisk_text(&self, name: &str) -> String {
        match self {
            AppMapError::MissingArgument => {
                format!("Invalid applicationmap syntax for '{name}'. Missing required argument")
            }
            AppMapError::NoApplication => {
                format!("Applicationmap item '{name}' does not contain an application name.")
            }
            AppMapError::BadActivateOn(v) => {
                format!("Invalid 'activate_on' value {v} for applicationmap item {name}")
            }
        }
    }
}

pub(crate) fn parse_item(value: &str) -> Result<ParsedItem, AppMapError> {
    let args = separate_args(value, 5);
    let arg = |i: usize| args.get(i).map(String::as_str);
    let (dtmf, activate_on, app) = match (arg(0), arg(1), arg(2)) {
        (Some(d), Some(a), Some(p)) if !d.is_empty() && !a.is_empty() && !p.is_empty() => (d, a, p),
        _ => return Err(AppMapError::MissingArgument),
    };
    // An old "activated_by" part after a slash is ignored.
    let activate_on = activate_on.split('/').next().unwrap_or_default();
    let mut app = app.to_string();
    let mut app_data = arg(3).unwrap_or_default().to_string();
    let mut moh_class = arg(4).unwrap_or_default().to_string();

    if let Some(paren) = app.find('(') {
        // New syntax `App(data)`: the fourth field is then the music class.
        moh_class = app_data;
        let inner = &app[paren + 1..];
        app_data = match inner.rfind(')') {
            Some(close) => inner[..close].to_string(),
            None => inner.to_string(),
        };
        app.truncate(paren);
        if app.is_empty() {
            return Err(AppMapError::NoApplication);
        }
    } else if app_data.contains('"') {
        app_data = strip_quoted(&app_data);
    }

    let activate_on = if activate_on.eq_ignore_ascii_case("self")
        || activate_on.eq_ignore_ascii_case("caller")
    {
        ActivateOn::Itself
    } else if activate_on.eq_ignore_ascii_case("peer") || activate_on.eq_ignore_ascii_case("callee")
    {
        ActivateOn::Peer
    } else {
        return Err(AppMapError::BadActivateOn(activate_on.to_string()));
    };

    Ok(ParsedItem {
        dtmf: truncate_code(dtmf).to_string(),
        activate_on,
        app,
        app_data,
        moh_class,
    })
}

/// Asterisk's standard argument splitting at `,` with quote/backslash removal, at most `max` fields.
fn separate_args(input: &str, max: usize) -> Vec<String> {
    let bytes = input.as_bytes();
    let mut args: Vec<Vec<u8>> = Vec::new();
    let (mut paren, mut bracket, mut quote) = (0u32, 0u32, false);
    let mut i = 0;
    let mut ended_on_delim = false;
    while i < bytes.len() && args.len() < max - 1 {
        let mut cur = Vec::new();
        ended_on_delim = false;
        while i < bytes.len() {
            let c = bytes[i];
            match c {
                b'(' => paren += 1,
                b')' => paren = paren.saturating_sub(1),
                b'[' => bracket += 1,
                b']' => bracket = bracket.saturating_sub(1),
                b'"' => {
                    quote = !quote;
                    i += 1;
                    continue;
                }
                b'\\' => {
                    // The backslash goes; the next character is taken literally.
                    if let Some(&next) = bytes.get(i + 1) {
                        cur.push(next);
                    }
                    i += 2;
                    continue;
                }
                b',' if paren == 0 && !quote && bracket == 0 => {
                    i += 1;
                    ended_on_delim = true;
                    break;
                }
                _ => {}
            }
            cur.push(c);
            i += 1;
        }
        args.push(cur);
    }
    if i < bytes.len() {
        // The last field takes the rest unprocessed.
        args.push(bytes[i..].to_vec());
    } else if ended_on_delim {
        // A trailing comma makes one more, empty, field.
        args.push(Vec::new());
    }
    args.into_iter()
        .map(|a| String::from_utf8_lossy(&a).into_owned())
        .collect()
}

/// `ast_strip_quoted(s, "\"", "\"")`: trim whitespace, then drop a leading and a trailing `"` if both are
/// there.
fn strip_quoted(s: &str) -> String {
    let t = s.trim_matches(|c: char| c.is_ascii_whitespace());
    if t.len() >= 2 && t.starts_with('"') && t.ends_with('"') {
        t[1..t.len() - 1].to_string()
    } else if t == "\"" {
        // A lone quote is both the opening and the closing one.
        String::new()
    } else {
        t.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(v: &str) -> ParsedItem {
        parse_item(v).expect("valid item")
    }

    #[test]
    fn old_syntax() {
        let item = ok("#9,peer,Playback,tt-monkeys");
        assert_eq!(item.dtmf, "#9");
        assert_eq!(item.activate_on, ActivateOn::Peer);
        assert_eq!(
            (item.app.as_str(), item.app_data.as_str()),
            ("Playback", "tt-monkeys")
        );
        assert_eq!(item.moh_class, "");
    }

    #[test]
    fn new_syntax_moves_the_fourth_field_to_moh() {
        let item = ok("*1,self,NoOp(Boo!,x),default");
        assert_eq!(item.app, "NoOp");
        assert_eq!(item.app_data, "Boo!,x");
        assert_eq!(item.moh_class, "default");
        assert_eq!(item.activate_on, ActivateOn::Itself);
    }

    #[test]
    fn activated_by_suffix_and_old_words() {
        assert_eq!(ok("*1,caller/both,NoOp").activate_on, ActivateOn::Itself);
        assert_eq!(ok("*1,CALLEE,NoOp").activate_on, ActivateOn::Peer);
    }

    #[test]
    fn fields_are_not_trimmed() {
        assert_eq!(
            parse_item("*9, self, Playback"),
            Err(AppMapError::BadActivateOn(" self".into()))
        );
        assert_eq!(
            AppMapError::BadActivateOn(" self".into()).asterisk_text("monkeys"),
            "Invalid 'activate_on' value  self for applicationmap item monkeys"
        );
    }

    #[test]
    fn missing_fields() {
        assert_eq!(parse_item("*9,self"), Err(AppMapError::MissingArgument));
        assert_eq!(parse_item(",self,NoOp"), Err(AppMapError::MissingArgument));
        assert_eq!(parse_item(""), Err(AppMapError::MissingArgument));
        assert_eq!(parse_item("*9,self,(x)"), Err(AppMapError::NoApplication));
    }

    #[test]
    fn quotes_and_backslashes() {
        assert_eq!(ok(r#"*9,self,Playback,"a,b""#).app_data, "a,b");
        assert_eq!(ok(r"*9,self,Playback,a\,b").app_data, "a,b");
        // The fifth field is the untouched rest.
        assert_eq!(ok(r#"*9,self,NoOp(x),"m",y"#).moh_class, "m");
        let rest = separate_args(r#"a,b,c,d,"e",f"#, 5);
        assert_eq!(rest[4], r#""e",f"#);
    }

    #[test]
    fn trailing_comma_gives_an_empty_field() {
        assert_eq!(separate_args("a,b,", 5), vec!["a", "b", ""]);
        assert_eq!(separate_args("a", 5), vec!["a"]);
        assert!(separate_args("", 5).is_empty());
    }

    #[test]
    fn codes_are_cut() {
        assert_eq!(ok("123456789012,self,NoOp").dtmf, "1234567890");
    }
}
