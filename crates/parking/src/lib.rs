//! `parking`: Asterisk's res_parking — its configuration, its lots and what it adds to the dialplan.
//!
//! - [`config`]: the `res_parking.conf` model (`[general]`, lots, every option with its default and span);
//! - [`options`]: the option names and how each reads its value, quirks included;
//! - [`apply`]: setting one option on a lot, and what dialsim says when a value is refused;
//! - [`load`](mod@load): the configuration framework's walk over the file, the implicit `default` lot, declining;
//! - [`extensions`]: the lots' generated extensions and Asterisk's conflict rules;
//! - [`park_dial`]: the `park-dial` comeback extension and the parker's dial string;
//! - [`show`]: the CLI's `parking show [lot]`, character for character;
//! - [`slots`]: choosing a free space (`findslot`, preferred spaces, the `next` cursor);
//! - [`runtime`]: res_parking while calls run (lots, Park/ParkedCall, one-touch parking, timeouts);
//! - [`codes`]: the diagnostic codes of this crate ([`CODES`]).

pub mod apply;
pub mod codes;
pub mod config;
pub mod extensions;
pub mod load;
pub mod occupancy;
pub mod options;
pub mod park_dial;
pub mod runtime;
pub mod show;
pub mod slots;

#[cfg(test)]
mod testconf;

pub use codes::CODES;
pub use config::{
    FeatureFlag, FindSlot, General, LotConfig, LotOrigin, ParkingConfig, Setting, SpaceRange,
};
pub use extensions::{register_extensions, register_lot_extensions, remove_extensions};
pub use load::{declined, load, ParkingLoad};
pub use park_dial::{park_dial_extension, register_park_dial, ParkDialExtension, ParkDialOutcome};
pub use runtime::ParkingModule;
pub use show::{LotMode, LotView, ParkedCallView, PARKING_SHOW_UNAVAILABLE};
pub use slots::{find_space, SlotCursor, SlotOutcome, SlotPolicy};
