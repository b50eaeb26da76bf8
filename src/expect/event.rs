//! `event = "Name"` (with `fields`, `channel`) and `log = "text"`: an event or Asterisk log line seen at
//! a time (± `tolerance`), within a window (`after`, `before`), a number of times (`count`), or never
//! (`never = true`).

use super::record::{EventMatcher, Record};
use super::{time_list, times, Miss, Presence, Timing};
use dialplan::engine::event::clock_text;
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct EventExpect {
    pub matcher: EventMatcher,
    pub timing: Timing,
    /// Exactly this many; absent: at least one.
    pub count: Option<usize>,
    pub presence: Presence,
}

impl EventExpect {
    pub fn check(&self, rec: &Record) -> Result<(), Miss> {
        let all: Vec<Duration> = rec.matching(&self.matcher).map(|e| e.time).collect();
        let inside: Vec<Duration> = all
            .iter()
            .copied()
            .filter(|t| self.timing.contains(*t))
            .collect();
        let what = self.matcher.describe();
        let when = self.timing.describe();
        match (self.presence, self.count) {
            (Presence::Never, _) => {
                if inside.is_empty() {
                    return Ok(());
                }
                Err(Miss::new(
                    format!("never {what}{when}"),
                    format!("seen {} at {}", times(inside.len()), time_list(&inside)),
                )
                .around(Some((inside[0], inside[0]))))
            }
            (Presence::Seen, Some(n)) => {
                if inside.len() == n {
                    return Ok(());
                }
                Err(Miss::new(
                    format!("{what}{when}, exactly {}", times(n)),
                    self.seen_instead(rec, &all, &inside),
                )
                .around(self.timing.window().or(inside.first().map(|t| (*t, *t)))))
            }
            (Presence::Seen, None) => {
                if !inside.is_empty() {
                    return Ok(());
                }
                Err(Miss::new(
                    format!("{what}{when}"),
                    self.seen_instead(rec, &all, &inside),
                )
                .around(self.timing.window().or(all.first().map(|t| (*t, *t)))))
            }
        }
    }

    /// What happened instead, in words.
    fn seen_instead(&self, rec: &Record, all: &[Duration], inside: &[Duration]) -> String {
        if !inside.is_empty() {
            return format!("seen {} at {}", times(inside.len()), time_list(inside));
        }
        if !all.is_empty() {
            return format!(
                "seen {} but never{}: at {}",
                times(all.len()),
                self.timing.describe(),
                time_list(all)
            );
        }
        near_misses(&self.matcher, rec)
    }
}

/// For an event that never matched: the events of the same name and what their fields were, or that
/// there were none at all.
pub fn near_misses(m: &EventMatcher, rec: &Record) -> String {
    let same: Vec<_> = rec.events.iter().filter(|e| m.same_kind(e)).collect();
    if m.log.is_some() {
        return "no log line contains that text".to_string();
    }
    let name = m.name.as_deref().unwrap_or("?");
    if same.is_empty() {
        return format!("no {name} event at all");
    }
    let mut s = format!(
        "{} {name} event{}, none matching:",
        same.len(),
        if same.len() == 1 { "" } else { "s" }
    );
    for e in same.iter().take(5) {
        s.push_str(&format!(
            "\n  at {}: {}",
            clock_text(e.time),
            m.what_it_had(e)
        ));
    }
    if same.len() > 5 {
        s.push_str(&format!("\n  and {} more", same.len() - 5));
    }
    s
}
