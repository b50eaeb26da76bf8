//! `Park([lot[,options]])`: the calling channel parks itself. [res/parking/parking_applications.c ·
//! park_app_exec, park_app_parse_data, apply_option_timeout]
//!
//! The channel is answered if needed. Its lot is the argument, else its own (`PARKINGLOT` → `default`).
//! Unless option `s` or `BLINDTRANSFER` is set it hears its space before music on hold starts. It returns 0
//! when it leaves the lot by async goto (its time ran out), −1 otherwise; a failure to park plays
//! `pbx-parkingfailed` (unless `s`/`BLINDTRANSFER`) and returns 0, as Asterisk 22 does.
//!
//! Options: `r` ringing instead of music, `R` a random space, `s` silent, `c(context,exten,priority)` where a
//! timeout sends the call, `t(seconds)` its own limit, `m(class)` the music class. A bad `t` logs Asterisk's
//! error and — as in Asterisk — drops every other option and the lot argument too.

use super::events::{publish, ParkingEvent};
use super::lot::Idle;
use super::park::{
    channel_lot_name, find_lot, generate_parked_user, lot_bridge, start_idle, transfer_dial_string,
    ParkRequest,
};
use super::say::say_digits;
use super::ParkingModule;
use crate::options::scan_c_int;
use dialplan::apps::args::{arg, parse_options, standard_args};
use dialplan::diag::{LogLevel, LogLine};
use dialplan::engine::{App, AppResult, ChannelId, ChannelState, Engine, Exec, LeaveReason};
use std::time::Duration;

/// The `Park` application.
pub struct Park {
    pub(crate) module: ParkingModule,
}

/// Park's options.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParkOptions {
    /// `r`: ringing instead of music on hold.
    pub ringing: bool,
    /// `R`: a random space.
    pub randomize: bool,
    /// `s`: no announcement of the space (and no `pbx-parkingfailed`).
    pub silence: bool,
    /// `c(context,exten,priority)`; empty counts as none.
    pub comeback: Option<String>,
    /// `t(seconds)`: the call's own limit (0: none).
    pub time_limit: Option<u32>,
    /// `m(class)`; empty counts as none.
    pub musicclass: Option<String>,
}

impl ParkOptions {
    /// How the parked call waits: ringing (`r`), else music of `m()`'s class or the lot's
    /// `parkedmusicclass`.
    pub(super) fn idle(&self, module: &ParkingModule, lot: usize) -> Idle {
        if self.ringing {
            Idle::Ringing
        } else {
            Idle::Music(
                self.musicclass
                    .clone()
                    .unwrap_or_else(|| module.lot_cfg(lot).parkedmusicclass.value.clone()),
            )
        }
    }
}

/// The parker of a channel that parks itself: whoever `BLINDTRANSFER` (`blind`) names, else the channel.
pub(super) fn self_parker_name(engine: &Engine, chan: ChannelId, blind: &str) -> String {
    if blind.is_empty() {
        engine
            .chan_name(chan)
            .map(|n| n.to_string())
            .unwrap_or_default()
    } else {
        blind.to_string()
    }
}

/// Park's parsed arguments.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParkArgs {
    pub lot: Option<String>,
    pub options: ParkOptions,
    /// Asterisk's lines about the options (unknown letters, a bad `t`).
    pub log: Vec<LogLine>,
}

/// `park_app_parse_data`.
pub fn parse(data: &str) -> ParkArgs {
    let a = standard_args(data, 3);
    let mut out = ParkArgs::default();
    let mut timeout: Option<Option<String>> = None;
    let mut opts = ParkOptions::default();
    if a.len() >= 2 {
        for (letter, value) in parse_options(arg(&a, 1)) {
            match letter {
                'r' => opts.ringing = true,
                'R' => opts.randomize = true,
                's' => opts.silence = true,
                'c' => opts.comeback = value.filter(|v| !v.is_empty()),
                't' => timeout = Some(value),
                'm' => opts.musicclass = value.filter(|v| !v.is_empty()),
                other => out.log.push(LogLine::new(
                    LogLevel::Warning,
                    "app.c",
                    format!("Unrecognized option: '{other}'"),
                )),
            }
        }
        if let Some(value) = timeout {
            let text = value.unwrap_or_default();
            if text.is_empty() {
                out.log.push(LogLine::new(
                    LogLevel::Error,
                    "parking_applications.c",
                    "No duration value provided for the timeout ('t') option.",
                ));
                return out;
            }
            match scan_c_int(&text, usize::MAX).map(|(n, _)| n) {
                Some(n) if n >= 0 => opts.time_limit = u32::try_from(n).ok(),
                _ => {
                    out.log.push(LogLine::new(
                        LogLevel::Error,
                        "parking_applications.c",
                        "Duration value provided for timeout ('t') option must be 0 or greater.",
                    ));
                    return out;
                }
            }
        }
    }
    out.options = opts;
    out.lot = Some(arg(&a, 0))
        .filter(|l| !l.is_empty())
        .map(str::to_string);
    out
}

impl App for Park {
    fn name(&self) -> &'static str {
        "Park"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, args: &str) -> Exec {
        let (module, engine, data) = (self.module.clone(), engine.clone(), args.to_string());
        Exec::Pending(Box::pin(async move {
            // Entering the lot (answer, events, the space announcement) is a large state machine; boxed on
            // its own it is freed before the call waits in the lot, so a parked call keeps only the bridge
            // loop below (memory per parked call, docs/performance.md). It owns the argument text, so that
            // is freed then too, while still in the cache, rather than when the call leaves the lot.
            let entering = {
                let (module, engine) = (module.clone(), engine.clone());
                async move { park(&module, &engine, chan, &data).await }
            };
            match Box::pin(entering).await {
                Some(result) => result,
                None => match engine.bridge_run(chan).await {
                    LeaveReason::AsyncGoto => AppResult::Continue,
                    _ => AppResult::Hangup,
                },
            }
        }))
    }
}

/// Parks `chan`; `None` once it is in the lot's bridge, `Some(result)` when Park ends without it.
async fn park(
    module: &ParkingModule,
    engine: &Engine,
    chan: ChannelId,
    data: &str,
) -> Option<AppResult> {
    if engine.state(chan) != Some(ChannelState::Up)
        && engine.answer(chan, Duration::ZERO).await.is_err()
    {
        return Some(AppResult::Hangup);
    }
    let blind = engine.get_var(chan, "BLINDTRANSFER").unwrap_or_default();
    let args = parse(data);
    for line in &args.log {
        engine.log_line(line.clone());
    }
    let opts = &args.options;
    let quiet = opts.silence || !blind.is_empty();
    let lot_name = args
        .lot
        .clone()
        .unwrap_or_else(|| channel_lot_name(engine, chan));
    let Some(lot) = find_lot(module, engine, &lot_name, chan) else {
        engine.log(LogLevel::Error, "parking_applications.c", || {
            format!("Could not find parking lot: '{lot_name}'")
        });
        return Some(failed(engine, chan, quiet).await);
    };
    let bridge = lot_bridge(module, engine, lot);
    let dial_string = transfer_dial_string(engine, chan);
    let parker_channel_name = self_parker_name(engine, chan, &blind);
    let announce = !quiet;
    let request = ParkRequest {
        lot,
        parkee: chan,
        parker_channel_name,
        parker_dial_string: dial_string,
        randomize: opts.randomize,
        time_limit: opts.time_limit,
        comeback: opts.comeback.clone(),
        idle: opts.idle(module, lot),
        idle_at_once: !announce,
    };
    let Ok(space) = generate_parked_user(module, engine, request) else {
        return Some(failed(engine, chan, quiet).await);
    };
    let user = if engine.bus().wants_ami() {
        module.state().users.get(&chan).cloned()
    } else {
        None
    };
    if let Some(user) = user {
        publish(
            engine,
            ParkingEvent::Parked,
            &user,
            &module.lot_cfg(lot).name,
        );
    }
    if !engine.bridge_push(bridge, chan) {
        return Some(failed(engine, chan, quiet).await);
    }
    if announce {
        // The parkee hears its space; music on hold starts only afterwards (if it is still parked). A
        // courtesy tone queued by a retrieval meanwhile follows the announcement.
        module.state_mut().announcing.insert(chan);
        let said = say_digits(engine, chan, space).await;
        let tone = {
            let mut state = module.state_mut();
            state.announcing.remove(&chan);
            state.tone_after_announcement.remove(&chan)
        };
        if said.is_ok() {
            if let Some(tone) = tone {
                let _ = engine.play(chan, &tone).await;
            } else if engine.bridge_of(chan) == Some(bridge) {
                start_idle(module, engine, chan);
            }
        }
        // A time limit that ran out while the space was being said takes effect now; a parkee that hung
        // up meanwhile gives up instead, and a retrieved one is no longer waiting for it.
        super::timeout::timeout_after_announcement(module, engine, chan, said.is_ok());
    }
    None
}

/// Parking failed: `pbx-parkingfailed` unless silent or blind-transferred; Asterisk 22 returns 0.
async fn failed(engine: &Engine, chan: ChannelId, quiet: bool) -> AppResult {
    if !quiet && engine.play(chan, "pbx-parkingfailed").await.is_err() {
        return AppResult::Hangup;
    }
    AppResult::Continue
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lot_and_options() {
        let a = parse("sales,sRc(from-park,s,1)t(60)m(jazz)");
        assert_eq!(a.lot.as_deref(), Some("sales"));
        assert!(a.options.silence && a.options.randomize && !a.options.ringing);
        assert_eq!(a.options.comeback.as_deref(), Some("from-park,s,1"));
        assert_eq!(a.options.time_limit, Some(60));
        assert_eq!(a.options.musicclass.as_deref(), Some("jazz"));
        assert!(a.log.is_empty());
    }

    #[test]
    fn no_arguments() {
        let a = parse("");
        assert_eq!(a, ParkArgs::default());
        let a = parse(",r");
        assert_eq!(a.lot, None);
        assert!(a.options.ringing);
    }

    #[test]
    fn a_bad_timeout_drops_everything_else() {
        let a = parse("sales,st");
        assert_eq!(a.lot, None);
        assert_eq!(a.options, ParkOptions::default());
        assert_eq!(
            a.log[0].console(),
            "ERROR: parking_applications.c: No duration value provided for the timeout ('t') option."
        );
        let a = parse("sales,t(-5)s");
        assert_eq!(a.lot, None);
        assert!(!a.options.silence);
        assert_eq!(
            a.log[0].text,
            "Duration value provided for timeout ('t') option must be 0 or greater."
        );
        assert_eq!(parse(",t(0)").options.time_limit, Some(0));
    }

    #[test]
    fn unknown_letters_warn() {
        let a = parse(",zs");
        assert!(a.options.silence);
        assert_eq!(
            a.log[0].console(),
            "WARNING: app.c: Unrecognized option: 'z'"
        );
        // Empty c() and m() count as not given.
        let a = parse(",c()m()");
        assert_eq!(a.options.comeback, None);
        assert_eq!(a.options.musicclass, None);
    }
}
