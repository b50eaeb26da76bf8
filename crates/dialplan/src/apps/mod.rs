//! The dialplan applications built into the engine, one file each. Every application separates parsing
//! (`parse(args) -> Result<Args, ParseError>`, testable without a channel) from running (its [`App`] impl).
//!
//! Modules add their own applications through [`Engine::register_app`] (res_parking's `Park`,
//! `ParkedCall`).

pub mod answer;
pub mod args;
pub mod busy;
pub mod congestion;
pub mod dial;
pub mod goto;
pub mod gotoif;
pub mod hangup;
pub mod noop;
pub mod playback;
pub mod progress;
pub mod ringing;
pub mod senddtmf;
pub mod set;
pub mod verbose;
pub mod wait;

use crate::engine::{App, Engine};
use std::rc::Rc;

/// Registers every built-in application with `engine`.
pub fn register_builtin(engine: &Engine) {
    let apps: [Rc<dyn App>; 15] = [
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
    ];
    for app in apps {
        engine.register_app(app);
    }
}
