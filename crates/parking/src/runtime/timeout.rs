//! Parking timeouts: one ordered structure per lot (deadline, parking order → space) and one timer task per
//! lot that sleeps until the earliest deadline — never a sleeping task per parked call.
//!
//! When a call's time is up (`parking_duration_callback`): its resolution becomes *timeout*; the variables
//! `PARKING_SPACE`, `PARKEDLOT`, `PARKER`, `PARKER_FLAT` and `BRIDGE_FEATURES` are set on it;
//! `park-dial,<PARKER_FLAT>,1 = Dial(<PARKER>,<comebackdialtime>)` is (re)created whatever
//! `comebacktoorigin` says; then the call is sent, by async goto, to Park's `c(…)` destination or along the
//! comeback route (`comeback_goto`). Leaving the lot's bridge publishes `ParkedCallTimeOut` and frees the
//! space ([`super::bridge`]); the parkee's application returns 0 and its PBX continues at the destination,
//! or a new PBX starts there for a channel that had none.
//! [res/parking/parking_bridge_features.c · parking_duration_callback, parking_timeout_set_caller_features;
//! res/parking/parking_controller.c · comeback_goto]

use super::lot::Resolution;
use super::{codes, ParkingModule};
use crate::config::PARK_DIAL_CONTEXT;
use crate::park_dial::{
    flatten_dial_string, park_dial_extension, register_park_dial, ParkDialExtension,
};
use dialplan::apps::goto::{numeric_priority, parse as parse_goto};
use dialplan::diag::LogLevel;
use dialplan::engine::plan::TablePlan;
use dialplan::engine::{ChannelId, Engine, Location};
use dialplan::model::Dialplan;
use std::rc::Rc;
use std::time::Duration;
use tokio::sync::Notify;

/// Puts a parked user's deadline into its lot's timeouts, starting the lot's timer task at the first one
/// and waking it when the new deadline is the earliest.
pub fn arm(
    module: &ParkingModule,
    engine: &Engine,
    lot: usize,
    chan: ChannelId,
    deadline: Duration,
) {
    let (notify, start_task, wake) = {
        let mut state = module.state_mut();
        state.seq += 1;
        let key = (deadline, state.seq);
        let Some(space) = state.users.get(&chan).map(|u| u.space) else {
            return;
        };
        if let Some(u) = state.users.get_mut(&chan) {
            u.timeout_key = Some(key);
        }
        let l = &mut state.lots[lot];
        let earlier = l.next_deadline().is_none_or(|t| deadline < t);
        l.timeouts.insert(key, space);
        match &l.timer {
            Some(n) => (n.clone(), false, earlier),
            None => {
                let n = Rc::new(Notify::new());
                l.timer = Some(n.clone());
                (n, true, false)
            }
        }
    };
    if start_task {
        let (module, engine2) = (module.clone(), engine.clone());
        engine.spawn_local(async move { run_timer(module, engine2, lot, notify).await });
    } else if wake {
        notify.notify_one();
    }
}

/// A lot's timer task.
async fn run_timer(module: ParkingModule, engine: Engine, lot: usize, notify: Rc<Notify>) {
    loop {
        let next = module.state().lots[lot].next_deadline();
        match next {
            None => notify.notified().await,
            Some(t) if t <= engine.now() => fire_due(&module, &engine, lot),
            Some(t) => {
                tokio::select! {
                    biased;
                    _ = notify.notified() => {}
                    _ = engine.sleep_until(t) => {}
                }
            }
        }
    }
}

/// Runs the timeout of every call of the lot whose deadline has come, earliest first.
fn fire_due(module: &ParkingModule, engine: &Engine, lot: usize) {
    let now = engine.now();
    loop {
        let due = {
            let mut state = module.state_mut();
            let l = &mut state.lots[lot];
            match l.timeouts.first() {
                Some(((t, seq), space)) if t <= now => {
                    l.timeouts.remove(&(t, seq));
                    l.spaces().get(&space).copied()
                }
                _ => break,
            }
        };
        if let Some(chan) = due {
            if !defer_past_announcement(module, chan) {
                time_is_up(module, engine, chan);
            }
        }
    }
}

/// A parkee still hearing its own space (`Park()` without `s`) cannot run its timeout yet: the interval
/// hook and the announcement (a queued play-file action) share the parkee's bridge thread, so the hook runs
/// once the announcement is over and the music has started [main/bridge_channel.c ·
/// bridge_channel_handle_action, bridge_channel_wait; bridges/bridge_holding.c · holding_bridge_unsuspend].
/// `Park` runs it then ([`timeout_after_announcement`]).
fn defer_past_announcement(module: &ParkingModule, chan: ChannelId) -> bool {
    let mut state = module.state_mut();
    if !state.announcing.contains(&chan) {
        return false;
    }
    state.timeout_after_announcement.insert(chan);
    if let Some(u) = state.users.get_mut(&chan) {
        u.timeout_key = None;
    }
    true
}

/// After `chan`'s announcement (`heard`: it played to the end): its timeout, if the time ran out meanwhile.
pub(crate) fn timeout_after_announcement(
    module: &ParkingModule,
    engine: &Engine,
    chan: ChannelId,
    heard: bool,
) {
    let due = module.state_mut().timeout_after_announcement.remove(&chan);
    if due && heard {
        time_is_up(module, engine, chan);
    }
}

/// `parking_duration_callback` for one parked channel.
fn time_is_up(module: &ParkingModule, engine: &Engine, chan: ChannelId) {
    let found = {
        let mut state = module.state_mut();
        match state.users.get_mut(&chan) {
            Some(u) if u.resolution == Resolution::Unset => {
                u.resolution = Resolution::Timeout;
                u.timeout_key = None;
                Some((
                    u.lot,
                    u.space,
                    u.parker_dial_string.clone(),
                    u.comeback.clone(),
                ))
            }
            _ => None,
        }
    };
    let Some((lot, space, dial, comeback)) = found else {
        return;
    };
    let cfg = &module.lot_cfg(lot);
    let flat = flatten_dial_string(&dial);
    engine.set_var(chan, "PARKING_SPACE", Some(&space.to_string()));
    engine.set_var(chan, "PARKEDLOT", Some(&cfg.name));
    engine.set_var(chan, "PARKER", Some(&dial));
    engine.set_var(chan, "PARKER_FLAT", Some(&flat));
    engine.set_var(
        chan,
        "BRIDGE_FEATURES",
        Some(&cfg.comeback_bridge_features()),
    );

    add_park_dial(
        engine,
        &park_dial_extension(&dial, cfg.comebackdialtime.value),
    );

    match comeback {
        Some(dest) => async_parseable_goto(engine, chan, &dest),
        None => comeback_goto(module, engine, chan, lot, &flat),
    }
}

/// Creates or replaces `park-dial,<flat>,1` in the running dialplan.
fn add_park_dial(engine: &Engine, ext: &ParkDialExtension) {
    let failure = {
        let mut plan = engine.plan_mut();
        let any = plan.as_any_mut();
        if let Some(dp) = any.downcast_mut::<Dialplan>() {
            register_park_dial(dp, ext).err()
        } else if let Some(table) = any.downcast_mut::<TablePlan>() {
            table_park_dial(table, ext);
            None
        } else {
            None
        }
    };
    if let Some(line) = failure {
        engine.log_line(line);
    }
}

/// The same for the engine's small table dialplan (tests).
fn table_park_dial(table: &mut TablePlan, ext: &ParkDialExtension) {
    let existing = table
        .rows
        .iter_mut()
        .find(|r| r.context == ext.context && r.exten == ext.exten && r.priority == 1);
    match existing {
        Some(row) => {
            row.app = ext.app.to_string();
            row.data = ext.data.clone();
        }
        None => {
            table.add(ext.context, &ext.exten, 1, ext.app, &ext.data);
        }
    }
}

/// `comeback_goto`: where a timed-out call goes when Park gave no `c(…)`.
fn comeback_goto(module: &ParkingModule, engine: &Engine, chan: ChannelId, lot: usize, flat: &str) {
    let cfg = &module.lot_cfg(lot);
    // Read only for a line someone listens to: a timed-out call's name was last touched a parking time ago.
    let name = || {
        engine
            .chan_name(chan)
            .map(|n| n.to_string())
            .unwrap_or_default()
    };
    let exists = |context: &str, exten: &str| engine.plan().exists(context, exten, 1, None);
    if cfg.comebacktoorigin.value {
        if exists(PARK_DIAL_CONTEXT, flat) {
            explain_unreachable_t(engine, chan);
            engine.async_goto(chan, Location::new(PARK_DIAL_CONTEXT, flat, 1));
        } else {
            engine.log(LogLevel::Error, "parking_controller.c", || {
                let name = name();
                format!("Can not start {name} at {PARK_DIAL_CONTEXT},{flat},1 because extension does not exist. Terminating call.")
            });
            engine.bridge_kick(chan);
        }
        return;
    }
    let context = cfg.comebackcontext.value.as_str();
    if exists(context, flat) {
        engine.async_goto(chan, Location::new(context, flat, 1));
    } else if exists(context, "s") {
        engine.verbose(2, "parking_controller.c", || {
            let name = name();
            format!("Could not start {name} at {context},{flat},1. Using 's@{context}' instead.")
        });
        engine.async_goto(chan, Location::new(context, "s", 1));
    } else {
        engine.verbose(2, "parking_controller.c", || {
            let name = name();
            format!("Can not start {name} at {context},{flat},1 and exten 's@{context}' does not exist. Using 's@default'")
        });
        engine.async_goto(chan, Location::new("default", "s", 1));
    }
}

/// `ast_async_parseable_goto` for Park's `c(context,exten,priority)`.
fn async_parseable_goto(engine: &Engine, chan: ChannelId, dest: &str) {
    let Ok(args) = parse_goto(dest) else {
        engine.log(LogLevel::Warning, "pbx.c", || {
            "Goto requires an argument ([[context,]extension,]priority)".to_string()
        });
        engine.bridge_kick(chan);
        return;
    };
    let Some((cur_ctx, cur_exten, cur_prio, cid)) = engine.with_chan(chan, |c| {
        (
            c.context.clone(),
            c.exten.clone(),
            c.priority,
            c.caller.number.clone(),
        )
    }) else {
        return;
    };
    let context = args.context.map_or(cur_ctx, str::to_string);
    let exten = args.exten.map_or(cur_exten, str::to_string);
    let priority = match numeric_priority(args.priority) {
        Some(n) if args.mode != 0 => cur_prio + n * args.mode,
        Some(n) => n,
        None => match engine
            .plan()
            .label(&context, &exten, args.priority, cid.as_deref())
        {
            Some(p) => p,
            None => {
                let p = args.priority.to_string();
                engine.log(LogLevel::Warning, "pbx.c", || {
                    format!("Priority '{p}' must be a number > 0, or valid label")
                });
                engine.bridge_kick(chan);
                return;
            }
        },
    };
    engine.async_goto(chan, Location::new(&context, &exten, priority));
}

/// With autofallthrough, a `t` in `park-dial` never runs after an unanswered comeback Dial.
fn explain_unreachable_t(engine: &Engine, chan: ChannelId) {
    let (has_t, autofallthrough) = {
        let plan = engine.plan();
        (
            plan.exists(PARK_DIAL_CONTEXT, "t", 1, None),
            plan.autofallthrough(),
        )
    };
    if !has_t || !autofallthrough {
        return;
    }
    engine.explain(
        codes::PARK_DIAL_T_UNREACHABLE,
        Some(chan),
        "park-dial has a 't' extension, but it will not run after this comeback: an unanswered Dial returns 0, park-dial has no priority 2, and with autofallthrough=yes the call just ends ('Auto fallthrough ... NOANSWER')",
        Some("handle the unanswered comeback elsewhere: comebacktoorigin=no with a comebackcontext extension, or autofallthrough=no in extensions.conf [general] (then 't' runs after a further 10 s)"),
    );
}
