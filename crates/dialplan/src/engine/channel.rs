//! Channels: name, unique id, state, caller id and connected line, variables, dialplan position, hangup
//! cause, and the per-channel run-time state the engine needs (frame queue, pending async goto, bridge).
//!
//! A channel lives in the engine's channel table and is addressed by a [`ChannelId`]; nothing outside the
//! engine holds a reference to it across an `.await`.

use super::notify::Notify;
use super::vars::Vars;
use std::any::Any;
use std::borrow::Cow;
use std::collections::{BTreeMap, VecDeque};
use std::rc::Rc;
use std::time::Duration;

/// A channel's handle in the engine. Ids are never reused within one engine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ChannelId(pub u32);

/// Asterisk's channel states (`enum ast_channel_state`), with AMI's numbers and descriptions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChannelState {
    Down,
    Reserved,
    OffHook,
    Dialing,
    Ring,
    Ringing,
    Up,
    Busy,
    DialingOffHook,
    PreRing,
}

impl ChannelState {
    /// `ChannelState:` as AMI shows it.
    pub fn number(self) -> u8 {
        match self {
            ChannelState::Down => 0,
            ChannelState::Reserved => 1,
            ChannelState::OffHook => 2,
            ChannelState::Dialing => 3,
            ChannelState::Ring => 4,
            ChannelState::Ringing => 5,
            ChannelState::Up => 6,
            ChannelState::Busy => 7,
            ChannelState::DialingOffHook => 8,
            ChannelState::PreRing => 9,
        }
    }

    /// `ChannelStateDesc:` as AMI shows it (`ast_state2str`).
    pub fn desc(self) -> &'static str {
        match self {
            ChannelState::Down => "Down",
            ChannelState::Reserved => "Rsrvd",
            ChannelState::OffHook => "OffHook",
            ChannelState::Dialing => "Dialing",
            ChannelState::Ring => "Ring",
            ChannelState::Ringing => "Ringing",
            ChannelState::Up => "Up",
            ChannelState::Busy => "Busy",
            ChannelState::DialingOffHook => "Dialing Offhook",
            ChannelState::PreRing => "Pre-ring",
        }
    }

    pub fn number_text(self) -> &'static str {
        ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"][self.number() as usize]
    }
}

/// A party's number and name (caller id or connected line). `None` = not valid, shown as `<unknown>`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Party {
    pub number: Option<String>,
    pub name: Option<String>,
}

impl Party {
    pub fn new(name: Option<&str>, number: Option<&str>) -> Self {
        Party {
            number: number.map(str::to_string),
            name: name.map(str::to_string),
        }
    }

    /// The number as AMI shows it.
    pub fn number_or_unknown(&self) -> &str {
        match self.number.as_deref() {
            Some(n) if !n.is_empty() => n,
            _ => "<unknown>",
        }
    }

    /// The name as AMI shows it.
    pub fn name_or_unknown(&self) -> &str {
        match self.name.as_deref() {
            Some(n) if !n.is_empty() => n,
            _ => "<unknown>",
        }
    }

    /// Parses a caller id string such as `"Outside Caller" <5550100>` (`ast_callerid_parse`, simplified:
    /// a quoted or bare name before `<number>`, or a bare number).
    pub fn parse(text: &str) -> Party {
        let text = text.trim();
        if let Some(lt) = text.rfind('<') {
            if let Some(gt) = text[lt..].find('>') {
                let number = text[lt + 1..lt + gt].trim();
                let name = text[..lt].trim().trim_matches('"').trim();
                return Party {
                    number: (!number.is_empty()).then(|| number.to_string()),
                    name: (!name.is_empty()).then(|| name.to_string()),
                };
            }
        }
        let all_digits = !text.is_empty()
            && text
                .chars()
                .all(|c| c.is_ascii_digit() || "+*#-() ".contains(c));
        if all_digits {
            Party {
                number: Some(text.to_string()),
                name: None,
            }
        } else if text.is_empty() {
            Party::default()
        } else {
            Party {
                number: None,
                name: Some(text.trim_matches('"').to_string()),
            }
        }
    }
}

/// A frame read from a channel (what its far end sent it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Frame {
    Control(Control),
    DtmfBegin(char),
    /// Digit and duration in ms.
    DtmfEnd(char, u32),
    /// A voice frame (20 ms of audio).
    Voice,
}

/// Control frames (`AST_CONTROL_*`) the simulation uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Control {
    Hangup,
    Ring,
    Ringing,
    Answer,
    Busy,
    Congestion,
    Progress,
    Proceeding,
    Hold,
    Unhold,
    Flash,
}

/// Which half of a Local pair a channel is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LocalHalf {
    /// `;1`: the half the requester (Dial) gets.
    One,
    /// `;2`: the half that runs the PBX at `exten@context`.
    Two,
}

/// The far end of a channel: where frames written to it go.
#[derive(Clone, Debug)]
pub enum FarEnd {
    /// Nothing: frames written to the channel vanish (a channel created for tests or by a module).
    None,
    /// A scenario device (a phone).
    Device(Rc<super::device::PhoneLink>),
    /// The other half of a Local pair.
    Local {
        peer: ChannelId,
        half: LocalHalf,
        no_optimize: bool,
    },
}

/// A dialplan location.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub context: String,
    pub exten: String,
    pub priority: i32,
}

impl Location {
    pub fn new(context: &str, exten: &str, priority: i32) -> Self {
        Location {
            context: context.to_string(),
            exten: exten.to_string(),
            priority,
        }
    }
}

/// Why a channel's waiting stopped early.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Interrupt {
    /// The channel was hung up (soft hangup requested or its far end hung up).
    Hangup,
    /// An async goto is pending: the app should return and the PBX resumes at the new location.
    AsyncGoto,
    /// A bridge wants the channel (moved, kicked): used by the bridge loop.
    Bridge,
}

/// A channel's settings that most channels never have. Out of line, they keep every channel 64 bytes
/// smaller: a channel's box is read whole when a call parked long ago times out and hangs up, one cache
/// line at a time (docs/performance.md, issue 4).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Extras {
    pub accountcode: String,
    pub musicclass: String,
    /// `CHANNEL(parkinglot)` (set by some channel drivers and by `Set(CHANNEL(parkinglot)=…)`).
    pub parkinglot: String,
}

impl Extras {
    /// `Some` boxed extras unless all three are empty.
    pub fn boxed(
        accountcode: String,
        musicclass: String,
        parkinglot: String,
    ) -> Option<Box<Extras>> {
        let any = !accountcode.is_empty() || !musicclass.is_empty() || !parkinglot.is_empty();
        any.then(|| {
            Box::new(Extras {
                accountcode,
                musicclass,
                parkinglot,
            })
        })
    }
}

/// One channel.
pub struct Channel {
    pub id: ChannelId,
    pub name: Rc<str>,
    /// The technology (`PJSIP`, `Local`, …).
    pub tech: Rc<str>,
    pub uniqueid: Rc<str>,
    pub linkedid: Rc<str>,
    pub state: ChannelState,
    pub caller: Party,
    pub connected: Party,
    /// `CHANNEL(language)`: borrowed for the usual `en`, so a channel needs no allocation of its own for
    /// it (a cold block to free when a call parked long ago hangs up, docs/performance.md, issue 4).
    pub language: Cow<'static, str>,
    /// Account code, music class and parking lot: most channels have none, so they live out of line and
    /// are allocated at the first non-empty one (see [`Extras`]).
    pub extras: Option<Box<Extras>>,
    pub context: String,
    pub exten: String,
    pub priority: i32,
    /// The application running now and its data (`Application`/`AppData` of Newexten).
    pub appl: Rc<str>,
    pub data: Rc<str>,
    pub vars: Vars,
    pub hangupcause: i32,
    /// A soft hangup was requested: the channel is going away.
    pub softhangup: bool,
    /// The channel is hung up for good (Hangup event sent); kept in the table until removed.
    pub dead: bool,
    /// A pending async goto (set by [`super::Engine::async_goto`]).
    pub pending_goto: Option<Location>,
    /// Whether a PBX runs on the channel.
    pub in_pbx: bool,
    /// The bridge it is in.
    pub bridge: Option<super::bridge::BridgeId>,
    /// Its state as a member of that bridge (features, timer, a pending request to leave).
    pub(crate) member: Option<super::bridge::Member>,
    pub far: FarEnd,
    /// Frames received and not yet read.
    pub queue: VecDeque<Frame>,
    /// Whether someone reads this channel's frames now (others are dropped on arrival).
    pub reading: bool,
    /// Woken whenever something happens to this channel (frame, hangup, goto, bridge request).
    pub notify: Rc<Notify>,
    /// When it was created, in whole milliseconds of virtual time (the clock's resolution): see
    /// [`Channel::created`]. Eight bytes less than a `Duration`, which brings a channel to ten cache lines.
    pub(crate) created_ms: u64,
    pub answered_at: Option<Duration>,
    /// Since when media frames flow into this channel from its far end (for Answer's wait).
    pub media_since: Option<Duration>,
    /// Playback in progress on this channel (prompt names), for "who hears what".
    pub playing: Option<Rc<str>>,
    /// Music on hold playing to this channel (its class).
    pub moh: Option<Rc<str>>,
    /// Whether an `h` extension already ran for this channel.
    pub h_ran: bool,
    /// The caller id as last published, when the caller id was changed without publishing a snapshot
    /// (a Local half's caller set from its peer's connected line): events that reuse the cached snapshot
    /// show this one until the next snapshot publish, which also raises `NewCallerid`.
    /// Boxed: set only on Local halves, and inline it was 48 of every channel's bytes.
    pub stale_caller: Option<Box<Party>>,
    /// The position a `Newexten` was published for when the channel left its bridge for an async goto
    /// (with the application it was in then): the first step there publishes none (§8).
    pub newexten_published: Option<Box<Location>>,
    /// Module data attached to the channel (Asterisk's datastores), by key.
    pub datastores: BTreeMap<&'static str, Box<dyn Any>>,
}

impl Channel {
    /// When the channel was created (virtual time).
    pub fn created(&self) -> Duration {
        Duration::from_millis(self.created_ms)
    }

    /// `CHANNEL(accountcode)`.
    pub fn accountcode(&self) -> &str {
        self.extras.as_ref().map_or("", |e| &e.accountcode)
    }

    /// `CHANNEL(musicclass)`.
    pub fn musicclass(&self) -> &str {
        self.extras.as_ref().map_or("", |e| &e.musicclass)
    }

    /// `CHANNEL(parkinglot)`.
    pub fn parkinglot(&self) -> &str {
        self.extras.as_ref().map_or("", |e| &e.parkinglot)
    }

    pub fn set_accountcode(&mut self, value: String) {
        self.set_extra(value, |e| &mut e.accountcode);
    }

    pub fn set_musicclass(&mut self, value: String) {
        self.set_extra(value, |e| &mut e.musicclass);
    }

    pub fn set_parkinglot(&mut self, value: String) {
        self.set_extra(value, |e| &mut e.parkinglot);
    }

    /// Stores one of the out-of-line settings, allocating them only for a non-empty value.
    fn set_extra(&mut self, value: String, field: fn(&mut Extras) -> &mut String) {
        if !value.is_empty() || self.extras.is_some() {
            *field(self.extras.get_or_insert_with(Box::default)) = value;
        }
    }

    /// The caller number used for caller-id matched extensions.
    pub fn cid_num(&self) -> Option<&str> {
        self.caller.number.as_deref()
    }

    /// The Local pair peer, if this is a Local half.
    pub fn local_peer(&self) -> Option<(ChannelId, LocalHalf)> {
        match &self.far {
            FarEnd::Local { peer, half, .. } => Some((*peer, *half)),
            _ => None,
        }
    }

    /// What a pending interruption is, if any (hangup wins over a goto).
    pub fn interrupt(&self) -> Option<Interrupt> {
        if self.softhangup || self.dead {
            Some(Interrupt::Hangup)
        } else if self.pending_goto.is_some() {
            Some(Interrupt::AsyncGoto)
        } else {
            None
        }
    }

    /// `ast_channel_name_to_dial_string`: the name cut at its last `-`.
    pub fn dial_string(&self) -> &str {
        match self.name.rfind('-') {
            Some(i) => &self.name[..i],
            None => &self.name,
        }
    }
}

/// Hangup causes (`AST_CAUSE_*`) with Asterisk's names and texts (`ast_cause2str`).
pub mod cause {
    pub const UNALLOCATED: i32 = 1;
    pub const NO_ROUTE_DESTINATION: i32 = 3;
    pub const NORMAL_CLEARING: i32 = 16;
    pub const USER_BUSY: i32 = 17;
    pub const NO_USER_RESPONSE: i32 = 18;
    pub const NO_ANSWER: i32 = 19;
    pub const CALL_REJECTED: i32 = 21;
    pub const NORMAL_UNSPECIFIED: i32 = 31;
    pub const CONGESTION: i32 = 34;
    pub const ANSWERED_ELSEWHERE: i32 = 26;
    pub const SUBSCRIBER_ABSENT: i32 = 20;
    pub const CHANNEL_UNACCEPTABLE: i32 = 6;
    pub const FAILURE: i32 = 38;

    /// The SIP response code chan_pjsip derives from a hangup cause (channels/chan_pjsip.c,
    /// `hangup_cause2sip`); 0 when it has none (e.g. `NORMAL_CLEARING`).
    pub fn pjsip_code(cause: i32) -> i32 {
        match cause {
            23 => 302,
            1..=3 => 404,
            34 | 42 => 503,
            18 => 408,
            19 | 20 | 31 => 480,
            21 => 403,
            22 => 410,
            28 => 484,
            17 => 486,
            38 | 127 => 500,
            29 => 501,
            66 => 503,
            27 => 502,
            58 => 488,
            _ => 0,
        }
    }

    /// (number, name for `Hangup(cause)`, text for `Cause-txt`).
    pub const TABLE: &[(i32, &str, &str)] = &[
        (1, "UNALLOCATED", "Unallocated (unassigned) number"),
        (
            2,
            "NO_ROUTE_TRANSIT_NET",
            "No route to specified transmit network",
        ),
        (3, "NO_ROUTE_DESTINATION", "No route to destination"),
        (5, "MISDIALLED_TRUNK_PREFIX", "Misdialed trunk prefix"),
        (6, "CHANNEL_UNACCEPTABLE", "Channel unacceptable"),
        (
            7,
            "CALL_AWARDED_DELIVERED",
            "Call awarded and being delivered in an established channel",
        ),
        (8, "PRE_EMPTED", "Pre-empted"),
        (14, "NUMBER_PORTED_NOT_HERE", "Number ported elsewhere"),
        (16, "NORMAL_CLEARING", "Normal Clearing"),
        (17, "USER_BUSY", "User busy"),
        (18, "NO_USER_RESPONSE", "No user responding"),
        (19, "NO_ANSWER", "User alerting, no answer"),
        (20, "SUBSCRIBER_ABSENT", "Subscriber absent"),
        (21, "CALL_REJECTED", "Call Rejected"),
        (22, "NUMBER_CHANGED", "Number changed"),
        (
            23,
            "REDIRECTED_TO_NEW_DESTINATION",
            "Redirected to new destination",
        ),
        (26, "ANSWERED_ELSEWHERE", "Answered elsewhere"),
        (27, "DESTINATION_OUT_OF_ORDER", "Destination out of order"),
        (28, "INVALID_NUMBER_FORMAT", "Invalid number format"),
        (29, "FACILITY_REJECTED", "Facility rejected"),
        (
            30,
            "RESPONSE_TO_STATUS_ENQUIRY",
            "Response to STATus ENQuiry",
        ),
        (31, "NORMAL_UNSPECIFIED", "Normal, unspecified"),
        (
            34,
            "NORMAL_CIRCUIT_CONGESTION",
            "Circuit/channel congestion",
        ),
        (38, "NETWORK_OUT_OF_ORDER", "Network out of order"),
        (41, "NORMAL_TEMPORARY_FAILURE", "Temporary failure"),
        (42, "SWITCH_CONGESTION", "Switching equipment congestion"),
        (43, "ACCESS_INFO_DISCARDED", "Access information discarded"),
        (
            44,
            "REQUESTED_CHAN_UNAVAIL",
            "Requested channel not available",
        ),
        (50, "FACILITY_NOT_SUBSCRIBED", "Facility not subscribed"),
        (52, "OUTGOING_CALL_BARRED", "Outgoing call barred"),
        (54, "INCOMING_CALL_BARRED", "Incoming call barred"),
        (
            57,
            "BEARERCAPABILITY_NOTAUTH",
            "Bearer capability not authorized",
        ),
        (
            58,
            "BEARERCAPABILITY_NOTAVAIL",
            "Bearer capability not available",
        ),
        (
            65,
            "BEARERCAPABILITY_NOTIMPL",
            "Bearer capability not implemented",
        ),
        (66, "CHAN_NOT_IMPLEMENTED", "Channel not implemented"),
        (69, "FACILITY_NOT_IMPLEMENTED", "Facility not implemented"),
        (81, "INVALID_CALL_REFERENCE", "Invalid call reference value"),
        (88, "INCOMPATIBLE_DESTINATION", "Incompatible destination"),
        (95, "INVALID_MSG_UNSPECIFIED", "Invalid message unspecified"),
        (
            96,
            "MANDATORY_IE_MISSING",
            "Mandatory information element is missing",
        ),
        (97, "MESSAGE_TYPE_NONEXIST", "Message type nonexist."),
        (98, "WRONG_MESSAGE", "Wrong message"),
        (
            99,
            "IE_NONEXIST",
            "Info. element nonexist or not implemented",
        ),
        (
            100,
            "INVALID_IE_CONTENTS",
            "Invalid information element contents",
        ),
        (
            101,
            "WRONG_CALL_STATE",
            "Message not compatible with call state",
        ),
        (102, "RECOVERY_ON_TIMER_EXPIRE", "Recover on timer expiry"),
        (
            103,
            "MANDATORY_IE_LENGTH_ERROR",
            "Mandatory IE length error",
        ),
        (111, "PROTOCOL_ERROR", "Protocol error, unspecified"),
        (127, "INTERWORKING", "Interworking, unspecified"),
    ];

    /// `ast_cause2str`.
    pub fn text(cause: i32) -> &'static str {
        TABLE
            .iter()
            .find(|(n, _, _)| *n == cause)
            .map_or("Unknown", |(_, _, t)| t)
    }

    /// `ast_str2cause`: a cause name, matched case-insensitively as a prefix of the table's names
    /// (Asterisk compares `strncasecmp(name, table, strlen(table))`, i.e. the table name must be a prefix of
    /// the given text).
    pub fn from_name(name: &str) -> Option<i32> {
        TABLE
            .iter()
            .find(|(_, n, _)| {
                name.len() >= n.len()
                    && name.as_bytes()[..n.len()].eq_ignore_ascii_case(n.as_bytes())
            })
            .map(|(c, _, _)| *c)
    }

    /// `ast_hangup_cause_to_dial_status`.
    pub fn dial_status(cause: i32) -> &'static str {
        match cause {
            USER_BUSY => "BUSY",
            CONGESTION => "CONGESTION",
            // AST_CAUSE_UNREGISTERED is AST_CAUSE_SUBSCRIBER_ABSENT.
            NO_ROUTE_DESTINATION | SUBSCRIBER_ABSENT => "CHANUNAVAIL",
            _ => "NOANSWER",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_caller_ids() {
        let p = Party::parse("\"Outside Caller\" <5550100>");
        assert_eq!(p.name.as_deref(), Some("Outside Caller"));
        assert_eq!(p.number.as_deref(), Some("5550100"));
        let p = Party::parse("2001");
        assert_eq!(p.number.as_deref(), Some("2001"));
        assert_eq!(p.name, None);
        assert_eq!(Party::default().number_or_unknown(), "<unknown>");
    }

    #[test]
    fn cause_names() {
        assert_eq!(cause::from_name("normal_clearing"), Some(16));
        assert_eq!(cause::from_name("USER_BUSY"), Some(17));
        assert_eq!(cause::from_name("nonsense"), None);
        assert_eq!(cause::text(16), "Normal Clearing");
    }

    #[test]
    fn state_numbers() {
        assert_eq!(ChannelState::Ring.number(), 4);
        assert_eq!(ChannelState::Up.desc(), "Up");
        assert_eq!(ChannelState::Up.number_text(), "6");
    }
}
