//! Application argument substitution and dialplan functions: the engine's side of [`crate::expr`].
//!
//! The PBX loop calls [`Engine::substitute`] only when the data contains `${` or `$[` (as Asterisk's
//! `pbx_extension_helper` does), so plain arguments cost nothing. [`ChanCtx`] is the
//! [`VarContext`] of one channel: the variable look-up order is Asterisk's (`pbx_variables.c`): the channel
//! built-ins (`EXTEN`, `CONTEXT`, `PRIORITY`, `CHANNEL`, `UNIQUEID`, `HANGUPCAUSE`, …), then `EPOCH`, then
//! channel variables, then globals. Functions come from the engine's [`FunctionRegistry`] (the built-ins of
//! `expr`, plus what modules register). The lines substitution logs are published as Asterisk's lines,
//! dialsim's own notes as `DialsimDiagnostic` events.

use super::channel::{ChannelId, Party};
use super::Engine;
use crate::diag::LogLevel;
use crate::expr::functions::{CallerId, ChannelItem, Function, FunctionRegistry};
use crate::expr::{codes as xcodes, Effects, FuncError, LogEntry, Origin, VarContext};
use std::borrow::Cow;

/// One channel as seen by substitution and dialplan functions.
pub struct ChanCtx<'e> {
    pub engine: &'e Engine,
    pub chan: ChannelId,
}

impl Engine {
    /// Whether `data` needs substitution at all.
    #[inline]
    pub fn needs_substitution(data: &str) -> bool {
        crate::expr::subst::needs_substitution(data)
    }

    /// Substitutes variables, functions and expressions in `data` for `chan`.
    pub fn substitute<'a>(&self, chan: ChannelId, data: &'a str) -> Cow<'a, str> {
        if !Self::needs_substitution(data) {
            return Cow::Borrowed(data);
        }
        let mut ctx = ChanCtx { engine: self, chan };
        let out = crate::expr::substitute(data, &mut ctx);
        self.publish_effects(chan, out.warnings);
        Cow::Owned(out.text)
    }

    /// Publishes what substitution or a function logged.
    pub fn publish_effects(&self, chan: ChannelId, log: Vec<LogEntry>) {
        for e in log {
            match e.origin {
                Origin::Asterisk => self.log_line(e.line),
                Origin::Dialsim => self.explain(e.code, Some(chan), &e.line.text, None),
            }
        }
    }

    /// Registers (or replaces) a dialplan function.
    pub fn register_function(&self, f: Box<dyn Function>) {
        self.inner.functions.borrow_mut().register(f);
    }

    /// The registered functions.
    pub fn functions(&self) -> std::cell::Ref<'_, FunctionRegistry> {
        self.inner.functions.borrow()
    }

    /// The value of `${name}` for `chan` (built-ins, channel variables, globals); `None` when unset.
    pub fn lookup_var(&self, chan: ChannelId, name: &str) -> Option<String> {
        let builtin = self.with_chan(chan, |c| match name {
            "EXTEN" => Some(c.exten.clone()),
            "CONTEXT" => Some(c.context.clone()),
            "PRIORITY" => Some(c.priority.to_string()),
            "CHANNEL" => Some(c.name.to_string()),
            "UNIQUEID" => Some(c.uniqueid.to_string()),
            "HANGUPCAUSE" => Some(c.hangupcause.to_string()),
            // main/channel.c ast_party_id_presentation: presentations are not simulated (allowed, user
            // number not screened: 0), but a caller id with neither a valid name nor a valid number is
            // AST_PRES_NUMBER_NOT_AVAILABLE (67).
            "CALLINGPRES" if c.caller.name.is_none() && c.caller.number.is_none() => {
                Some(String::from("67"))
            }
            "CALLINGPRES" | "CALLINGANI2" | "CALLINGTON" | "CALLINGTNS" => Some(String::from("0")),
            _ => None,
        });
        if let Some(Some(v)) = builtin {
            return Some(v);
        }
        if name == "HINT" || name == "HINTNAME" {
            // ast_str_get_hint: the hint of the channel's extension (includes and patterns searched, no
            // caller id); its device list for HINT, its data for HINTNAME. No hint: unset, without
            // falling back to a channel variable of that name.
            let (ctx, exten) = self.with_chan(chan, |c| (c.context.clone(), c.exten.clone()))?;
            let plan = self.plan();
            let step = plan.step(&ctx, &exten, crate::model::PRIORITY_HINT, None)?;
            let text = if name == "HINT" { step.app } else { step.data };
            return Some(text.to_string());
        }
        if name == "EPOCH" {
            return Some((self.inner.config.epoch + self.now().as_secs() as i64).to_string());
        }
        self.get_var(chan, name)
    }

    /// `pbx_builtin_setvar_helper` as `Set` uses it: a name ending in `)` writes a dialplan function.
    pub fn setvar_helper(&self, chan: ChannelId, name: &str, value: &str) {
        if name.ends_with(')') {
            let (fname, args) = match name.find('(') {
                Some(i) => (&name[..i], &name[i + 1..name.len() - 1]),
                None => (name, ""),
            };
            let mut fx = Effects::new();
            let mut ctx = ChanCtx { engine: self, chan };
            let r = {
                let reg = self.functions();
                reg.write(fname, args, value, &mut ctx, &mut fx)
            };
            self.publish_effects(chan, fx.log);
            self.function_error(chan, fname, r.err(), "cannot be written to");
            return;
        }
        self.set_var(chan, name, Some(value));
    }

    fn function_error(&self, chan: ChannelId, fname: &str, err: Option<FuncError>, cannot: &str) {
        match err {
            None | Some(FuncError::Failed) => {}
            Some(FuncError::NotRegistered) => {
                self.log(LogLevel::Error, "pbx_functions.c", || {
                    format!("Function {fname} not registered")
                });
            }
            Some(FuncError::CannotRead) | Some(FuncError::CannotWrite) => {
                self.log(LogLevel::Error, "pbx_functions.c", || {
                    format!("Function {fname} {cannot}")
                });
            }
            Some(FuncError::NotSimulated(what)) => {
                self.explain(xcodes::FUNC_NOT_SIMULATED, Some(chan), &what, None);
            }
        }
    }
}

impl VarContext for ChanCtx<'_> {
    fn engine(&self) -> Option<(&Engine, ChannelId)> {
        Some((self.engine, self.chan))
    }

    fn var_names(&self) -> Vec<String> {
        self.engine
            .with_chan(self.chan, |c| {
                c.vars.iter().map(|v| v.name().to_string()).collect()
            })
            .unwrap_or_default()
    }

    fn get_var(&self, name: &str) -> Option<Cow<'_, str>> {
        self.engine.lookup_var(self.chan, name).map(Cow::Owned)
    }

    fn call_function(
        &mut self,
        name: &str,
        args: &str,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let engine = self.engine;
        let reg = engine.functions();
        reg.read(name, args, self, fx)
    }

    fn write_function(
        &mut self,
        name: &str,
        args: &str,
        value: &str,
        fx: &mut Effects,
    ) -> Result<(), FuncError> {
        let engine = self.engine;
        let reg = engine.functions();
        reg.write(name, args, value, self, fx)
    }

    fn set_var(&mut self, name: &str, value: Option<&str>) {
        self.engine.set_var(self.chan, name, value);
    }

    fn get_global(&self, name: &str) -> Option<Cow<'_, str>> {
        self.engine.global(name).map(Cow::Owned)
    }

    fn set_global(&mut self, name: &str, value: Option<&str>) {
        // `GLOBAL()` logs Asterisk's `Setting global variable` line itself; printing it here too doubled it.
        self.engine.store_global(name, value);
    }

    fn caller_id(&self) -> Option<CallerId> {
        self.engine.with_chan(self.chan, |c| CallerId {
            name: c.caller.name.clone().unwrap_or_default(),
            name_valid: c.caller.name.is_some(),
            number: c.caller.number.clone().unwrap_or_default(),
            number_valid: c.caller.number.is_some(),
        })
    }

    fn set_caller_id(&mut self, id: CallerId) {
        let party = Party {
            number: id.number_valid.then_some(id.number),
            name: id.name_valid.then_some(id.name),
        };
        self.engine.set_caller(self.chan, party);
    }

    fn channel_item(&self, item: ChannelItem) -> Option<String> {
        let e = self.engine;
        let peer = e.bridge_of(self.chan).and_then(|b| {
            e.bridge_members(b)
                .into_iter()
                .find(|&m| m != self.chan)
                .and_then(|m| e.chan_name(m))
        });
        e.with_chan(self.chan, |c| match item {
            ChannelItem::Name => Some(c.name.to_string()),
            ChannelItem::State => Some(c.state.desc().to_string()),
            ChannelItem::UniqueId => Some(c.uniqueid.to_string()),
            ChannelItem::LinkedId => Some(c.linkedid.to_string()),
            ChannelItem::Language => Some(c.language.to_string()),
            ChannelItem::MusicClass => Some(c.musicclass().to_string()),
            ChannelItem::ParkingLot => Some(c.parkinglot().to_string()),
            ChannelItem::AccountCode => Some(c.accountcode().to_string()),
            ChannelItem::Exten => Some(c.exten.clone()),
            ChannelItem::Context => Some(c.context.clone()),
            ChannelItem::ChannelType => Some(c.tech.to_string()),
            ChannelItem::Peer => Some(peer.as_deref().unwrap_or("").to_string()),
            ChannelItem::AppName => Some(c.appl.to_string()),
            ChannelItem::AppData => Some(c.data.to_string()),
            ChannelItem::CheckHangup => Some(if c.softhangup { "1" } else { "0" }.to_string()),
            _ => None,
        })
        .flatten()
    }

    fn set_channel_item(&mut self, item: ChannelItem, value: &str) -> bool {
        self.engine
            .with_chan_mut(self.chan, |c| match item {
                ChannelItem::Language => {
                    c.language = Cow::Owned(value.to_string());
                    true
                }
                ChannelItem::MusicClass => {
                    c.set_musicclass(value.to_string());
                    true
                }
                ChannelItem::ParkingLot => {
                    c.set_parkinglot(value.to_string());
                    true
                }
                ChannelItem::AccountCode => {
                    c.set_accountcode(value.to_string());
                    true
                }
                _ => false,
            })
            .unwrap_or(false)
    }
}
