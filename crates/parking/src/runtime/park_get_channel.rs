//! `PARK_GET_CHANNEL(space,lot)`: the name of the channel parked at `space` of `lot`.
//! [res/parking/parking_bridge_features.c · func_get_parkingslot_channel]
//!
//! res_parking registers the function when it loads (so it does not exist when res_parking declines).
//! Dialplan functions are shared between threads in the expression layer (`Send + Sync`) while the parking
//! state is the engine's single-threaded state; so the lots publish the names of their parked channels into
//! a small shared [`Directory`], which the function reads.
//!
//! Asterisk's checks, in order: fewer than two arguments ⇒ ERROR `Usage: PARK_GET_CHANNEL(<parking_space>,<parking_lot>)`;
//! unknown lot ⇒ ERROR `Could not find parking lot: '%s'`; a space that is not an unsigned number (no sign,
//! nothing after the digits) ⇒ ERROR `value '%s' for parking_space argument is invalid. Must be an integer
//! greater than 0.`; an empty space argument means space 0. Nobody there ⇒ the function fails quietly.

use dialplan::diag::LogLevel;
use dialplan::expr::functions::{split_args, Function};
use dialplan::expr::{Effects, FuncError, VarContext};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use super::codes::PARK_GET_CHANNEL_ERROR as FUNCTION_ERROR;

/// One lot's occupied spaces by channel name.
#[derive(Clone, Debug, Default)]
pub struct SpaceNames(Arc<Mutex<BTreeMap<u32, String>>>);

impl SpaceNames {
    /// Records (or, with `None`, forgets) the channel in `space`.
    pub fn set(&self, space: u32, name: Option<&str>) {
        if let Ok(mut map) = self.0.lock() {
            match name {
                Some(n) => {
                    map.insert(space, n.to_string());
                }
                None => {
                    map.remove(&space);
                }
            }
        }
    }

    /// The channel in `space`.
    pub fn get(&self, space: u32) -> Option<String> {
        self.0.lock().ok().and_then(|m| m.get(&space).cloned())
    }
}

/// Every lot by name, as the function finds them.
#[derive(Clone, Debug, Default)]
pub struct Directory(Arc<Mutex<BTreeMap<String, SpaceNames>>>);

impl Directory {
    /// Makes `lot` findable (a new lot, a dynamic one, or one a reload brought).
    pub fn insert(&self, lot: &str, names: SpaceNames) {
        if let Ok(mut map) = self.0.lock() {
            map.insert(lot.to_string(), names);
        }
    }

    /// Forgets `lot` (a lot that vanished after a reload).
    pub fn remove(&self, lot: &str) {
        if let Ok(mut map) = self.0.lock() {
            map.remove(lot);
        }
    }

    fn lot(&self, lot: &str) -> Option<SpaceNames> {
        self.0.lock().ok().and_then(|m| m.get(lot).cloned())
    }
}

/// `ast_str_to_uint`: optional blanks and `+`, digits, nothing after; no minus sign; at most `u32::MAX`.
pub fn parse_space(text: &str) -> Option<u32> {
    let t = text.trim_start();
    let t = t.strip_prefix('+').unwrap_or(t);
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

/// The function.
pub struct ParkGetChannel {
    pub directory: Directory,
}

impl Function for ParkGetChannel {
    fn name(&self) -> &'static str {
        "PARK_GET_CHANNEL"
    }

    fn read(
        &self,
        args: &str,
        _ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let a = split_args(args, 3);
        let fail = |fx: &mut Effects, text: String| {
            fx.asterisk(
                FUNCTION_ERROR,
                LogLevel::Error,
                "parking_bridge_features.c",
                text,
            );
            Err(FuncError::Failed)
        };
        if a.len() < 2 {
            return fail(
                fx,
                "Usage: PARK_GET_CHANNEL(<parking_space>,<parking_lot>)".into(),
            );
        }
        let Some(lot) = self.directory.lot(&a[1]) else {
            return fail(fx, format!("Could not find parking lot: '{}'", a[1]));
        };
        let space = if a[0].is_empty() {
            0
        } else {
            match parse_space(&a[0]) {
                Some(s) => s,
                None => {
                    return fail(
                        fx,
                        format!(
                            "value '{}' for parking_space argument is invalid. Must be an integer greater than 0.",
                            a[0]
                        ),
                    )
                }
            }
        };
        lot.get(space).ok_or(FuncError::Failed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dialplan::expr::functions::NoFunctions;

    fn read(f: &ParkGetChannel, args: &str) -> (Result<String, FuncError>, Vec<String>) {
        let mut fx = Effects::new();
        let r = f.read(args, &mut NoFunctions, &mut fx);
        (r, fx.console())
    }

    #[test]
    fn finds_the_channel_and_reports_asterisks_errors() {
        let dir = Directory::default();
        let names = SpaceNames::default();
        names.set(701, Some("PJSIP/bob-00000000"));
        dir.insert("default", names.clone());
        let f = ParkGetChannel { directory: dir };
        assert_eq!(read(&f, "701,default").0, Ok("PJSIP/bob-00000000".into()));
        assert_eq!(read(&f, " +701,default").0, Ok("PJSIP/bob-00000000".into()));
        assert_eq!(read(&f, "702,default"), (Err(FuncError::Failed), vec![]));
        assert_eq!(read(&f, ",default"), (Err(FuncError::Failed), vec![]));
        assert_eq!(
            read(&f, "701").1,
            ["ERROR: parking_bridge_features.c: Usage: PARK_GET_CHANNEL(<parking_space>,<parking_lot>)"]
        );
        assert_eq!(
            read(&f, "701,sales").1,
            ["ERROR: parking_bridge_features.c: Could not find parking lot: 'sales'"]
        );
        for bad in ["-1", "701x", "x"] {
            assert_eq!(
                read(&f, &format!("{bad},default")).1,
                [format!("ERROR: parking_bridge_features.c: value '{bad}' for parking_space argument is invalid. Must be an integer greater than 0.")]
            );
        }
        names.set(701, None);
        assert_eq!(read(&f, "701,default").0, Err(FuncError::Failed));
    }
}
