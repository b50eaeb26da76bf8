//! Dial's argument parsing: destinations, timeouts and option letters, testable without a channel.

use super::super::args::{arg, leading_f64, parse_options, standard_args};
use std::time::Duration;

/// One `tech/resource` item as written (trimmed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Peer {
    pub tech: String,
    /// Everything after the first `/` (the resource and any options, e.g. `alice@ctx/n`).
    pub number: String,
}

impl Peer {
    /// `tech/number`, Asterisk's "interface" (the `Called` line).
    pub fn interface(&self) -> String {
        format!("{}/{}", self.tech, self.number)
    }
}

/// A timeout as Dial reads it: `None` = forever.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timeouts {
    pub answer: Option<Duration>,
    pub progress: Option<Duration>,
    /// Asterisk's warnings about unreadable values, in order.
    pub warnings: Vec<String>,
}

/// Dial's options that the simulation acts on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Every letter with its argument, in the order written.
    pub all: Vec<(char, Option<String>)>,
    /// The feature letters (`t T h H k K x X w W`) in the order written.
    pub features: String,
    /// `g`: go on in the dialplan when the callee hangs up.
    pub go_on: bool,
    /// `D(called[:calling[:progress]])`.
    pub dtmf_called: Option<String>,
    pub dtmf_calling: Option<String>,
    /// `G(context^exten^priority)` with `^` turned into `,`.
    pub goto: Option<String>,
    /// `A(called[:calling])`.
    pub announce: Option<String>,
    /// `r`: ringing indication to the caller.
    pub ringback: bool,
    /// `r(tone)`: the tone written (empty or absent: plain ringing).
    pub ringback_tone: Option<String>,
    /// `m`: music on hold to the caller.
    pub music: bool,
    /// `m(class)`: the class written (empty or absent: the caller's own class, else `default`).
    pub music_class: Option<String>,
    /// `U(x[^arg…])`: a subroutine run on the callee before bridging (`^` already turned into `,`).
    pub callee_gosub: Option<String>,
    /// `b(context^exten^priority)`: a pre-dial handler run on each callee (`^` turned into `,`).
    pub predial_callee: Option<String>,
    /// `B(context^exten^priority)`: a pre-dial handler run on the caller (`^` turned into `,`).
    pub predial_caller: Option<String>,
    /// `F` (`Some(None)`) or `F(context^exten^priority)`: where the callee goes on when the caller hangs up.
    pub callee_go_on: Option<Option<String>>,
    /// `Q(cause)`: the cause the other callees are hung up with when one answers (the text as written).
    pub others_cause: Option<String>,
    /// `a`: the caller is answered as soon as a callee answers.
    pub caller_answer: bool,
    /// `c`: callees still ringing at the end are hung up as answered elsewhere.
    pub cancel_elsewhere: bool,
    /// `e`: the callee runs the caller's context's `h` extension when it leaves the bridge (wins over `F`).
    pub peer_h: bool,
    /// `S(x)`: hang the callee up `x` seconds after the answer (the text as written).
    pub duration_stop: Option<String>,
    /// `L(x[:y][:z])`: the call limit (the text as written).
    pub duration_limit: Option<String>,
}

/// `L(x[:y][:z])` as `ast_bridge_timelimit` reads it, in milliseconds: the limit, the first warning
/// before the end, and the warning repeat interval (adjusted as Asterisk does when the first warning
/// would come before the call starts).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    pub timelimit: i64,
    pub play_warning: i64,
    pub warning_freq: i64,
}

/// Parses `L()`'s argument; `None` when the limit reads as 0 (Asterisk: `Bridge does not accept L(%s)`).
pub fn parse_limit(text: &str) -> Option<Limit> {
    let mut parts = text.splitn(3, ':');
    let timelimit = i64::from(crate::expr::cnum::atoi(parts.next().unwrap_or("")));
    let mut play_warning = parts
        .next()
        .map_or(0, |p| i64::from(crate::expr::cnum::atoi(p)));
    let mut warning_freq = parts
        .next()
        .map_or(0, |p| i64::from(crate::expr::cnum::atoi(p)));
    if timelimit == 0 {
        return None;
    }
    let delta = play_warning - timelimit;
    if delta > 0 {
        if warning_freq == 0 {
            play_warning = 0;
        } else {
            play_warning -= warning_freq * (1 + (delta - 1) / warning_freq);
            if play_warning < 1 {
                play_warning = 0;
                warning_freq = 0;
            }
        }
    }
    Some(Limit {
        timelimit,
        play_warning,
        warning_freq,
    })
}

/// The `U()` subroutine's Gosub text: `context,s,1[(args)]`, the first field being the context (the
/// extension `~~s~~` when the context has no `s` but has that one, as AEL writes it).
pub fn callee_gosub_args(arg: &str, exten_s: &str) -> String {
    match arg.split_once(',') {
        Some((ctx, rest)) => format!("{ctx},{exten_s},1({rest})"),
        None => format!("{arg},{exten_s},1"),
    }
}

/// Parsed arguments of `Dial(peers[,timeout[,options[,URL]]])`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Args {
    /// Every non-empty item; an item without `/` is an error only when Dial reaches it.
    pub items: Vec<String>,
    pub timeout_text: String,
    pub options: Options,
    pub url: Option<String>,
}

pub fn parse(data: &str) -> Args {
    let a = standard_args(data, 4);
    let items = arg(&a, 0)
        .split('&')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    Args {
        items,
        timeout_text: arg(&a, 1).to_string(),
        options: parse_dial_options(arg(&a, 2)),
        url: Some(arg(&a, 3))
            .filter(|u| !u.is_empty())
            .map(str::to_string),
    }
}

/// Splits an item at its first `/`; `None` when there is no resource.
pub fn split_item(item: &str) -> Option<Peer> {
    let (tech, number) = item.split_once('/')?;
    if number.is_empty() {
        return None;
    }
    Some(Peer {
        tech: tech.to_string(),
        number: number.to_string(),
    })
}

pub fn parse_dial_options(text: &str) -> Options {
    let mut o = Options {
        all: parse_options(text),
        ..Options::default()
    };
    for (c, a) in o.all.clone() {
        match c {
            't' | 'T' | 'h' | 'H' | 'k' | 'K' | 'x' | 'X' | 'w' | 'W' => o.features.push(c),
            'g' => o.go_on = true,
            'r' => {
                o.ringback = true;
                o.ringback_tone = a.filter(|s| !s.is_empty());
            }
            'm' => {
                o.music = true;
                o.music_class = a.filter(|s| !s.is_empty());
            }
            'D' => {
                let a = a.unwrap_or_default();
                let mut parts = a.split(':');
                o.dtmf_called = parts.next().filter(|s| !s.is_empty()).map(str::to_string);
                o.dtmf_calling = parts.next().filter(|s| !s.is_empty()).map(str::to_string);
            }
            'G' => o.goto = a.map(|g| g.replace('^', ",")),
            'A' => o.announce = a,
            'U' => o.callee_gosub = a.filter(|s| !s.is_empty()).map(|g| g.replace('^', ",")),
            'b' => o.predial_callee = a.filter(|s| !s.is_empty()).map(|g| g.replace('^', ",")),
            'B' => o.predial_caller = a.filter(|s| !s.is_empty()).map(|g| g.replace('^', ",")),
            'F' => o.callee_go_on = Some(a.filter(|s| !s.is_empty())),
            'e' => o.peer_h = true,
            'c' => o.cancel_elsewhere = true,
            'a' => o.caller_answer = true,
            'Q' => o.others_cause = a.filter(|s| !s.is_empty()),
            'S' => o.duration_stop = a.filter(|s| !s.is_empty()),
            'L' => o.duration_limit = a.filter(|s| !s.is_empty()),
            _ => {}
        }
    }
    o
}

/// The `timeout` argument: `answer[^progress]` in seconds (decimals allowed).
pub fn parse_timeouts(text: &str) -> Timeouts {
    let mut t = Timeouts {
        answer: None,
        progress: None,
        warnings: Vec::new(),
    };
    if text.is_empty() {
        return t;
    }
    let (ans, prog) = match text.split_once('^') {
        Some((a, p)) => (a, Some(p)),
        None => (text, None),
    };
    if !ans.is_empty() {
        match leading_f64(ans) {
            Some(s) if s > 0.0 => t.answer = Some(Duration::from_millis((s * 1000.0) as u64)),
            _ => t.warnings.push(format!(
                "Invalid answer timeout specified: '{ans}'. Setting timeout to infinite"
            )),
        }
    }
    if let Some(p) = prog.filter(|p| !p.is_empty()) {
        match leading_f64(p) {
            Some(s) if s > 0.0 => t.progress = Some(Duration::from_millis((s * 1000.0) as u64)),
            _ => t.warnings.push(format!(
                "Invalid progress timeout specified: '{p}'. Setting timeout to infinite"
            )),
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_items_and_options() {
        let a = parse("Local/alice@parking-example/n,,k");
        assert_eq!(a.items, ["Local/alice@parking-example/n"]);
        assert_eq!(a.options.features, "k");
        let p = split_item(&a.items[0]).unwrap();
        assert_eq!(p.tech, "Local");
        assert_eq!(p.number, "alice@parking-example/n");
        assert_eq!(p.interface(), "Local/alice@parking-example/n");
        let a = parse(" PJSIP/a & & PJSIP/b ,20,tTgD(12:34)");
        assert_eq!(a.items, ["PJSIP/a", "PJSIP/b"]);
        assert_eq!(a.options.features, "tT");
        assert!(a.options.go_on);
        assert_eq!(a.options.dtmf_called.as_deref(), Some("12"));
        assert_eq!(a.options.dtmf_calling.as_deref(), Some("34"));
        assert!(split_item("alice").is_none());
        assert!(split_item("PJSIP/").is_none());
        let a = parse("PJSIP/a,,G(ctx^s^1)");
        assert_eq!(a.options.goto.as_deref(), Some("ctx,s,1"));
    }

    #[test]
    fn new_options() {
        let o = parse_dial_options("U(sub^a^b)b(pre^s^1)B(cpre^s^1)FS(30)L(60000:10000:5000)");
        assert_eq!(o.callee_gosub.as_deref(), Some("sub,a,b"));
        assert_eq!(o.predial_callee.as_deref(), Some("pre,s,1"));
        assert_eq!(o.predial_caller.as_deref(), Some("cpre,s,1"));
        assert_eq!(o.callee_go_on, Some(None));
        assert_eq!(o.duration_stop.as_deref(), Some("30"));
        assert_eq!(o.duration_limit.as_deref(), Some("60000:10000:5000"));
        let o = parse_dial_options("F(ctx^s^2)U()");
        assert_eq!(o.callee_go_on, Some(Some("ctx^s^2".to_string())));
        assert_eq!(o.callee_gosub, None);
        assert_eq!(callee_gosub_args("sub,a,b", "s"), "sub,s,1(a,b)");
        assert_eq!(callee_gosub_args("sub", "~~s~~"), "sub,~~s~~,1");
    }

    #[test]
    fn limits() {
        assert_eq!(
            parse_limit("60000:10000:5000"),
            Some(Limit {
                timelimit: 60000,
                play_warning: 10000,
                warning_freq: 5000
            })
        );
        assert_eq!(parse_limit("0"), None);
        assert_eq!(parse_limit("abc"), None);
        // A first warning after the end is pulled back by whole intervals.
        assert_eq!(
            parse_limit("10000:25000:6000").map(|l| l.play_warning),
            Some(7000)
        );
        assert_eq!(parse_limit("10000:25000").map(|l| l.play_warning), Some(0));
        assert_eq!(
            parse_limit("10000:12000:3000").map(|l| (l.play_warning, l.warning_freq)),
            Some((9000, 3000))
        );
    }

    #[test]
    fn timeouts() {
        let t = parse_timeouts("20");
        assert_eq!(t.answer, Some(Duration::from_secs(20)));
        let t = parse_timeouts("1.5^3");
        assert_eq!(t.answer, Some(Duration::from_millis(1500)));
        assert_eq!(t.progress, Some(Duration::from_secs(3)));
        let t = parse_timeouts("0");
        assert_eq!(t.answer, None);
        assert_eq!(
            t.warnings,
            ["Invalid answer timeout specified: '0'. Setting timeout to infinite"]
        );
        assert_eq!(parse_timeouts("").answer, None);
    }
}
