//! The jumps written inside other applications' arguments, read into the same [`Jump`] list as `Goto`
//! and `Gosub` so the target check and the reachability check see them: `ExecIf(cond?Goto(…):Gosub(…))`,
//! Dial's `U(context^arg…)` (a Gosub to `context,s,1` on the called party), `b()`/`B()` (pre-dial
//! Gosubs), `F()`/`G()` (where a party goes after the call), `Set(CHANNEL(hangup_handler_push)=…)`, and
//! Park's (or ParkAndAnnounce's) `c(context,exten,priority)`, where a timed-out parked call goes, and
//! `GotoIfTime`'s branches.

use super::apps::AppKind;
use super::args::nth_arg;
use super::dial::DialArgs;
use super::goto::Branches;
use super::jumplist::Jumps;
use super::options::{letters, Letter};
use super::target::{
    gotoif_branches, parse_location, parse_location_sep, Location, Priority as Prio,
};
use super::walk::Step;
use super::{Inner, Via};

impl<'a> Step<'a> {
    /// Adds this priority to `out` as a jump to `targets`, read as `locations`.
    pub(super) fn jump(
        &self,
        out: &mut Jumps<'a>,
        via: Via,
        targets: Branches<'a>,
        locations: [Option<Location<'a>>; 2],
    ) {
        out.push(self.extension, self.priority, via, targets, locations);
    }

    fn one(&self, out: &mut Jumps<'a>, via: Via, text: &'a str, location: Option<Location<'a>>) {
        let mut targets = Branches::new();
        targets.push(text);
        self.jump(out, via, targets, [location, None]);
    }
}

/// Dial's `U`, `b`, `B`, `F` and `G` options.
pub(super) fn dial<'a>(at: &Step<'a>, args: &DialArgs<'a>, out: &mut Jumps<'a>) {
    let Some(options) = args.plain(2) else {
        return;
    };
    if !options
        .bytes()
        .any(|c| matches!(c, b'U' | b'b' | b'B' | b'F' | b'G'))
    {
        return;
    }
    for item in letters(options) {
        let Ok(Letter {
            letter,
            arg: Some(arg),
        }) = item
        else {
            continue;
        };
        if arg.trim().is_empty() {
            continue;
        }
        match letter {
            b'U' => {
                // `U(context^arg^…)`: a Gosub to `context,s,1` with the rest as arguments.
                let context = arg.split('^').next().unwrap_or_default().trim();
                let location =
                    (!context.contains('$') && !context.is_empty()).then_some(Location {
                        context: Some(context),
                        exten: Some("s"),
                        priority: Prio::Number(1),
                    });
                at.one(out, Via::DialGosub('U'), arg, location);
            }
            b'b' | b'B' => {
                let target = arg.split('(').next().unwrap_or_default();
                at.one(
                    out,
                    Via::DialGosub(letter as char),
                    target,
                    parse_location_sep(target, '^'),
                );
            }
            b'F' | b'G' => at.one(
                out,
                Via::DialGoto(letter as char),
                arg,
                parse_location_sep(arg, '^'),
            ),
            _ => {}
        }
    }
}

/// `ExecIf`, hangup handlers set with `Set`, and Park's `c()`.
pub(super) fn other<'a>(at: &Step<'a>, out: &mut Jumps<'a>) {
    let data = at.data;
    match at.kind {
        AppKind::ExecIf => exec_if(at, data, out),
        // A hangup handler is set with `=`: the walk's scan knows whether there is one.
        AppKind::Set if at.equals => {
            if let Some(target) = hangup_handler(data) {
                at.one(out, Via::HangupHandler, target, parse_location(target));
            }
        }
        AppKind::GotoIfTime => {
            // `times,weekdays,mdays,months[,timezone]?iftrue[:iffalse]`, split as GotoIf's branches.
            let mut targets = Branches::new();
            let mut locations = [None, None];
            if let Some((x, y)) = gotoif_branches(data) {
                for s in [x, y] {
                    if !s.trim().is_empty() {
                        locations[targets.len()] = parse_location(s);
                        targets.push(s);
                    }
                }
            }
            if targets.len() > 0 {
                at.jump(out, Via::Goto, targets, locations);
            }
        }
        AppKind::Park | AppKind::ParkAndAnnounce => park(at, data, out),
        _ => {}
    }
}

/// The location of `Set(CHANNEL(hangup_handler_push)=location(args))` (or `_wipe`).
fn hangup_handler(data: &str) -> Option<&str> {
    // Most `Set`s set something else: ruled out before the search for `=`.
    if !data.trim_start().starts_with("CHANNEL(") {
        return None;
    }
    let (name, value) = data.split_once('=')?;
    let name = name.trim();
    let inner = name.strip_prefix("CHANNEL(")?.strip_suffix(')')?.trim();
    if inner != "hangup_handler_push" && inner != "hangup_handler_wipe" {
        return None;
    }
    let target = value.split('(').next().unwrap_or_default();
    (!target.trim().is_empty()).then_some(target)
}

fn park<'a>(at: &Step<'a>, data: &'a str, out: &mut Jumps<'a>) {
    if !data.contains('c') {
        return;
    }
    let Some(options) = nth_arg(data, 1) else {
        return;
    };
    for item in letters(options) {
        if let Ok(Letter {
            letter: b'c',
            arg: Some(arg),
        }) = item
        {
            if !arg.trim().is_empty() {
                at.one(out, Via::ParkComeback, arg, parse_location(arg));
            }
        }
    }
}

/// `ExecIf(cond?App(args)[:App(args)])`: the branches that run `Goto` or `Gosub`.
fn exec_if<'a>(at: &Step<'a>, data: &'a str, out: &mut Jumps<'a>) {
    let Some(q) = top_level(data, b'?') else {
        return;
    };
    let rest = &data[q + 1..];
    let (first, second) = match top_level(rest, b':') {
        Some(c) => (&rest[..c], Some(&rest[c + 1..])),
        None => (rest, None),
    };
    for branch in std::iter::once(first).chain(second) {
        let Some((name, args)) = branch.split_once('(') else {
            continue;
        };
        let args = args.rfind(')').map_or(args, |i| &args[..i]);
        let name = name.trim();
        let inner = if name.eq_ignore_ascii_case("Goto") {
            Inner::Goto
        } else if name.eq_ignore_ascii_case("Gosub") {
            Inner::Gosub
        } else {
            continue;
        };
        let target = match inner {
            Inner::Goto => args,
            Inner::Gosub => args.split('(').next().unwrap_or_default(),
        };
        at.one(out, Via::ExecIf(inner), target, parse_location(target));
    }
}

/// Byte index of the first `needle` outside `(…)`, `${…}` and `$[…]`.
fn top_level(text: &str, needle: u8) -> Option<usize> {
    let b = text.as_bytes();
    let mut depth = 0usize;
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'(' | b'{' | b'[' => depth += 1,
            b')' | b'}' | b']' => depth = depth.saturating_sub(1),
            _ if c == needle && depth == 0 => return Some(i),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hangup_handler_targets() {
        assert_eq!(
            hangup_handler("CHANNEL(hangup_handler_push)=hdlr,s,1(a,b)"),
            Some("hdlr,s,1")
        );
        assert_eq!(hangup_handler("CHANNEL(language)=fr"), None);
        assert_eq!(hangup_handler("X=1"), None);
    }

    #[test]
    fn exec_if_split() {
        assert_eq!(top_level("$[${A}?1:2]?Goto(a,b,1):NoOp(x)", b'?'), Some(11));
        assert_eq!(top_level("Goto(a,b,1):Gosub(x)", b':'), Some(11));
    }
}
