//! Audio and DTMF in time: the prompt catalogue, playback (who hears it, how long), Answer's wait for the
//! first media frame, and DTMF streams with Asterisk's timing.
//!
//! Media is not simulated frame by frame. A channel *receives media* when its far end streams audio: a
//! phone while it is up (when its scenario says `media`), a Local half whose peer is being written to (the
//! peer plays a prompt, or sits in a bridge with a party that receives media, or hears music on hold).
//! Only Answer cares when the first frame arrives; playback is an interval, heard by whoever the audio path
//! leads to.

use super::bridge::BridgeKind;
use super::channel::{ChannelId, ChannelState, FarEnd, Frame, Interrupt};
use super::ops::Waited;
use super::Engine;
use std::collections::HashMap;
use std::rc::Rc;
use std::time::Duration;

/// The prompt durations shipped with dialsim: Asterisk's core English prompts.
const BUILTIN_DURATIONS: &str = include_str!("../../data/asterisk-core-sounds-en-durations.tsv");

/// A phone's first voice frame arrives this long after it starts streaming.
pub const FRAME: Duration = Duration::from_millis(20);

/// What playing an unknown prompt does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnknownPrompt {
    /// The file does not exist (Asterisk's missing-file warnings, PLAYBACKSTATUS=FAILED).
    Missing,
    /// It plays for this long, with a `run/unknown-prompt-duration` diagnostic.
    Default(Duration),
}

/// Prompt durations by name (`hello-world`, `digits/7`).
#[derive(Clone, Debug)]
pub struct Prompts {
    table: HashMap<String, u32>,
    pub unknown: UnknownPrompt,
    /// The format Asterisk names in `Playing '%s.%s'` (the channel's write format).
    pub format: String,
}

impl Prompts {
    /// The embedded catalogue; an unknown prompt plays 1 s with a diagnostic.
    pub fn builtin() -> Prompts {
        let mut p = Prompts::empty(UnknownPrompt::Default(Duration::from_secs(1)));
        for line in BUILTIN_DURATIONS.lines().skip(1) {
            let mut parts = line.split('\t');
            if let (Some(name), Some(ms)) = (parts.next(), parts.next()) {
                if let Ok(ms) = ms.trim().parse::<u32>() {
                    p.table.insert(name.to_string(), ms);
                }
            }
        }
        p
    }

    pub fn empty(unknown: UnknownPrompt) -> Prompts {
        Prompts {
            table: HashMap::new(),
            unknown,
            format: String::from("slin"),
        }
    }

    pub fn insert(&mut self, name: &str, ms: u32) {
        self.table.insert(name.to_string(), ms);
    }

    pub fn get(&self, name: &str) -> Option<Duration> {
        self.table
            .get(name)
            .map(|&ms| Duration::from_millis(u64::from(ms)))
    }

    pub fn len(&self) -> usize {
        self.table.len()
    }

    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }
}

/// How one file played.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Played {
    /// Played to the end.
    Done,
    /// The file does not exist (Asterisk logged its warnings).
    Missing,
}

impl Engine {
    // ----- media flow -----

    /// When `chan` starts (or started) receiving media from its far end, if it does.
    pub fn media_arrives_at(&self, chan: ChannelId) -> Option<Duration> {
        self.media_at(chan, 0)
    }

    fn media_at(&self, chan: ChannelId, depth: u8) -> Option<Duration> {
        if depth > 8 {
            return None;
        }
        let far = self.with_chan(chan, |c| c.far.clone())?;
        match far {
            FarEnd::Device(link) => {
                let (state, up) = self.with_chan(chan, |c| (c.state, c.answered_at))?;
                (link.spec.media && state == ChannelState::Up)
                    .then(|| up.unwrap_or(self.now()) + FRAME)
            }
            FarEnd::Local { peer, .. } => self.written_at(peer, depth + 1),
            FarEnd::None => None,
        }
    }

    /// When something starts writing audio out of `chan` (toward its far end).
    fn written_at(&self, chan: ChannelId, depth: u8) -> Option<Duration> {
        let (playing, bridge) =
            self.with_chan(chan, |c| (c.playing.is_some() || c.moh.is_some(), c.bridge))?;
        if playing {
            return Some(self.now());
        }
        let bridge = bridge?;
        // Members of a holding bridge hear only their own music on hold (checked above).
        let members = self.with_bridge(bridge, |b| {
            (!b.kind.is_holding()).then(|| b.members.to_vec())
        })??;
        members
            .into_iter()
            .filter(|&m| m != chan)
            .filter_map(|m| self.media_at(m, depth + 1))
            .min()
    }

    /// Who hears audio written out of `chan`: the channels whose far end is a person (phones), following
    /// Local pairs and basic bridges.
    pub fn listeners(&self, chan: ChannelId) -> Vec<Rc<str>> {
        let mut out = Vec::new();
        self.collect_listeners(chan, 0, &mut out);
        out
    }

    fn collect_listeners(&self, chan: ChannelId, depth: u8, out: &mut Vec<Rc<str>>) {
        if depth > 8 {
            return;
        }
        let Some((far, name)) = self.with_chan(chan, |c| (c.far.clone(), c.name.clone())) else {
            return;
        };
        match far {
            FarEnd::Device(_) => {
                if !out.contains(&name) {
                    out.push(name);
                }
            }
            FarEnd::Local { peer, .. } => {
                let Some(bridge) = self.bridge_of(peer) else {
                    return;
                };
                let Some((kind, members)) =
                    self.with_bridge(bridge, |b| (b.kind, b.members.to_vec()))
                else {
                    return;
                };
                if kind == BridgeKind::Basic {
                    for m in members.into_iter().filter(|&m| m != peer) {
                        self.collect_listeners(m, depth + 1, out);
                    }
                }
            }
            FarEnd::None => {}
        }
    }

    /// Something changed the media paths: channels waiting for media look again.
    pub(crate) fn media_changed(&self) {
        // Only a waiter whose answer changed is woken: a spurious wake-up costs a poll and a timer, and
        // with many channels answering at once (issue 4's bench) that made every call cost more the more
        // calls were in the wait. Its deadline keeps its turn either way (see `answer`).
        let waiters = self.inner.media_waiters.borrow().clone();
        for (w, seen) in waiters {
            if self.media_arrives_at(w) != seen {
                self.wake(w);
            }
        }
    }

    /// A channel went Up: its phone starts its timed actions; media paths may have changed.
    pub(crate) fn on_channel_up(&self, chan: ChannelId) {
        if let Some(FarEnd::Device(link)) = self.with_chan(chan, |c| c.far.clone()) {
            link.up(self, chan);
        }
        self.media_changed();
    }

    // ----- Answer -----

    /// `__ast_answer`: answers `chan`; if it was Ring/Ringing, waits for the first media frame, at most
    /// max(`delay`, 500 ms) (with a `delay`, the whole of it). `Err` when the channel hangs up meanwhile
    /// (or is interrupted by an async goto).
    pub async fn answer(&self, chan: ChannelId, delay: Duration) -> Result<(), Interrupt> {
        let Some(old) = self.state(chan) else {
            return Err(Interrupt::Hangup);
        };
        self.raw_answer(chan);
        if !matches!(old, ChannelState::Ring | ChannelState::Ringing) {
            return Ok(());
        }
        let deadline = self.now() + delay.max(Duration::from_millis(500));
        // The deadline fires where this wait began among equal deadlines, however often it is woken:
        // in Asterisk each channel's thread times out its own wait, the one that began first first.
        let turn = self.timer_turn();
        // Only the media of a Local channel's far end depends on other channels (its peer, the peer's
        // bridge); a phone's depends on this channel alone, which is already up, so it needs no watching.
        let watched = delay.is_zero()
            && self
                .with_chan(chan, |c| matches!(c.far, FarEnd::Local { .. }))
                .unwrap_or(false);
        if watched {
            self.inner.media_waiters.borrow_mut().push((chan, None));
        }
        self.set_reading(chan, true);
        let result = loop {
            if let Some(i) = self.interrupt(chan) {
                break Err(i);
            }
            if delay.is_zero() {
                let queued_media = self
                    .with_chan(chan, |c| {
                        c.queue.iter().any(|f| {
                            matches!(f, Frame::Voice | Frame::DtmfBegin(_) | Frame::DtmfEnd(..))
                        })
                    })
                    .unwrap_or(false);
                if queued_media {
                    break Ok(());
                }
                let arrives = self.media_arrives_at(chan);
                if watched {
                    if let Some(w) = self
                        .inner
                        .media_waiters
                        .borrow_mut()
                        .iter_mut()
                        .find(|w| w.0 == chan)
                    {
                        w.1 = arrives;
                    }
                }
                if let Some(t) = arrives {
                    if t <= self.now() {
                        break Ok(());
                    }
                    if t <= deadline {
                        if self.wait(chan, Some(t)).await == Waited::Timeout {
                            break Ok(());
                        }
                        continue;
                    }
                }
            }
            if self.wait_in_turn(chan, deadline, turn).await == Waited::Timeout {
                break match self.interrupt(chan) {
                    Some(i) => Err(i),
                    None => Ok(()),
                };
            }
        };
        if watched {
            self.inner
                .media_waiters
                .borrow_mut()
                .retain(|w| w.0 != chan);
        }
        self.set_reading(chan, false);
        result
    }

    // ----- playback -----

    /// `ast_streamfile` + `ast_waitstream`: plays one prompt to `chan`. Publishes Asterisk's `Playing` line
    /// and a `DialsimPlayback` event naming who hears it.
    pub async fn play(&self, chan: ChannelId, file: &str) -> Result<Played, Interrupt> {
        let Some(duration) = self.start_prompt(chan, file)? else {
            return Ok(Played::Missing);
        };
        let r = self.sleep(chan, duration).await;
        self.with_chan_mut(chan, |c| c.playing = None);
        r.map(|()| Played::Done)
    }

    /// `ast_streamfile`: Asterisk's `Playing` line (or its warnings for a missing file) and the
    /// `DialsimPlayback` event; the prompt's length, or `None` when the file is missing.
    pub fn start_prompt(&self, chan: ChannelId, file: &str) -> Result<Option<Duration>, Interrupt> {
        let (name, lang) = self
            .with_chan(chan, |c| (c.name.clone(), c.language.clone()))
            .ok_or(Interrupt::Hangup)?;
        let known = self.prompts().get(file);
        let unknown = self.prompts().unknown;
        let duration = match (known, unknown) {
            (Some(d), _) => d,
            (None, UnknownPrompt::Default(d)) => {
                self.explain(
                    super::codes::UNKNOWN_PROMPT,
                    Some(chan),
                    &format!("the length of prompt '{file}' is unknown; it is taken as {} ms", d.as_millis()),
                    Some("give a sounds folder in the scenario so dialsim can read the real file's length"),
                );
                d
            }
            (None, UnknownPrompt::Missing) => {
                self.log(crate::diag::LogLevel::Warning, "file.c", || {
                    format!("File {file} does not exist in any format")
                });
                let fmt = if self
                    .with_chan(chan, |c| &*c.tech == "Local")
                    .unwrap_or(false)
                {
                    "(slin)"
                } else {
                    "(ulaw)"
                };
                self.log(crate::diag::LogLevel::Warning, "file.c", || {
                    format!("Unable to open {file} (format {fmt}): No such file or directory")
                });
                return Ok(None);
            }
        };
        let format = self.prompts().format.clone();
        self.verbose(3, "file.c", || {
            format!("<{name}> Playing '{file}.{format}' (language '{lang}')")
        });
        self.with_chan_mut(chan, |c| c.playing = Some(Rc::from(file)));
        self.media_changed();
        if self.bus().wants_dialsim() {
            let heard = self.listeners(chan);
            self.dialsim("DialsimPlayback", |f| {
                f.push("Channel", &*name);
                f.push("Prompt", file);
                f.push("DurationMs", duration.as_millis().to_string());
                let who: Vec<&str> = heard.iter().map(|h| &**h).collect();
                f.push("HeardBy", who.join(","));
            });
        }
        Ok(Some(duration))
    }

    // ----- DTMF -----

    /// `ast_dtmf_stream` out of `chan` (SendDTMF): 100 ms of silence, then per digit a tone of
    /// max(`duration`, 100 ms) and a gap of `between` (0 ⇒ 100 ms); `w` waits 500 ms, `W` 1 s; other
    /// characters are skipped with Asterisk's warning. The digits travel to the far end (from a Local `;2`
    /// they arrive on `;1`). `Err` on hangup.
    pub async fn send_dtmf(
        &self,
        chan: ChannelId,
        digits: &str,
        between: Duration,
        duration: Duration,
    ) -> Result<(), Interrupt> {
        let between = if between.is_zero() {
            Duration::from_millis(100)
        } else {
            between
        };
        let tone = duration.max(Duration::from_millis(100));
        self.sleep(chan, Duration::from_millis(100)).await?;
        for d in digits.chars() {
            match d {
                'w' => self.sleep(chan, Duration::from_millis(500)).await?,
                'W' => self.sleep(chan, Duration::from_millis(1000)).await?,
                'f' | 'F' => {
                    self.indicate(chan, super::channel::Control::Flash);
                    self.sleep(chan, between).await?;
                }
                d if "0123456789*#abcdABCD".contains(d) => {
                    self.write_frame(chan, Frame::DtmfBegin(d));
                    // Asterisk ignores a hangup during the tone itself; the gap after it notices.
                    let _ = self.sleep(chan, tone).await;
                    self.write_frame(chan, Frame::DtmfEnd(d, tone.as_millis() as u32));
                    self.sleep(chan, between).await?;
                }
                other => {
                    self.log(crate::diag::LogLevel::Warning, "app.c", || {
                        format!(
                            "Illegal DTMF character '{other}' in string. (0-9*#aAbBcCdD allowed)"
                        )
                    });
                }
            }
        }
        Ok(())
    }

    // ----- music on hold -----

    /// res_musiconhold starting music on a channel: verbose `Started music on hold, class '%s', on channel
    /// '%s'` and `MusicOnHoldStart` (with `Class`).
    pub fn moh_start(&self, chan: ChannelId, class: &str) {
        let Some(name) = self.chan_name(chan) else {
            return;
        };
        self.verbose(3, "res_musiconhold.c", || {
            format!("Started music on hold, class '{class}', on channel '{name}'")
        });
        self.with_chan_mut(chan, |c| c.moh = Some(Rc::from(class)));
        self.chan_event("MusicOnHoldStart", "call", chan, |f| {
            f.push("Class", class.to_string());
        });
        self.media_changed();
    }

    /// Stops music on hold: verbose `Stopped music on hold on %s` and `MusicOnHoldStop`.
    pub fn moh_stop(&self, chan: ChannelId) {
        let Some((name, playing)) = self.with_chan(chan, |c| (c.name.clone(), c.moh.is_some()))
        else {
            return;
        };
        if !playing {
            return;
        }
        self.with_chan_mut(chan, |c| c.moh = None);
        self.verbose(3, "res_musiconhold.c", || {
            format!("Stopped music on hold on {name}")
        });
        self.chan_event("MusicOnHoldStop", "call", chan, |_| {});
        self.media_changed();
    }
}
