//! `order = ["ParkedCall", { event = "UnParkedCall", fields = { … } }, …]`: events happen in this order
//! (each after the previous one; other events may come between).

use super::event::near_misses;
use super::record::{EventMatcher, Record};
use super::Miss;
use dialplan::engine::event::clock_text;

#[derive(Clone, Debug)]
pub struct OrderExpect {
    pub steps: Vec<EventMatcher>,
}

impl OrderExpect {
    pub fn check(&self, rec: &Record) -> Result<(), Miss> {
        let mut from = 0;
        let mut found = Vec::new();
        for (i, step) in self.steps.iter().enumerate() {
            let hit = rec.events[from..]
                .iter()
                .position(|e| step.matches(e, rec))
                .map(|p| p + from);
            let Some(at) = hit else {
                let expected = self
                    .steps
                    .iter()
                    .enumerate()
                    .map(|(n, s)| format!("{}. {}", n + 1, s.describe()))
                    .collect::<Vec<_>>()
                    .join("\n");
                let earlier = rec.events[..from]
                    .iter()
                    .find(|e| step.matches(e, rec))
                    .map(|e| e.time);
                let mut happened = found
                    .iter()
                    .enumerate()
                    .map(|(n, t)| format!("step {} seen at {}", n + 1, clock_text(*t)))
                    .collect::<Vec<_>>();
                happened.push(match earlier {
                    Some(t) => format!(
                        "step {} ({}) only seen earlier, at {}",
                        i + 1,
                        step.describe(),
                        clock_text(t)
                    ),
                    None => format!(
                        "step {} ({}) never seen after that: {}",
                        i + 1,
                        step.describe(),
                        near_misses(step, rec)
                    ),
                });
                let last = found.last().copied();
                return Err(
                    Miss::new(format!("in this order:\n{expected}"), happened.join("\n"))
                        .around(last.or(earlier).map(|t| (t, t))),
                );
            };
            found.push(rec.events[at].time);
            from = at + 1;
        }
        Ok(())
    }
}
