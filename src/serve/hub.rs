//! The engine thread: one simulation, single-threaded as every dialsim run is, on the wall clock scaled by
//! `--speed` (see [`super::clock`]). Sessions talk to it only through [`Request`]s on a channel; it answers
//! actions with the shared AMI action layer and fans every AMI event out to the sessions that want its
//! class, through their bounded queues, so no client can make it wait.

use super::perms::{self, Mask};
use super::queue::SessionShared;
use crate::ami::actions::originate;
use crate::ami::{self, actions, AmiContext, Message, Reply};
use crate::asterisk_cli::CliContext;
use crate::config::LoadedConfig;
use crate::scenario::devices::ScenarioDevices;
use crate::scenario::Scenario;
use dialplan::engine::exec::Pace;
use dialplan::engine::ops::SoftHangupReason;
use dialplan::engine::{Engine, EngineConfig, Event, EventBody, Interest, Subscriber};
use features::FeaturesModule;
use parking::ParkingModule;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

/// What a session asks of the engine thread.
pub enum Request {
    /// A logged-in session starts receiving events.
    Register(Arc<SessionShared>),
    /// The session is gone.
    Unregister(u64),
    /// Run an action for a session whose write classes are `write`; the reply goes to the session's queue,
    /// then `done` is signalled.
    Action {
        session: Arc<SessionShared>,
        write: Mask,
        message: Message,
        done: oneshot::Sender<()>,
    },
    /// Hang every channel up, flush the events, say goodbye to every session, stop.
    Shutdown(oneshot::Sender<()>),
}

/// Everything the engine thread is built from.
pub struct HubSetup {
    pub config: LoadedConfig,
    pub scenario: Scenario,
    /// Virtual seconds per wall second.
    pub speed: f64,
    /// `timestampevents`.
    pub timestampevents: bool,
}

/// Runs the engine thread until a [`Request::Shutdown`] (or every sender is gone).
pub fn run(setup: HubSetup, mut requests: mpsc::Receiver<Request>) -> std::io::Result<()> {
    let HubSetup {
        config,
        scenario,
        speed,
        timestampevents,
    } = setup;
    let running = crate::reload::Running::of(&config);
    let LoadedConfig {
        dialplan,
        features,
        parking,
        ..
    } = config;
    let epoch = wall_epoch();
    let engine = Engine::new(
        EngineConfig {
            epoch,
            max_steps: scenario.max_steps,
            seed: scenario.seed,
            timezone: dialplan::timing::Zone::named(&scenario.timezone).unwrap_or_default(),
        },
        Box::new(dialplan),
    );
    let devices = Rc::new(ScenarioDevices::new(&scenario));
    engine.set_device_provider(devices.clone());
    let fanout = Fanout::new(epoch, timestampevents);
    engine.subscribe(Box::new(fanout.clone()));
    let features = FeaturesModule::new(features);
    engine.load_module(&features);
    let parking = parking.map(|cfg| ParkingModule::new(cfg, Some(features.clone())));
    if let Some(p) = &parking {
        engine.load_module(p);
    }
    let cli_ctx = Rc::new(CliContext {
        features,
        parking,
        running: RefCell::new(running),
    });

    let e = engine.clone();
    let mut pace = super::clock::WallPace::new(speed);
    let mut hold = |now, next| pace.hold(now, next);
    let course = async move {
        {
            let (e2, ctx, devices) = (e.clone(), cli_ctx.clone(), devices.clone());
            e.spawn_local(async move {
                let e = e2;
                crate::scenario::runner::play_schedule(&e, &scenario, &devices, &ctx).await;
            });
        }
        while let Some(req) = requests.recv().await {
            match req {
                Request::Register(s) => fanout.sessions.borrow_mut().push(s),
                Request::Unregister(id) => fanout.sessions.borrow_mut().retain(|s| s.id != id),
                Request::Action {
                    session,
                    write,
                    message,
                    done,
                } => {
                    if is_waiting_originate(&message) && allowed(write, &message) {
                        // Only this session waits for the answer; the engine goes on.
                        let (e2, fanout) = (e.clone(), fanout.clone());
                        e.spawn_local(async move {
                            let e = e2;
                            let reply = originate::run_waiting(e, message).await;
                            fanout.hold();
                            session.push_reply(reply.to_wire());
                            fanout.release();
                            let _ = done.send(());
                        });
                        continue;
                    }
                    fanout.hold();
                    let reply = answer(&e, &cli_ctx, write, &message);
                    session.push_reply(reply.to_wire());
                    fanout.release();
                    let _ = done.send(());
                }
                Request::Shutdown(done) => {
                    shutdown(&e).await;
                    for s in fanout.sessions.borrow().iter() {
                        s.push_close();
                    }
                    let _ = done.send(());
                    break;
                }
            }
        }
    };
    engine.block_on_paced(course, Pace::Held(&mut hold))?;
    Ok(())
}

fn is_waiting_originate(m: &Message) -> bool {
    m.get("Action")
        .is_some_and(|a| a.eq_ignore_ascii_case("Originate"))
        && originate::waits(m)
}

/// Asterisk's permission rule: an action with write classes needs one of them.
fn allowed(write: Mask, message: &Message) -> bool {
    match message
        .get("Action")
        .filter(|a| !a.is_empty())
        .and_then(actions::find)
    {
        Some(def) => {
            let needed = def
                .privilege
                .iter()
                .fold(0, |m, class| m | perms::class_flag(class));
            needed == 0 || write & needed != 0
        }
        None => true,
    }
}

/// Runs one action, refusing it with `Permission denied` when the session lacks its write classes.
pub fn answer(engine: &Engine, ctx: &CliContext, write: Mask, message: &Message) -> Reply {
    if !allowed(write, message) {
        return Reply::error(message, "Permission denied");
    }
    ami::execute(
        &AmiContext {
            engine,
            modules: ctx,
        },
        message,
    )
}

/// Every channel is hung up (as `core stop now` does), the calls are given a little virtual time to end,
/// and `Shutdown` is announced.
async fn shutdown(engine: &Engine) {
    for id in engine.channel_ids() {
        engine.soft_hangup(id, SoftHangupReason::Shutdown);
    }
    let limit = engine.now() + Duration::from_secs(5);
    tokio::select! {
        biased;
        _ = engine.until_idle() => {}
        _ = engine.timer(limit) => {}
    }
    engine.ami("Shutdown", "system", |f| {
        f.push("Shutdown", "Cleanly");
        f.push("Restart", "False");
    });
}

fn wall_epoch() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Events held back while an action runs: (class, wire text).
type Held = Vec<(Mask, Arc<str>)>;

/// The event bus subscriber that writes AMI events to the sessions. While an action runs, events are
/// held and released after its reply, the order in which Asterisk's session thread writes them.
#[derive(Clone)]
struct Fanout {
    sessions: Rc<RefCell<Vec<Arc<SessionShared>>>>,
    held: Rc<RefCell<Option<Held>>>,
    epoch: i64,
    timestampevents: bool,
}

impl Fanout {
    fn new(epoch: i64, timestampevents: bool) -> Fanout {
        Fanout {
            sessions: Rc::new(RefCell::new(Vec::new())),
            held: Rc::new(RefCell::new(None)),
            epoch,
            timestampevents,
        }
    }

    fn hold(&self) {
        *self.held.borrow_mut() = Some(Vec::new());
    }

    fn release(&self) {
        let held = self.held.borrow_mut().take();
        for (class, text) in held.into_iter().flatten() {
            self.deliver(class, &text);
        }
    }

    fn deliver(&self, class: Mask, text: &Arc<str>) {
        let mut sessions = self.sessions.borrow_mut();
        sessions.retain(|s| !s.is_closed());
        for s in sessions.iter() {
            if s.wants(class) {
                s.push_event(text.clone());
            }
        }
    }
}

impl Subscriber for Fanout {
    fn interest(&self) -> Interest {
        Interest {
            ami: true,
            log_verbosity: None,
            dialsim: false,
        }
    }

    fn on_event(&mut self, event: &Event) {
        let EventBody::Ami(f) = &event.body else {
            return;
        };
        let class = perms::class_flag(f.class);
        if !self.sessions.borrow().iter().any(|s| s.wants(class)) {
            return;
        }
        let mut out = String::with_capacity(64 + f.fields.len() * 32);
        out.push_str("Event: ");
        out.push_str(&f.name);
        out.push_str("\r\nPrivilege: ");
        out.push_str(f.class);
        out.push_str(",all\r\n");
        if self.timestampevents {
            let micros = event.time.as_micros();
            out.push_str(&format!(
                "Timestamp: {}.{:06}\r\n",
                self.epoch + (micros / 1_000_000) as i64,
                micros % 1_000_000
            ));
        }
        for (k, v) in &f.fields {
            out.push_str(k);
            out.push_str(": ");
            out.push_str(v);
            out.push_str("\r\n");
        }
        out.push_str("\r\n");
        let text: Arc<str> = Arc::from(out);
        let mut held = self.held.borrow_mut();
        match held.as_mut() {
            Some(list) => list.push((class, text)),
            None => {
                drop(held);
                self.deliver(class, &text);
            }
        }
    }
}
