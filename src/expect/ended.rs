//! `ended_by = "30s"`: every channel had hung up by this time.

use super::record::Record;
use super::Miss;
use crate::scenario::runner::Finish;
use dialplan::engine::event::clock_text;
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct EndedExpect {
    pub by: Duration,
}

impl EndedExpect {
    pub fn check(&self, rec: &Record) -> Result<(), Miss> {
        let o = &rec.outcome;
        if o.finish == Finish::AllHungUp && o.ended <= self.by {
            return Ok(());
        }
        let expected = format!("every channel hung up by {}", clock_text(self.by));
        let happened = if o.finish == Finish::AllHungUp {
            format!("the last channel hung up at {}", clock_text(o.ended))
        } else {
            let mut s = format!(
                "the run stopped at {} ('until') with {} channel{} still up",
                clock_text(o.ended),
                o.channels_up.len(),
                if o.channels_up.len() == 1 { "" } else { "s" }
            );
            for c in &o.channels_up {
                s.push_str(&format!("\n  {} ({}) at {}", c.name, c.state, c.location));
            }
            s
        };
        Err(Miss::new(expected, happened).around(Some((self.by, o.ended.max(self.by)))))
    }
}
