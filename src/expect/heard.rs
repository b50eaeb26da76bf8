//! `heard = "prompt"` (with `by`, `channel`, timing, `count`, `never`): a prompt played and who heard it,
//! from dialsim's `DialsimPlayback` events (`Channel` plays it, `HeardBy` lists the devices' channels it
//! reached).

use super::record::{Record, Who};
use super::{time_list, times, Miss, Presence, Timing};
use dialplan::engine::event::clock_text;
use dialplan::engine::Event;
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct HeardExpect {
    /// The prompt as `Playback` names it: `hello-world`, `digits/7`.
    pub prompt: String,
    /// Who heard it (a device or channel among `HeardBy`).
    pub by: Option<Who>,
    /// The channel it was played on.
    pub channel: Option<Who>,
    pub timing: Timing,
    pub count: Option<usize>,
    pub presence: Presence,
}

impl HeardExpect {
    fn played(&self, e: &Event) -> bool {
        e.fields()
            .is_some_and(|f| f.name == "DialsimPlayback" && f.get("Prompt") == Some(&self.prompt))
    }

    fn heard_here(&self, e: &Event, rec: &Record) -> bool {
        let Some(f) = e.fields() else { return false };
        let by_ok = self.by.as_ref().is_none_or(|w| {
            f.get("HeardBy")
                .unwrap_or_default()
                .split(',')
                .any(|c| !c.is_empty() && w.matches(c, rec))
        });
        let on_ok = self
            .channel
            .as_ref()
            .is_none_or(|w| f.get("Channel").is_some_and(|c| w.matches(c, rec)));
        by_ok && on_ok
    }

    pub fn check(&self, rec: &Record) -> Result<(), Miss> {
        let played: Vec<&Event> = rec.events.iter().filter(|e| self.played(e)).collect();
        let hits: Vec<Duration> = played
            .iter()
            .filter(|e| self.timing.contains(e.time) && self.heard_here(e, rec))
            .map(|e| e.time)
            .collect();
        let what = format!("the prompt '{}'", self.prompt);
        let verb = match (&self.channel, &self.by) {
            (Some(c), Some(b)) => format!("played on {} and heard by {}", c.0, b.0),
            (Some(c), None) => format!("played on {}", c.0),
            (None, Some(b)) => format!("heard by {}", b.0),
            (None, None) => "played".to_string(),
        };
        let when = self.timing.describe();
        let ok = match (self.presence, self.count) {
            (Presence::Never, _) => hits.is_empty(),
            (Presence::Seen, Some(n)) => hits.len() == n,
            (Presence::Seen, None) => !hits.is_empty(),
        };
        if ok {
            return Ok(());
        }
        let expected = match (self.presence, self.count) {
            (Presence::Never, _) => format!("{what} never {verb}{when}"),
            (Presence::Seen, Some(n)) => format!("{what} {verb}{when}, exactly {}", times(n)),
            (Presence::Seen, None) => format!("{what} {verb}{when}"),
        };
        let happened = if !hits.is_empty() {
            format!("{verb} {} at {}", times(hits.len()), time_list(&hits))
        } else if played.is_empty() {
            let all: Vec<String> = rec
                .events
                .iter()
                .filter_map(|e| e.fields().filter(|f| f.name == "DialsimPlayback"))
                .filter_map(|f| f.get("Prompt").map(str::to_string))
                .collect();
            if all.is_empty() {
                "no prompt was played at all".to_string()
            } else {
                format!(
                    "'{}' was never played; the prompts played were: {}",
                    self.prompt,
                    all.join(", ")
                )
            }
        } else {
            let mut s = format!(
                "'{}' was played {}, never as expected:",
                self.prompt,
                times(played.len())
            );
            for e in played.iter().take(5) {
                let f = e.fields();
                let on = f.and_then(|f| f.get("Channel")).unwrap_or_default();
                let by = f.and_then(|f| f.get("HeardBy")).unwrap_or_default();
                s.push_str(&format!(
                    "\n  at {} on {on}, heard by {}",
                    clock_text(e.time),
                    if by.is_empty() { "nobody" } else { by }
                ));
            }
            s
        };
        let window = self
            .timing
            .window()
            .or(hits.first().map(|t| (*t, *t)))
            .or(played.first().map(|e| (e.time, e.time)));
        Err(Miss::new(expected, happened).around(window))
    }
}
