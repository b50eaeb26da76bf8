//! Hangup handlers (main/pbx_hangup_handler.c): `Set(CHANNEL(hangup_handler_push)=[[ctx,]exten,]prio(args))`
//! and its `pop` / `wipe` forms keep a stack of subroutines per channel; when the channel hangs up they run
//! newest first, each as a subroutine the core runs ([`Engine::run_sub`], hangup ignored), after the `h`
//! extension of a channel that ran a PBX and before the channel is gone. `HangupHandlerPush`,
//! `HangupHandlerPop` and `HangupHandlerRun` (class `dialplan`, with `Handler:`) are published as Asterisk's
//! manager does.

use super::channel::ChannelId;
use super::sub::{expand_sub_args, OnHangup};
use super::Engine;
use crate::diag::LogLevel;

/// The datastore key of a channel's handler stack (newest last).
const HANDLERS: &str = "hangup_handlers";

impl Engine {
    /// `ast_pbx_hangup_handler_push`: expands the omitted context and extension from the channel's
    /// location and pushes the handler. An empty text pushes nothing.
    pub fn hangup_handler_push(&self, chan: ChannelId, handler: &str) {
        if handler.is_empty() {
            return;
        }
        let Some((ctx, exten)) = self.with_chan(chan, |c| (c.context.clone(), c.exten.clone()))
        else {
            return;
        };
        let (expanded, unclosed) = expand_sub_args(handler, &ctx, &exten);
        if unclosed {
            self.log(LogLevel::Warning, "app_stack.c", || {
                format!("Ouch.  No closing paren: '{handler}'?")
            });
        }
        self.with_chan_mut(chan, |c| {
            let stack = c
                .datastores
                .entry(HANDLERS)
                .or_insert_with(|| Box::new(Vec::<String>::new()));
            if let Some(v) = stack.downcast_mut::<Vec<String>>() {
                v.push(expanded.clone());
            }
        });
        self.publish_handler("HangupHandlerPush", chan, &expanded);
    }

    /// `ast_pbx_hangup_handler_pop`: removes the newest handler; `false` when there was none.
    pub fn hangup_handler_pop(&self, chan: ChannelId) -> bool {
        let Some(handler) = self.take_handler(chan) else {
            return false;
        };
        self.publish_handler("HangupHandlerPop", chan, &handler);
        true
    }

    /// The channel's handlers, newest first (`core show hanguphandlers`).
    pub fn hangup_handlers(&self, chan: ChannelId) -> Vec<String> {
        self.with_chan(chan, |c| {
            c.datastores
                .get(HANDLERS)
                .and_then(|d| d.downcast_ref::<Vec<String>>())
                .map(|v| v.iter().rev().cloned().collect())
        })
        .flatten()
        .unwrap_or_default()
    }

    /// Whether the channel has handlers left to run.
    pub fn has_hangup_handlers(&self, chan: ChannelId) -> bool {
        self.with_chan(chan, |c| {
            c.datastores
                .get(HANDLERS)
                .and_then(|d| d.downcast_ref::<Vec<String>>())
                .is_some_and(|v| !v.is_empty())
        })
        .unwrap_or(false)
    }

    /// `ast_pbx_hangup_handler_run`: marks the channel hung up and runs its handlers newest first, each
    /// removed before it runs (so a handler may push another, which runs next). `false` when it had none.
    pub async fn run_hangup_handlers(&self, chan: ChannelId) -> bool {
        if !self.has_hangup_handlers(chan) {
            return false;
        }
        self.mark_hung_up(chan);
        while let Some(handler) = self.take_handler(chan) {
            self.publish_handler("HangupHandlerRun", chan, &handler);
            // Boxed: most channels have no handler, and every channel's PBX future holds this one.
            Box::pin(self.run_sub(chan, &handler, OnHangup::Continue)).await;
        }
        true
    }

    /// `ast_softhangup_nolock`: the channel reads as hung up; unlike `ast_softhangup`, nothing is published.
    pub(crate) fn mark_hung_up(&self, chan: ChannelId) {
        self.with_chan_mut(chan, |c| {
            if !c.dead {
                c.softhangup = true;
                c.notify.notify_one();
            }
        });
    }

    fn take_handler(&self, chan: ChannelId) -> Option<String> {
        self.with_chan_mut(chan, |c| {
            c.datastores
                .get_mut(HANDLERS)
                .and_then(|d| d.downcast_mut::<Vec<String>>())
                .and_then(Vec::pop)
        })
        .flatten()
    }

    fn publish_handler(&self, event: &'static str, chan: ChannelId, handler: &str) {
        if !self.bus().wants_ami() {
            return;
        }
        let handler = handler.to_string();
        self.chan_event(event, "dialplan", chan, move |f| {
            f.push("Handler", handler);
        });
    }
}
