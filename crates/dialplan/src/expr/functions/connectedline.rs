//! `CONNECTEDLINE(member[,options])` (funcs/func_callerid.c): the channel's connected line — who the
//! channel's own party is told it is talking to.
//!
//! Simulated members: `all`, `name`, `num`/`number` (any word starting with `num`), `name-valid`,
//! `num-valid`, and reading the presentations (`pres`, `name-pres`, `num-pres`), which dialsim never
//! changes from Asterisk's default `allowed_not_screened`. Writing sends the update as
//! `ast_channel_update_connected_line` does (stored, `NewConnectedLine` if it changed, and indicated: a
//! Local half passes it across its pair to the bridged peer); option `i` only stores it
//! (`ast_channel_set_connected_line`). Members Asterisk has that dialsim does not model (`source`,
//! `priv-…`, `tag`, `ton`, `subaddr…`, `…-charset`, `…-plan`, writing presentations) are reported as not
//! simulated; unknown ones get Asterisk's `Unknown connectedline data type` error.

use super::callerid::parse_caller_id;
use super::util::flag;
use super::{split_args, Function};
use crate::diag::LogLevel;
use crate::engine::Party;
use crate::expr::args::{separate_args, ArgMode};
use crate::expr::{codes, Effects, FuncError, VarContext};

pub struct ConnectedLine;

/// Asterisk's name of the default presentation (`ast_named_caller_presentation(0)`).
const DEFAULT_PRES: &str = "allowed_not_screened";

/// One member of `CONNECTEDLINE()`, as dialsim reads and writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Member {
    All,
    Name,
    NameValid,
    Number,
    NumberValid,
    /// `pres`, `name-pres`, `num-pres` (read only in dialsim).
    Presentation,
    /// A member Asterisk has that dialsim does not model.
    NotSimulated,
    /// Not a member Asterisk knows.
    Unknown,
    /// No member, or ten `-` parts or more: the function fails without a message.
    Malformed,
}

fn starts_ci(s: &str, p: &str) -> bool {
    s.len() >= p.len() && s.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes())
}

/// Parses `member` (split on `-`, at most 9 parts as Asterisk's array of 10 allows).
pub fn parse_member(member: &str) -> Member {
    let parts = separate_args(member, '-', ArgMode::Standard, 10);
    if parts.is_empty() || parts.len() >= 10 {
        return Member::Malformed;
    }
    let p: Vec<&str> = parts.iter().map(String::as_str).collect();
    let eq = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    match p.as_slice() {
        [one] if eq(one, "all") => Member::All,
        [one] if eq(one, "source") || eq(one, "tag") || eq(one, "ton") => Member::NotSimulated,
        [one] if starts_ci(one, "pres") => Member::Presentation,
        [first, ..] if eq(first, "priv") => Member::NotSimulated,
        [first, ..] if starts_ci(first, "subaddr") => Member::NotSimulated,
        [first, rest @ ..] if eq(first, "name") || starts_ci(first, "num") => {
            let name = eq(first, "name");
            match rest {
                [] if name => Member::Name,
                [] => Member::Number,
                [v] if eq(v, "valid") && name => Member::NameValid,
                [v] if eq(v, "valid") => Member::NumberValid,
                [v] if starts_ci(v, "pres") => Member::Presentation,
                [v] if eq(v, "charset") && name => Member::NotSimulated,
                [v] if eq(v, "plan") && !name => Member::NotSimulated,
                _ => Member::Unknown,
            }
        }
        _ => Member::Unknown,
    }
}

/// Whether the options (`CONNECTEDLINE(member,i)`) ask only to store the line, not to indicate it.
pub fn inhibits_update(options: &str) -> bool {
    options.contains('i')
}

fn unknown(data: &str, fx: &mut Effects) {
    fx.asterisk(
        codes::FUNC_USAGE,
        LogLevel::Error,
        "func_callerid.c",
        format!("Unknown connectedline data type '{data}'."),
    );
}

fn not_simulated(data: &str) -> FuncError {
    FuncError::NotSimulated(format!("CONNECTEDLINE({data}) is not simulated"))
}

impl Function for ConnectedLine {
    fn name(&self) -> &'static str {
        "CONNECTEDLINE"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let Some((engine, chan)) = ctx.engine() else {
            return Err(FuncError::Failed);
        };
        let Some(line) = engine.with_chan(chan, |c| c.connected.clone()) else {
            return Err(FuncError::Failed);
        };
        // The read callback takes the whole text as the member (no options).
        let shown = |v: &Option<String>| v.clone().unwrap_or_default();
        Ok(match parse_member(args) {
            Member::All => format!("\"{}\" <{}>", shown(&line.name), shown(&line.number)),
            Member::Name => shown(&line.name),
            Member::Number => shown(&line.number),
            Member::NameValid => flag(line.name.is_some()),
            Member::NumberValid => flag(line.number.is_some()),
            Member::Presentation => DEFAULT_PRES.to_string(),
            Member::NotSimulated => return Err(not_simulated(args)),
            Member::Unknown => {
                unknown(args, fx);
                String::new()
            }
            Member::Malformed => return Err(FuncError::Failed),
        })
    }

    fn write(
        &self,
        args: &str,
        value: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<(), FuncError> {
        let a = split_args(args, 2);
        let Some(member) = a.first() else {
            return Err(FuncError::Failed);
        };
        let Some((engine, chan)) = ctx.engine() else {
            return Err(FuncError::Failed);
        };
        let Some(mut line) = engine.with_chan(chan, |c| c.connected.clone()) else {
            return Err(FuncError::Failed);
        };
        let value = value.trim_start_matches([' ', '\t']);
        let trimmed = value.trim_end_matches([' ', '\t', '\n', '\r']);
        match parse_member(member) {
            Member::All => {
                let (name, num) = parse_caller_id(value);
                line = Party::new(Some(&name), Some(&num));
            }
            Member::Name => line.name = Some(trimmed.to_string()),
            Member::Number => line.number = Some(trimmed.to_string()),
            Member::NameValid => {
                if crate::expr::cnum::atoi(value) == 0 {
                    line.name = None;
                } else if line.name.is_none() {
                    line.name = Some(String::new());
                }
            }
            Member::NumberValid => {
                if crate::expr::cnum::atoi(value) == 0 {
                    line.number = None;
                } else if line.number.is_none() {
                    line.number = Some(String::new());
                }
            }
            Member::Presentation | Member::NotSimulated => return Err(not_simulated(member)),
            Member::Unknown => {
                unknown(args, fx);
                return Ok(());
            }
            Member::Malformed => return Err(FuncError::Failed),
        }
        let options = a.get(1).map_or("", String::as_str);
        if inhibits_update(options) {
            let changed = engine
                .with_chan_mut(chan, |c| {
                    let changed = c.connected != line;
                    c.connected = line.clone();
                    changed
                })
                .unwrap_or(false);
            if changed {
                engine.chan_event("NewConnectedLine", "call", chan, |_| {});
            }
        } else {
            engine.indicate_connected_line(chan, line, 0);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members() {
        assert_eq!(parse_member("all"), Member::All);
        assert_eq!(parse_member("NAME"), Member::Name);
        assert_eq!(parse_member("num"), Member::Number);
        assert_eq!(parse_member("number"), Member::Number);
        assert_eq!(parse_member("name-valid"), Member::NameValid);
        assert_eq!(parse_member("num-valid"), Member::NumberValid);
        assert_eq!(parse_member("pres"), Member::Presentation);
        assert_eq!(parse_member("num-pres"), Member::Presentation);
        assert_eq!(parse_member("name-presentation"), Member::Presentation);
        assert_eq!(parse_member("source"), Member::NotSimulated);
        assert_eq!(parse_member("priv-name"), Member::NotSimulated);
        assert_eq!(parse_member("subaddr-odd"), Member::NotSimulated);
        assert_eq!(parse_member("name-charset"), Member::NotSimulated);
        assert_eq!(parse_member("num-plan"), Member::NotSimulated);
        assert_eq!(parse_member("name-plan"), Member::Unknown);
        assert_eq!(parse_member("all-x"), Member::Unknown);
        assert_eq!(parse_member("bogus"), Member::Unknown);
        assert_eq!(parse_member("a-b-c-d-e-f-g-h-i-j"), Member::Malformed);
        assert_eq!(parse_member(""), Member::Malformed);
        assert!(inhibits_update("i"));
        assert!(!inhibits_update(""));
    }
}
