//! The AMI actions dialsim answers, one file each, and their table.

mod command;
mod coresettings;
mod coreshowchannels;
mod corestatus;
mod extensionstate;
mod extensionstatelist;
mod getvar;
mod hangup;
mod listcommands;
pub mod originate;
mod park;
mod parked_calls;
mod parkinglots;
mod ping;
mod playdtmf;
mod redirect;
mod reload;
mod setvar;
mod showdialplan;
mod status;

use super::{AmiContext, Message, Reply};

/// One action as Asterisk registers it with the manager.
pub struct ActionDef {
    /// The name clients send in `Action:`.
    pub name: &'static str,
    /// The write classes needed to run it (`system`, `call`, …; empty: anyone logged in).
    pub privilege: &'static [&'static str],
    /// The one-line synopsis `ListCommands` prints.
    pub synopsis: &'static str,
    pub run: fn(&AmiContext<'_>, &Message) -> Reply,
}

/// Every action, sorted by name (the order `ListCommands` prints them in).
pub const ACTIONS: &[ActionDef] = &[
    command::DEF,
    coresettings::DEF,
    coreshowchannels::DEF,
    corestatus::DEF,
    extensionstate::DEF,
    extensionstatelist::DEF,
    getvar::DEF,
    hangup::DEF,
    listcommands::DEF,
    originate::DEF,
    park::DEF,
    parked_calls::DEF,
    parkinglots::DEF,
    ping::DEF,
    playdtmf::DEF,
    redirect::DEF,
    reload::DEF,
    setvar::DEF,
    showdialplan::DEF,
    status::DEF,
];

/// The action named `name`, compared without regard to case.
pub fn find(name: &str) -> Option<&'static ActionDef> {
    ACTIONS.iter().find(|a| a.name.eq_ignore_ascii_case(name))
}
