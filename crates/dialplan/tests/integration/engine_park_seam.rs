//! The extension points carry one-touch parking: a minimal module written against them (as the features
//! and parking crates are) gives `k` to the callee, arms `#72` on it, and on a match moves the peer into a
//! holding bridge and plays the space to the parker, who then leaves. The order of events is the oracle's
//! (`left 'simple_bridge'`, `Parking …`, `joined 'holding_bridge'`, music on hold, then the digits).

use crate::engine_common;
use dialplan::engine::{
    BridgeDelegate, BridgeFeatures, BridgeId, BridgeKind, ChannelId, DtmfHooks, Engine,
    EngineConfig, FeatureAction, FeatureOutcome, HookAction, JoinRefused, LocalBoxFuture,
};
use engine_common::*;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

/// Permission `k` stored on the callee as a datastore.
struct Features {
    park: Rc<Park>,
}

struct Hooks {
    buffer: String,
    park: Rc<Park>,
}

impl DtmfHooks for Hooks {
    fn begin(&mut self, _e: &Engine, _c: ChannelId, d: char) -> Vec<HookAction> {
        if !self.buffer.is_empty() || "#72".starts_with(d) {
            vec![HookAction::Swallow]
        } else {
            vec![HookAction::PassBegin(d)]
        }
    }

    fn end(&mut self, _e: &Engine, _c: ChannelId, d: char, ms: u32) -> Vec<HookAction> {
        if self.buffer.is_empty() && !"#72".starts_with(d) {
            return vec![HookAction::PassEnd(d, ms)];
        }
        self.buffer.push(d);
        if self.buffer == "#72" {
            self.buffer.clear();
            return vec![HookAction::Swallow, HookAction::Run(self.park.clone())];
        }
        if "#72".starts_with(self.buffer.as_str()) {
            vec![HookAction::Swallow]
        } else {
            vec![HookAction::FlushToPeers(std::mem::take(&mut self.buffer))]
        }
    }

    fn timer(&mut self, _e: &Engine, _c: ChannelId) -> Vec<HookAction> {
        Vec::new()
    }

    fn leave(&mut self, _e: &Engine, _c: ChannelId) -> Vec<HookAction> {
        Vec::new()
    }
}

impl BridgeFeatures for Features {
    fn dial_letters(&self, engine: &Engine, _caller: ChannelId, callee: ChannelId, letters: &str) {
        if letters.contains('k') {
            engine.with_chan_mut(callee, |c| {
                c.datastores.insert("features", Box::new(String::from("k")));
            });
        }
    }

    fn join(
        &self,
        engine: &Engine,
        _b: BridgeId,
        chan: ChannelId,
    ) -> Result<Option<Box<dyn DtmfHooks>>, JoinRefused> {
        let permitted = engine
            .with_chan(chan, |c| c.datastores.contains_key("features"))
            .unwrap_or(false);
        Ok(permitted.then(|| {
            Box::new(Hooks {
                buffer: String::new(),
                park: self.park.clone(),
            }) as Box<dyn DtmfHooks>
        }))
    }
}

struct Lot;

impl BridgeDelegate for Lot {
    fn entering(&self, engine: &Engine, _b: BridgeId, chan: ChannelId) {
        let name = engine.chan_name(chan).unwrap_or_default();
        engine.verbose(3, "parking_bridge.c", || {
            format!("Parking '{name}' in 'default' at space 701")
        });
    }

    fn entered(&self, engine: &Engine, _b: BridgeId, chan: ChannelId) {
        engine.moh_start(chan, "default");
    }
}

struct Park {
    bridge: Cell<Option<BridgeId>>,
    parked: RefCell<Vec<ChannelId>>,
}

impl FeatureAction for Park {
    fn name(&self) -> &str {
        "parkcall"
    }

    fn run(
        &self,
        engine: Engine,
        bridge: BridgeId,
        chan: ChannelId,
    ) -> LocalBoxFuture<FeatureOutcome> {
        let Some(peer) = engine
            .bridge_members(bridge)
            .into_iter()
            .find(|&m| m != chan)
        else {
            return Box::pin(async { FeatureOutcome::Stay });
        };
        let lot = match self.bridge.get() {
            Some(b) => b,
            None => {
                let b = engine.create_bridge(
                    BridgeKind::Holding,
                    "Parking",
                    "default",
                    Some(Rc::new(Lot)),
                );
                self.bridge.set(Some(b));
                b
            }
        };
        let parker = engine.chan_name(chan).unwrap_or_default();
        engine.set_var(peer, "BLINDTRANSFER", Some(&parker));
        engine.bridge_move(peer, lot);
        self.parked.borrow_mut().push(peer);
        Box::pin(async move {
            for d in ["digits/7", "digits/0", "digits/1"] {
                if engine.play(chan, d).await.is_err() {
                    break;
                }
            }
            FeatureOutcome::Leave
        })
    }
}

#[test]
fn one_touch_park_through_the_extension_points() {
    let engine = Engine::new(EngineConfig::default(), Box::new(oracle_plan()));
    let park = Rc::new(Park {
        bridge: Cell::new(None),
        parked: RefCell::new(Vec::new()),
    });
    engine.set_bridge_features(Rc::new(Features { park: park.clone() }));
    let (rec, events) = dialplan::engine::Recorder::new(dialplan::engine::Interest::all());
    engine.subscribe(Box::new(rec));
    let e = engine.clone();
    engine
        .block_on(async move {
            let ch = e.new_phone_channel(
                "PJSIP",
                "outside",
                outside_caller(),
                "from-outside",
                "5555001",
            );
            e.spawn_pbx(ch);
            e.run_until(Duration::from_secs(60)).await;
        })
        .expect("runtime");
    let events = events.borrow();
    insta::assert_snapshot!(console(&events));
    // The caller is still parked: its Dial is running in the holding bridge.
    assert_eq!(park.parked.borrow().len(), 1);
    let parked_at = time_of(&events, |e| {
        log_contains(e, "Parking 'PJSIP/outside-00000000'")
    });
    assert_eq!(parked_at, Some(Duration::from_millis(2804)));
}
