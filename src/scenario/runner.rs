//! One run of a scenario on a loaded configuration: the engine is built, the modules are loaded as
//! Asterisk loads them, the load problems are published at 0 s, the calls, device actions and CLI actions
//! happen at their times, and the run ends when no channel is left or at `until`.
//!
//! Everything the run shows goes through the engine's event bus to the subscribers the caller passes (the
//! renderers); the [`RunOutcome`] is the summary.

use super::devices::ScenarioDevices;
use super::{split_device, ActionKind, DeviceActionKind, DeviceKind, Scenario, When};
use crate::asterisk_cli::{self as cli, CliAnswer, CliContext};
use crate::config::LoadedConfig;
use dialplan::diag::{CodeInfo, Severity};
use dialplan::engine::media::{Prompts, UnknownPrompt};
use dialplan::engine::{
    ChannelId, Engine, EngineConfig, Event, EventBody, Interest, Party, Subscriber,
};
use features::FeaturesModule;
use parking::ParkingModule;
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

/// Diagnostic codes of the run layer (as `DialsimDiagnostic` events).
pub mod codes {
    use dialplan::diag::Code;
    pub const MISSING_CONTEXT: Code = Code("run/call-missing-context");
    pub const MISSING_EXTENSION: Code = Code("run/call-missing-extension");
    pub const CLI_NOT_SIMULATED: Code = Code("run/cli-not-simulated");
    pub const DEVICE_NOT_UP: Code = Code("run/device-not-up");
    pub const UNTIL_REACHED: Code = Code("run/until-reached");
    pub const EMULATED_COMEBACK: Code = Code("run/emulated-comeback");
    pub const AMI_NOT_SIMULATED: Code = crate::ami::codes::NOT_SIMULATED;
}

/// Every code the run layer emits (the scenario runner and [`super::explain`]).
pub const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: codes::EMULATED_COMEBACK,
        summary: "a parking comeback dials an emulated device's extension: it answers at once and replays its script, where a real phone would ring",
    },
    CodeInfo {
        code: codes::MISSING_CONTEXT,
        summary: "a scenario call goes to a context the dialplan does not have; Asterisk falls back as it does for any channel",
    },
    CodeInfo {
        code: codes::MISSING_EXTENSION,
        summary: "a scenario call goes to an extension its context does not have",
    },
    CodeInfo {
        code: codes::CLI_NOT_SIMULATED,
        summary: "a scenario action asks for a CLI command dialsim does not answer",
    },
    CodeInfo {
        code: codes::DEVICE_NOT_UP,
        summary: "a device action at a fixed time found no channel of that device up; the keys go nowhere",
    },
    CodeInfo {
        code: codes::AMI_NOT_SIMULATED,
        summary: "a scenario's AMI action uses a form dialsim does not simulate",
    },
    CodeInfo {
        code: codes::UNTIL_REACHED,
        summary: "the run stopped at the scenario's `until` with channels still up",
    },
];

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Finish {
    /// Every channel hung up.
    AllHungUp,
    /// `until` was reached with channels still up.
    Until,
}

/// A channel still up at the end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpChannel {
    pub name: String,
    pub state: String,
    /// `exten@context:priority` and the application running there.
    pub location: String,
}

/// The summary of a run.
#[derive(Clone, Debug)]
pub struct RunOutcome {
    pub finish: Finish,
    /// The virtual time when the run ended.
    pub ended: Duration,
    pub channels_up: Vec<UpChannel>,
    /// Calls parked at the end (`space  channel`).
    pub parked: Vec<String>,
    /// dialsim's diagnostics of the run (`code: message`), in order.
    pub diagnostics: Vec<String>,
    pub steps: u64,
}

/// An engine set up for a scenario, before anything has happened: what [`run`] and the console drive.
pub struct Built {
    pub engine: Engine,
    pub devices: Rc<ScenarioDevices>,
    pub cli: Rc<CliContext>,
    /// The load problems, published at 0 s by [`play`].
    pub load_diagnostics: Vec<dialplan::diag::Diagnostic>,
    /// dialsim's diagnostics of the run (`code: message`), filled as they are published.
    pub collected: Rc<RefCell<Vec<String>>>,
}

/// Builds the engine for `scenario` on `config` with `subscribers`, and loads the modules as Asterisk
/// does (features, then res_parking).
pub fn build(
    scenario: &Scenario,
    config: LoadedConfig,
    subscribers: Vec<Box<dyn Subscriber>>,
) -> std::io::Result<Built> {
    let running = crate::reload::Running::of(&config);
    let LoadedConfig {
        dialplan,
        features,
        parking,
        diagnostics: load_diagnostics,
        ..
    } = config;
    let engine = Engine::new(
        EngineConfig {
            epoch: scenario.epoch,
            max_steps: scenario.max_steps,
            seed: scenario.seed,
            timezone: dialplan::timing::Zone::named(&scenario.timezone).unwrap_or_default(),
        },
        Box::new(dialplan),
    );
    if let Some(dir) = &scenario.sounds {
        // With a sounds folder, a prompt that has no file there is missing, as it is in Asterisk.
        let mut prompts = Prompts::empty(UnknownPrompt::Missing);
        prompts.read_dir(dir)?;
        engine.set_prompts(prompts);
    }
    let devices = Rc::new(ScenarioDevices::new(scenario));
    engine.set_device_provider(devices.clone());
    let (collector, collected) = Collector::new();
    engine.subscribe(Box::new(collector));
    for s in subscribers {
        engine.subscribe(s);
    }
    // Asterisk's core features first, then res_parking, which registers its parkcall handler with them.
    let features = FeaturesModule::new(features);
    engine.load_module(&features);
    let parking = parking.map(|cfg| ParkingModule::new(cfg, Some(features.clone())));
    if let Some(p) = &parking {
        engine.load_module(p);
    }
    super::explain::ComebackWatch::install(&engine, scenario);
    let cli = Rc::new(CliContext {
        features,
        parking,
        running: RefCell::new(running),
    });
    Ok(Built {
        engine,
        devices,
        cli,
        load_diagnostics,
        collected,
    })
}

/// The scenario's course: the load problems at 0 s, then every call and action at its time, until no
/// channel is left.
pub async fn play(
    e: &Engine,
    scenario: &Scenario,
    devices: &ScenarioDevices,
    cli_ctx: &CliContext,
    load_diagnostics: &[dialplan::diag::Diagnostic],
) {
    announce_load(e, load_diagnostics);
    play_schedule(e, scenario, devices, cli_ctx).await;
    e.until_idle().await;
}

/// Runs `scenario` on `config`, publishing every event to `subscribers`.
pub fn run(
    scenario: &Scenario,
    config: LoadedConfig,
    subscribers: Vec<Box<dyn Subscriber>>,
) -> std::io::Result<RunOutcome> {
    let Built {
        engine,
        devices,
        cli: cli_ctx,
        load_diagnostics,
        collected,
    } = build(scenario, config, subscribers)?;

    let e = engine.clone();
    let ctx = cli_ctx.clone();
    let (finish, ended) = engine.block_on(async move {
        let work = play(&e, scenario, &devices, &ctx, &load_diagnostics);
        let deadline = scenario.until;
        let finish = tokio::select! {
            biased;
            _ = work => Finish::AllHungUp,
            _ = e.sleep_until(deadline) => Finish::Until,
        };
        // Said while the virtual clock still runs: once the runtime is gone, the engine's clock would read
        // the wall clock, and the event's time would change from run to run.
        if finish == Finish::Until && e.live_channels() > 0 {
            let n = e.live_channels();
            e.explain(
                codes::UNTIL_REACHED,
                None,
                &format!(
                    "the run stopped at {} with {n} channel{} still up",
                    super::duration::format_duration(scenario.until),
                    if n == 1 { "" } else { "s" }
                ),
                Some("raise 'until' in the scenario (or --until) to let the calls finish"),
            );
        }
        (finish, e.now())
    })?;

    let channels_up = engine
        .channel_ids()
        .into_iter()
        .filter_map(|id| up_channel(&engine, id))
        .collect();
    let parked = match &cli_ctx.parking {
        Some(p) => p
            .lot_names()
            .iter()
            .flat_map(|lot| p.parked_calls(&engine, lot))
            .map(|c| format!("{} in '{}' at space {}", c.channel, c.lot, c.space))
            .collect(),
        None => Vec::new(),
    };
    let diagnostics = collected.borrow().clone();
    Ok(RunOutcome {
        finish,
        ended,
        channels_up,
        parked,
        diagnostics,
        steps: engine.steps(),
    })
}

/// Starts the scenario's calls, device actions and CLI actions at their times (relative to the engine's
/// time 0); returns after the last one. `dialsim serve --scenario` uses it on the wall clock.
pub(crate) async fn play_schedule(
    engine: &Engine,
    scenario: &Scenario,
    devices: &ScenarioDevices,
    ctx: &CliContext,
) {
    for item in &schedule(scenario) {
        engine.sleep_until(item.at).await;
        happen(engine, scenario, devices, ctx, item);
    }
}

fn up_channel(engine: &Engine, id: ChannelId) -> Option<UpChannel> {
    engine.with_chan(id, |c| UpChannel {
        name: c.name.to_string(),
        state: c.state.desc().to_string(),
        location: if c.appl.is_empty() {
            format!("{}@{}:{}", c.exten, c.context, c.priority)
        } else {
            format!(
                "{}@{}:{} {}({})",
                c.exten, c.context, c.priority, c.appl, c.data
            )
        },
    })
}

/// The load problems, at 0 s: Asterisk's own lines as it logs them at start-up, and dialsim's explanation
/// of each error and warning (a module Asterisk refuses, such as res_parking, is left out of the run, as
/// Asterisk goes on without it, and its diagnostic says what that means).
fn announce_load(engine: &Engine, diags: &[dialplan::diag::Diagnostic]) {
    for d in diags {
        for line in &d.asterisk {
            engine.log_line(line.clone());
        }
        if d.severity != Severity::Note {
            engine.explain(d.code, None, &d.message, d.help.as_deref());
        }
    }
}

/// Something that happens at a time.
struct Item {
    at: Duration,
    what: ItemKind,
}

enum ItemKind {
    Call(usize),
    Action(usize),
    /// A device's `at` action: (device, action).
    DeviceAction(usize, usize),
}

/// Every timed thing, in time order (the file's order among equal times: calls, then device actions,
/// then actions).
fn schedule(s: &Scenario) -> Vec<Item> {
    let mut items: Vec<Item> = Vec::with_capacity(s.calls.len() + s.actions.len());
    for (i, c) in s.calls.iter().enumerate() {
        items.push(Item {
            at: c.at,
            what: ItemKind::Call(i),
        });
    }
    for (d, dev) in s.devices.iter().enumerate() {
        if let DeviceKind::Phone(p) = &dev.kind {
            for (a, action) in p.actions.iter().enumerate() {
                if let When::At(at) = action.when {
                    items.push(Item {
                        at,
                        what: ItemKind::DeviceAction(d, a),
                    });
                }
            }
        }
    }
    for (i, a) in s.actions.iter().enumerate() {
        items.push(Item {
            at: a.at,
            what: ItemKind::Action(i),
        });
    }
    items.sort_by_key(|i| i.at);
    items
}

fn happen(engine: &Engine, s: &Scenario, devices: &ScenarioDevices, ctx: &CliContext, item: &Item) {
    match item.what {
        ItemKind::Call(i) => {
            let c = &s.calls[i];
            let place = || s.origin.place(c.span.as_ref());
            start_call(
                engine,
                devices,
                &c.from,
                c.callerid.clone(),
                &c.exten,
                &c.context,
                &c.variables,
                &place,
            );
        }
        ItemKind::Action(i) => match &s.actions[i].what {
            ActionKind::Cli(command) => match cli::execute(engine, ctx, command) {
                CliAnswer::Output(text) => engine.dialsim("DialsimCli", |f| {
                    f.push("Command", command.clone());
                    f.push("Output", text);
                }),
                CliAnswer::NotSimulated(message) => {
                    engine.explain(codes::CLI_NOT_SIMULATED, None, &message, None);
                }
            },
            ActionKind::Ami(headers) => {
                let request = crate::ami::Message::from_pairs(headers.iter().cloned());
                let actx = crate::ami::AmiContext {
                    engine,
                    modules: ctx,
                };
                let reply = crate::ami::execute(&actx, &request);
                engine.dialsim("DialsimAmi", |f| {
                    f.push("Request", request.to_wire());
                    f.push("Reply", reply.to_wire());
                });
            }
            ActionKind::Reload(folder) => reload_from(engine, s, ctx, folder),
        },
        ItemKind::DeviceAction(d, a) => {
            let dev = &s.devices[d];
            let DeviceKind::Phone(p) = &dev.kind else {
                return;
            };
            let action = &p.actions[a];
            match &action.what {
                DeviceActionKind::Dial { exten, context } => {
                    let place = || s.origin.place(action.span.as_ref());
                    start_call(
                        engine,
                        devices,
                        &dev.name,
                        None,
                        exten,
                        context,
                        &[],
                        &place,
                    );
                }
                DeviceActionKind::Dtmf(digits) => {
                    let prefix = format!("{}/{}-", canonical_tech(&dev.tech), dev.resource);
                    let chan = engine.channel_ids().into_iter().rev().find(|id| {
                        engine
                            .chan_name(*id)
                            .is_some_and(|n| n.starts_with(&prefix))
                    });
                    match chan {
                        Some(ch) => {
                            let (e2, digits) = (engine.clone(), digits.clone());
                            engine.spawn_local(async move { e2.phone_keys(ch, &digits).await });
                        }
                        None => engine.explain(
                            codes::DEVICE_NOT_UP,
                            None,
                            &format!(
                                "{} has no channel up, so its keys '{digits}' go nowhere",
                                dev.name
                            ),
                            Some(&format!("see {}", s.origin.place(action.span.as_ref()))),
                        ),
                    }
                }
            }
        }
    }
}

/// The scenario's `reload`: the configuration folder becomes `folder` (relative to the scenario file), and
/// the modules reload from it as `module reload features res_parking.so pbx_config.so` does.
fn reload_from(engine: &Engine, s: &Scenario, ctx: &CliContext, folder: &std::path::Path) {
    let dir = match s.origin.name.parent() {
        Some(base) if !folder.is_absolute() => base.join(folder),
        _ => folder.to_path_buf(),
    };
    if !dir.is_dir() {
        engine.explain(
            crate::reload::codes::NO_SUCH_FOLDER,
            None,
            &format!(
                "the reload at {} names the folder '{}', which does not exist; nothing was reloaded",
                s.origin.place(s.actions.iter().find_map(|a| match &a.what {
                    ActionKind::Reload(f) if f == folder => a.span.as_ref(),
                    _ => None,
                })),
                folder.display()
            ),
            Some("a scenario's reload names a configuration folder relative to the scenario file"),
        );
        return;
    }
    engine.dialsim("DialsimReload", |f| {
        f.push("Folder", folder.display().to_string());
        f.push(
            "Message",
            format!(
                "RELOAD> the configuration folder is now '{}'; features, res_parking and pbx_config reload from it",
                folder.display()
            ),
        );
    });
    ctx.running.borrow_mut().folder = Some(dir);
    let command = "module reload features res_parking.so pbx_config.so";
    if let CliAnswer::Output(text) = cli::execute(engine, ctx, command) {
        engine.dialsim("DialsimCli", |f| {
            f.push("Command", command);
            f.push("Output", text);
        });
    }
}

/// A device places a call: its channel starts in state Ring at `exten@context`, priority 1.
#[allow(clippy::too_many_arguments)]
pub(crate) fn start_call(
    engine: &Engine,
    devices: &ScenarioDevices,
    from: &str,
    callerid: Option<Party>,
    exten: &str,
    context: &str,
    variables: &[(String, String)],
    place: &dyn Fn() -> String,
) {
    let Some((tech, resource)) = split_device(from) else {
        return;
    };
    explain_target(engine, exten, context, place);
    let spec = devices.calling_spec(tech, resource, callerid);
    let ch = engine.new_phone_channel(&canonical_tech(tech), resource, spec, context, exten);
    for (name, value) in variables {
        engine.setvar_helper(ch, name, value);
    }
    engine.spawn_pbx(ch);
}

/// A call into a context or extension that does not exist is what Asterisk then does with it; dialsim
/// says why, pointing at the scenario line.
fn explain_target(engine: &Engine, exten: &str, context: &str, place: &dyn Fn() -> String) {
    let (has_context, exists) = {
        let plan = engine.plan();
        (
            plan.has_context(context),
            plan.exists(context, exten, 1, None),
        )
    };
    if !has_context {
        engine.explain(
            codes::MISSING_CONTEXT,
            None,
            &format!(
                "the call at {} goes to context '{context}', which the dialplan does not have",
                place()
            ),
            Some("check the context name in the scenario's 'to' against `dialsim show dialplan`"),
        );
    } else if !exists {
        engine.explain(
            codes::MISSING_EXTENSION,
            None,
            &format!(
                "the call at {} goes to '{exten}@{context}', which has no priority 1",
                place()
            ),
            Some("check the extension in the scenario's 'to' against `dialsim show dialplan`"),
        );
    }
}

/// The driver names Asterisk uses in channel names.
pub(crate) fn canonical_tech(tech: &str) -> String {
    for known in ["PJSIP", "SIP", "IAX2", "DAHDI"] {
        if tech.eq_ignore_ascii_case(known) {
            return known.to_string();
        }
    }
    tech.to_string()
}

/// Keeps dialsim's diagnostics of the run for the summary.
struct Collector {
    list: Rc<RefCell<Vec<String>>>,
}

impl Collector {
    fn new() -> (Collector, Rc<RefCell<Vec<String>>>) {
        let list = Rc::new(RefCell::new(Vec::new()));
        (Collector { list: list.clone() }, list)
    }
}

impl Subscriber for Collector {
    fn interest(&self) -> Interest {
        Interest {
            ami: false,
            log_verbosity: None,
            dialsim: true,
        }
    }

    fn on_event(&mut self, event: &Event) {
        if let EventBody::Dialsim(f) = &event.body {
            if f.name == "DialsimDiagnostic" {
                let code = f.get("Code").unwrap_or_default();
                let message = f.get("Message").unwrap_or_default();
                let mut line = String::with_capacity(code.len() + 2 + message.len());
                line.push_str(code);
                line.push_str(": ");
                line.push_str(message);
                self.list.borrow_mut().push(line);
            }
        }
    }
}
