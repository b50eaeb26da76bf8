//! The CLI command `parking show [lot]`, rendered character for character as res_parking prints it.
//!
//! The lots and their parked calls are inputs, so the run engine can render the command at any moment.
//! [res/parking/parking_ui.c · handle_show_parking_lot_cmd, display_parking_lot, display_parked_call]

use crate::config::{LotConfig, ParkingConfig};
use std::fmt::Write;

/// What the CLI answers to `parking show` when res_parking is not loaded (declined): the command does not
/// exist. The help suggestion is the longest known prefix of the command, which is the whole `parking show`.
pub const PARKING_SHOW_UNAVAILABLE: &str =
    "No such command 'parking show' (type 'core show help parking show' for other possible commands)\n";

/// The CLI's answer to any `parking show …` command line (e.g. `parking show default`) without res_parking.
pub fn parking_show_unavailable(command_line: &str) -> String {
    format!(
        "No such command '{command_line}' (type 'core show help parking show' for other possible commands)\n"
    )
}

/// A lot's state as `parking show` reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LotMode {
    /// Configured and in use.
    Normal,
    /// Created on the fly (`parkeddynamic`).
    Dynamic,
    /// Dropped from the configuration by a reload but still holding calls.
    Disabled,
}

/// One lot to show.
#[derive(Clone, Copy, Debug)]
pub struct LotView<'a> {
    pub config: &'a LotConfig,
    pub mode: LotMode,
}

/// One parked call to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParkedCallView<'a> {
    pub space: u32,
    pub channel: &'a str,
    pub parker_dial_string: &'a str,
}

/// `parking show`: the general options, then every lot in name order.
pub fn show_all<'a>(parkeddynamic: bool, lots: impl IntoIterator<Item = LotView<'a>>) -> String {
    let mut lots: Vec<LotView<'a>> = lots.into_iter().collect();
    lots.sort_by(|a, b| a.config.name.as_bytes().cmp(b.config.name.as_bytes()));
    let mut out = String::from("\n");
    out.push_str("Parking General Options\n-----------------------\n");
    let _ = writeln!(out, "Dynamic Parking     :  {}", yes_no(parkeddynamic));
    out.push('\n');
    for lot in &lots {
        lot_block(&mut out, *lot);
    }
    out.push('\n');
    out
}

/// `parking show <name>`: the lot, then its parked calls (in space order); `lot` is `None` when no lot has
/// that name.
pub fn show_lot(lot: Option<LotView<'_>>, name: &str, calls: &[ParkedCallView<'_>]) -> String {
    let mut out = String::from("\n");
    let Some(lot) = lot else {
        let _ = write!(out, "Could not find parking lot '{name}'\n\n");
        return out;
    };
    lot_block(&mut out, lot);
    out.push_str("Parked Calls\n------------\n");
    if calls.is_empty() {
        out.push_str("  (none)\n\n\n");
        return out;
    }
    let mut calls = calls.to_vec();
    calls.sort_by_key(|c| c.space);
    for call in &calls {
        let _ = writeln!(out, "  Space               :  {}", call.space);
        let _ = writeln!(out, "  Channel             :  {}", call.channel);
        let _ = writeln!(out, "  Parker Dial String  :  {}", call.parker_dial_string);
        out.push('\n');
    }
    out.push('\n');
    out
}

impl ParkingConfig {
    /// `parking show` right after a load: every configured lot enabled, none dynamic.
    pub fn show(&self) -> String {
        show_all(self.general.parkeddynamic.value, self.views())
    }

    /// `parking show <name>` with the given parked calls, every configured lot enabled.
    pub fn show_lot(&self, name: &str, calls: &[ParkedCallView<'_>]) -> String {
        let lot = self.lot(name).map(|config| LotView {
            config,
            mode: LotMode::Normal,
        });
        show_lot(lot, name, calls)
    }

    fn views(&self) -> impl Iterator<Item = LotView<'_>> {
        self.lots.iter().map(|config| LotView {
            config,
            mode: LotMode::Normal,
        })
    }
}

fn lot_block(out: &mut String, lot: LotView<'_>) {
    let cfg = lot.config;
    let _ = writeln!(out, "Parking Lot: {}", cfg.name);
    out.push_str("--------------------------------------------------------------------------\n");
    let _ = writeln!(out, "Parking Extension   :  {}", cfg.parkext.value);
    let _ = writeln!(out, "Parking Context     :  {}", cfg.context.value);
    let _ = writeln!(out, "Parking Spaces      :  {}", cfg.parkpos.value);
    let _ = writeln!(out, "Parking Time        :  {} sec", cfg.parkingtime.value);
    let origin = cfg.comebacktoorigin.value;
    let _ = writeln!(out, "Comeback to Origin  :  {}", yes_no(origin));
    let not_used = if origin {
        " (comebacktoorigin=yes, not used)"
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "Comeback Context    :  {}{not_used}",
        cfg.comebackcontext.value
    );
    let _ = writeln!(
        out,
        "Comeback Dial Time  :  {} sec",
        cfg.comebackdialtime.value
    );
    let _ = writeln!(out, "MusicOnHold Class   :  {}", cfg.parkedmusicclass.value);
    let _ = writeln!(
        out,
        "Enabled             :  {}",
        yes_no(lot.mode != LotMode::Disabled)
    );
    let _ = writeln!(
        out,
        "Dynamic             :  {}",
        yes_no(lot.mode == LotMode::Dynamic)
    );
    out.push('\n');
}

fn yes_no(value: bool) -> &'static str {
    if value {
        "yes"
    } else {
        "no"
    }
}

#[cfg(test)]
#[path = "show_tests.rs"]
mod tests;
