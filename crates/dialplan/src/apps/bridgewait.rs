//! `BridgeWait([name[,role[,options]]])` (apps/app_bridgewait.c with bridges/bridge_holding.c): the channel
//! waits in a named holding bridge until something takes it out.
//!
//! - The bridge is made at the first `BridgeWait` in a name (default `default`): a base-class bridge with the
//!   holding technology (`BridgeType: base`, `BridgeTechnology: holding_bridge`, creator `BridgeWait`, the
//!   name as `BridgeName`), shared by every channel that waits in that name, and destroyed as soon as the
//!   last channel that waits in it leaves.
//! - Roles: a `participant` (default) hears its entertainment (`e(m|r|s|h|n)`, music on hold by default,
//!   class `m(class)`) while no `announcer` is in the bridge; an announcer suspends everybody's
//!   entertainment; a second announcer is refused by the bridge technology and leaves at once.
//! - `S(seconds)`: an interval hook that takes the channel out (`Channel … timed out.`, hang-up cause 16
//!   when none is set) and the dialplan goes on. `n`: no answer.
//! - Returns −1 for a bad role or option, or when the channel hung up; 0 otherwise (kicked, redirected,
//!   timed out).
//!
//! The roles and role options a `BridgeWait` sets stay on the channel (a datastore in Asterisk), so a later
//! `BridgeWait` without options keeps them.

use crate::apps::args::{arg, standard_args};
use crate::diag::LogLevel;
use crate::engine::{
    App, AppResult, BridgeDelegate, BridgeId, BridgeKind, ChannelId, ChannelState, Engine, Exec,
    Interrupt, IntervalHook, IntervalNext, LocalBoxFuture,
};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::time::Duration;

/// The bridge name used when none is given.
pub const DEFAULT_NAME: &str = "default";

/// Why a channel is in the holding bridge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Waits and hears its entertainment.
    Participant,
    /// Talks to the participants, whose entertainment stops meanwhile.
    Announcer,
}

/// What a participant hears while no announcer is present (`e(…)`, only its first letter is read).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entertainment {
    /// `m`: music on hold (the default).
    MusicOnHold,
    /// `r`: ringing.
    Ringing,
    /// `s`: silence.
    Silence,
    /// `h`: the channel is put on hold (a SIP channel then plays music on hold itself).
    Hold,
    /// `n`: nothing.
    None,
}

/// The options as `ast_app_parse_options` reads them; their values are checked when they are applied.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// `m(class)`.
    pub moh_class: Option<String>,
    /// `e(x)`: the raw argument.
    pub entertainment: Option<String>,
    /// `S(duration)`: the raw argument.
    pub timeout: Option<String>,
    /// `n`: do not answer.
    pub no_answer: bool,
    /// Asterisk's warnings while reading the options (unknown letters, a missing `)`), in order.
    pub warnings: Vec<String>,
}

/// The arguments of one `BridgeWait`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Args {
    pub name: String,
    pub role: Role,
    pub options: Options,
}

/// Arguments Asterisk refuses before doing anything.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// A role other than `participant` or `announcer` (case matters).
    InvalidRole(String),
}

impl ParseError {
    /// Asterisk's ERROR line (app_bridgewait.c).
    pub fn message(&self) -> String {
        match self {
            ParseError::InvalidRole(r) => {
                format!("Requested waiting bridge role '{r}' is invalid.")
            }
        }
    }
}

/// Reads `name,role,options`.
pub fn parse(data: &str) -> Result<Args, ParseError> {
    let a = standard_args(data, 4);
    let name = match arg(&a, 0) {
        "" => DEFAULT_NAME.to_string(),
        n => n.to_string(),
    };
    let role = match arg(&a, 1) {
        "" | "participant" => Role::Participant,
        "announcer" => Role::Announcer,
        other => return Err(ParseError::InvalidRole(other.to_string())),
    };
    let options = a.get(2).map(|o| parse_options(o)).unwrap_or_default();
    Ok(Args {
        name,
        role,
        options,
    })
}

/// `ast_app_parse_options` over BridgeWait's letters `e(…)`, `m(…)`, `S(…)`, `n`: an argument letter
/// without parentheses gets `""`; a letter BridgeWait does not know is warned about; an unclosed `(`
/// ends the reading with a warning (that letter is not set).
pub fn parse_options(text: &str) -> Options {
    let mut o = Options::default();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let letter = chars[i];
        i += 1;
        let mut value = None;
        if chars.get(i) == Some(&'(') {
            i += 1;
            let parse_quotes = chars.get(i) == Some(&'"');
            let mut depth = 1;
            let mut quote = false;
            let mut buf = String::new();
            let mut closed = false;
            while i < chars.len() {
                let c = chars[i];
                if c == '(' && !quote {
                    depth += 1;
                } else if c == ')' && !quote {
                    depth -= 1;
                    if depth == 0 {
                        closed = true;
                        i += 1;
                        break;
                    }
                } else if c == '"' && parse_quotes {
                    quote = !quote;
                    i += 1;
                    continue;
                } else if c == '\\' {
                    if !quote || chars.get(i + 1) == Some(&'"') {
                        // The backslash goes; the next character is kept as it is.
                        if let Some(&n) = chars.get(i + 1) {
                            buf.push(n);
                        }
                        i += 2;
                        continue;
                    }
                    buf.push(c);
                    if let Some(&n) = chars.get(i + 1) {
                        buf.push(n);
                    }
                    i += 2;
                    continue;
                }
                buf.push(c);
                i += 1;
            }
            if !closed {
                o.warnings.push(format!(
                    "Missing closing parenthesis for argument '{letter}' in string '{buf}'"
                ));
                break;
            }
            value = Some(buf);
        }
        let value = value.unwrap_or_default();
        match letter {
            'e' => o.entertainment = Some(value),
            'm' => o.moh_class = Some(value),
            'S' => o.timeout = Some(value),
            'n' => o.no_answer = true,
            other => o.warnings.push(format!("Unrecognized option: '{other}'")),
        }
    }
    o
}

/// `S()` refused (Asterisk's ERROR line is [`TimeoutError::message`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TimeoutError {
    Empty,
    Invalid(String),
}

impl TimeoutError {
    pub fn message(&self) -> String {
        match self {
            TimeoutError::Empty => "Timeout option 'S': No value provided.".to_string(),
            TimeoutError::Invalid(v) => {
                format!("Timeout option 'S': Invalid value provided '{v}'.")
            }
        }
    }
}

/// `S(duration)`: whole seconds as `sscanf("%u")` reads them (leading blanks, a sign, digits, the rest
/// ignored; C's unsigned wrap-around kept), not 0, then × 1000 in 32 bits.
pub fn parse_timeout(text: &str) -> Result<Duration, TimeoutError> {
    if text.is_empty() {
        return Err(TimeoutError::Empty);
    }
    let invalid = || TimeoutError::Invalid(text.to_string());
    let t = text.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (negative, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    if end == 0 {
        return Err(invalid());
    }
    // strtoul: saturates at ULONG_MAX, then a '-' negates in unsigned arithmetic; %u keeps 32 bits.
    let mut v: u64 = 0;
    for b in digits[..end].bytes() {
        v = v.saturating_mul(10).saturating_add(u64::from(b - b'0'));
    }
    if negative {
        v = v.wrapping_neg();
    }
    let secs = v as u32;
    if secs == 0 {
        return Err(invalid());
    }
    Ok(Duration::from_millis(u64::from(secs.wrapping_mul(1000))))
}

/// `e(x)`: the first letter chooses; anything else is Asterisk's ERROR `Invalid argument for BridgeWait
/// entertainment '%s'` (`Err` holds that text).
pub fn parse_entertainment(text: &str) -> Result<Entertainment, String> {
    match text.chars().next() {
        Some('m') => Ok(Entertainment::MusicOnHold),
        Some('r') => Ok(Entertainment::Ringing),
        Some('s') => Ok(Entertainment::Silence),
        Some('h') => Ok(Entertainment::Hold),
        Some('n') => Ok(Entertainment::None),
        _ => Err(format!(
            "Invalid argument for BridgeWait entertainment '{text}'"
        )),
    }
}

/// The application, with the named bridges of its engine.
pub struct BridgeWait {
    shared: Rc<RefCell<Shared>>,
}

impl BridgeWait {
    pub fn new() -> BridgeWait {
        BridgeWait {
            shared: Rc::new(RefCell::new(Shared::default())),
        }
    }
}

impl Default for BridgeWait {
    fn default() -> Self {
        BridgeWait::new()
    }
}

/// The roles and role options a channel carries (they outlive one `BridgeWait`).
#[derive(Clone, Debug, Default)]
struct Roles {
    participant: bool,
    announcer: bool,
    moh_class: Option<String>,
    idle: Option<Entertainment>,
}

/// A channel inside a waiting bridge, as the holding technology sees it.
struct Holder {
    role: Role,
    /// The entertainment running now, if any.
    playing: Option<Entertainment>,
}

struct Named {
    id: BridgeId,
    /// Channels inside `BridgeWait` for this name (Asterisk's references to the wrapper).
    users: u32,
}

#[derive(Default)]
struct Shared {
    bridges: BTreeMap<String, Named>,
    roles: BTreeMap<ChannelId, Roles>,
    holders: BTreeMap<ChannelId, Holder>,
    announcers: BTreeMap<BridgeId, ChannelId>,
}

/// The waiting bridges' personality: bridge_holding.c's join and leave.
struct WaitBridge {
    shared: Rc<RefCell<Shared>>,
}

impl BridgeDelegate for WaitBridge {
    fn entered(&self, engine: &Engine, bridge: BridgeId, chan: ChannelId) {
        let roles = self
            .shared
            .borrow()
            .roles
            .get(&chan)
            .cloned()
            .unwrap_or_default();
        if roles.announcer {
            let existing = self.shared.borrow().announcers.get(&bridge).copied();
            if existing.is_some() {
                let (uid, name) = (
                    engine
                        .with_bridge(bridge, |b| b.uniqueid.clone())
                        .unwrap_or_else(|| Rc::from("")),
                    engine.chan_name(chan).unwrap_or_else(|| Rc::from("")),
                );
                engine.log(LogLevel::Warning, "bridge_holding.c", || {
                    format!(
                        "Bridge {uid}: Channel {name} tried to be an announcer.  Bridge already has one."
                    )
                });
                if engine.hangupcause(chan) <= 0 {
                    engine.set_hangupcause(chan, crate::engine::channel::cause::NORMAL_CLEARING);
                }
                engine.bridge_kick(chan);
                return;
            }
            let others: Vec<ChannelId> = {
                let mut s = self.shared.borrow_mut();
                s.announcers.insert(bridge, chan);
                s.holders.insert(
                    chan,
                    Holder {
                        role: Role::Announcer,
                        playing: None,
                    },
                );
                engine
                    .bridge_members(bridge)
                    .into_iter()
                    .filter(|&m| m != chan)
                    .collect()
            };
            for m in others {
                self.stop(engine, m);
            }
            return;
        }
        let announced = {
            let mut s = self.shared.borrow_mut();
            s.holders.insert(
                chan,
                Holder {
                    role: Role::Participant,
                    playing: None,
                },
            );
            s.announcers.contains_key(&bridge)
        };
        if !announced {
            self.start(engine, chan);
        }
    }

    fn leaving(&self, engine: &Engine, bridge: BridgeId, chan: ChannelId) {
        let role = self.shared.borrow().holders.get(&chan).map(|h| h.role);
        match role {
            None => {}
            Some(Role::Announcer) => {
                self.shared.borrow_mut().announcers.remove(&bridge);
                self.shared.borrow_mut().holders.remove(&chan);
                for m in engine.bridge_members(bridge) {
                    if m != chan {
                        self.start(engine, m);
                    }
                }
            }
            Some(Role::Participant) => {
                self.stop(engine, chan);
                self.shared.borrow_mut().holders.remove(&chan);
            }
        }
    }
}

impl WaitBridge {
    /// `participant_entertainment_start`.
    fn start(&self, engine: &Engine, chan: ChannelId) {
        let (idle, moh_class) = {
            let mut s = self.shared.borrow_mut();
            let roles = s.roles.get(&chan).cloned().unwrap_or_default();
            let Some(h) = s.holders.get_mut(&chan) else {
                return;
            };
            if h.role != Role::Participant || h.playing.is_some() {
                return;
            }
            let idle = roles.idle.unwrap_or(Entertainment::MusicOnHold);
            h.playing = Some(idle);
            (idle, roles.moh_class)
        };
        if matches!(idle, Entertainment::MusicOnHold | Entertainment::Hold) {
            let class = moh_class_for(engine, chan, moh_class.as_deref());
            engine.moh_start(chan, &class);
        }
    }

    /// `participant_entertainment_stop`.
    fn stop(&self, engine: &Engine, chan: ChannelId) {
        let playing = self
            .shared
            .borrow_mut()
            .holders
            .get_mut(&chan)
            .and_then(|h| h.playing.take());
        if matches!(
            playing,
            Some(Entertainment::MusicOnHold | Entertainment::Hold)
        ) {
            engine.moh_stop(chan);
        }
    }
}

/// The class `ast_moh_start` picks with `preferchannelclass=yes` (the default): the channel's
/// `CHANNEL(musicclass)`, else the requested class, else `default`.
pub(crate) fn moh_class_for(engine: &Engine, chan: ChannelId, requested: Option<&str>) -> String {
    let own = engine
        .with_chan(chan, |c| c.musicclass().to_string())
        .unwrap_or_default();
    if !own.is_empty() {
        return own;
    }
    match requested {
        Some(r) if !r.is_empty() => r.to_string(),
        _ => "default".to_string(),
    }
}

impl App for BridgeWait {
    fn name(&self) -> &'static str {
        "BridgeWait"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        let args = match parse(data) {
            Ok(a) => a,
            Err(e) => {
                engine.log(LogLevel::Error, "app_bridgewait.c", || e.message());
                return Exec::Done(AppResult::Hangup);
            }
        };
        for w in &args.options.warnings {
            engine.log(LogLevel::Warning, "app.c", || w.clone());
        }
        let engine = engine.clone();
        let shared = self.shared.clone();
        Exec::Pending(Box::pin(
            async move { run(&engine, &shared, chan, args).await },
        ))
    }
}

async fn run(
    engine: &Engine,
    shared: &Rc<RefCell<Shared>>,
    chan: ChannelId,
    args: Args,
) -> AppResult {
    if engine.state(chan) != Some(ChannelState::Up)
        && !args.options.no_answer
        && engine.answer(chan, Duration::ZERO).await.is_err()
    {
        return AppResult::Hangup;
    }
    // process_options: the timeout first, then the role and the participant's options.
    if let Some(t) = &args.options.timeout {
        match parse_timeout(t) {
            Ok(d) => engine.add_interval_hook(chan, d, Rc::new(TimeoutHook)),
            Err(e) => {
                engine.log(LogLevel::Error, "app_bridgewait.c", || e.message());
                return AppResult::Hangup;
            }
        }
    }
    {
        let mut s = shared.borrow_mut();
        let roles = s.roles.entry(chan).or_default();
        match args.role {
            Role::Participant => {
                roles.participant = true;
                if let Some(class) = &args.options.moh_class {
                    roles.moh_class = Some(class.clone());
                }
            }
            Role::Announcer => roles.announcer = true,
        }
    }
    if args.role == Role::Participant {
        if let Some(e) = &args.options.entertainment {
            match parse_entertainment(e) {
                Ok(idle) => {
                    if let Some(r) = shared.borrow_mut().roles.get_mut(&chan) {
                        r.idle = Some(idle);
                    }
                }
                Err(msg) => {
                    engine.log(LogLevel::Error, "app_bridgewait.c", || msg);
                    return AppResult::Hangup;
                }
            }
        }
    }
    let bridge = named_bridge(engine, shared, &args.name);
    let name = engine.chan_name(chan).unwrap_or_else(|| Rc::from(""));
    let uid = engine
        .with_bridge(bridge, |b| b.uniqueid.clone())
        .unwrap_or_else(|| Rc::from(""));
    engine.verbose(3, "app_bridgewait.c", || {
        format!("{name} is entering waiting bridge {}:{uid}", args.name)
    });
    if engine.bridge_push(bridge, chan) {
        engine.bridge_run(chan).await;
    } else {
        engine.clear_interval_hooks(chan);
    }
    release(engine, shared, &args.name);
    if !engine.is_alive(chan) || engine.interrupt(chan) == Some(Interrupt::Hangup) {
        AppResult::Hangup
    } else {
        AppResult::Continue
    }
}

/// `S()`'s interval hook (`bridgewait_timeout_callback`): the line, the hang-up cause (kept if one is set)
/// and the bridge variables cleared; then the channel leaves the bridge.
struct TimeoutHook;

impl IntervalHook for TimeoutHook {
    fn fire(
        &self,
        engine: Engine,
        _bridge: BridgeId,
        chan: ChannelId,
    ) -> LocalBoxFuture<IntervalNext> {
        let name = engine.chan_name(chan).unwrap_or_else(|| Rc::from(""));
        engine.verbose(3, "app_bridgewait.c", || {
            format!("Channel {name} timed out.")
        });
        if engine.hangupcause(chan) <= 0 {
            engine.set_hangupcause(chan, crate::engine::channel::cause::NORMAL_CLEARING);
        }
        for var in ["BRIDGEPEER", "BRIDGEPVTCALLID"] {
            if engine.chan_var(chan, var).is_some() {
                engine.set_var(chan, var, None);
            }
        }
        Box::pin(std::future::ready(IntervalNext::Leave))
    }
}

/// The waiting bridge called `name`, made (`BridgeCreate`) if nobody waits in that name; counts the user.
fn named_bridge(engine: &Engine, shared: &Rc<RefCell<Shared>>, name: &str) -> BridgeId {
    if let Some(n) = shared.borrow_mut().bridges.get_mut(name) {
        n.users += 1;
        return n.id;
    }
    let delegate = Rc::new(WaitBridge {
        shared: shared.clone(),
    });
    let id = engine.create_bridge(BridgeKind::BaseHolding, "BridgeWait", name, Some(delegate));
    shared
        .borrow_mut()
        .bridges
        .insert(name.to_string(), Named { id, users: 1 });
    id
}

/// A user of `name` is done: the last one destroys the bridge (`BridgeDestroy`).
fn release(engine: &Engine, shared: &Rc<RefCell<Shared>>, name: &str) {
    let gone = {
        let mut s = shared.borrow_mut();
        let Some(n) = s.bridges.get_mut(name) else {
            return;
        };
        n.users = n.users.saturating_sub(1);
        if n.users > 0 {
            return;
        }
        let id = n.id;
        s.bridges.remove(name);
        s.announcers.remove(&id);
        id
    };
    engine.destroy_bridge(gone);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(data: &str) -> Args {
        parse(data).unwrap_or_else(|e| panic!("{data}: {e:?}"))
    }

    #[test]
    fn names_and_roles() {
        let a = ok("");
        assert_eq!((a.name.as_str(), a.role), ("default", Role::Participant));
        let a = ok("lobby,announcer");
        assert_eq!((a.name.as_str(), a.role), ("lobby", Role::Announcer));
        assert_eq!(ok(",participant").name, "default");
        assert_eq!(
            parse("x,Announcer"),
            Err(ParseError::InvalidRole("Announcer".into()))
        );
        assert_eq!(
            ParseError::InvalidRole("boss".into()).message(),
            "Requested waiting bridge role 'boss' is invalid."
        );
    }

    #[test]
    fn options() {
        let o = ok("q,,m(jazz)e(r)S(10)n").options;
        assert_eq!(o.moh_class.as_deref(), Some("jazz"));
        assert_eq!(o.entertainment.as_deref(), Some("r"));
        assert_eq!(o.timeout.as_deref(), Some("10"));
        assert!(o.no_answer);
        assert!(o.warnings.is_empty());
        // A letter that takes an argument, written without one, gets "".
        assert_eq!(parse_options("e").entertainment.as_deref(), Some(""));
        assert_eq!(
            parse_options("kS(5)").warnings,
            ["Unrecognized option: 'k'"]
        );
        let o = parse_options("S(5");
        assert_eq!(o.timeout, None);
        assert_eq!(
            o.warnings,
            ["Missing closing parenthesis for argument 'S' in string '5'"]
        );
        assert_eq!(parse_options("m(a\\)b)").moh_class.as_deref(), Some("a)b"));
    }

    #[test]
    fn timeouts() {
        assert_eq!(parse_timeout("10"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_timeout(" 3s"), Ok(Duration::from_secs(3)));
        assert_eq!(parse_timeout(""), Err(TimeoutError::Empty));
        assert_eq!(parse_timeout("0"), Err(TimeoutError::Invalid("0".into())));
        assert_eq!(parse_timeout("x"), Err(TimeoutError::Invalid("x".into())));
        assert_eq!(
            TimeoutError::Invalid("x".into()).message(),
            "Timeout option 'S': Invalid value provided 'x'."
        );
        assert_eq!(
            TimeoutError::Empty.message(),
            "Timeout option 'S': No value provided."
        );
        // %u reads a negative number modulo 2^32; × 1000 wraps in 32 bits.
        assert_eq!(
            parse_timeout("-1"),
            Ok(Duration::from_millis(u64::from(
                u32::MAX.wrapping_mul(1000)
            )))
        );
    }

    #[test]
    fn entertainments() {
        assert_eq!(parse_entertainment("ringing"), Ok(Entertainment::Ringing));
        assert_eq!(parse_entertainment("s"), Ok(Entertainment::Silence));
        assert_eq!(parse_entertainment("h"), Ok(Entertainment::Hold));
        assert_eq!(parse_entertainment("n"), Ok(Entertainment::None));
        assert_eq!(parse_entertainment("m"), Ok(Entertainment::MusicOnHold));
        assert_eq!(
            parse_entertainment(""),
            Err("Invalid argument for BridgeWait entertainment ''".to_string())
        );
    }
}
