//! Blind and attended transfer at run time: what Asterisk's bridging core does when a transferer presses
//! `blindxfer` or `atxfer` [main/bridge_basic.c · feature_blind_transfer, feature_attended_transfer,
//! grab_transfer; main/bridge.c · ast_bridge_transfer_blind; main/bridge_channel.c ·
//! ast_bridge_channel_write_hold].
//!
//! Shared here: putting the other party on hold (the transferer's `Hold` event; the peer's channel driver
//! starts music on hold), the transfer context (`TRANSFER_CONTEXT`, else the transferer's context), the
//! target dialling ([`grab_transfer`], on the pure [`crate::transfer::digits`]), the `BLINDTRANSFER` /
//! `ATTENDEDTRANSFER` variables, and the [`TransferPark`] seam through which a parking provider takes over
//! a transfer to one of its parking extensions. [`blind`] and [`attended`] are the two features.

pub mod attended;
pub mod blind;

use crate::transfer::digits::{failed_line, Attempt, Collect, DialAttempts, TargetDigits};
use crate::General;
use dialplan::diag::LogLevel;
use dialplan::engine::lang::Heard;
use dialplan::engine::{BridgeId, ChannelId, Engine, FeatureOutcome, LocalBoxFuture};
use std::time::Duration;

/// Every DTMF digit (`AST_DIGIT_ANY`).
const ANY_DIGIT: &str = "0123456789*#ABCD";

/// What a parking provider does for transfers (res_parking's `parking_blind_transfer_park`, and its bridge's
/// swap push), registered with [`super::FeaturesModule::register_transfer_park`].
pub trait TransferPark {
    /// A blind transfer of a two-party bridge to `exten@context`: when that extension runs `Park` at priority
    /// 1, the park of the transferer's peer (its outcome is the transferer's); `None` otherwise (the
    /// transfer goes on as an ordinary one).
    fn blind_transfer_park(
        &self,
        engine: &Engine,
        bridge: BridgeId,
        transferer: ChannelId,
        context: &str,
        exten: &str,
    ) -> Option<LocalBoxFuture<FeatureOutcome>>;

    /// `incoming` takes the place of the parked channel `parked` in its lot (same space, the time left):
    /// `ParkedCallSwap`. `false` when `parked` is not parked.
    fn swap(&self, engine: &Engine, parked: ChannelId, incoming: ChannelId) -> bool;
}

/// `get_transfer_context`: `TRANSFER_CONTEXT`, else the transferer's context, else `default`.
pub fn transfer_context(engine: &Engine, transferer: ChannelId) -> String {
    if let Some(c) = engine
        .get_var(transferer, "TRANSFER_CONTEXT")
        .filter(|c| !c.is_empty())
    {
        return c;
    }
    engine
        .with_chan(transferer, |c| c.context.clone())
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| "default".to_string())
}

/// `ast_bridge_channel_write_hold` with no class: the `Hold` event on `chan`, and the other members of its
/// bridge start music on hold (their channel driver's answer to the hold indication).
pub fn write_hold(engine: &Engine, bridge: BridgeId, chan: ChannelId) {
    engine.chan_event("Hold", "call", chan, |_| {});
    for peer in engine.bridge_members(bridge) {
        if peer != chan {
            let class = default_moh_class(engine, peer);
            engine.moh_start(peer, &class);
        }
    }
}

/// `ast_bridge_channel_write_unhold`: the `Unhold` event on `chan`; the others' music stops.
pub fn write_unhold(engine: &Engine, bridge: BridgeId, chan: ChannelId) {
    engine.chan_event("Unhold", "call", chan, |_| {});
    for peer in engine.bridge_members(bridge) {
        if peer != chan {
            engine.moh_stop(peer);
        }
    }
}

/// `ast_bridge_channel_queue_playfile` for a channel in a bridge: its `Playing` line now, the prompt ends
/// by itself (the channel stays in its bridge meanwhile).
pub fn play_in_bridge(engine: &Engine, chan: ChannelId, sound: &str) {
    if sound.is_empty() || engine.bridge_of(chan).is_none() {
        return;
    }
    let Ok(Some(duration)) = engine.start_prompt(chan, sound) else {
        return;
    };
    let (e, end, sound) = (engine.clone(), engine.now() + duration, sound.to_string());
    engine.spawn_local(async move {
        e.sleep_until(end).await;
        e.with_chan_mut(chan, |c| {
            if c.playing.as_deref() == Some(sound.as_str()) {
                c.playing = None;
            }
        });
    });
}

/// The class `ast_moh_start(chan, NULL, NULL)` uses: the channel's, else `default`.
pub fn default_moh_class(engine: &Engine, chan: ChannelId) -> String {
    engine
        .with_chan(chan, |c| c.musicclass().to_string())
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| "default".to_string())
}

/// `ast_bridge_set_transfer_variables`: sets `BLINDTRANSFER` (or `ATTENDEDTRANSFER`) and erases the other.
pub fn set_transfer_variables(engine: &Engine, chan: ChannelId, value: &str, kind: TransferKind) {
    let (write, erase) = match kind {
        TransferKind::Blind => ("BLINDTRANSFER", "ATTENDEDTRANSFER"),
        TransferKind::Attended => ("ATTENDEDTRANSFER", "BLINDTRANSFER"),
    };
    engine.set_var(chan, write, Some(value));
    engine.set_var(chan, erase, None);
}

/// Which transfer variable is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransferKind {
    Blind,
    Attended,
}

/// Why no target was had.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NoTarget;

/// `grab_transfer`: the target extension the transferer dials in `context` (`TRANSFER_EXTEN` if it exists
/// there), with the announcement, the digit timeout and the attempts of features.conf `[general]`.
pub async fn grab_transfer(
    engine: &Engine,
    chan: ChannelId,
    context: &str,
    general: &General,
) -> Result<String, NoTarget> {
    let name = engine
        .chan_name(chan)
        .map(|n| n.to_string())
        .unwrap_or_default();
    let cid = engine
        .with_chan(chan, |c| c.cid_num().map(str::to_string))
        .flatten();
    let exists = |exten: &str| engine.plan().exists(context, exten, 1, cid.as_deref());
    if let Some(over) = engine
        .get_var(chan, "TRANSFER_EXTEN")
        .filter(|e| !e.is_empty())
    {
        if exists(&over) {
            engine.verbose(3, "bridge_basic.c", || {
                format!("Transferring call to '{over}@{context}'")
            });
            return Ok(over);
        }
        engine.log(LogLevel::Warning, "bridge_basic.c", || {
            format!("Override extension '{over}' does not exist in context '{context}'")
        });
    }
    let mut first = None;
    if !general.transferannouncesound.is_empty() {
        match engine
            .play_until_digit(chan, &general.transferannouncesound, ANY_DIGIT)
            .await
        {
            Err(_) => return Err(NoTarget),
            Ok(Heard::Digit(d)) => first = Some(d),
            Ok(_) => {}
        }
    }
    let timeout = Duration::from_secs(u64::from(general.transferdigittimeout));
    let mut attempts = DialAttempts::new(
        general.transferdialattempts,
        &general.transferretrysound,
        &general.transferinvalidsound,
    );
    loop {
        attempts.start();
        let mut digits = TargetDigits::new(first.take());
        while digits.has_room() {
            let d = match engine.wait_digit_in(chan, timeout, ANY_DIGIT).await {
                Err(_) => return Err(NoTarget),
                Ok(None) => break,
                Ok(Some(d)) => d,
            };
            let more = |s: &str| engine.plan().match_more(context, s, cid.as_deref());
            if digits.push(d, more) == Collect::Done {
                break;
            }
        }
        if exists(digits.as_str()) {
            return Ok(digits.as_str().to_string());
        }
        let line = failed_line(&name, digits.as_str(), context);
        engine.verbose(3, "bridge_basic.c", || line);
        // `ast_stream_and_wait(…, AST_DIGIT_NONE)`: keys pressed meanwhile are read and dropped.
        match attempts.failed() {
            Attempt::Retry(sound) => {
                if engine.play_until_digit(chan, &sound, "").await.is_err() {
                    return Err(NoTarget);
                }
            }
            Attempt::GiveUp(sound) => {
                let _ = engine.play_until_digit(chan, &sound, "").await;
                return Err(NoTarget);
            }
        }
    }
}
