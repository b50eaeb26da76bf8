//! Connected-line updates (Asterisk's "COLP"): what a bridge tells its two members about each other when
//! a join is not told to skip it (`main/bridge.c`, the reconfigure step), how a channel takes such an
//! update (`main/channel.c`: set, publish `NewConnectedLine` only if it changed, pass it on only if it
//! differs from what was last indicated), and how a Local half passes it across its pair
//! (`main/core_unreal.c`: the other half's caller id becomes this half's connected line, silently, and
//! the update is queued on the other half, whose bridge hands it to its own peers).
//!
//! A caller id changed silently is published with the channel's next snapshot (a bridge enter or leave,
//! a new state or extension, the hangup): `NewCallerid` comes then, and the events in between still show
//! the old caller id, as Asterisk's cached snapshot does.

use super::channel::{ChannelId, Party};
use super::Engine;

/// Whether an event named `name` publishes a fresh channel snapshot (so a silently changed caller id
/// is announced with `NewCallerid` just before it).
pub fn publishes_snapshot(name: &str) -> bool {
    matches!(name, "Newexten" | "Newstate" | "Hangup")
}

impl Engine {
    /// The connected-line exchange after a join into a two-party bridge `bridge` (Asterisk skips it for
    /// joins that inhibit it, such as Dial's own bridge, which sets connected lines itself): each member
    /// is told the other's caller id, first member's peer first.
    pub fn bridge_connected_line_update(&self, bridge: super::bridge::BridgeId) {
        let members = self.bridge_members(bridge);
        let [first, peer] = members[..] else {
            return;
        };
        if !self.is_alive(first) || !self.is_alive(peer) {
            return;
        }
        let Some(first_caller) = self.with_chan(first, |c| c.caller.clone()) else {
            return;
        };
        let Some(peer_caller) = self.with_chan(peer, |c| c.caller.clone()) else {
            return;
        };
        self.indicate_connected_line(peer, first_caller, 0);
        self.indicate_connected_line(first, peer_caller, 0);
    }

    /// A connected-line update reaches `chan`: it is stored, `NewConnectedLine` is published if it
    /// changed, and a changed line goes on across a Local pair.
    pub fn indicate_connected_line(&self, chan: ChannelId, party: Party, depth: u32) {
        let changed = self
            .with_chan_mut(chan, |c| {
                let changed = c.connected != party;
                c.connected = party.clone();
                changed
            })
            .unwrap_or(false);
        if !changed {
            return;
        }
        self.chan_event("NewConnectedLine", "call", chan, |_| {});
        // A Local pair can chain through other Local pairs; a bound keeps a malformed loop finite.
        if depth > 16 {
            return;
        }
        let Some((other, _)) = self.with_chan(chan, |c| c.local_peer()).flatten() else {
            return;
        };
        if !self.is_alive(other) {
            return;
        }
        self.with_chan_mut(other, |c| {
            if c.caller != party {
                if c.stale_caller.is_none() {
                    c.stale_caller = Some(Box::new(c.caller.clone()));
                }
                c.caller = party.clone();
            }
        });
        // The update queued on the other half is read by whatever services it; in a bridge it goes to
        // the bridge's other members.
        if let Some(b) = self.bridge_of(other) {
            for m in self.bridge_members(b) {
                if m != other {
                    self.indicate_connected_line(m, party.clone(), depth + 1);
                }
            }
        }
    }

    /// Publishes `NewCallerid` for a caller id changed without a snapshot, before `chan`'s next
    /// snapshot publish.
    pub(crate) fn publish_stale_caller(&self, chan: ChannelId) {
        let stale = self
            .with_chan_mut(chan, |c| c.stale_caller.take())
            .flatten();
        if let Some(old) = stale {
            let now = self.with_chan(chan, |c| c.caller.clone());
            if now.as_ref() != Some(&*old) {
                self.chan_event("NewCallerid", "call", chan, |f| {
                    f.push("CID-CallingPres", "0 (Presentation Allowed, Not Screened)");
                });
            }
        }
    }
}
