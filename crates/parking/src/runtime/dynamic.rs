//! Dynamic lots (`parkeddynamic=yes`): a channel asking for a lot that does not exist creates it on the fly,
//! cloned from the lot `${PARKINGDYNAMIC}` names (else `default`), with `${PARKINGDYNCONTEXT}`,
//! `${PARKINGDYNEXTEN}` and `${PARKINGDYNPOS}` (`start-stop`) overriding the template's context, parkext and
//! spaces, and its extensions registered in the running dialplan. [res/res_parking.c ·
//! create_dynamic_lot_full, clone_parkinglot_cfg, parking_lot_build_or_update]
//!
//! The variables are read from the channel whose lot it is (the parker). A dynamic lot shows `Dynamic: yes`
//! in `parking show`; like Asterisk, it stays after its last call leaves (only a reload can disable it).

use super::devstate::{park_device, Hint};
use super::lot::LotState;
use super::ParkingModule;
use crate::config::{LotConfig, SpaceRange, DEFAULT_LOT};
use crate::extensions::register_lot_extensions;
use crate::options::scan_c_int;
use crate::show::LotMode;
use dialplan::diag::LogLevel;
use dialplan::engine::{ChannelId, Engine};
use dialplan::model::Dialplan;
use std::rc::Rc;

/// Why `PARKINGDYNPOS` was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BadRange {
    /// Not `%30d-%30d`.
    Unparsable,
    /// `stop < start` or `start < 0`.
    Order,
}

/// `sscanf(value, "%30d-%30d")` and Asterisk's checks on the result.
pub fn parse_dynamic_range(value: &str) -> Result<SpaceRange, BadRange> {
    let (start, rest) = scan_c_int(value, 30).ok_or(BadRange::Unparsable)?;
    let rest = rest.strip_prefix('-').ok_or(BadRange::Unparsable)?;
    let (stop, _) = scan_c_int(rest, 30).ok_or(BadRange::Unparsable)?;
    if stop < start || start < 0 {
        return Err(BadRange::Order);
    }
    Ok(SpaceRange {
        start: u32::try_from(start).map_err(|_| BadRange::Order)?,
        stop: u32::try_from(stop).map_err(|_| BadRange::Order)?,
    })
}

/// Creates lot `name` for `chan` if dynamic lots are enabled; logs Asterisk's errors and returns `None`
/// otherwise (the caller then logs its own "could not find" line).
pub fn create_dynamic_lot(
    module: &ParkingModule,
    engine: &Engine,
    name: &str,
    chan: ChannelId,
) -> Option<usize> {
    if !module.config().general.parkeddynamic.value {
        return None;
    }
    let var = |n: &str| engine.get_var(chan, n).unwrap_or_default();
    let (template, context, exten, range) = (
        var("PARKINGDYNAMIC"),
        var("PARKINGDYNCONTEXT"),
        var("PARKINGDYNEXTEN"),
        var("PARKINGDYNPOS"),
    );
    let template = if template.is_empty() {
        DEFAULT_LOT.to_string()
    } else {
        template
    };
    let Some(template_idx) = module.lot_index(&template) else {
        engine.log(LogLevel::Error, "res_parking.c", || {
            format!(
                "Lot {template} does not exist. Can not use it as a dynamic parking lot template."
            )
        });
        return None;
    };
    let mut cfg: LotConfig = (*module.lot_cfg(template_idx)).clone();
    cfg.name = name.to_string();
    cfg.sections.clear();
    if !exten.is_empty() {
        cfg.parkext.value = exten;
    }
    if !context.is_empty() {
        cfg.context.value = context;
    }
    if !range.is_empty() {
        match parse_dynamic_range(&range) {
            Ok(r) => cfg.parkpos.value = r,
            Err(BadRange::Unparsable) => {
                engine.log(LogLevel::Error, "res_parking.c", || {
                    format!("Invalid parking range {range} specified in PARKINGDYNPOS: could not parse minimum/maximum parking space range")
                });
                return None;
            }
            Err(BadRange::Order) => {
                engine.log(LogLevel::Error, "res_parking.c", || {
                    format!("Invalid parking range {range} specified for PARKINGDYNPOS: end parking space must be greater than starting parking space.")
                });
                return None;
            }
        }
    }
    let failure = {
        let mut plan = engine.plan_mut();
        match plan.as_any_mut().downcast_mut::<Dialplan>() {
            Some(dp) => register_lot_extensions(&cfg, dp).err().inspect(|_| {
                dp.remove_registrar(&cfg.registrar());
            }),
            None => None,
        }
    };
    if let Some(diag) = failure {
        for line in diag.asterisk.iter() {
            engine.log_line(line.clone());
        }
        engine.log(LogLevel::Error, "res_parking.c", || {
            format!("Extensions for dynamic parking lot '{name}' could not be registered. Dynamic lot creation failed.")
        });
        return None;
    }
    if cfg.parkinghints.value && !cfg.parkext.value.is_empty() {
        let context = cfg.context.value.clone();
        let range = cfg.parkpos.value;
        let hints: Vec<Hint> = (range.start..=range.stop)
            .map(|space| Hint {
                exten: space.to_string(),
                devices: park_device(space, &context),
                context: context.clone(),
                registrar: cfg.registrar(),
            })
            .collect();
        module.hints_created(engine, &hints);
    }
    let lot = LotState::new(Rc::new(cfg), LotMode::Dynamic);
    module.directory().insert(name, lot.names.clone());
    let mut state = module.state_mut();
    let idx = state.lots.len();
    state.lots.push(lot);
    state.by_name.insert(name.to_string(), idx);
    Some(idx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(
            parse_dynamic_range("801-809"),
            Ok(SpaceRange {
                start: 801,
                stop: 809
            })
        );
        assert_eq!(parse_dynamic_range("801 - 809"), Err(BadRange::Unparsable));
        assert_eq!(parse_dynamic_range("801-x"), Err(BadRange::Unparsable));
        assert_eq!(parse_dynamic_range("809-801"), Err(BadRange::Order));
        assert_eq!(parse_dynamic_range("-5-3"), Err(BadRange::Order));
        assert_eq!(
            parse_dynamic_range("0-0"),
            Ok(SpaceRange { start: 0, stop: 0 })
        );
        assert_eq!(
            parse_dynamic_range("801-809junk"),
            Ok(SpaceRange {
                start: 801,
                stop: 809
            })
        );
    }
}
