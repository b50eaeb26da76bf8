//! `reached = "context,exten[,priority|label]"` (with `channel`, timing, `never`): a channel executed that
//! dialplan location (a `Newexten` event there).

use super::record::{Record, Who};
use super::{time_list, Miss, Presence, Timing};
use dialplan::engine::event::clock_text;
use dialplan::engine::Event;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Prio {
    Number(i32),
    /// A priority label, resolved on the loaded dialplan before the run.
    Label(String),
}

#[derive(Clone, Debug)]
pub struct ReachedExpect {
    pub context: String,
    pub exten: String,
    /// Absent: any priority of the extension.
    pub priority: Option<Prio>,
    pub channel: Option<Who>,
    pub timing: Timing,
    pub presence: Presence,
}

impl ReachedExpect {
    /// The location as written: `parkedcalls,701,1`.
    pub fn location(&self) -> String {
        match &self.priority {
            None => format!("{},{}", self.context, self.exten),
            Some(Prio::Number(n)) => format!("{},{},{n}", self.context, self.exten),
            Some(Prio::Label(l)) => format!("{},{},{l}", self.context, self.exten),
        }
    }

    fn resolved(&self, rec: &Record) -> Result<Option<i32>, Miss> {
        match &self.priority {
            None => Ok(None),
            Some(Prio::Number(n)) => Ok(Some(*n)),
            Some(Prio::Label(l)) => {
                let key = (self.context.clone(), self.exten.clone(), l.clone());
                match rec.labels.iter().find(|(k, _)| *k == key).and_then(|(_, p)| *p) {
                    Some(p) => Ok(Some(p)),
                    None => Err(Miss::new(
                        format!("the dialplan location {}", self.location()),
                        format!(
                            "the dialplan has no priority labelled '{l}' in extension '{}' of context '{}'",
                            self.exten, self.context
                        ),
                    )),
                }
            }
        }
    }

    fn at_location(&self, e: &Event, prio: Option<i32>, rec: &Record) -> bool {
        let Some(f) = e.fields() else { return false };
        f.name == "Newexten"
            && f.get("Context") == Some(self.context.as_str())
            && f.get("Extension") == Some(self.exten.as_str())
            && prio.is_none_or(|p| f.get("Priority") == Some(p.to_string().as_str()))
            && self
                .channel
                .as_ref()
                .is_none_or(|w| f.get("Channel").is_some_and(|c| w.matches(c, rec)))
    }

    pub fn check(&self, rec: &Record) -> Result<(), Miss> {
        let prio = self.resolved(rec)?;
        let hits: Vec<_> = rec
            .events
            .iter()
            .filter(|e| self.timing.contains(e.time) && self.at_location(e, prio, rec))
            .map(|e| e.time)
            .collect();
        let who = self
            .channel
            .as_ref()
            .map_or("a channel".to_string(), |w| w.0.clone());
        let when = self.timing.describe();
        let place = match (&self.priority, prio) {
            (Some(Prio::Label(_)), Some(p)) => format!("{} (priority {p})", self.location()),
            _ => self.location(),
        };
        match self.presence {
            Presence::Never if hits.is_empty() => Ok(()),
            Presence::Never => Err(Miss::new(
                format!("{who} never reaches {place}{when}"),
                format!("reached at {}", time_list(&hits)),
            )
            .around(hits.first().map(|t| (*t, *t)))),
            Presence::Seen if !hits.is_empty() => Ok(()),
            Presence::Seen => Err(Miss::new(
                format!("{who} reaches {place}{when}"),
                self.where_instead(rec),
            )
            .around(self.timing.window())),
        }
    }

    /// The last locations the channel(s) executed, so the reader sees where the call went instead.
    fn where_instead(&self, rec: &Record) -> String {
        let steps: Vec<String> = rec
            .events
            .iter()
            .filter(|e| e.name() == "Newexten")
            .filter_map(|e| {
                let f = e.fields()?;
                let chan = f.get("Channel")?;
                if let Some(w) = &self.channel {
                    if !w.matches(chan, rec) {
                        return None;
                    }
                }
                Some(format!(
                    "{} {chan} at {},{},{} {}({})",
                    clock_text(e.time),
                    f.get("Context")?,
                    f.get("Extension")?,
                    f.get("Priority")?,
                    f.get("Application").unwrap_or_default(),
                    f.get("AppData").unwrap_or_default()
                ))
            })
            .collect();
        if steps.is_empty() {
            return match &self.channel {
                Some(w) => format!("{} executed no dialplan at all", w.0),
                None => "no channel executed any dialplan".to_string(),
            };
        }
        let skip = steps.len().saturating_sub(6);
        let mut s = String::from("never there; the dialplan steps executed");
        if skip > 0 {
            s.push_str(&format!(" (the last 6 of {})", steps.len()));
        }
        s.push(':');
        for l in &steps[skip..] {
            s.push_str("\n  ");
            s.push_str(l);
        }
        s
    }
}
