//! Extension points: the traits through which modules plug into the engine, as Asterisk's modules register
//! with its core at load time.
//!
//! - [`App`]: a dialplan application (`ast_register_application`). The engine's own apps live in
//!   `crate::apps`; res_parking registers `Park`/`ParkedCall` the same way.
//! - [`DeviceProvider`]: the world outside the PBX (the scenario's phones): what a `Tech/resource` reaches,
//!   and the dial-string rewrite used for emulated devices.
//! - [`BridgeFeatures`]: the features module: Dial's feature letters become per-channel permissions, and a
//!   channel joining a basic bridge gets its [`DtmfHooks`] (the DTMF feature matcher).
//! - [`FeatureAction`]: what runs when a hook's code is matched (parkcall is the parking module's).
//! - [`BridgeDelegate`]: a bridge personality's callbacks (the parking bridge learns that a parkee left).
//! - [`Module`]: something loaded into an engine that registers any of the above.

use super::bridge::{BridgeId, LeaveReason};
use super::channel::{ChannelId, Party};
use super::Engine;
use crate::diag::LogLine;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::time::Duration;

/// A boxed, non-`Send` future (everything runs on one thread).
pub type LocalBoxFuture<T> = Pin<Box<dyn Future<Output = T>>>;

/// What an application returns to the PBX loop (Asterisk's `int`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppResult {
    /// 0: go on with the next priority.
    Continue,
    /// −1: hang up (the PBX prints `Spawn extension … exited non-zero` and ends).
    Hangup,
    /// A digit (`'0'`–`'9'`, `*`, `#`, `A`–`F`): start collecting an extension with it.
    Digit(char),
    /// `AST_PBX_ERROR`: go to `e` if it exists.
    Error,
    /// `AST_PBX_INCOMPLETE` (Incomplete): collect more digits of the current extension.
    Incomplete,
}

/// How an application runs: most finish at once (no allocation); the others return a future.
pub enum Exec {
    Done(AppResult),
    Pending(LocalBoxFuture<AppResult>),
}

/// A dialplan application.
pub trait App {
    /// The name as registered (and as the `Executing` line shows it); looked up case-insensitively.
    fn name(&self) -> &'static str;

    /// Runs the application on `chan` with its (already substituted) argument text.
    fn exec(&self, engine: &Engine, chan: ChannelId, args: &str) -> Exec;
}

/// Dial's rewrite of one `tech/resource` item (emulated devices).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rewrite {
    pub tech: String,
    pub resource: String,
    /// A note for the trace (`Dialsim…` event + console note), e.g. why the rewrite happened.
    pub note: Option<String>,
}

/// What a requested `Tech/resource` is.
#[derive(Clone, Debug)]
pub enum DeviceRequest {
    /// A phone: the engine creates `Tech/resource-NNNNNNNN` and the phone behaves as described.
    Phone(PhoneSpec),
    /// Nothing answers there: the request fails with this cause (Dial logs Asterisk's lines from `log`).
    Unavailable {
        cause: i32,
        /// Asterisk's own lines for this failure (e.g. chan_pjsip's `endpoint '%s' was not found`).
        log: Vec<LogLine>,
        /// dialsim's explanation (a diagnostic event), e.g. the device is not declared in the scenario.
        explain: Option<String>,
    },
}

/// How a phone behaves. Times of `after` actions count from the moment its channel is up.
#[derive(Clone, Debug, Default)]
pub struct PhoneSpec {
    /// The phone's own caller id (used when it places calls).
    pub callerid: Option<Party>,
    /// When called: answer this long after ringing starts; `None`: rings until the caller gives up.
    pub answer_after: Option<Duration>,
    /// When called: reports busy.
    pub busy: bool,
    /// Hangs up this long after its channel is up.
    pub hangup_after: Option<Duration>,
    /// Sends a voice frame every 20 ms while up.
    pub media: bool,
    /// Timed actions after the channel is up.
    pub actions: Vec<PhoneAction>,
}

/// A phone's timed action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhoneAction {
    /// Delay after the channel is up.
    pub after: Duration,
    pub kind: PhoneActionKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PhoneActionKind {
    /// Press these keys (SendDTMF timing: 100 ms lead, 100 ms tones, 250 ms gaps, `w`/`W` pauses).
    Dtmf(String),
    /// Hang up.
    Hangup,
}

/// The world outside the PBX, as the scenario declares it.
pub trait DeviceProvider {
    /// Dial's first look at each `tech/resource` item: a rewrite makes Dial behave, in every visible
    /// respect, as if the rewritten item had been written (used for emulated devices).
    fn rewrite(&self, _engine: &Engine, _tech: &str, _resource: &str) -> Option<Rewrite> {
        None
    }

    /// A channel of technology `tech` (anything but `Local`) to `resource` is requested.
    fn request(&self, engine: &Engine, tech: &str, resource: &str) -> DeviceRequest;

    /// The channel driver's device-state callback for `tech/resource` (never `Local`). `None`: the
    /// driver has none, and the state is that of the first channel named `tech/resource-…`.
    fn device_state(
        &self,
        _engine: &Engine,
        _tech: &str,
        _resource: &str,
    ) -> Option<super::devstate::DeviceState> {
        None
    }
}

/// What a DTMF hook does with an input; the engine carries these out in order.
#[derive(Clone)]
pub enum HookAction {
    /// Pass the DTMF BEGIN to the other channels of the bridge.
    PassBegin(char),
    /// Pass the DTMF END (digit, duration ms) to the other channels.
    PassEnd(char, u32),
    /// The frame is consumed by feature collection.
    Swallow,
    /// (Re)arm the channel's feature timer for this virtual time.
    ArmTimer(Duration),
    CancelTimer,
    /// Stream these digits to the other channels (100 ms lead, 100 ms tones and gaps).
    FlushToPeers(String),
    /// A code matched: run this action on the channel's bridge task.
    Run(Rc<dyn FeatureAction>),
}

/// A channel's DTMF feature hooks while it is in a basic bridge (one per join).
pub trait DtmfHooks {
    fn begin(&mut self, engine: &Engine, chan: ChannelId, digit: char) -> Vec<HookAction>;
    fn end(
        &mut self,
        engine: &Engine,
        chan: ChannelId,
        digit: char,
        duration_ms: u32,
    ) -> Vec<HookAction>;
    /// The feature timer fired.
    fn timer(&mut self, engine: &Engine, chan: ChannelId) -> Vec<HookAction>;
    /// The channel leaves the bridge.
    fn leave(&mut self, engine: &Engine, chan: ChannelId) -> Vec<HookAction>;
}

/// Why a channel may not join a basic bridge (Asterisk kicks it; the call ends right after answer).
#[derive(Clone, Debug)]
pub struct JoinRefused {
    pub log: Vec<LogLine>,
}

/// What a feature action asks of its channel once it is done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FeatureOutcome {
    /// Stay in the bridge.
    Stay,
    /// Leave the bridge (a dialled callee is then hung up; a Dial caller's Dial returns −1).
    Leave,
}

/// The action a matched feature code runs (e.g. res_parking's parkcall).
pub trait FeatureAction {
    fn name(&self) -> &str;
    fn run(
        &self,
        engine: Engine,
        bridge: BridgeId,
        chan: ChannelId,
    ) -> LocalBoxFuture<FeatureOutcome>;
}

/// The features module's side of bridging.
pub trait BridgeFeatures {
    /// Dial was answered: record the feature letters (`t T h H k K x X w W`, in the order written; possibly
    /// none) as permissions of the caller (upper case) and the callee (lower case), plus the caller's
    /// `BRIDGE_FEATURES`. Called for every answered Dial, before the bridge is made.
    fn dial_letters(&self, engine: &Engine, caller: ChannelId, callee: ChannelId, letters: &str);

    /// A channel is joining a basic bridge: its hooks (`None`: none), or a refusal.
    fn join(
        &self,
        engine: &Engine,
        bridge: BridgeId,
        chan: ChannelId,
    ) -> Result<Option<Box<dyn DtmfHooks>>, JoinRefused>;
}

/// A bridge personality's callbacks (the parking bridge).
pub trait BridgeDelegate {
    /// A channel is about to enter the bridge (before `BridgeEnter`; after it left its previous bridge).
    fn entering(&self, _engine: &Engine, _bridge: BridgeId, _chan: ChannelId) {}
    /// A channel is about to enter the bridge in `swap`'s place ([`Engine::bridge_move_swap`]), instead of
    /// [`Self::entering`]: before it leaves its old bridge and before `swap` is pulled. (In Asterisk the
    /// class's push runs after the old bridge's pull, but a real run shows the parking event of that push
    /// ahead of the pull's `BridgeLeave`: res_parking's subscription is the shorter path.)
    fn swapping(&self, _engine: &Engine, _bridge: BridgeId, _chan: ChannelId, _swap: ChannelId) {}
    /// A channel entered the bridge (after `BridgeEnter`).
    fn entered(&self, _engine: &Engine, _bridge: BridgeId, _chan: ChannelId) {}
    /// A channel is leaving a holding bridge ([`super::BridgeKind::Holding`] or
    /// [`super::BridgeKind::BaseHolding`]): after its `left` line, before `BridgeLeave` (where Asterisk
    /// calls the bridge technology's leave and the bridge class's pull).
    fn leaving(&self, _engine: &Engine, _bridge: BridgeId, _chan: ChannelId) {}
    /// A channel left the bridge (after `BridgeLeave`), for the given reason.
    fn left(&self, _engine: &Engine, _bridge: BridgeId, _chan: ChannelId, _why: LeaveReason) {}
}

/// What an interval hook wants after it ran (`ast_bridge_interval_hook`'s callback result).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntervalNext {
    /// Remove the hook (−1).
    Remove,
    /// Run again after this interval, counted on the hook's original cadence (intervals missed while it
    /// ran are skipped, as `bridge_channel_handle_interval` does).
    Repeat(Duration),
    /// Remove the hook and take the channel out of its bridge (`BRIDGE_CHANNEL_STATE_END`: a basic
    /// bridge dissolves).
    Leave,
}

/// A timer hook on a channel in a bridge (`ast_bridge_interval_hook`): it runs in the channel's bridge
/// loop, so the channel handles nothing else (frames, kicks) until it returns.
pub trait IntervalHook {
    fn fire(
        &self,
        engine: Engine,
        bridge: BridgeId,
        chan: ChannelId,
    ) -> LocalBoxFuture<IntervalNext>;
}

/// A loadable module.
pub trait Module {
    /// The module's name (`res_parking`, …).
    fn name(&self) -> &str;
    /// Registers the module's applications, functions, features… with the engine. An error means the
    /// module declined to load; its log lines say why.
    fn load(&self, engine: &Engine) -> Result<(), Vec<LogLine>>;
}
