//! The `blindxfer` feature [main/bridge_basic.c · feature_blind_transfer; main/bridge.c ·
//! ast_bridge_transfer_blind, try_parking, set_transfer_variables_all; main/bridge_channel.c ·
//! bridge_channel_blind_transfer; main/stasis_bridges.c · blind_transfer_to_ami].
//!
//! `Channel %s: Started DTMF blind transfer.`; the peer is put on hold (music) while the transferer hears
//! the announcement and dials. No valid target ⇒ the peer is taken off hold and the call goes on. A target
//! ⇒ the peer is taken off hold, then: a parking extension (the parking provider says so) ⇒ the peer is
//! parked exactly as by one-touch parking; otherwise, in a two-party bridge, the transferer gets
//! `BLINDTRANSFER` = its `BRIDGEPEER`, the peer `BLINDTRANSFER` = the transferer's name, the peer leaves for
//! `exten@context` priority 1 (a dialled peer starts a PBX there) and the transferer leaves the bridge.
//! `BlindTransfer` is published with the result.

use super::{
    grab_transfer, set_transfer_variables, transfer_context, write_hold, write_unhold, TransferKind,
};
use crate::module::{codes, FeaturesModule};
use dialplan::engine::ami::{push_bridge, Prefix};
use dialplan::engine::{
    BridgeId, ChannelId, Engine, FeatureAction, FeatureOutcome, LocalBoxFuture, Location,
};

/// The blind transfer feature action.
pub struct BlindTransfer {
    pub(crate) module: FeaturesModule,
}

impl FeatureAction for BlindTransfer {
    fn name(&self) -> &str {
        "blindxfer"
    }

    fn run(
        &self,
        engine: Engine,
        bridge: BridgeId,
        chan: ChannelId,
    ) -> LocalBoxFuture<FeatureOutcome> {
        let module = self.module.clone();
        Box::pin(async move { feature_blind_transfer(&module, &engine, bridge, chan).await })
    }
}

async fn feature_blind_transfer(
    module: &FeaturesModule,
    engine: &Engine,
    bridge: BridgeId,
    chan: ChannelId,
) -> FeatureOutcome {
    let name = engine
        .chan_name(chan)
        .map(|n| n.to_string())
        .unwrap_or_default();
    engine.verbose(3, "bridge_basic.c", || {
        format!("Channel {name}: Started DTMF blind transfer.")
    });
    write_hold(engine, bridge, chan);
    let context = transfer_context(engine, chan);
    let general = module.config().general.clone();
    let Ok(exten) = grab_transfer(engine, chan, &context, &general).await else {
        write_unhold(engine, current_bridge(engine, chan, bridge), chan);
        return FeatureOutcome::Stay;
    };
    transfer_blind(
        module,
        engine,
        current_bridge(engine, chan, bridge),
        chan,
        &exten,
        &context,
    )
    .await
}

/// The bridge the channel is in now (the one the feature started in if it was moved meanwhile).
fn current_bridge(engine: &Engine, chan: ChannelId, fallback: BridgeId) -> BridgeId {
    engine.bridge_of(chan).unwrap_or(fallback)
}

/// The result of a transfer (`enum ast_transfer_result`, as AMI prints it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransferResult {
    Fail,
    Invalid,
    Success,
}

impl TransferResult {
    pub fn text(self) -> &'static str {
        match self {
            TransferResult::Fail => "Fail",
            TransferResult::Invalid => "Invalid",
            TransferResult::Success => "Success",
        }
    }
}

/// `ast_bridge_transfer_blind` for a transferer in `bridge`.
pub async fn transfer_blind(
    module: &FeaturesModule,
    engine: &Engine,
    bridge: BridgeId,
    transferer: ChannelId,
    exten: &str,
    context: &str,
) -> FeatureOutcome {
    let members = engine.bridge_members(bridge);
    let transferee = match members.as_slice() {
        [a, b] if *a == transferer => Some(*b),
        [a, b] if *b == transferer => Some(*a),
        _ => None,
    };
    write_unhold(engine, bridge, transferer);
    if let Some(provider) = module.transfer_park() {
        if let Some(park) = provider.blind_transfer_park(engine, bridge, transferer, context, exten)
        {
            publish(
                engine,
                TransferResult::Success,
                transferer,
                transferee,
                bridge,
                context,
                exten,
            );
            return park.await;
        }
    }
    if members.len() <= 1 {
        publish(
            engine,
            TransferResult::Invalid,
            transferer,
            transferee,
            bridge,
            context,
            exten,
        );
        return FeatureOutcome::Stay;
    }
    let Some(transferee) = transferee else {
        engine.explain(
            codes::NOT_SIMULATED,
            Some(transferer),
            "a blind transfer in a bridge of more than two channels is not simulated",
            Some("Asterisk would put a Local channel to the target into the bridge in the transferer's place; dialsim leaves the call as it is"),
        );
        return FeatureOutcome::Stay;
    };
    let transferer_name = engine
        .chan_name(transferer)
        .map(|n| n.to_string())
        .unwrap_or_default();
    // set_transfer_variables_all: in bridge order, the transferer gets its BRIDGEPEER, the others its name.
    for m in &members {
        if *m == transferer {
            let peer = engine.get_var(transferer, "BRIDGEPEER").unwrap_or_default();
            set_transfer_variables(engine, *m, &peer, TransferKind::Blind);
        } else {
            set_transfer_variables(engine, *m, &transferer_name, TransferKind::Blind);
        }
    }
    engine.async_goto(transferee, Location::new(context, exten, 1));
    publish(
        engine,
        TransferResult::Success,
        transferer,
        Some(transferee),
        bridge,
        context,
        exten,
    );
    FeatureOutcome::Leave
}

/// `BlindTransfer`: `Result`, the `Transferer` and `Transferee` blocks, the bridge block, `IsExternal`,
/// `Context`, `Extension`.
fn publish(
    engine: &Engine,
    result: TransferResult,
    transferer: ChannelId,
    transferee: Option<ChannelId>,
    bridge: BridgeId,
    context: &str,
    exten: &str,
) {
    if !engine.bus().wants_ami() {
        return;
    }
    engine.ami("BlindTransfer", "call", |f| {
        f.push("Result", result.text());
        engine.push_snapshot(f, Prefix("Transferer"), transferer);
        if let Some(t) = transferee {
            engine.push_snapshot(f, Prefix("Transferee"), t);
        }
        engine.with_bridge(bridge, |b| push_bridge(f, b));
        f.push("IsExternal", "No");
        f.push("Context", context.to_string());
        f.push("Extension", exten.to_string());
    });
}
