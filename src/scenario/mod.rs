//! Scenarios: what happens around the PBX in one run — the devices (phones and emulated people), the calls
//! placed into the dialplan, and the things done to the whole system at given times.
//!
//! - [`file`]: the TOML format (`docs/scenario-format.md`), parsed with spans so every error points at its
//!   line and column;
//! - [`duration`], [`clock`]: `2.5s`-style durations and the virtual wall clock;
//! - [`devices`]: the scenario's devices as the engine's [`dialplan::engine::DeviceProvider`];
//! - [`runner`]: one run of a scenario on a loaded configuration;
//! - [`explain`]: what the emulation itself causes, said when it happens.
//!
//! The CLI commands a scenario's `[[actions]]` may print are answered by [`crate::asterisk_cli`].

mod chunked;
pub mod clock;
pub mod devices;
pub mod duration;
pub mod explain;
pub mod file;
pub mod runner;

pub use file::{parse, ScenarioError};
pub use runner::{run, RunOutcome, CODES};

use dialplan::engine::Party;
use std::ops::Range;
use std::path::PathBuf;
use std::time::Duration;

/// The default of `until`.
pub const DEFAULT_UNTIL: Duration = Duration::from_secs(3600);
/// The default of `max_steps`.
pub const DEFAULT_MAX_STEPS: u64 = 100_000_000;

/// A scenario, checked and with defaults applied.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// Where it was read from, and its text (for messages that point at a line).
    pub origin: Origin,
    pub description: Option<String>,
    /// The configuration folder as written (relative to the scenario's folder).
    pub config: PathBuf,
    pub until: Duration,
    /// The virtual wall-clock time at 0 s, as Unix seconds.
    pub start: i64,
    pub timezone: String,
    /// Unique ids are `<epoch + whole seconds>.<n>`.
    pub epoch: i64,
    pub seed: u64,
    pub max_steps: u64,
    /// A folder of sound files whose lengths replace the built-in prompt table.
    pub sounds: Option<PathBuf>,
    pub devices: Vec<Device>,
    pub calls: Vec<Call>,
    pub actions: Vec<Action>,
    /// The `[[expect]]` entries (checked by `dialsim test`, see [`crate::expect`]).
    pub expectations: Vec<crate::expect::Expectation>,
}

/// Where a scenario comes from.
#[derive(Clone, Debug, Default)]
pub struct Origin {
    /// The file (or a name such as `<command line>`), as messages show it.
    pub name: PathBuf,
    pub text: String,
    /// Byte offsets where lines start, so that finding a line is a binary search.
    line_starts: Vec<usize>,
}

impl Origin {
    pub fn new(name: impl Into<PathBuf>, text: impl Into<String>) -> Origin {
        let text = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Origin {
            name: name.into(),
            text,
            line_starts,
        }
    }

    /// `line:col` (both from 1) of a byte offset in the text.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts.get(line - 1).copied().unwrap_or(0);
        let col = self
            .text
            .get(start..offset)
            .map_or(0, |t| t.chars().count())
            + 1;
        (line, col)
    }

    /// `file:line:col` of a span, or just the file name when there is none.
    pub fn place(&self, span: Option<&Range<usize>>) -> String {
        match span {
            Some(s) if !self.text.is_empty() => {
                let (l, c) = self.line_col(s.start);
                format!("{}:{l}:{c}", self.name.display())
            }
            _ => self.name.display().to_string(),
        }
    }
}

/// A device of the scenario: `TECH/resource`.
#[derive(Clone, Debug)]
pub struct Device {
    /// As written (`PJSIP/alice`).
    pub name: String,
    pub tech: String,
    pub resource: String,
    pub callerid: Option<Party>,
    pub kind: DeviceKind,
    pub span: Option<Range<usize>>,
}

#[derive(Clone, Debug)]
pub enum DeviceKind {
    /// The person at this phone is a dialplan extension: dialling the device dials
    /// `Local/<exten>@<context>/n`.
    Emulated { exten: String, context: String },
    /// A phone that behaves as told.
    Phone(Phone),
}

/// How a phone behaves.
#[derive(Clone, Debug)]
pub struct Phone {
    pub answer_after: Option<Duration>,
    pub busy: bool,
    pub unavailable: bool,
    pub hangup_after: Option<Duration>,
    pub media: bool,
    pub actions: Vec<DeviceAction>,
}

impl Default for Phone {
    fn default() -> Self {
        Phone {
            answer_after: None,
            busy: false,
            unavailable: false,
            hangup_after: None,
            media: true,
            actions: Vec::new(),
        }
    }
}

/// When a device action happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    /// This long after the device's channel went up.
    After(Duration),
    /// At this time of the run.
    At(Duration),
}

#[derive(Clone, Debug)]
pub struct DeviceAction {
    pub when: When,
    pub what: DeviceActionKind,
    pub span: Option<Range<usize>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeviceActionKind {
    /// Press keys.
    Dtmf(String),
    /// Place a new call into the dialplan.
    Dial { exten: String, context: String },
}

/// A call placed into the dialplan.
#[derive(Clone, Debug)]
pub struct Call {
    pub at: Duration,
    /// The calling device (`TECH/resource`).
    pub from: String,
    pub callerid: Option<Party>,
    pub exten: String,
    pub context: String,
    /// Set on the calling channel before its PBX starts, in the order written.
    pub variables: Vec<(String, String)>,
    pub span: Option<Range<usize>>,
}

/// Something done to the whole system at a time.
#[derive(Clone, Debug)]
pub struct Action {
    pub at: Duration,
    pub what: ActionKind,
    pub span: Option<Range<usize>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ActionKind {
    /// Print what Asterisk's CLI prints for this command.
    Cli(String),
    /// Run an AMI action (its headers in order) and show Asterisk's response blocks.
    Ami(Vec<(String, String)>),
    /// The configuration folder (as written, relative to the scenario file) becomes this one, and features,
    /// res_parking and pbx_config reload from it (`module reload features res_parking.so pbx_config.so`).
    Reload(PathBuf),
}

impl Scenario {
    /// A scenario with every default and nothing in it.
    pub fn empty(origin: Origin) -> Scenario {
        Scenario {
            origin,
            description: None,
            config: PathBuf::from("."),
            until: DEFAULT_UNTIL,
            start: 1_700_000_000,
            timezone: "UTC".to_string(),
            epoch: 1_700_000_000,
            seed: 1,
            max_steps: DEFAULT_MAX_STEPS,
            sounds: None,
            devices: Vec::new(),
            calls: Vec::new(),
            actions: Vec::new(),
            expectations: Vec::new(),
        }
    }

    /// The device declared under `name` (technology compared without case, as Asterisk does).
    pub fn device(&self, name: &str) -> Option<&Device> {
        let (tech, resource) = split_device(name)?;
        self.devices
            .iter()
            .find(|d| d.tech.eq_ignore_ascii_case(tech) && d.resource == resource)
    }
}

/// Splits `TECH/resource` (both parts non-empty).
pub fn split_device(name: &str) -> Option<(&str, &str)> {
    let (tech, resource) = name.split_once('/')?;
    (!tech.is_empty() && !resource.is_empty()).then_some((tech, resource))
}

/// Splits `exten@context` (both parts non-empty).
pub fn split_target(text: &str) -> Option<(&str, &str)> {
    let (exten, context) = text.split_once('@')?;
    (!exten.is_empty() && !context.is_empty()).then_some((exten, context))
}
