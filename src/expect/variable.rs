//! `variable = "NAME"`, `value = "…"`, `channel = "PJSIP/alice"`, `at = "3s"` or `at = "hangup"` (the
//! default): a channel variable's value at a time or when the channel hung up, from the `VarSet` events.

use super::record::{Record, Who};
use super::Miss;
use dialplan::engine::event::clock_text;
use std::time::Duration;

/// When the value is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadAt {
    Time(Duration),
    /// The channel's hangup (or the end of the run for a channel still up).
    Hangup,
}

#[derive(Clone, Debug)]
pub struct VariableExpect {
    pub name: String,
    pub value: String,
    pub channel: Who,
    pub at: ReadAt,
}

impl VariableExpect {
    pub fn check(&self, rec: &Record) -> Result<(), Miss> {
        let chans: Vec<&str> = rec
            .channels()
            .into_iter()
            .filter(|c| self.channel.matches(c, rec))
            .collect();
        let when = match self.at {
            ReadAt::Time(t) => format!("at {}", clock_text(t)),
            ReadAt::Hangup => "when it hangs up".to_string(),
        };
        let expected = format!(
            "{} = \"{}\" on {} {when}",
            self.name, self.value, self.channel.0
        );
        if chans.is_empty() {
            let all = rec.channels();
            return Err(Miss::new(
                expected,
                format!(
                    "no channel of {} existed (channels: {})",
                    self.channel.0,
                    if all.is_empty() {
                        "none".to_string()
                    } else {
                        all.join(", ")
                    }
                ),
            ));
        }
        let mut seen = Vec::new();
        for chan in &chans {
            let (value, moment) = self.value_on(rec, chan);
            if value.as_deref() == Some(self.value.as_str()) {
                return Ok(());
            }
            seen.push((chan.to_string(), value, moment));
        }
        let happened = seen
            .iter()
            .map(|(c, v, m)| match v {
                Some(v) => format!("{c}: {} = \"{v}\" {m}", self.name),
                None => format!("{c}: {} was never set {m}", self.name),
            })
            .collect::<Vec<_>>()
            .join("\n");
        let window = match self.at {
            ReadAt::Time(t) => Some((t, t)),
            ReadAt::Hangup => None,
        };
        Err(Miss::new(expected, happened).around(window))
    }

    /// The value on one channel at the moment asked for, and that moment in words.
    fn value_on(&self, rec: &Record, chan: &str) -> (Option<String>, String) {
        let mut value = None;
        for e in &rec.events {
            if let ReadAt::Time(t) = self.at {
                if e.time > t {
                    break;
                }
            }
            let Some(f) = e.fields() else { continue };
            if f.get("Channel") != Some(chan) {
                continue;
            }
            match &*f.name {
                "VarSet" if f.get("Variable") == Some(self.name.as_str()) => {
                    value = f.get("Value").map(str::to_string);
                }
                "Hangup" if self.at == ReadAt::Hangup => {
                    return (value, format!("at its hangup ({})", clock_text(e.time)));
                }
                _ => {}
            }
        }
        let moment = match self.at {
            ReadAt::Time(t) => format!("at {}", clock_text(t)),
            ReadAt::Hangup => "at the end of the run (it never hung up)".to_string(),
        };
        (value, moment)
    }
}
