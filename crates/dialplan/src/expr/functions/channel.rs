//! `CHANNEL(item)` (funcs/func_channel.c): fields of the current channel.
//!
//! The items a simulation has are a [`ChannelItem`] and are answered by the [`VarContext`]. Items real
//! Asterisk knows but dialsim does not simulate (formats, groups, technology-specific items such as PJSIP's)
//! are reported as not simulated; any other name gets Asterisk's `Unknown or unavailable item requested`.

use super::Function;
use crate::diag::LogLevel;
use crate::expr::{codes, Effects, FuncError, VarContext};

/// The `CHANNEL()` items dialsim simulates. Names are case-insensitive; `channame` is `name`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChannelItem {
    Name,
    State,
    UniqueId,
    LinkedId,
    Language,
    MusicClass,
    ParkingLot,
    AccountCode,
    PeerAccount,
    UserField,
    HangupSource,
    Exten,
    Context,
    LastExten,
    LastContext,
    ChannelType,
    Peer,
    AppName,
    AppData,
    CheckHangup,
    OnHold,
}

impl ChannelItem {
    /// The item for a name, as `func_channel_read` compares them (case-insensitively).
    pub fn parse(name: &str) -> Option<ChannelItem> {
        const NAMES: &[(&str, ChannelItem)] = &[
            ("name", ChannelItem::Name),
            ("channame", ChannelItem::Name),
            ("state", ChannelItem::State),
            ("uniqueid", ChannelItem::UniqueId),
            ("linkedid", ChannelItem::LinkedId),
            ("language", ChannelItem::Language),
            ("musicclass", ChannelItem::MusicClass),
            ("parkinglot", ChannelItem::ParkingLot),
            ("accountcode", ChannelItem::AccountCode),
            ("peeraccount", ChannelItem::PeerAccount),
            ("userfield", ChannelItem::UserField),
            ("hangupsource", ChannelItem::HangupSource),
            ("exten", ChannelItem::Exten),
            ("context", ChannelItem::Context),
            ("lastexten", ChannelItem::LastExten),
            ("lastcontext", ChannelItem::LastContext),
            ("channeltype", ChannelItem::ChannelType),
            ("peer", ChannelItem::Peer),
            ("appname", ChannelItem::AppName),
            ("appdata", ChannelItem::AppData),
            ("checkhangup", ChannelItem::CheckHangup),
            ("onhold", ChannelItem::OnHold),
        ];
        NAMES
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|&(_, item)| item)
    }

    /// Whether `Set(CHANNEL(item)=…)` can change it.
    pub fn writable(self) -> bool {
        matches!(
            self,
            ChannelItem::Language
                | ChannelItem::MusicClass
                | ChannelItem::ParkingLot
                | ChannelItem::AccountCode
                | ChannelItem::PeerAccount
                | ChannelItem::UserField
                | ChannelItem::HangupSource
        )
    }
}

/// Items Asterisk's core answers that dialsim does not model.
const REAL_ITEMS: &[&str] = &[
    "audionativeformat",
    "videonativeformat",
    "audioreadformat",
    "audiowriteformat",
    "tonezone",
    "adsicpe",
    "dtmf_features",
    "transfercapability",
    "callgroup",
    "pickupgroup",
    "namedcallgroup",
    "namedpickupgroup",
    "after_bridge_goto",
    "amaflags",
    "secure_bridge_signaling",
    "secure_bridge_media",
    "max_forwards",
    "callid",
    "tdd",
    "digitdetect",
    "faxdetect",
    "device_name",
    "tenantid",
    "relaxdtmf",
    "txgain",
    "rxgain",
];

/// The write-only items that edit the hangup handler stack (main/pbx_hangup_handler.c).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HandlerOp {
    /// `hangup_handler_push`: push the value.
    Push,
    /// `hangup_handler_pop`: pop the newest, then push the value (if any).
    Pop,
    /// `hangup_handler_wipe`: pop them all, then push the value (if any).
    Wipe,
}

impl HandlerOp {
    /// The operation an item names (case-insensitive), if it is one.
    pub fn parse(item: &str) -> Option<HandlerOp> {
        [
            ("hangup_handler_push", HandlerOp::Push),
            ("hangup_handler_pop", HandlerOp::Pop),
            ("hangup_handler_wipe", HandlerOp::Wipe),
        ]
        .into_iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(item))
        .map(|(_, op)| op)
    }
}

pub struct ChannelFn;

fn unknown_item(args: &str, fx: &mut Effects) -> FuncError {
    fx.asterisk(
        codes::FUNC_USAGE,
        LogLevel::Warning,
        "func_channel.c",
        format!("Unknown or unavailable item requested: '{args}'"),
    );
    FuncError::Failed
}

fn not_simulated(args: &str) -> FuncError {
    FuncError::NotSimulated(format!("CHANNEL({args}) is not simulated"))
}

fn is_real_item(args: &str) -> bool {
    REAL_ITEMS.iter().any(|n| n.eq_ignore_ascii_case(args))
}

impl Function for ChannelFn {
    fn name(&self) -> &'static str {
        "CHANNEL"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        if ctx.caller_id().is_none() {
            fx.asterisk(
                codes::FUNC_USAGE,
                LogLevel::Warning,
                "func_channel.c",
                "No channel was provided to CHANNEL function.",
            );
            return Err(FuncError::Failed);
        }
        match ChannelItem::parse(args) {
            Some(item) => ctx.channel_item(item).ok_or_else(|| not_simulated(args)),
            None if is_real_item(args) => Err(not_simulated(args)),
            None => Err(unknown_item(args, fx)),
        }
    }

    fn write(
        &self,
        args: &str,
        value: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<(), FuncError> {
        if let Some(op) = HandlerOp::parse(args) {
            let Some((engine, chan)) = ctx.engine() else {
                return Err(not_simulated(args));
            };
            match op {
                HandlerOp::Push => {}
                HandlerOp::Pop => {
                    engine.hangup_handler_pop(chan);
                }
                HandlerOp::Wipe => while engine.hangup_handler_pop(chan) {},
            }
            engine.hangup_handler_push(chan, value);
            return Ok(());
        }
        match ChannelItem::parse(args) {
            Some(item) if item.writable() => {
                if ctx.set_channel_item(item, value) {
                    Ok(())
                } else {
                    Err(not_simulated(args))
                }
            }
            Some(_) => Err(unknown_item(args, fx)),
            None if is_real_item(args) => Err(not_simulated(args)),
            None => Err(unknown_item(args, fx)),
        }
    }
}
