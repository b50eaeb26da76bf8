//! Application argument substitution: the engine's side of `${...}` and `$[...]`.
//!
//! The PBX loop calls [`Engine::substitute`] only when the data contains `${` or `$[` (as Asterisk's
//! `pbx_extension_helper` does), so plain arguments cost nothing. The variable look-up order is Asterisk's
//! (`pbx_variables.c`): the channel built-ins (`EXTEN`, `CONTEXT`, `PRIORITY`, `CHANNEL`, `UNIQUEID`,
//! `HANGUPCAUSE`, …), then `EPOCH`, then channel variables, then globals.

use super::channel::ChannelId;
use super::Engine;
use std::borrow::Cow;

impl Engine {
    /// Whether `data` needs substitution at all.
    #[inline]
    pub fn needs_substitution(data: &str) -> bool {
        match memchr::memchr(b'$', data.as_bytes()) {
            None => false,
            Some(i) => {
                let rest = &data.as_bytes()[i..];
                memchr::memmem::find(rest, b"${").is_some() || memchr::memmem::find(rest, b"$[").is_some()
            }
        }
    }

    /// Substitutes variables, functions and expressions in `data` for `chan`.
    pub fn substitute<'a>(&self, chan: ChannelId, data: &'a str) -> Cow<'a, str> {
        if !Self::needs_substitution(data) {
            return Cow::Borrowed(data);
        }
        Cow::Owned(super::subst_impl::substitute(self, chan, data))
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
            "CALLINGPRES" => Some(String::from("0")),
            "CALLINGANI2" | "CALLINGTON" | "CALLINGTNS" => Some(String::from("0")),
            _ => None,
        });
        if let Some(Some(v)) = builtin {
            return Some(v);
        }
        if name == "EPOCH" {
            return Some((self.inner.config.epoch + self.now().as_secs() as i64).to_string());
        }
        self.get_var(chan, name)
    }

    /// `pbx_builtin_setvar_helper` as `Set` uses it: a name ending in `)` writes a dialplan function.
    pub fn setvar_helper(&self, chan: ChannelId, name: &str, value: &str) {
        if name.ends_with(')') {
            let fname = name.split('(').next().unwrap_or(name).to_string();
            self.log(crate::diag::LogLevel::Error, "pbx_functions.c", || {
                format!("Function {fname} not registered")
            });
            return;
        }
        self.set_var(chan, name, Some(value));
    }
}
