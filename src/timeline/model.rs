//! The timeline's model: what happened to each channel, bridge and parking lot, built from a run's event
//! stream alone (AMI events, log lines and `Dialsim…` events), so it is a view like every other renderer.

use dialplan::engine::{Event, EventBody, Fields};
use std::time::Duration;

/// Everything the picture shows.
#[derive(Clone, Debug, Default)]
pub struct Timeline {
    /// The time of the last event.
    pub end: Duration,
    /// Channels, oldest first.
    pub channels: Vec<ChannelLane>,
    /// Devices in the order their first channel appeared; each lists its channels (Local halves together).
    pub devices: Vec<DeviceGroup>,
    pub bridges: Vec<BridgeSpan>,
    pub lots: Vec<LotLane>,
    /// DTMF, feature matches, timeouts, comebacks and diagnostics, in time order.
    pub marks: Vec<Mark>,
}

/// A device (or a Local pair) and its channels, as indexes into [`Timeline::channels`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceGroup {
    pub name: String,
    pub channels: Vec<usize>,
}

/// One channel's life.
#[derive(Clone, Debug, Default)]
pub struct ChannelLane {
    pub name: String,
    pub start: Duration,
    /// When it hung up (`None`: still up at the end of the run).
    pub end: Option<Duration>,
    /// `(time, state)`: `Ring`, `Ringing`, `Up`, … as AMI's `ChannelStateDesc`.
    pub states: Vec<(Duration, String)>,
    /// The dialplan priorities it executed.
    pub steps: Vec<Step>,
    /// What it heard: prompts and music on hold.
    pub sounds: Vec<Sound>,
    /// The hangup cause text, when it hung up.
    pub cause: Option<String>,
}

/// One executed priority.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub time: Duration,
    pub context: String,
    pub exten: String,
    pub priority: String,
    pub app: String,
    pub data: String,
}

impl Step {
    /// `exten@context:priority`, as Asterisk's `Executing [...]` prints it.
    pub fn location(&self) -> String {
        format!("{}@{}:{}", self.exten, self.context, self.priority)
    }
}

/// A sound a channel heard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sound {
    pub start: Duration,
    pub end: Duration,
    pub kind: SoundKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SoundKind {
    /// A prompt played by `from` (the channel that ran the playback).
    Prompt { name: String, from: String },
    /// Music on hold of a class.
    Moh { class: String },
    /// A DTMF digit on the channel's line.
    Dtmf { digit: char },
}

/// One bridge and who was in it when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BridgeSpan {
    pub id: String,
    /// AMI's `BridgeType` (`basic`, `parking`, …).
    pub kind: String,
    pub technology: String,
    pub created: Duration,
    pub members: Vec<Membership>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Membership {
    pub channel: String,
    pub enter: Duration,
    /// `None`: still in the bridge at the end.
    pub leave: Option<Duration>,
}

/// A parking lot and its spaces' occupancy.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LotLane {
    pub name: String,
    pub stays: Vec<Stay>,
}

/// A call parked in a space.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stay {
    pub space: String,
    pub channel: String,
    pub start: Duration,
    pub end: Option<Duration>,
    pub outcome: StayOutcome,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StayOutcome {
    /// Still parked at the end of the run.
    Parked,
    Retrieved,
    TimedOut,
    GaveUp,
}

impl StayOutcome {
    pub fn text(self) -> &'static str {
        match self {
            StayOutcome::Parked => "still parked",
            StayOutcome::Retrieved => "retrieved",
            StayOutcome::TimedOut => "timed out",
            StayOutcome::GaveUp => "gave up (hung up)",
        }
    }
}

/// Something that happened at an instant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mark {
    pub time: Duration,
    /// The channel it happened on, when there is one.
    pub channel: Option<String>,
    pub kind: MarkKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MarkKind {
    /// A DTMF digit arrived on the channel.
    Dtmf(char),
    /// Bridge DTMF matched a feature code (inferred: the digits collected on a channel end when its peer
    /// is parked); the text is the code and the feature.
    Feature(String),
    /// A parked call's timer ran out (lot and space).
    Timeout { lot: String, space: String },
    /// A timed-out call resumes in the dialplan (`exten@context:priority`).
    Comeback(String),
    /// A dialsim diagnostic.
    Diagnostic { code: String, message: String },
    /// A warning or error line of Asterisk's.
    Warning(String),
}

/// The device a channel belongs to: the name without its `-<sequence>` suffix; both halves of a Local
/// pair share `Local/<exten>@<context>-<n>` so they sit side by side.
pub fn device_of(channel: &str) -> String {
    let base = channel.split(';').next().unwrap_or(channel);
    if base.starts_with("Local/") {
        return base.to_string();
    }
    match base.rfind('-') {
        Some(i) if i > 0 => base[..i].to_string(),
        _ => base.to_string(),
    }
}

impl Timeline {
    /// Builds the model from a run's events (in publication order).
    pub fn from_events(events: &[Event]) -> Timeline {
        let mut b = Builder::default();
        for e in events {
            b.event(e);
        }
        b.finish()
    }

    /// The channel lane of `name`.
    pub fn channel(&self, name: &str) -> Option<&ChannelLane> {
        self.channels.iter().find(|c| c.name == name)
    }
}

/// `(channel, exten@context:priority, application, data)` of an `Executing [...] App("chan", "data") in
/// new stack` line.
fn executing(text: &str) -> Option<(&str, &str, &str, &str)> {
    let rest = text.strip_prefix("Executing [")?;
    let (loc, rest) = rest.split_once("] ")?;
    let (app, rest) = rest.split_once("(\"")?;
    let rest = rest.strip_suffix("\") in new stack")?;
    let (chan, data) = rest.split_once("\", \"")?;
    Some((chan, loc, app, data))
}

#[derive(Default)]
struct Builder {
    t: Timeline,
    /// DTMF digits collected per channel since its last gap: (channel, digits, last end).
    collecting: Vec<(String, String, Duration)>,
    /// Channels whose parked call timed out and has not run a priority since.
    timed_out: Vec<String>,
    /// The last `Executing` line of each channel not yet matched by its `Newexten`: (channel, location,
    /// application, data).
    executing: Vec<(String, String, String, String)>,
}

/// Digits further apart than this are not one feature code (features.conf's default featuredigittimeout).
const DIGIT_GAP: Duration = Duration::from_millis(1000);

impl Builder {
    fn lane(&mut self, name: &str, time: Duration) -> &mut ChannelLane {
        let idx = match self.t.channels.iter().position(|c| c.name == name) {
            Some(i) => i,
            None => {
                self.t.channels.push(ChannelLane {
                    name: name.to_string(),
                    start: time,
                    ..ChannelLane::default()
                });
                let i = self.t.channels.len() - 1;
                let dev = device_of(name);
                match self.t.devices.iter_mut().find(|d| d.name == dev) {
                    Some(d) => d.channels.push(i),
                    None => self.t.devices.push(DeviceGroup {
                        name: dev,
                        channels: vec![i],
                    }),
                }
                i
            }
        };
        &mut self.t.channels[idx]
    }

    fn event(&mut self, e: &Event) {
        self.t.end = self.t.end.max(e.time);
        match &e.body {
            EventBody::Ami(f) => self.ami(e.time, f),
            EventBody::Dialsim(f) => self.dialsim(e.time, f),
            EventBody::Log(line) => {
                if let Some((chan, loc, app, data)) = executing(&line.text) {
                    // Asterisk prints this line just before the step's `Newexten` — except where a
                    // channel left its bridge for an async goto (a parking timeout): the `Newexten`
                    // came first, still naming the application it was in. The line names what runs.
                    let step_first = self
                        .t
                        .channels
                        .iter_mut()
                        .find(|c| c.name == chan)
                        .and_then(|c| c.steps.last_mut())
                        .filter(|s| s.time == e.time && s.location() == loc);
                    if let Some(step) = step_first {
                        step.app = app.into();
                        step.data = data.into();
                    } else {
                        self.executing.retain(|e| e.0 != chan);
                        self.executing
                            .push((chan.into(), loc.into(), app.into(), data.into()));
                    }
                }
                if !matches!(line.level, dialplan::diag::LogLevel::Verbose(_)) {
                    self.t.marks.push(Mark {
                        time: e.time,
                        channel: None,
                        kind: MarkKind::Warning(line.console()),
                    });
                }
            }
        }
    }

    fn ami(&mut self, time: Duration, f: &Fields) {
        let chan = f.get("Channel").unwrap_or_default().to_string();
        match &*f.name {
            "Newchannel" => {
                let state = f.get("ChannelStateDesc").unwrap_or_default().to_string();
                self.lane(&chan, time).states.push((time, state));
            }
            "Newstate" => {
                let state = f.get("ChannelStateDesc").unwrap_or_default().to_string();
                self.lane(&chan, time).states.push((time, state));
            }
            "Newexten" => {
                let mut step = Step {
                    time,
                    context: f.get("Context").unwrap_or_default().to_string(),
                    exten: f.get("Extension").unwrap_or_default().to_string(),
                    priority: f.get("Priority").unwrap_or_default().to_string(),
                    app: f.get("Application").unwrap_or_default().to_string(),
                    data: f.get("AppData").unwrap_or_default().to_string(),
                };
                if let Some(i) = self
                    .executing
                    .iter()
                    .position(|e| e.0 == chan && e.1 == step.location())
                {
                    let (_, _, app, data) = self.executing.remove(i);
                    step.app = app;
                    step.data = data;
                }
                if let Some(i) = self.timed_out.iter().position(|c| *c == chan) {
                    self.timed_out.remove(i);
                    self.t.marks.push(Mark {
                        time,
                        channel: Some(chan.clone()),
                        kind: MarkKind::Comeback(step.location()),
                    });
                }
                self.lane(&chan, time).steps.push(step);
            }
            "Hangup" => {
                let cause = f.get("Cause-txt").unwrap_or_default().to_string();
                let lane = self.lane(&chan, time);
                lane.end = Some(time);
                lane.cause = Some(cause);
                self.close_sounds(&chan, time);
            }
            "MusicOnHoldStart" => {
                let class = f.get("Class").unwrap_or("default").to_string();
                self.lane(&chan, time).sounds.push(Sound {
                    start: time,
                    end: Duration::MAX,
                    kind: SoundKind::Moh { class },
                });
            }
            "MusicOnHoldStop" => {
                let lane = self.lane(&chan, time);
                for s in lane.sounds.iter_mut() {
                    if matches!(s.kind, SoundKind::Moh { .. }) && s.end == Duration::MAX {
                        s.end = time;
                    }
                }
            }
            "DTMFBegin" => {
                let digit = f.get("Digit").and_then(|d| d.chars().next()).unwrap_or('?');
                self.lane(&chan, time).sounds.push(Sound {
                    start: time,
                    end: Duration::MAX,
                    kind: SoundKind::Dtmf { digit },
                });
                self.t.marks.push(Mark {
                    time,
                    channel: Some(chan.clone()),
                    kind: MarkKind::Dtmf(digit),
                });
            }
            "DTMFEnd" => {
                let digit = f.get("Digit").and_then(|d| d.chars().next()).unwrap_or('?');
                let lane = self.lane(&chan, time);
                if let Some(s) = lane
                    .sounds
                    .iter_mut()
                    .rev()
                    .find(|s| s.kind == SoundKind::Dtmf { digit } && s.end == Duration::MAX)
                {
                    s.end = time;
                }
                match self.collecting.iter_mut().find(|(c, _, _)| *c == chan) {
                    Some((_, digits, last)) => {
                        if time.saturating_sub(*last) > DIGIT_GAP {
                            digits.clear();
                        }
                        digits.push(digit);
                        *last = time;
                    }
                    None => self.collecting.push((chan, digit.to_string(), time)),
                }
            }
            "BridgeCreate" => {
                self.t.bridges.push(BridgeSpan {
                    id: f.get("BridgeUniqueid").unwrap_or_default().to_string(),
                    kind: f.get("BridgeType").unwrap_or_default().to_string(),
                    technology: f.get("BridgeTechnology").unwrap_or_default().to_string(),
                    created: time,
                    members: Vec::new(),
                });
            }
            "BridgeEnter" => {
                let id = f.get("BridgeUniqueid").unwrap_or_default();
                if !self.t.bridges.iter().any(|b| b.id == id) {
                    self.t.bridges.push(BridgeSpan {
                        id: id.to_string(),
                        kind: f.get("BridgeType").unwrap_or_default().to_string(),
                        technology: f.get("BridgeTechnology").unwrap_or_default().to_string(),
                        created: time,
                        members: Vec::new(),
                    });
                }
                if let Some(b) = self.t.bridges.iter_mut().find(|b| b.id == id) {
                    b.members.push(Membership {
                        channel: chan,
                        enter: time,
                        leave: None,
                    });
                }
            }
            "BridgeLeave" => {
                let id = f.get("BridgeUniqueid").unwrap_or_default();
                if let Some(m) = self
                    .t
                    .bridges
                    .iter_mut()
                    .find(|b| b.id == id)
                    .and_then(|b| {
                        b.members
                            .iter_mut()
                            .rev()
                            .find(|m| m.channel == chan && m.leave.is_none())
                    })
                {
                    m.leave = Some(time);
                }
            }
            "ParkedCall" => self.parked(time, f),
            "UnParkedCall" | "ParkedCallTimeOut" | "ParkedCallGiveUp" => {
                let outcome = match &*f.name {
                    "UnParkedCall" => StayOutcome::Retrieved,
                    "ParkedCallTimeOut" => StayOutcome::TimedOut,
                    _ => StayOutcome::GaveUp,
                };
                let parkee = f.get("ParkeeChannel").unwrap_or_default().to_string();
                let lot = f.get("Parkinglot").unwrap_or_default().to_string();
                let space = f.get("ParkingSpace").unwrap_or_default().to_string();
                if let Some(stay) = self
                    .t
                    .lots
                    .iter_mut()
                    .find(|l| l.name == lot)
                    .and_then(|l| {
                        l.stays
                            .iter_mut()
                            .rev()
                            .find(|s| s.channel == parkee && s.end.is_none())
                    })
                {
                    stay.end = Some(time);
                    stay.outcome = outcome;
                }
                if outcome == StayOutcome::TimedOut {
                    self.t.marks.push(Mark {
                        time,
                        channel: Some(parkee.clone()),
                        kind: MarkKind::Timeout { lot, space },
                    });
                    self.timed_out.push(parkee);
                }
            }
            _ => {}
        }
    }

    fn parked(&mut self, time: Duration, f: &Fields) {
        let parkee = f.get("ParkeeChannel").unwrap_or_default().to_string();
        let lot = f.get("Parkinglot").unwrap_or_default().to_string();
        let space = f.get("ParkingSpace").unwrap_or_default().to_string();
        let idx = match self.t.lots.iter().position(|l| l.name == lot) {
            Some(i) => i,
            None => {
                self.t.lots.push(LotLane {
                    name: lot,
                    stays: Vec::new(),
                });
                self.t.lots.len() - 1
            }
        };
        self.t.lots[idx].stays.push(Stay {
            space,
            channel: parkee.clone(),
            start: time,
            end: None,
            outcome: StayOutcome::Parked,
        });
        // A park that happens as a channel's DTMF ends is that channel's feature code matching.
        if let Some((chan, digits, _)) = self
            .collecting
            .iter()
            .find(|(c, _, last)| *last == time && *c != parkee)
        {
            self.t.marks.push(Mark {
                time,
                channel: Some(chan.clone()),
                kind: MarkKind::Feature(format!("'{digits}' matched parkcall")),
            });
        }
    }

    fn dialsim(&mut self, time: Duration, f: &Fields) {
        match &*f.name {
            "DialsimPlayback" => {
                let from = f.get("Channel").unwrap_or_default().to_string();
                let name = f.get("Prompt").unwrap_or_default().to_string();
                let ms: u64 = f
                    .get("DurationMs")
                    .and_then(|d| d.parse().ok())
                    .unwrap_or(0);
                let end = time + Duration::from_millis(ms);
                for hearer in f
                    .get("HeardBy")
                    .unwrap_or_default()
                    .split(',')
                    .filter(|h| !h.is_empty())
                {
                    let hearer = hearer.to_string();
                    self.lane(&hearer, time).sounds.push(Sound {
                        start: time,
                        end,
                        kind: SoundKind::Prompt {
                            name: name.clone(),
                            from: from.clone(),
                        },
                    });
                }
            }
            "DialsimDiagnostic" => self.t.marks.push(Mark {
                time,
                channel: f.get("Channel").map(str::to_string),
                kind: MarkKind::Diagnostic {
                    code: f.get("Code").unwrap_or_default().to_string(),
                    message: f.get("Message").unwrap_or_default().to_string(),
                },
            }),
            _ => {}
        }
    }

    /// A hangup cuts whatever the channel was hearing.
    fn close_sounds(&mut self, chan: &str, time: Duration) {
        if let Some(lane) = self.t.channels.iter_mut().find(|c| c.name == chan) {
            for s in lane.sounds.iter_mut() {
                if s.end > time {
                    s.end = time.max(s.start);
                }
            }
        }
    }

    fn finish(mut self) -> Timeline {
        let end = self.t.end;
        for lane in self.t.channels.iter_mut() {
            for s in lane.sounds.iter_mut() {
                if s.end == Duration::MAX {
                    s.end = end;
                }
            }
        }
        self.t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn executing_lines_name_what_runs() {
        assert_eq!(
            executing("Executing [s@t:1] NoOp(\"PJSIP/a-1\", \"x, y\") in new stack"),
            Some(("PJSIP/a-1", "s@t:1", "NoOp", "x, y"))
        );
        assert_eq!(executing("Goto (a,b,1)"), None);
    }

    #[test]
    fn devices_group_local_halves() {
        assert_eq!(device_of("PJSIP/outside-00000000"), "PJSIP/outside");
        assert_eq!(
            device_of("Local/alice@parking-example-00000000;1"),
            device_of("Local/alice@parking-example-00000000;2")
        );
        assert_eq!(device_of("weird"), "weird");
    }

    fn ami(time: u64, name: &'static str, fields: &[(&'static str, &str)]) -> Event {
        let mut f = Fields::new(name, "call");
        for (k, v) in fields {
            f.push(*k, *v);
        }
        Event {
            time: Duration::from_millis(time),
            body: EventBody::Ami(f),
        }
    }

    #[test]
    fn moh_and_parking_stays() {
        let events = vec![
            ami(
                0,
                "Newchannel",
                &[("Channel", "A-1"), ("ChannelStateDesc", "Ring")],
            ),
            ami(
                100,
                "ParkedCall",
                &[
                    ("ParkeeChannel", "A-1"),
                    ("Parkinglot", "default"),
                    ("ParkingSpace", "701"),
                ],
            ),
            ami(
                100,
                "MusicOnHoldStart",
                &[("Channel", "A-1"), ("Class", "default")],
            ),
            ami(
                900,
                "ParkedCallTimeOut",
                &[
                    ("ParkeeChannel", "A-1"),
                    ("Parkinglot", "default"),
                    ("ParkingSpace", "701"),
                ],
            ),
            ami(900, "MusicOnHoldStop", &[("Channel", "A-1")]),
            ami(
                900,
                "Newexten",
                &[
                    ("Channel", "A-1"),
                    ("Context", "park-dial"),
                    ("Extension", "x"),
                    ("Priority", "1"),
                    ("Application", "Dial"),
                ],
            ),
            ami(
                1000,
                "Hangup",
                &[("Channel", "A-1"), ("Cause-txt", "Normal")],
            ),
        ];
        let t = Timeline::from_events(&events);
        let lane = t.channel("A-1").unwrap();
        assert_eq!(lane.sounds.len(), 1);
        assert_eq!(lane.sounds[0].start, Duration::from_millis(100));
        assert_eq!(lane.sounds[0].end, Duration::from_millis(900));
        assert_eq!(t.lots[0].stays[0].outcome, StayOutcome::TimedOut);
        assert!(t
            .marks
            .iter()
            .any(|m| m.kind == MarkKind::Comeback("x@park-dial:1".into())));
        assert_eq!(lane.end, Some(Duration::from_millis(1000)));
    }
}
