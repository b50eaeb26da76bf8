//! `SHARED(var[,channel])` (funcs/func_global.c shared_read/shared_write): variables kept in a datastore
//! of a channel, readable and writable from any channel. The channel is found by name or unique id, then
//! by the prefix `channel-` (case-insensitive); a write publishes `VarSet` with `SHARED(var)` on it.

use super::util::{engine_of, log};
use super::{split_args, Function};
use crate::diag::LogLevel;
use crate::engine::{ChannelId, Engine};
use crate::expr::{Effects, FuncError, VarContext};

/// The datastore key of a channel's shared variables.
const SHARED_VARS: &str = "SHARED";

/// A channel's shared variables, newest first (`AST_LIST_INSERT_HEAD`).
#[derive(Default)]
struct SharedVars(Vec<(String, String)>);

const SRC: &str = "func_global.c";
const USAGE: &str = "SHARED() requires an argument: SHARED(<var>[,<chan>])";

pub struct Shared;

impl Function for Shared {
    fn name(&self) -> &'static str {
        "SHARED"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let (e, chan, var) = target(args, ctx, fx, |name, var| {
            format!("Channel '{name}' not found!  Variable '{var}' will be blank.")
        })?;
        e.with_chan(chan, |c| {
            c.datastores
                .get(SHARED_VARS)
                .and_then(|d| d.downcast_ref::<SharedVars>())
                .map(|vars| {
                    vars.0
                        .iter()
                        .find(|(n, _)| *n == var)
                        .map(|(_, v)| v.clone())
                        .unwrap_or_default()
                })
        })
        .flatten()
        .ok_or(FuncError::Failed)
    }

    fn write(
        &self,
        args: &str,
        value: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<(), FuncError> {
        let (e, chan, var) = target(args, ctx, fx, |name, var| {
            format!("Channel '{name}' not found!  Variable '{var}' not set to '{value}'.")
        })?;
        let stored = e.with_chan_mut(chan, |c| {
            let store = c
                .datastores
                .entry(SHARED_VARS)
                .or_insert_with(|| Box::new(SharedVars::default()));
            if let Some(vars) = store.downcast_mut::<SharedVars>() {
                if let Some(i) = vars.0.iter().position(|(n, _)| *n == var) {
                    vars.0.remove(i);
                }
                vars.0.insert(0, (var.clone(), value.to_string()));
            }
        });
        if stored.is_some() {
            e.chan_event("VarSet", "dialplan", chan, |f| {
                f.push("Variable", format!("SHARED({var})"));
                f.push("Value", value.to_string());
            });
        }
        Ok(())
    }
}

/// The engine, the channel and the variable name `args` designate (the caller's channel when no channel
/// is given); the usage WARNING without arguments, the `not_found` ERROR for an unknown channel.
fn target(
    args: &str,
    ctx: &mut dyn VarContext,
    fx: &mut Effects,
    not_found: impl Fn(&str, &str) -> String,
) -> Result<(Engine, ChannelId, String), FuncError> {
    if args.is_empty() {
        log(fx, LogLevel::Warning, SRC, USAGE);
        return Err(FuncError::Failed);
    }
    let a = split_args(args, 2);
    let var = a.first().cloned().unwrap_or_default();
    let (e, own) = engine_of(ctx, "SHARED")?;
    let chan = match a.get(1).filter(|c| !c.is_empty()) {
        Some(name) => match find_channel(&e, name) {
            Some(c) => c,
            None => {
                log(fx, LogLevel::Error, SRC, not_found(name, &var));
                return Err(FuncError::Failed);
            }
        },
        None => own,
    };
    Ok((e, chan, var))
}

/// `ast_channel_get_by_name` (name, case-insensitive, or unique id), then
/// `ast_channel_get_by_name_prefix` with `name-`.
fn find_channel(e: &Engine, name: &str) -> Option<ChannelId> {
    let ids = e.channel_ids();
    let exact = ids.iter().copied().find(|&c| {
        e.with_chan(c, |ch| {
            !ch.dead && (ch.name.eq_ignore_ascii_case(name) || &*ch.uniqueid == name)
        })
        .unwrap_or(false)
    });
    exact.or_else(|| {
        let prefix = format!("{name}-");
        ids.into_iter().find(|&c| {
            e.with_chan(c, |ch| {
                !ch.dead
                    && ch
                        .name
                        .get(..prefix.len())
                        .is_some_and(|h| h.eq_ignore_ascii_case(&prefix))
            })
            .unwrap_or(false)
        })
    })
}
