//! `CALLERID(member[,cid])` (funcs/func_callerid.c) and Asterisk's caller-id string parsing
//! (`ast_callerid_split`, main/callerid.c).
//!
//! Simulated members: `all`, `name`, `num`/`number` (any word starting with `num`), `name-valid`,
//! `num-valid`; with a second argument the members `all`, `name`, `num` of that caller-id string. Member names
//! are case-insensitive. Other members real Asterisk has (`ani`, `dnid`, `rdnis`, `pres`, `ton`, `tag`,
//! `subaddr`, `priv`, charsets and plans) are reported as not simulated; unknown ones get Asterisk's
//! `Unknown callerid data type` error.

use super::util::flag;
use super::{split_args, Function};
use crate::diag::LogLevel;
use crate::expr::args::{separate_args, ArgMode};
use crate::expr::cnum::{atoi, is_blank, prefix_bytes, strip};
use crate::expr::{codes, Effects, FuncError, VarContext};

/// A channel's caller id: name and number, each with Asterisk's `valid` flag (an invalid part reads as empty).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallerId {
    pub name: String,
    pub name_valid: bool,
    pub number: String,
    pub number_valid: bool,
}

impl CallerId {
    /// A caller id with both parts valid.
    pub fn new(name: &str, number: &str) -> Self {
        CallerId {
            name: name.to_owned(),
            name_valid: true,
            number: number.to_owned(),
            number_valid: true,
        }
    }

    fn shown_name(&self) -> &str {
        if self.name_valid {
            &self.name
        } else {
            ""
        }
    }

    fn shown_number(&self) -> &str {
        if self.number_valid {
            &self.number
        } else {
            ""
        }
    }
}

pub struct CallerIdFn;

/// The members Asterisk knows but dialsim does not simulate.
const NOT_SIMULATED: &[&str] = &["rdnis", "dnid", "ani2", "ani", "priv", "tag", "ton"];

fn starts_with_ci(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len() && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

fn unknown(args: &str, fx: &mut Effects) {
    fx.asterisk(
        codes::FUNC_USAGE,
        LogLevel::Error,
        "func_callerid.c",
        format!("Unknown callerid data type '{args}'."),
    );
}

fn not_simulated(args: &str) -> FuncError {
    FuncError::NotSimulated(format!("CALLERID({args}) is not simulated"))
}

/// The member name split on `-`, at most 10 parts; `None` when Asterisk rejects the count.
fn members(member: &str) -> Option<Vec<String>> {
    // Asterisk splits into an array of 10 and rejects a split that fills it.
    let parts = separate_args(member, '-', ArgMode::Standard, 10);
    if parts.is_empty() || parts.len() >= 10 {
        return None;
    }
    Some(parts)
}

impl Function for CallerIdFn {
    fn name(&self) -> &'static str {
        "CALLERID"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let Some(id) = ctx.caller_id() else {
            return Err(FuncError::Failed);
        };
        let fields = split_args(args, 2);
        let Some(member) = fields.first() else {
            return Err(FuncError::Failed);
        };
        let Some(sub) = members(member) else {
            return Err(FuncError::Failed);
        };
        let first = sub[0].as_str();
        if let Some(cid) = fields.get(1) {
            let (name, num) = parse_caller_id(cid);
            let (name, num) = (prefix_bytes(&name, 79), prefix_bytes(&num, 79));
            return Ok(if sub.len() == 1 && first.eq_ignore_ascii_case("all") {
                format!("\"{name}\" <{num}>")
            } else if sub.len() == 1 && first.eq_ignore_ascii_case("name") {
                name.to_owned()
            } else if sub.len() == 1 && starts_with_ci(first, "num") {
                num.to_owned()
            } else {
                unknown(args, fx);
                String::new()
            });
        }
        if NOT_SIMULATED.iter().any(|m| first.eq_ignore_ascii_case(m))
            || starts_with_ci(first, "subaddr")
            || starts_with_ci(first, "pres")
        {
            return Err(not_simulated(args));
        }
        let rest: Vec<&str> = sub[1..].iter().map(String::as_str).collect();
        if sub.len() == 1 && first.eq_ignore_ascii_case("all") {
            return Ok(format!("\"{}\" <{}>", id.shown_name(), id.shown_number()));
        }
        let (text, valid) = if first.eq_ignore_ascii_case("name") {
            (id.shown_name(), id.name_valid)
        } else if starts_with_ci(first, "num") {
            (id.shown_number(), id.number_valid)
        } else {
            unknown(args, fx);
            return Ok(String::new());
        };
        match rest.as_slice() {
            [] => Ok(text.to_owned()),
            [v] if v.eq_ignore_ascii_case("valid") => Ok(flag(valid)),
            [v] if v.eq_ignore_ascii_case("charset")
                || v.eq_ignore_ascii_case("plan")
                || starts_with_ci(v, "pres") =>
            {
                Err(not_simulated(args))
            }
            _ => {
                unknown(args, fx);
                Ok(String::new())
            }
        }
    }

    fn write(
        &self,
        args: &str,
        value: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<(), FuncError> {
        let Some(mut id) = ctx.caller_id() else {
            return Err(FuncError::Failed);
        };
        let fields = split_args(args, 2);
        let Some(member) = fields.first() else {
            return Err(FuncError::Failed);
        };
        let Some(sub) = members(member) else {
            return Err(FuncError::Failed);
        };
        let value = value.trim_start_matches(is_blank);
        let first = sub[0].as_str();
        if NOT_SIMULATED.iter().any(|m| first.eq_ignore_ascii_case(m))
            || starts_with_ci(first, "subaddr")
            || starts_with_ci(first, "pres")
        {
            return Err(not_simulated(args));
        }
        let rest: Vec<&str> = sub[1..].iter().map(String::as_str).collect();
        if sub.len() == 1 && first.eq_ignore_ascii_case("all") {
            let (name, num) = parse_caller_id(value);
            id.name = prefix_bytes(&name, 255).to_owned();
            id.name_valid = true;
            id.number = prefix_bytes(&num, 255).to_owned();
            id.number_valid = true;
            ctx.set_caller_id(id);
            return Ok(());
        }
        let is_name = first.eq_ignore_ascii_case("name");
        if !is_name && !starts_with_ci(first, "num") {
            unknown(args, fx);
            return Ok(());
        }
        match rest.as_slice() {
            [] => {
                let text = value.trim_end_matches(is_blank).to_owned();
                if is_name {
                    id.name = text;
                    id.name_valid = true;
                } else {
                    id.number = text;
                    id.number_valid = true;
                }
            }
            [v] if v.eq_ignore_ascii_case("valid") => {
                let valid = atoi(value) != 0;
                if is_name {
                    id.name_valid = valid;
                } else {
                    id.number_valid = valid;
                }
            }
            [v] if v.eq_ignore_ascii_case("charset")
                || v.eq_ignore_ascii_case("plan")
                || starts_with_ci(v, "pres") =>
            {
                return Err(not_simulated(args));
            }
            _ => {
                unknown(args, fx);
                return Ok(());
            }
        }
        ctx.set_caller_id(id);
        Ok(())
    }
}

/// Splits a caller-id string such as `"Alice" <1001>` into name and number, as `ast_callerid_split` does:
/// the number is between the last `<` and the last `>` after it; without brackets, text that looks like a
/// phone number (digits, `*#+`, ignoring `()`, spaces and some `-.`) is a number, anything else a name.
/// Surrounding quotes go and `\x` in the name becomes `x`.
pub fn parse_caller_id(input: &str) -> (String, String) {
    let input = strip(input);
    let instr = strip_quoted(input);
    let quotes_stripped = instr.len() != input.len();
    let (name, location) = if let Some(ls) = instr.rfind('<') {
        let after = &instr[ls + 1..];
        let location = match after.rfind('>') {
            Some(le) => &after[..le],
            None => after,
        };
        (
            Some(strip_quoted(&instr[..ls]).to_owned()),
            Some(location.to_owned()),
        )
    } else {
        let tmp = shrink_phone_number(prefix_bytes(instr, 255));
        if !quotes_stripped && is_phone_number(&tmp) {
            (None, Some(tmp))
        } else {
            (Some(strip_quoted(instr).to_owned()), None)
        }
    };
    let name = name.map(|n| unescape_quoted(&n)).unwrap_or_default();
    let number = location
        .map(|l| shrink_phone_number(&l))
        .unwrap_or_default();
    (name, number)
}

/// `ast_strip_quoted(s, "\"", "\"")`: blanks stripped, then one pair of surrounding double quotes.
fn strip_quoted(s: &str) -> &str {
    let s = strip(s);
    if s.starts_with('"') {
        if s.len() == 1 {
            return "";
        }
        if s.ends_with('"') {
            return &s[1..s.len() - 1];
        }
    }
    s
}

/// `ast_shrink_phone_number`: drops `(`, `)`, spaces, `-` outside brackets and `.` except at the end.
fn shrink_phone_number(n: &str) -> String {
    let mut out = String::with_capacity(n.len());
    let mut bracketed = 0i32;
    let chars: Vec<char> = n.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '[' => {
                bracketed += 1;
                out.push(c);
            }
            ']' => {
                bracketed -= 1;
                out.push(c);
            }
            '-' => {
                if bracketed != 0 {
                    out.push(c);
                }
            }
            '.' => {
                if i + 1 == chars.len() {
                    out.push(c);
                }
            }
            '(' | ' ' | ')' => {}
            _ => out.push(c),
        }
    }
    out
}

fn is_phone_number(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| "0123456789*#+".contains(c))
}

/// `ast_unescape_quoted`: a backslash keeps the next character; a final backslash goes.
fn unescape_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some(n) => out.push(n),
                None => break,
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caller_id_strings() {
        let cases = [
            ("\"Alice\" <1001>", ("Alice", "1001")),
            ("Alice <1001>", ("Alice", "1001")),
            (
                "  \"Bob Smith\"   <+1 (555) 123-4567>  ",
                ("Bob Smith", "+15551234567"),
            ),
            ("1001", ("", "1001")),
            ("\"1001\"", ("1001", "")),
            ("Alice", ("Alice", "")),
            ("<1001>", ("", "1001")),
            ("Carol <2002", ("Carol", "2002")),
            ("\"A \\\"q\\\" B\" <1>", ("A \"q\" B", "1")),
            ("555.1234.", ("555.1234.", "")),
            ("555-1234", ("", "5551234")),
            ("", ("", "")),
        ];
        for (input, (name, num)) in cases {
            assert_eq!(
                parse_caller_id(input),
                (name.to_owned(), num.to_owned()),
                "{input:?}"
            );
        }
    }
}
