//! One console session: a scenario's engine on a [`Stepper`], its event feed, breakpoints, and the
//! commands (`help` lists them).
//!
//! Stepping shows events one at a time. The engine itself moves from one wake-up of a task to the next, so
//! a step may have computed a few more events of the same instant; they wait in the feed and the next
//! command shows them first. Nothing happens twice and nothing is skipped. The CLI commands answer from
//! the engine's state, which may be those few events ahead of the last line shown.

use crate::asterisk_cli::{self as cli, core_set_verbose, CliAnswer};
use crate::config::LoadedConfig;
use crate::render::verbose;
use crate::scenario::duration::parse_duration;
use crate::scenario::runner::{self, Built};
use crate::scenario::{split_device, split_target, Scenario};
use dialplan::conf::ConfSource;
use dialplan::diag::LogLevel;
use dialplan::engine::event::clock_text;
use dialplan::engine::ops::SoftHangupReason;
use dialplan::engine::stepper::{Pause, Stepper};
use dialplan::engine::{Event, EventBody, Interest, Subscriber};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use std::time::Duration;
use tokio::sync::Notify;

/// Whether the console goes on after a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Quit,
}

/// The console's own commands (Asterisk's CLI words are completed too).
pub const COMMANDS: &[&str] = &[
    "help",
    "step",
    "next",
    "advance",
    "run",
    "break",
    "delete",
    "why",
    "dtmf",
    "hangup",
    "originate",
    "time",
    "quit",
    "dialplan show",
    "dialplan reload",
    "module reload",
    "core reload",
    "parking show",
    "features show",
    "core show channels",
    "core show channel",
    "core set verbose",
];

const HELP: &str = "\
dialsim console: the run is paused; nothing happens until you say so.
  step [N]                     show the next event (N events)
  next CHANNEL                 run until CHANNEL executes its next priority
  advance DURATION             let DURATION of virtual time pass (30s, 2m, 500ms)
  run                          run until every channel has hung up (or a breakpoint, or 'until')
  break CONTEXT,EXTEN,PRIO     stop when that priority starts (its Executing line)
  break event NAME             stop at the next event NAME (ParkedCall, Hangup, DialsimDiagnostic, ...)
  break                        list the breakpoints; delete N removes one
  why                          dialsim's account of the last thing that happened
  dtmf DEVICE DIGITS           the person at DEVICE presses DIGITS
  hangup CHANNEL               hang CHANNEL up
  originate DEVICE EXTEN@CONTEXT  DEVICE places a call to EXTEN@CONTEXT
  time                         the virtual time now
  quit                         leave
Asterisk's CLI: dialplan show [CONTEXT], dialplan reload, module reload [MODULE ...], core reload,
  parking show [LOT], features show, core show channels [concise|verbose|count], core show channel NAME,
  core set verbose N   (the reloads read the configuration folder again, as Asterisk reads /etc/asterisk)
";

/// A breakpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Breakpoint {
    /// When `context,exten,priority` starts on any channel (its `Newexten`).
    Priority {
        context: String,
        exten: String,
        priority: String,
    },
    /// At an event of this name.
    Event(String),
}

impl Breakpoint {
    fn describe(&self) -> String {
        match self {
            Breakpoint::Priority {
                context,
                exten,
                priority,
            } => format!("{context},{exten},{priority}"),
            Breakpoint::Event(name) => format!("event {name}"),
        }
    }

    fn hit(&self, e: &Event) -> bool {
        match self {
            Breakpoint::Event(name) => e.name().eq_ignore_ascii_case(name),
            Breakpoint::Priority {
                context,
                exten,
                priority,
            } => e.fields().is_some_and(|f| {
                f.name == "Newexten"
                    && f.get("Context") == Some(context)
                    && f.get("Extension") == Some(exten)
                    && f.get("Priority") == Some(priority)
            }),
        }
    }
}

/// How far a drive goes.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Until {
    /// `count` events with something to show.
    Events(usize),
    /// The next priority of a channel.
    Channel(String),
    /// A virtual time.
    Time(Duration),
    /// Every channel gone.
    Idle,
}

/// A console session.
pub struct Session {
    scenario: Scenario,
    source: Box<dyn ConfSource>,
    built: Built,
    stepper: Stepper,
    feed: Rc<RefCell<VecDeque<Event>>>,
    /// Events already shown, for `why`.
    history: Vec<Event>,
    /// The configuration as loaded, for the config lines `why` quotes.
    config: LoadedConfig,
    verbosity: u8,
    breakpoints: Vec<Breakpoint>,
    course: dialplan::engine::exec::TaskHandle,
}

/// Queues every event for the console and wakes the stepper.
struct Feed {
    queue: Rc<RefCell<VecDeque<Event>>>,
    waker: Rc<Notify>,
}

impl Subscriber for Feed {
    fn interest(&self) -> Interest {
        Interest::all()
    }

    fn on_event(&mut self, event: &Event) {
        self.queue.borrow_mut().push_back(event.clone());
        self.waker.notify_one();
    }
}

impl Session {
    /// A session on `scenario` with the configuration from `source`, paused at 0 s.
    pub fn new(
        scenario: Scenario,
        source: Box<dyn ConfSource>,
        verbosity: u8,
    ) -> std::io::Result<Session> {
        let config = LoadedConfig::load(source.as_ref());
        let lookup = LoadedConfig::load(source.as_ref());
        let feed = Rc::new(RefCell::new(VecDeque::new()));
        // The feed wakes the stepper whenever something is published.
        let waker = Rc::new(Notify::new());
        let built = runner::build(
            &scenario,
            config,
            vec![Box::new(Feed {
                queue: feed.clone(),
                waker: waker.clone(),
            })],
        )?;
        let stepper = Stepper::new(&built.engine, waker)?;
        let (e, sc, dev, ctx, diags) = (
            built.engine.clone(),
            scenario.clone(),
            built.devices.clone(),
            built.cli.clone(),
            built.load_diagnostics.clone(),
        );
        let course = stepper.spawn(async move {
            runner::play(&e, &sc, &dev, &ctx, &diags).await;
        });
        Ok(Session {
            scenario,
            source,
            built,
            stepper,
            feed,
            history: Vec::new(),
            config: lookup,
            verbosity,
            breakpoints: Vec::new(),
            course,
        })
    }

    /// The virtual time now.
    pub fn now(&self) -> Duration {
        self.stepper.now(&self.built.engine)
    }

    /// Words for tab completion: the commands, contexts, live channels and devices.
    pub fn completions(&self) -> Vec<String> {
        let mut words: Vec<String> = COMMANDS.iter().map(|c| c.to_string()).collect();
        if let Some(dp) = self
            .built
            .engine
            .plan()
            .as_any()
            .downcast_ref::<dialplan::model::Dialplan>()
        {
            words.extend(dp.contexts().map(|c| c.name().to_string()));
        }
        let e = &self.built.engine;
        words.extend(
            e.channel_ids()
                .into_iter()
                .filter_map(|id| e.chan_name(id).map(|n| n.to_string())),
        );
        words.extend(self.scenario.devices.iter().map(|d| d.name.clone()));
        words
    }

    /// Runs one command line; returns what to print and whether to go on.
    pub fn execute(&mut self, line: &str) -> (String, Flow) {
        let line = line.trim();
        let words: Vec<&str> = line.split_whitespace().collect();
        let out = match words.as_slice() {
            [] => String::new(),
            ["quit" | "exit"] => return (String::new(), Flow::Quit),
            ["help"] => HELP.to_string(),
            ["time"] => format!("{}\n", clock_text(self.now())),
            ["step"] => self.drive(Until::Events(1)),
            ["step", n] => match n.parse::<usize>() {
                Ok(n) if n > 0 => self.drive(Until::Events(n)),
                _ => note(&format!("'{n}' is not a number of events")),
            },
            ["next", chan] => match self.channel(chan) {
                Some(name) => self.drive(Until::Channel(name)),
                None => note(&format!("no channel '{chan}' is up")),
            },
            ["advance", d] => match parse_duration(d) {
                Ok(d) => {
                    let to = self.now() + d;
                    self.drive(Until::Time(to))
                }
                Err(m) => note(&format!("advance: {m}")),
            },
            ["run"] => self.drive(Until::Idle),
            ["break"] => self.list_breakpoints(),
            ["break", "event", name] => self.add_breakpoint(Breakpoint::Event(name.to_string())),
            ["break", spec] => match parse_priority(spec) {
                Some(b) => self.add_breakpoint(b),
                None => note(&format!(
                    "'{spec}' is not CONTEXT,EXTEN,PRIORITY (e.g. parkedcalls,701,1)"
                )),
            },
            ["delete", n] => self.delete_breakpoint(n),
            ["why"] => self.why(),
            ["dtmf", device, digits] => self.dtmf(device, digits),
            ["hangup", chan] => self.hangup(chan),
            ["originate", device, target] => self.originate(device, target),
            ["core", "set", "verbose", rest @ ..] => {
                let (level, text) = core_set_verbose::set(self.verbosity, rest);
                self.verbosity = level;
                text
            }
            ["dialplan", "reload"] | ["module", "reload", ..] | ["core", "reload"] => {
                self.reload(line)
            }
            _ if is_cli(&words) => self.cli(line),
            _ => note(&format!("'{line}' is not a console command (type 'help')")),
        };
        (out, Flow::Continue)
    }

    /// The banner printed when the console starts.
    pub fn banner(&self, label: &str) -> String {
        format!(
            "dialsim console: {label}\nPaused at {}; nothing happens until you say so ('help' lists the commands).\n",
            clock_text(self.now())
        )
    }

    /// The prompt, with the virtual time.
    pub fn prompt(&self) -> String {
        format!("[{}] dialsim> ", clock_text(self.now()))
    }

    // ----- driving -----

    fn idle(&self) -> bool {
        self.course.is_finished() && self.built.engine.live_channels() == 0
    }

    fn drive(&mut self, until: Until) -> String {
        let mut out = String::new();
        let limit = match &until {
            Until::Time(t) => *t,
            _ => self.scenario.until,
        };
        let mut shown = 0;
        loop {
            loop {
                let next = self.feed.borrow_mut().pop_front();
                let Some(event) = next else { break };
                let text = self.render(&event);
                let visible = !text.is_empty();
                out.push_str(&text);
                let hit = self.breakpoints.iter().position(|b| b.hit(&event));
                let on_channel = match &until {
                    Until::Channel(c) => event.fields().is_some_and(|f| {
                        f.name == "Newexten" && f.get("Channel") == Some(c.as_str())
                    }),
                    _ => false,
                };
                self.history.push(event);
                if let Some(i) = hit {
                    out.push_str(&format!(
                        "[{}] {} stopped at breakpoint {} ({})\n",
                        clock_text(self.history.last().map_or(Duration::ZERO, |e| e.time)),
                        verbose::TAG,
                        i + 1,
                        self.breakpoints[i].describe()
                    ));
                    return out;
                }
                if on_channel {
                    return out;
                }
                if visible {
                    shown += 1;
                    if until == Until::Events(shown) {
                        return out;
                    }
                }
            }
            if self.idle() {
                out.push_str(&format!(
                    "{} every channel has hung up; nothing is left to happen ({})\n",
                    verbose::TAG,
                    clock_text(self.now())
                ));
                return out;
            }
            if self.now() >= limit {
                if until != Until::Time(limit) {
                    out.push_str(&format!(
                        "{} stopped at {} ('until' of the scenario)\n",
                        verbose::TAG,
                        clock_text(limit)
                    ));
                }
                return out;
            }
            if self.stepper.run_until(&self.built.engine, limit) == Pause::Limit
                && self.feed.borrow().is_empty()
                && self.now() >= limit
                && until == Until::Time(limit)
            {
                return out;
            }
        }
    }

    /// The console lines of an event at the console's verbosity.
    fn render(&self, e: &Event) -> String {
        if let EventBody::Log(line) = &e.body {
            if let LogLevel::Verbose(n) = line.level {
                if n > self.verbosity {
                    return String::new();
                }
            }
        }
        verbose::render(e)
    }

    // ----- breakpoints -----

    fn add_breakpoint(&mut self, b: Breakpoint) -> String {
        let text = format!(
            "{} breakpoint {}: {}\n",
            verbose::TAG,
            self.breakpoints.len() + 1,
            b.describe()
        );
        self.breakpoints.push(b);
        text
    }

    fn list_breakpoints(&self) -> String {
        if self.breakpoints.is_empty() {
            return format!("{} no breakpoints\n", verbose::TAG);
        }
        self.breakpoints
            .iter()
            .enumerate()
            .map(|(i, b)| format!("{} breakpoint {}: {}\n", verbose::TAG, i + 1, b.describe()))
            .collect()
    }

    fn delete_breakpoint(&mut self, n: &str) -> String {
        match n.parse::<usize>() {
            Ok(i) if i >= 1 && i <= self.breakpoints.len() => {
                let b = self.breakpoints.remove(i - 1);
                format!(
                    "{} deleted breakpoint {i} ({})\n",
                    verbose::TAG,
                    b.describe()
                )
            }
            _ => note(&format!("there is no breakpoint '{n}'")),
        }
    }

    // ----- why -----

    /// dialsim's account of the last event shown: its own explanations at that instant, and for a
    /// priority the configuration line it comes from.
    fn why(&self) -> String {
        let Some(last) = self.history.last() else {
            return note("nothing has happened yet: 'step' or 'run' first");
        };
        let shown = self.render(last);
        let mut out = if shown.is_empty() {
            format!("last: [{}] {}\n", clock_text(last.time), describe(last))
        } else {
            format!("last: {shown}")
        };
        if let EventBody::Log(line) = &last.body {
            if let Some(place) = self.config_line(&line.text) {
                out.push_str(&format!("  it runs the priority of {place}\n"));
            }
        }
        let explanations: Vec<&Event> = self
            .history
            .iter()
            .filter(|e| e.time == last.time && e.name() == "DialsimDiagnostic")
            .collect();
        if explanations.is_empty() {
            out.push_str(&format!(
                "  dialsim has nothing to add at {}: Asterisk's own line above is the whole story\n",
                clock_text(last.time)
            ));
        }
        for e in explanations {
            if let Some(f) = e.fields() {
                out.push_str(&format!(
                    "  [{}] {}\n",
                    f.get("Code").unwrap_or_default(),
                    f.get("Message").unwrap_or_default()
                ));
                if let Some(h) = f.get("Help") {
                    out.push_str(&format!("    help: {h}\n"));
                }
            }
        }
        out
    }

    /// `file:line: text` of the priority behind an `Executing [...]` line.
    fn config_line(&self, text: &str) -> Option<String> {
        let rest = text.strip_prefix("Executing [")?;
        let loc = &rest[..rest.find("] ")?];
        let (place, prio) = loc.rsplit_once(':')?;
        let (exten, context) = place.rsplit_once('@')?;
        let found = self
            .config
            .dialplan
            .find(context, exten, prio.parse().ok()?, None)?;
        let span = found.priority.source()?;
        let file = self.config.sources.file(span.file);
        let lc = self.config.sources.line_col(span);
        Some(format!(
            "{}:{}: {}",
            file.basename(),
            lc.line,
            file.line_text(lc.line).trim_end()
        ))
    }

    // ----- acting on the call -----

    /// A live channel by exact name or unique prefix.
    fn channel(&self, name: &str) -> Option<String> {
        let e = &self.built.engine;
        let names: Vec<String> = e
            .channel_ids()
            .into_iter()
            .filter_map(|id| e.chan_name(id).map(|n| n.to_string()))
            .collect();
        if names.iter().any(|n| n == name) {
            return Some(name.to_string());
        }
        let matches: Vec<&String> = names.iter().filter(|n| n.starts_with(name)).collect();
        match matches.as_slice() {
            [one] => Some((*one).clone()),
            _ => None,
        }
    }

    fn dtmf(&mut self, device: &str, digits: &str) -> String {
        let Some((tech, resource)) = split_device(device) else {
            return note(&format!("'{device}' is not a device name TECH/name"));
        };
        let prefix = format!("{}/{}-", runner::canonical_tech(tech), resource);
        let e = self.built.engine.clone();
        let chan = e
            .channel_ids()
            .into_iter()
            .rev()
            .find(|id| e.chan_name(*id).is_some_and(|n| n.starts_with(&prefix)));
        let Some(chan) = chan else {
            return note(&format!(
                "{device} has no channel up, so its keys go nowhere"
            ));
        };
        let name = e.chan_name(chan).map(|n| n.to_string()).unwrap_or_default();
        let keys = digits.to_string();
        self.stepper.enter(|| {
            let e2 = e.clone();
            e.spawn_local(async move { e2.phone_keys(chan, &keys).await });
        });
        format!(
            "{} the person at {device} presses '{digits}' on {name} (run or step to hear it)\n",
            verbose::TAG
        )
    }

    fn hangup(&mut self, chan: &str) -> String {
        let Some(name) = self.channel(chan) else {
            return note(&format!("no channel '{chan}' is up"));
        };
        let e = self.built.engine.clone();
        if let Some(id) = e.find_channel(&name) {
            self.stepper
                .enter(|| e.soft_hangup(id, SoftHangupReason::Explicit));
        }
        format!("{} hangup requested on {name}\n", verbose::TAG)
    }

    fn originate(&mut self, device: &str, target: &str) -> String {
        if split_device(device).is_none() {
            return note(&format!("'{device}' is not a device name TECH/name"));
        }
        let Some((exten, context)) = split_target(target) else {
            return note(&format!("'{target}' is not EXTEN@CONTEXT"));
        };
        let e = self.built.engine.clone();
        let devices = self.built.devices.clone();
        let place = || "the console".to_string();
        self.stepper.enter(|| {
            runner::start_call(&e, &devices, device, None, exten, context, &[], &place);
        });
        format!(
            "{} {device} calls {exten}@{context} (run or step to follow it)\n",
            verbose::TAG
        )
    }

    // ----- Asterisk's CLI -----

    fn cli(&mut self, line: &str) -> String {
        let (e, ctx) = (self.built.engine.clone(), self.built.cli.clone());
        let answer = self.stepper.enter(|| cli::execute(&e, &ctx, line));
        match answer {
            CliAnswer::Output(text) => text,
            CliAnswer::NotSimulated(m) => note(&m),
        }
    }

    /// `dialplan reload`, `module reload [MODULE …]`, `core reload`: the modules read the configuration
    /// folder again as Asterisk's reloads do (see [`crate::reload`]); calls go on at their positions. The
    /// console's own copy of the configuration (for pointing at lines) is read again too.
    fn reload(&mut self, line: &str) -> String {
        let out = self.cli(line);
        self.config = LoadedConfig::load(self.source.as_ref());
        out
    }
}

/// Whether the words are one of Asterisk's CLI commands the dispatcher knows.
fn is_cli(words: &[&str]) -> bool {
    matches!(
        words,
        ["dialplan", "show", ..]
            | ["parking", "show", ..]
            | ["features", "show", ..]
            | ["core", "show", ..]
    )
}

/// One line for an event the console does not print (an AMI event): its name and what it is about.
fn describe(e: &Event) -> String {
    let Some(f) = e.fields() else {
        return e.name().to_string();
    };
    let mut text = format!("event {}", f.name);
    for key in [
        "Channel",
        "ParkeeChannel",
        "Parkinglot",
        "ParkingSpace",
        "Context",
        "Extension",
        "Priority",
        "Application",
        "ChannelStateDesc",
        "BridgeUniqueid",
        "Digit",
        "Cause-txt",
    ] {
        if let Some(v) = f.get(key) {
            text.push_str(&format!(" {key}={v}"));
        }
    }
    text
}

/// `CONTEXT,EXTEN,PRIORITY`.
fn parse_priority(spec: &str) -> Option<Breakpoint> {
    let mut parts = spec.split(',');
    let (context, exten, priority) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || context.is_empty() || exten.is_empty() {
        return None;
    }
    priority.parse::<i32>().ok()?;
    Some(Breakpoint::Priority {
        context: context.to_string(),
        exten: exten.to_string(),
        priority: priority.to_string(),
    })
}

/// A dialsim line of the console's own.
fn note(text: &str) -> String {
    format!("{} {text}\n", verbose::TAG)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priority_breakpoints_parse() {
        assert_eq!(
            parse_priority("parkedcalls,701,1"),
            Some(Breakpoint::Priority {
                context: "parkedcalls".into(),
                exten: "701".into(),
                priority: "1".into()
            })
        );
        assert_eq!(parse_priority("a,b"), None);
        assert_eq!(parse_priority("a,b,x"), None);
        assert_eq!(parse_priority("a,b,1,2"), None);
    }
}
