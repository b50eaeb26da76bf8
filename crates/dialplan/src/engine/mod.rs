//! The run-time engine: calls running through the dialplan on a virtual clock, as Asterisk 22 runs them.
//!
//! An [`Engine`] value owns everything of one simulation (no globals): the dialplan (through the [`Plan`]
//! seam), the registries (applications, devices, bridge features), the channels, the bridges, the event bus
//! and the clock. It is a cheap, cloneable handle (`Rc`) that every task of the run holds.
//!
//! **Time.** A run happens inside [`Engine::block_on`], on the engine's own single-threaded executor and
//! virtual clock ([`exec`]). Timers fire in order, time jumps when every task waits, and nothing reads the
//! wall clock, so two runs of the same input produce byte-identical events. Every `select!` is `biased;`.
//! Timers have a resolution of 1 ms (deadlines round up); every duration the engine uses is a whole number
//! of milliseconds, so no rounding happens.
//!
//! Why this is exactly deterministic: the executor has one thread; it polls woken tasks in the order they
//! were woken; timers due at the same millisecond fire in the order they were set; time moves only when no
//! task can run. Nothing else (no I/O, no threads, no randomness but the seeded [`Engine::random_u64`])
//! feeds the schedule, so the same input gives the same interleaving. Cross-channel effects (a frame crossing a Local pair, an answer,
//! a hangup, a bridge move) happen synchronously inside the task that causes them rather than through
//! another task's wake-up, which keeps their order causal and independent of scheduling.
//!
//! **Tasks.** A channel that runs a PBX is a task ([`Engine::spawn_pbx`]); a channel imparted into a bridge
//! (Dial's callee) gets its own bridge task. Everything else (frames crossing a Local pair, state changes,
//! events) happens synchronously inside the task that causes it, so cause and effect keep their order.
//!
//! Modules:
//! - [`event`]: the event bus; [`ami`]: AMI field blocks;
//! - [`channel`], [`vars`]: channels and variables; [`ext`]: the extension-point traits;
//! - [`ops`]: channel operations (create, state, answer, hangup, frames, waiting);
//! - [`pbx`]: the PBX loop; [`local`]: Local channel pairs; [`bridge`]: bridges;
//! - [`device`]: scenario phones as far ends; [`media`]: prompts, playback and DTMF timing;
//! - [`plan`]: the dialplan seam; [`subst`]: argument substitution;
//! - [`stepper`]: driving a run a little at a time from outside (the step-through console).

pub mod after_bridge;
pub mod ami;
pub mod astdb;
pub mod bridge;
pub mod channel;
pub mod colp;
pub mod device;
pub mod devstate;
pub mod event;
pub mod exec;
pub mod ext;
pub mod groups;
pub mod hangup_handlers;
pub mod lang;
pub mod local;
pub mod media;
pub mod members;
pub mod notify;
pub mod numtext;
pub mod ops;
pub mod pbx;
pub mod plan;
pub mod sounds;
pub mod stepper;
pub mod sub;
pub mod subst;
pub mod vars;
pub mod yank;

pub use bridge::{BridgeId, BridgeKind, Dissolve, LeaveReason};
pub use channel::{Channel, ChannelId, ChannelState, Control, Frame, Interrupt, Location, Party};
pub use event::{Event, EventBody, EventBus, Fields, Interest, Recorder, Subscriber};
pub use ext::{
    App, AppResult, BridgeDelegate, BridgeFeatures, DeviceProvider, DeviceRequest, DtmfHooks, Exec,
    FeatureAction, FeatureOutcome, HookAction, IntervalHook, IntervalNext, JoinRefused,
    LocalBoxFuture, Module, PhoneAction, PhoneActionKind, PhoneSpec, Rewrite,
};
pub use plan::{Plan, Step, TablePlan};

use crate::diag::{Code, CodeInfo, LogLevel, LogLine};
use bridge::Bridges;
use media::Prompts;
use std::cell::{Cell, Ref, RefCell, RefMut};
use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::rc::Rc;
use std::time::Duration;
use vars::Vars;

/// Options of one engine.
#[derive(Clone, Debug)]
pub struct EngineConfig {
    /// Unique ids are `<epoch + whole virtual seconds>.<n>`.
    pub epoch: i64,
    /// Priorities one run may execute before it is stopped (a runaway `Goto` loop).
    pub max_steps: u64,
    /// Seed for everything random (bridge ids).
    pub seed: u64,
    /// The system's local time zone, as Asterisk's `ast_localtime` sees it (the scenario's `timezone`).
    pub timezone: crate::timing::Zone,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            epoch: 1_700_000_000,
            max_steps: 100_000_000,
            seed: 1,
            timezone: crate::timing::Zone::utc(),
        }
    }
}

/// Diagnostic codes the engine emits (as `DialsimDiagnostic` events).
pub mod codes {
    use crate::diag::Code;
    pub const MAX_STEPS: Code = Code("run/max-steps");
    pub const UNDECLARED_DEVICE: Code = Code("run/undeclared-device");
    pub const UNKNOWN_PROMPT: Code = Code("run/unknown-prompt-duration");
    pub const DIAL_REWRITE: Code = Code("run/dial-rewrite");
}

/// Every code the engine emits.
pub const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: codes::MAX_STEPS,
        summary: "the run executed more priorities than `max_steps` allows; the channel is hung up",
    },
    CodeInfo {
        code: codes::UNDECLARED_DEVICE,
        summary: "a dialled technology/resource is not declared in the scenario; the dial fails as CHANUNAVAIL",
    },
    CodeInfo {
        code: codes::UNKNOWN_PROMPT,
        summary: "a prompt's duration is unknown (not in the catalogue); a default length is used",
    },
    CodeInfo {
        code: crate::apps::refused::REFUSED,
        summary: "an application that reaches outside the PBX (System, AGI, Record, VoiceMail, …) is not simulated; the call goes on",
    },
    CodeInfo {
        code: codes::DIAL_REWRITE,
        summary: "an emulated device was dialled: the dial string was rewritten to its Local channel",
    },
];

/// The engine handle.
#[derive(Clone)]
pub struct Engine {
    pub(crate) inner: Rc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) config: EngineConfig,
    pub(crate) plan: RefCell<Box<dyn Plan>>,
    apps: RefCell<AppRegistry>,
    pub(crate) devices: RefCell<Option<Rc<dyn DeviceProvider>>>,
    pub(crate) features: RefCell<Option<Rc<dyn BridgeFeatures>>>,
    pub(crate) chans: RefCell<Vec<Option<Box<Channel>>>>,
    /// Boxes of channels freed lately, emptied, for the next channels to reuse: a new channel is then
    /// written into memory that is still in the cache rather than into a block the allocator hands out
    /// from anywhere in a heap of thousands of parked calls (docs/performance.md, issue 4).
    #[allow(clippy::vec_box)] // the boxes themselves are what is kept, to be reused
    pub(crate) spare_chans: RefCell<Vec<Box<Channel>>>,
    /// The empty text every new channel's application and data start with (one allocation, shared).
    pub(crate) empty: Rc<str>,
    /// The technology texts of the channels so far (`PJSIP`, `Local`, …), one allocation each, shared by
    /// every channel of that technology (see [`Engine::shared_tech`]).
    pub(crate) techs: RefCell<Vec<Rc<str>>>,
    /// The notifier of an emptied channel box (never waited on).
    pub(crate) spare_notify: Rc<notify::Notify>,
    pub(crate) live: Cell<usize>,
    pub(crate) bridges: RefCell<Bridges>,
    pub(crate) bus: EventBus,
    pub(crate) globals: RefCell<Vars>,
    pub(crate) counters: RefCell<Counters>,
    pub(crate) exec: exec::Executor,
    pub(crate) steps: Cell<u64>,
    pub(crate) prompts: RefCell<Prompts>,
    pub(crate) functions: RefCell<crate::expr::FunctionRegistry>,
    /// Woken when the last channel goes away.
    pub(crate) idle: tokio::sync::Notify,
    pub(crate) media_waiters: RefCell<Vec<(ChannelId, Option<Duration>)>>,
    pub(crate) astdb: RefCell<astdb::AstDb>,
    pub(crate) devstates: RefCell<devstate::DeviceStates>,
    pub(crate) groups: RefCell<Vec<groups::GroupEntry>>,
    /// The simulated process environment (`ENV`): empty at the start.
    pub(crate) env: RefCell<BTreeMap<String, String>>,
}

#[derive(Default)]
pub(crate) struct Counters {
    /// Per technology family (`PJSIP`), the next channel number.
    pub(crate) tech: BTreeMap<String, u32>,
    /// All Local/unreal pairs share one counter.
    pub(crate) local: u32,
    /// The `<n>` of unique ids.
    pub(crate) unique: u32,
    /// The PRNG state for bridge ids.
    pub(crate) rng: u64,
    /// PBXs started (`ast_processed_calls`).
    pub(crate) pbx_runs: u32,
    /// The next Local channel optimization's `Id` (`optimization_id` of main/bridge.c).
    pub(crate) optimization: u32,
}

/// Applications by name, looked up case-insensitively, with a cache by exact spelling so the PBX loop
/// does not allocate.
#[derive(Default)]
struct AppRegistry {
    by_lower: BTreeMap<String, Rc<dyn App>>,
    /// Looked up once per priority with short keys: a fast hasher, as SipHash would dominate.
    cache: HashMap<Box<str>, Option<Rc<dyn App>>, crate::hash::Fx>,
}

impl AppRegistry {
    fn register(&mut self, app: Rc<dyn App>) {
        self.by_lower.insert(app.name().to_ascii_lowercase(), app);
        self.cache.clear();
    }

    fn find(&mut self, name: &str) -> Option<Rc<dyn App>> {
        if let Some(hit) = self.cache.get(name) {
            return hit.clone();
        }
        let found = self.by_lower.get(&name.to_ascii_lowercase()).cloned();
        self.cache.insert(name.into(), found.clone());
        found
    }
}

impl Engine {
    /// A new engine running `plan`, with the built-in applications registered.
    pub fn new(config: EngineConfig, plan: Box<dyn Plan>) -> Engine {
        let mut globals = Vars::new();
        for (name, value) in plan.initial_globals() {
            globals.set(&name, Some(&value));
        }
        let seed = config.seed;
        plan.set_time_zone(&config.timezone);
        let engine = Engine {
            inner: Rc::new(Inner {
                config,
                plan: RefCell::new(plan),
                apps: RefCell::new(AppRegistry::default()),
                devices: RefCell::new(None),
                features: RefCell::new(None),
                chans: RefCell::new(Vec::new()),
                spare_chans: RefCell::new(Vec::new()),
                empty: Rc::from(""),
                techs: RefCell::new(Vec::new()),
                spare_notify: Rc::new(notify::Notify::new()),
                live: Cell::new(0),
                bridges: RefCell::new(Bridges::default()),
                bus: EventBus::new(),
                globals: RefCell::new(globals),
                counters: RefCell::new(Counters {
                    rng: seed ^ 0x9E37_79B9_7F4A_7C15,
                    ..Counters::default()
                }),
                exec: exec::Executor::new(),
                steps: Cell::new(0),
                prompts: RefCell::new(Prompts::builtin()),
                functions: RefCell::new(crate::expr::FunctionRegistry::with_builtins()),
                idle: tokio::sync::Notify::new(),
                media_waiters: RefCell::new(Vec::new()),
                astdb: RefCell::new(astdb::AstDb::new()),
                devstates: RefCell::new(devstate::DeviceStates::default()),
                groups: RefCell::new(Vec::new()),
                env: RefCell::new(BTreeMap::new()),
            }),
        };
        crate::apps::register_builtin(&engine);
        engine
    }

    pub fn config(&self) -> &EngineConfig {
        &self.inner.config
    }

    /// Runs `fut` to completion with the run's tasks on the engine's executor, the way every simulation
    /// runs: virtual time starts at 0 and jumps to the next timer whenever every task waits. The tasks
    /// left when `fut` is done are dropped. An error when `fut` can never finish (nothing runs and no timer
    /// is set).
    pub fn block_on<F: Future>(&self, fut: F) -> std::io::Result<F::Output> {
        self.block_on_paced(fut, exec::Pace::Virtual)
    }

    /// [`Engine::block_on`] with virtual time moving as `pace` says (`dialsim serve` holds it to the wall
    /// clock).
    pub fn block_on_paced<F: Future>(
        &self,
        fut: F,
        pace: exec::Pace<'_>,
    ) -> std::io::Result<F::Output> {
        self.inner.exec.reset();
        let out = self.inner.exec.run(fut, pace);
        self.inner.exec.clear();
        out.map_err(stalled_error)
    }

    /// Drives `fut` and the run's tasks without starting a new run: the tasks and timers stay as they
    /// are before and after (the step-through console drives a run in pieces).
    pub fn run_piece<F: Future>(&self, fut: F) -> std::io::Result<F::Output> {
        self.inner
            .exec
            .run(fut, exec::Pace::Virtual)
            .map_err(stalled_error)
    }

    /// Drops the run's tasks and timers and sets the clock back to 0.
    pub fn reset_run(&self) {
        self.inner.exec.reset();
    }

    /// Spawns a task of the run; the handle tells when it has finished.
    pub fn spawn_tracked<F>(&self, fut: F) -> exec::TaskHandle
    where
        F: Future<Output = ()> + 'static,
    {
        match self.inner.exec.spawn(Box::pin(fut), true) {
            Some(h) => h,
            None => exec::TaskHandle::finished(),
        }
    }

    /// A sleep until `t` (virtual time since the start), done at once if `t` is not after now.
    pub fn timer(&self, t: Duration) -> exec::Sleep<'_> {
        exec::Sleep::new(&self.inner.exec, t)
    }

    /// A place among timers of equal deadline, for a wait that re-arms its timer when woken (see
    /// [`exec::Turn`]).
    pub fn timer_turn(&self) -> exec::Turn {
        self.inner.exec.turn()
    }

    /// A sleep until `t` whose timer fires in `turn` among timers of the same deadline.
    pub fn timer_in_turn(&self, t: Duration, turn: exec::Turn) -> exec::Sleep<'_> {
        exec::Sleep::in_turn(&self.inner.exec, t, turn)
    }

    /// Virtual time since the start of the run.
    #[inline]
    pub fn now(&self) -> Duration {
        Duration::from_millis(self.inner.exec.now_ms())
    }

    // ----- registries -----

    /// Registers (or replaces) an application.
    pub fn register_app(&self, app: Rc<dyn App>) {
        self.inner.apps.borrow_mut().register(app);
    }

    /// The names of the registered applications, as registered.
    pub fn app_names(&self) -> Vec<&'static str> {
        self.inner
            .apps
            .borrow()
            .by_lower
            .values()
            .map(|a| a.name())
            .collect()
    }

    /// The application registered under `name` (case-insensitive).
    pub fn find_app(&self, name: &str) -> Option<Rc<dyn App>> {
        self.inner.apps.borrow_mut().find(name)
    }

    pub fn set_device_provider(&self, provider: Rc<dyn DeviceProvider>) {
        *self.inner.devices.borrow_mut() = Some(provider);
    }

    pub fn device_provider(&self) -> Option<Rc<dyn DeviceProvider>> {
        self.inner.devices.borrow().clone()
    }

    pub fn set_bridge_features(&self, features: Rc<dyn BridgeFeatures>) {
        *self.inner.features.borrow_mut() = Some(features);
    }

    pub fn bridge_features(&self) -> Option<Rc<dyn BridgeFeatures>> {
        self.inner.features.borrow().clone()
    }

    /// Loads a module; on failure its log lines are published and the engine goes on without it.
    pub fn load_module(&self, module: &dyn Module) -> bool {
        match module.load(self) {
            Ok(()) => true,
            Err(lines) => {
                for l in lines {
                    self.log_line(l);
                }
                false
            }
        }
    }

    /// The dialplan (read).
    pub fn plan(&self) -> Ref<'_, Box<dyn Plan>> {
        let plan = self.inner.plan.borrow();
        plan.set_wall_clock(self.wall_clock().0);
        plan
    }

    /// The dialplan (write), for modules that add extensions at run time. Never hold it across `.await`.
    pub fn plan_mut(&self) -> RefMut<'_, Box<dyn Plan>> {
        self.inner.plan.borrow_mut()
    }

    /// Replaces the prompt catalogue (e.g. with durations read from a sounds folder).
    pub fn set_prompts(&self, prompts: Prompts) {
        *self.inner.prompts.borrow_mut() = prompts;
    }

    pub fn prompts(&self) -> Ref<'_, Prompts> {
        self.inner.prompts.borrow()
    }

    // ----- events -----

    pub fn subscribe(&self, sub: Box<dyn Subscriber>) {
        self.inner.bus.subscribe(sub);
    }

    pub fn bus(&self) -> &EventBus {
        &self.inner.bus
    }

    /// Publishes a log line.
    pub fn log_line(&self, line: LogLine) {
        if self.inner.bus.wants_log(line.level) {
            self.inner.bus.publish(Event {
                time: self.now(),
                body: EventBody::Log(line),
            });
        }
    }

    /// Publishes a log line whose text is only built when someone listens.
    #[inline]
    pub fn log(&self, level: LogLevel, source: &'static str, text: impl FnOnce() -> String) {
        if self.inner.bus.wants_log(level) {
            self.inner.bus.publish(Event {
                time: self.now(),
                body: EventBody::Log(LogLine::new(level, source, text())),
            });
        }
    }

    /// `ast_verb(level, …)`.
    #[inline]
    pub fn verbose(&self, level: u8, source: &'static str, text: impl FnOnce() -> String) {
        self.log(LogLevel::Verbose(level), source, text);
    }

    /// Publishes an AMI event built by `build` (only called when someone listens).
    #[inline]
    pub fn ami(&self, name: &'static str, class: &'static str, build: impl FnOnce(&mut Fields)) {
        if self.inner.bus.wants_ami() {
            let mut f = Fields::new(name, class);
            build(&mut f);
            self.inner.bus.publish(Event {
                time: self.now(),
                body: EventBody::Ami(f),
            });
        }
    }

    /// Publishes a `Dialsim…` event built by `build` (only called when someone listens).
    #[inline]
    pub fn dialsim(&self, name: &'static str, build: impl FnOnce(&mut Fields)) {
        if self.inner.bus.wants_dialsim() {
            let mut f = Fields::new(name, "dialsim");
            build(&mut f);
            self.inner.bus.publish(Event {
                time: self.now(),
                body: EventBody::Dialsim(f),
            });
        }
    }

    /// dialsim's explanation of something that happened (`DialsimDiagnostic`).
    pub fn explain(&self, code: Code, chan: Option<ChannelId>, message: &str, help: Option<&str>) {
        let name = chan.and_then(|c| self.chan_name(c));
        self.dialsim("DialsimDiagnostic", |f| {
            f.push("Code", code.0);
            if let Some(n) = name {
                f.push("Channel", &*n);
            }
            f.push("Message", message);
            if let Some(h) = help {
                f.push("Help", h);
            }
        });
    }

    // ----- bookkeeping -----

    /// Channels not yet hung up.
    pub fn live_channels(&self) -> usize {
        self.inner.live.get()
    }

    /// The ids of the channels not yet hung up, oldest first.
    pub fn channel_ids(&self) -> Vec<ChannelId> {
        self.inner
            .chans
            .borrow()
            .iter()
            .flatten()
            .filter(|c| !c.dead)
            .map(|c| c.id)
            .collect()
    }

    /// Priorities executed so far.
    pub fn steps(&self) -> u64 {
        self.inner.steps.get()
    }

    /// Waits until no channel is left.
    pub async fn until_idle(&self) {
        while self.inner.live.get() > 0 {
            self.inner.idle.notified().await;
        }
    }

    /// Waits until no channel is left or `limit` (virtual time) is reached; `true` if idle.
    pub async fn run_until(&self, limit: Duration) -> bool {
        tokio::select! {
            biased;
            _ = self.until_idle() => true,
            _ = self.timer(limit) => self.inner.live.get() == 0,
        }
    }

    /// A deterministic pseudo-random 64-bit number (splitmix64 over the seed).
    pub fn random_u64(&self) -> u64 {
        let mut c = self.inner.counters.borrow_mut();
        c.rng = c.rng.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = c.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A UUID-shaped id (version 4 layout), deterministic from the seed.
    pub fn random_uuid(&self) -> String {
        use numtext::push_hex;
        let a = self.random_u64();
        let b = self.random_u64();
        let mut s = String::with_capacity(36);
        push_hex(&mut s, a >> 32, 8);
        s.push('-');
        push_hex(&mut s, (a >> 16) & 0xffff, 4);
        s.push_str("-4");
        push_hex(&mut s, a & 0x0fff, 3);
        s.push('-');
        push_hex(&mut s, ((b >> 48) & 0x3fff) | 0x8000, 4);
        s.push('-');
        push_hex(&mut s, b & 0xffff_ffff_ffff, 12);
        s
    }
}

fn stalled_error(s: exec::Stalled) -> std::io::Error {
    std::io::Error::other(match s {
        exec::Stalled::Forever => "the run stalled: nothing can happen and no timer is set",
        exec::Stalled::Nested => "a run was started inside a run",
    })
}
