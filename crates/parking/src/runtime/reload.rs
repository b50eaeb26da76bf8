//! res_parking's reload while calls are parked: a new configuration replaces the running one without
//! touching the parked calls. [res/res_parking.c · reload_module, config_parking_preapply,
//! configure_parking_extensions, link_configured_disable_marked_lots, parking_lot_build_or_update,
//! parking_lot_disable, parking_lot_remove_if_unused]
//!
//! The order is Asterisk's: every lot is marked; the extensions res_parking generated for the *running*
//! configuration (and everything owned by `res_parking` itself: shared `Park()` extensions and the
//! `park-dial` comeback entries) are removed and the new lots' extensions registered. When that fails the
//! extensions stay removed ("can not be safely restored") and the lots keep their old configuration.
//! Otherwise the new configuration is committed and each lot meets its [`LotFate`]:
//!
//! - a lot configured again keeps its parked calls, their timers and its `findslot=next` cursor, and new
//!   parkings use its new options (even a lot that was dynamic or disabled becomes a normal lot again);
//! - a configured lot no longer in the file is disabled: nothing new can park there, its calls stay until
//!   they leave, and the lot vanishes with the last of them (at once when empty);
//! - a dynamic lot vanishes when empty and otherwise stays as it is.
//!
//! A file that does not parse is refused before any of this (the caller keeps the running configuration).

use super::lot::LotState;
use super::ParkingModule;
use crate::codes;
use crate::config::ParkingConfig;
use crate::extensions::{register_extensions, remove_extensions, space_limit};
use crate::show::LotMode;
use dialplan::diag::Diagnostic;
use dialplan::engine::Engine;
use dialplan::model::Dialplan;
use std::rc::Rc;

/// What a reload does to a lot that existed before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LotFate {
    /// The new file configures it: it takes the new options and becomes a normal lot.
    Reconfigured,
    /// Not configured any more but holding calls: no new parkings; it vanishes with its last call.
    Disabled,
    /// Not configured any more and empty (or a dynamic lot left empty): it is gone at once.
    Vanished,
    /// A dynamic lot still holding calls: unchanged (dynamic lots are never in the file).
    StaysDynamic,
}

/// Whether a lot holds parked calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Occupied {
    Empty,
    HoldsCalls,
}

/// The rule of `link_configured_disable_marked_lots` for one lot.
pub fn lot_fate(mode: LotMode, configured_again: bool, occupied: Occupied) -> LotFate {
    if configured_again {
        return LotFate::Reconfigured;
    }
    match (mode, occupied) {
        (_, Occupied::Empty) => LotFate::Vanished,
        (LotMode::Dynamic, Occupied::HoldsCalls) => LotFate::StaysDynamic,
        (LotMode::Normal | LotMode::Disabled, Occupied::HoldsCalls) => LotFate::Disabled,
    }
}

/// What one successful reload did, lot by lot (name order), for tests and explanations.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReloadReport {
    /// Lots that existed and are configured again.
    pub reconfigured: Vec<String>,
    /// Lots the file brought.
    pub added: Vec<String>,
    /// Lots disabled while holding calls.
    pub disabled: Vec<String>,
    /// Lots gone at once.
    pub vanished: Vec<String>,
    /// Dynamic lots kept because they hold calls.
    pub kept_dynamic: Vec<String>,
}

impl ParkingModule {
    /// Applies `new`, a configuration that parsed, as res_parking's reload does (see the module
    /// documentation). `Err` carries Asterisk's lines and dialsim's explanation when the lots' extensions
    /// cannot be registered: the running configuration then stays, without its generated extensions.
    pub fn reload(
        &self,
        engine: &Engine,
        new: ParkingConfig,
    ) -> Result<ReloadReport, Vec<Diagnostic>> {
        if let Some(refused) = space_limit(&new) {
            return Err(vec![refused]);
        }
        let old = self.config();
        let registered = {
            let mut plan = engine.plan_mut();
            match plan.as_any_mut().downcast_mut::<Dialplan>() {
                Some(dp) => {
                    remove_extensions(&old, dp);
                    register_extensions(&new, dp)
                }
                None => Ok(()),
            }
        };
        self.hints_changed();
        // The lots' hints were removed and made anew, now with the `park` provider present.
        self.state_mut().startup_hints.clear();
        if let Err(diags) = registered {
            // At a reload the module stays loaded: the loader's "declined" lines belong to start-up only.
            return Err(diags
                .into_iter()
                .filter(|d| d.code != codes::DECLINED)
                .collect());
        }
        let report = self.commit(engine, new);
        Ok(report)
    }

    /// The new configuration is in force: lots are updated, added, disabled or dropped.
    fn commit(&self, engine: &Engine, new: ParkingConfig) -> ReloadReport {
        let mut report = ReloadReport::default();
        let existing: Vec<(String, usize)> = self
            .state()
            .by_name
            .iter()
            .map(|(n, &i)| (n.clone(), i))
            .collect();
        for cfg in &new.lots {
            let found = self.state().by_name.get(&cfg.name).copied();
            match found {
                Some(idx) => {
                    let mut state = self.state_mut();
                    let lot = &mut state.lots[idx];
                    lot.cfg = Rc::new(cfg.clone());
                    lot.mode = LotMode::Normal;
                    report.reconfigured.push(cfg.name.clone());
                }
                None => {
                    let lot = LotState::new(Rc::new(cfg.clone()), LotMode::Normal);
                    self.directory().insert(&cfg.name, lot.names.clone());
                    let mut state = self.state_mut();
                    let idx = state.lots.len();
                    state.lots.push(lot);
                    state.by_name.insert(cfg.name.clone(), idx);
                    report.added.push(cfg.name.clone());
                }
            }
        }
        for (name, idx) in existing {
            if new.lot(&name).is_some() {
                continue;
            }
            let (mode, occupied) = {
                let state = self.state();
                let lot = &state.lots[idx];
                let occupied = if lot.spaces().is_empty() {
                    Occupied::Empty
                } else {
                    Occupied::HoldsCalls
                };
                (lot.mode, occupied)
            };
            match lot_fate(mode, false, occupied) {
                LotFate::Disabled => {
                    self.state_mut().lots[idx].mode = LotMode::Disabled;
                    report.disabled.push(name);
                }
                LotFate::StaysDynamic => report.kept_dynamic.push(name),
                LotFate::Vanished => {
                    if mode == LotMode::Dynamic {
                        // Its configuration object goes with it, and with that its extensions.
                        let registrar = self.lot_cfg(idx).registrar();
                        let mut plan = engine.plan_mut();
                        if let Some(dp) = plan.as_any_mut().downcast_mut::<Dialplan>() {
                            dp.remove_registrar(&registrar);
                        }
                    }
                    self.unlink(engine, idx);
                    report.vanished.push(name);
                }
                LotFate::Reconfigured => {}
            }
        }
        *self.inner.config.borrow_mut() = Rc::new(new);
        self.hints_changed();
        report
    }

    /// Another module changed the dialplan (a `dialplan reload`): the hints made of `park:` devices are
    /// found again.
    pub fn dialplan_changed(&self) {
        self.hints_changed();
    }

    /// `parking_lot_remove_if_unused`: a disabled lot whose last call left is no longer found by name.
    /// `true` when it vanished now.
    pub(crate) fn remove_if_unused(&self, engine: &Engine, lot: usize) -> bool {
        let unused = {
            let state = self.state();
            let l = &state.lots[lot];
            l.mode == LotMode::Disabled
                && l.spaces().is_empty()
                && state.by_name.get(&l.cfg.name) == Some(&lot)
        };
        if unused {
            self.unlink(engine, lot);
        }
        unused
    }

    /// Whether lot `lot` can no longer be found by name (it vanished after a reload).
    pub(crate) fn vanished(&self, lot: usize) -> bool {
        let state = self.state();
        state.by_name.get(&state.lots[lot].cfg.name) != Some(&lot)
    }

    /// Forgets a lot; its holding bridge goes with it once nobody is in it (at once when empty).
    fn unlink(&self, engine: &Engine, lot: usize) {
        let (name, bridge) = {
            let mut state = self.state_mut();
            let name = state.lots[lot].cfg.name.clone();
            state.by_name.remove(&name);
            (name, state.lots[lot].bridge)
        };
        self.directory().remove(&name);
        if let Some(b) = bridge {
            if engine.bridge_members(b).is_empty() {
                self.state_mut().lots[lot].bridge = None;
                engine.destroy_bridge(b);
            }
        }
    }

    /// A vanished lot's holding bridge, once its last channel has left, is destroyed.
    pub(crate) fn destroy_bridge_if_vanished(&self, engine: &Engine, lot: usize) {
        if !self.vanished(lot) {
            return;
        }
        let bridge = self.state().lots[lot].bridge;
        if let Some(b) = bridge {
            if engine.bridge_members(b).is_empty() {
                self.state_mut().lots[lot].bridge = None;
                engine.destroy_bridge(b);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lot_configured_again_is_reconfigured_whatever_it_was() {
        for mode in [LotMode::Normal, LotMode::Dynamic, LotMode::Disabled] {
            for occupied in [Occupied::Empty, Occupied::HoldsCalls] {
                assert_eq!(lot_fate(mode, true, occupied), LotFate::Reconfigured);
            }
        }
    }

    #[test]
    fn a_removed_lot_is_disabled_while_it_holds_calls_and_vanishes_when_empty() {
        assert_eq!(
            lot_fate(LotMode::Normal, false, Occupied::HoldsCalls),
            LotFate::Disabled
        );
        assert_eq!(
            lot_fate(LotMode::Disabled, false, Occupied::HoldsCalls),
            LotFate::Disabled
        );
        assert_eq!(
            lot_fate(LotMode::Normal, false, Occupied::Empty),
            LotFate::Vanished
        );
    }

    #[test]
    fn a_dynamic_lot_survives_a_reload_only_while_it_holds_calls() {
        assert_eq!(
            lot_fate(LotMode::Dynamic, false, Occupied::HoldsCalls),
            LotFate::StaysDynamic
        );
        assert_eq!(
            lot_fate(LotMode::Dynamic, false, Occupied::Empty),
            LotFate::Vanished
        );
    }
}
