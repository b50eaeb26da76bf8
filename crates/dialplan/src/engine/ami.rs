//! AMI event shapes: the channel snapshot block every channel event carries, with Asterisk 22's field names
//! and order (`main/manager_channels.c · ast_manager_build_channel_state_string_prefix`), and the bridge
//! snapshot block (`main/manager_bridges.c · ast_manager_build_bridge_state_string_prefix`).

use super::bridge::Bridge;
use super::channel::Channel;
use super::event::Fields;
use std::borrow::Cow;

/// The prefix of a channel snapshot block (`Dest`, `Parkee`, …); `""` for the event's own channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Prefix(pub &'static str);

impl Prefix {
    pub const NONE: Prefix = Prefix("");
    pub const DEST: Prefix = Prefix("Dest");
    pub const PARKEE: Prefix = Prefix("Parkee");
    pub const RETRIEVER: Prefix = Prefix("Retriever");
    pub const LOCAL_ONE: Prefix = Prefix("LocalOne");
    pub const LOCAL_TWO: Prefix = Prefix("LocalTwo");

    fn key(self, key: &'static str) -> Cow<'static, str> {
        if self.0.is_empty() {
            Cow::Borrowed(key)
        } else {
            Cow::Owned(format!("{}{key}", self.0))
        }
    }
}

/// Appends a channel's snapshot block: `Channel`, `ChannelState`, `ChannelStateDesc`, `CallerIDNum`,
/// `CallerIDName`, `ConnectedLineNum`, `ConnectedLineName`, `Language`, `AccountCode`, `Context`, `Exten`,
/// `Priority`, `Uniqueid`, `Linkedid`.
/// What `ast_channel_publish_dial` reports about a dialled channel: `DialBegin` with the dial string,
/// `DialState` or `DialEnd` with the status.
#[derive(Clone, Copy, Debug)]
pub enum DialEvent<'a> {
    Begin(&'a str),
    State(&'a str),
    End(&'a str),
}

impl DialEvent<'_> {
    /// The AMI event's name.
    pub fn name(&self) -> &'static str {
        match self {
            DialEvent::Begin(_) => "DialBegin",
            DialEvent::State(_) => "DialState",
            DialEvent::End(_) => "DialEnd",
        }
    }

    /// Appends the event's own field: `DialString` or `DialStatus`.
    pub fn push(&self, f: &mut Fields) {
        match *self {
            DialEvent::Begin(s) => f.push("DialString", s.to_string()),
            DialEvent::State(s) | DialEvent::End(s) => f.push("DialStatus", s.to_string()),
        };
    }
}

pub fn push_channel(f: &mut Fields, prefix: Prefix, ch: &Channel) {
    f.push(prefix.key("Channel"), &*ch.name);
    f.push(prefix.key("ChannelState"), ch.state.number_text());
    f.push(prefix.key("ChannelStateDesc"), ch.state.desc());
    let caller = ch.stale_caller.as_deref().unwrap_or(&ch.caller);
    f.push(prefix.key("CallerIDNum"), caller.number_or_unknown());
    f.push(prefix.key("CallerIDName"), caller.name_or_unknown());
    f.push(
        prefix.key("ConnectedLineNum"),
        ch.connected.number_or_unknown(),
    );
    f.push(
        prefix.key("ConnectedLineName"),
        ch.connected.name_or_unknown(),
    );
    f.push(prefix.key("Language"), &*ch.language);
    f.push(prefix.key("AccountCode"), ch.accountcode());
    f.push(prefix.key("Context"), ch.context.as_str());
    f.push(prefix.key("Exten"), ch.exten.as_str());
    f.push(prefix.key("Priority"), ch.priority.to_string());
    f.push(prefix.key("Uniqueid"), &*ch.uniqueid);
    f.push(prefix.key("Linkedid"), &*ch.linkedid);
}

/// Appends a bridge's snapshot block: `BridgeUniqueid`, `BridgeType`, `BridgeTechnology`, `BridgeCreator`,
/// `BridgeName`, `BridgeNumChannels`, `BridgeVideoSourceMode`.
pub fn push_bridge(f: &mut Fields, b: &Bridge) {
    f.push("BridgeUniqueid", &*b.uniqueid);
    f.push("BridgeType", b.kind.class());
    f.push("BridgeTechnology", b.kind.tech());
    f.push("BridgeCreator", or_unknown(&b.creator));
    f.push("BridgeName", or_unknown(&b.name));
    f.push("BridgeNumChannels", b.members.len().to_string());
    f.push("BridgeVideoSourceMode", "none");
}

fn or_unknown(s: &str) -> &str {
    if s.is_empty() {
        "<unknown>"
    } else {
        s
    }
}
