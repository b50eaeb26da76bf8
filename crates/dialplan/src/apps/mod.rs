//! The dialplan applications built into the engine, one file each. Every application separates parsing
//! (`parse(args) -> Result<Args, ParseError>`, testable without a channel) from running (its [`App`] impl).
//!
//! Modules add their own applications through [`Engine::register_app`] (res_parking's `Park`,
//! `ParkedCall`).

pub mod answer;
pub mod args;
pub mod background;
pub mod bridgewait;
pub mod busy;
pub mod congestion;
pub mod dial;
pub mod echo;
pub mod exec;
pub mod execif;
pub mod gosub;
pub mod goto;
pub mod gotoif;
pub mod hangup;
mod incomplete;
pub mod log;
pub mod moh;
mod mset;
pub mod noop;
pub mod playback;
pub mod playtones;
pub mod proceeding;
pub mod progress;
pub mod raise_exception;
pub mod read;
pub mod refused;
pub mod ringing;
pub mod say;
pub mod senddtmf;
pub mod set;
pub mod time_apps;
pub mod userevent;
pub mod verbose;
pub mod wait;
pub mod waitdigit;
pub mod waitexten;
pub mod while_;

use crate::engine::{App, Engine};
use std::rc::Rc;

/// Registers every built-in application with `engine`.
pub fn register_builtin(engine: &Engine) {
    let apps: Vec<Rc<dyn App>> = vec![
        Rc::new(noop::NoOp),
        Rc::new(answer::Answer),
        Rc::new(playback::Playback),
        Rc::new(senddtmf::SendDtmf),
        Rc::new(wait::Wait),
        Rc::new(goto::Goto),
        Rc::new(gotoif::GotoIf),
        Rc::new(set::Set),
        Rc::new(hangup::Hangup),
        Rc::new(verbose::Verbose),
        Rc::new(ringing::Ringing),
        Rc::new(progress::Progress),
        Rc::new(busy::Busy),
        Rc::new(congestion::Congestion),
        Rc::new(dial::Dial),
        Rc::new(gosub::Gosub),
        Rc::new(gosub::GosubIf),
        Rc::new(gosub::Return),
        Rc::new(gosub::StackPop),
        Rc::new(while_::While),
        Rc::new(while_::EndWhile),
        Rc::new(while_::ExitWhile),
        Rc::new(while_::ContinueWhile),
        Rc::new(mset::MSet),
        Rc::new(execif::ExecIf),
        Rc::new(exec::ExecApp(exec::Flavour::Exec)),
        Rc::new(exec::ExecApp(exec::Flavour::Try)),
        Rc::new(raise_exception::RaiseException),
        Rc::new(userevent::UserEvent),
        Rc::new(waitdigit::WaitDigit),
        Rc::new(proceeding::Proceeding),
        Rc::new(time_apps::GotoIfTime),
        Rc::new(time_apps::ExecIfTime),
        Rc::new(log::Log),
        Rc::new(background::Background),
        Rc::new(waitexten::WaitExten),
        Rc::new(read::Read),
        Rc::new(say::SayDigits),
        Rc::new(say::SayNumber),
        Rc::new(say::SayAlpha),
        Rc::new(say::SayPhonetic),
        Rc::new(say::SayAlphaCase),
        Rc::new(say::SayOrdinal),
        Rc::new(say::SayMoney),
        Rc::new(incomplete::Incomplete),
        Rc::new(moh::MusicOnHold),
        Rc::new(moh::StartMusicOnHold),
        Rc::new(moh::StopMusicOnHold),
        Rc::new(playtones::Playtones),
        Rc::new(playtones::StopPlaytones),
        Rc::new(echo::Echo),
        Rc::new(bridgewait::BridgeWait::new()),
    ];
    for app in apps {
        engine.register_app(app);
    }
    for r in refused::REFUSED_APPS {
        engine.register_app(Rc::new(refused::RefusedApp(r)));
    }
}
