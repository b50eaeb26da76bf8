//! The event bus: everything that happens in a run, in order, with its virtual time.
//!
//! Three kinds of event travel on one bus, so that every output (console trace, JSON, AMI, assertions) is a
//! view of the same sequence:
//! - [`EventBody::Ami`]: an AMI event with Asterisk 22's name, privilege class and ordered fields;
//! - [`EventBody::Log`]: a line Asterisk itself prints (verbose lines with their level, WARNINGs, NOTICEs);
//! - [`EventBody::Dialsim`]: dialsim's own events (`Dialsim…`), for what AMI does not show (a prompt playing
//!   and who hears it, a diagnostic, an explanation), in the same name + fields shape.
//!
//! Subscribers declare an [`Interest`]; the bus keeps the union of all interests in cheap flags, so a
//! producer asks [`EventBus::wants_ami`] (or `wants_log`, `wants_dialsim`) before it builds any field
//! string. An event nobody listens to costs one flag test.

use crate::diag::{LogLevel, LogLine};
use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

/// One event with the virtual time (since the start of the run) at which it happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub time: Duration,
    pub body: EventBody,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventBody {
    /// An AMI event as Asterisk 22 sends it.
    Ami(Fields),
    /// A line of Asterisk's console/log.
    Log(LogLine),
    /// dialsim's own event; its name starts with `Dialsim`.
    Dialsim(Fields),
}

/// A named event with ordered `Key: Value` fields (a key may repeat, e.g. `ChanVariable`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fields {
    pub name: Cow<'static, str>,
    /// The AMI privilege class (`call`, `dialplan`, `dtmf`, …); AMI shows `Privilege: <class>,all`.
    pub class: &'static str,
    pub fields: Vec<(Cow<'static, str>, String)>,
}

impl Fields {
    pub fn new(name: impl Into<Cow<'static, str>>, class: &'static str) -> Self {
        Fields {
            name: name.into(),
            class,
            fields: Vec::with_capacity(20),
        }
    }

    /// Appends a field.
    pub fn push(
        &mut self,
        key: impl Into<Cow<'static, str>>,
        value: impl Into<String>,
    ) -> &mut Self {
        self.fields.push((key.into(), value.into()));
        self
    }

    /// The first value of a field.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

impl Event {
    /// The event's name: the AMI/Dialsim name, or `Log` for a log line.
    pub fn name(&self) -> &str {
        match &self.body {
            EventBody::Ami(f) | EventBody::Dialsim(f) => &f.name,
            EventBody::Log(_) => "Log",
        }
    }

    /// The fields of an AMI or Dialsim event.
    pub fn fields(&self) -> Option<&Fields> {
        match &self.body {
            EventBody::Ami(f) | EventBody::Dialsim(f) => Some(f),
            EventBody::Log(_) => None,
        }
    }

    /// The log line, for a log event.
    pub fn log(&self) -> Option<&LogLine> {
        match &self.body {
            EventBody::Log(l) => Some(l),
            _ => None,
        }
    }
}

/// What a subscriber wants to receive.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Interest {
    pub ami: bool,
    /// Log lines: `None` = none; `Some(n)` = every non-verbose line and verbose lines of level ≤ n.
    pub log_verbosity: Option<u8>,
    pub dialsim: bool,
}

impl Interest {
    /// Everything, verbose lines of every level included.
    pub fn all() -> Self {
        Interest {
            ami: true,
            log_verbosity: Some(u8::MAX),
            dialsim: true,
        }
    }

    fn wants(&self, body: &EventBody) -> bool {
        match body {
            EventBody::Ami(_) => self.ami,
            EventBody::Dialsim(_) => self.dialsim,
            EventBody::Log(line) => match (self.log_verbosity, line.level) {
                (None, _) => false,
                (Some(v), LogLevel::Verbose(n)) => n <= v,
                (Some(_), _) => true,
            },
        }
    }
}

/// Receives events. Subscribers must not call back into the engine while handling an event.
pub trait Subscriber {
    fn interest(&self) -> Interest;
    fn on_event(&mut self, event: &Event);
}

/// The bus: subscribers plus the union of their interests.
#[derive(Default)]
pub struct EventBus {
    subscribers: RefCell<Vec<Box<dyn Subscriber>>>,
    ami: Cell<bool>,
    dialsim: Cell<bool>,
    /// -1: no log lines at all; otherwise the highest verbose level anyone wants.
    verbosity: Cell<i16>,
}

impl EventBus {
    pub fn new() -> Self {
        EventBus {
            verbosity: Cell::new(-1),
            ..Default::default()
        }
    }

    pub fn subscribe(&self, sub: Box<dyn Subscriber>) {
        let i = sub.interest();
        self.ami.set(self.ami.get() || i.ami);
        self.dialsim.set(self.dialsim.get() || i.dialsim);
        if let Some(v) = i.log_verbosity {
            self.verbosity.set(self.verbosity.get().max(i16::from(v)));
        }
        self.subscribers.borrow_mut().push(sub);
    }

    /// Whether anyone wants AMI events (check before building fields).
    #[inline]
    pub fn wants_ami(&self) -> bool {
        self.ami.get()
    }

    #[inline]
    pub fn wants_dialsim(&self) -> bool {
        self.dialsim.get()
    }

    /// Whether anyone wants a log line of this level (check before formatting the text).
    #[inline]
    pub fn wants_log(&self, level: LogLevel) -> bool {
        match level {
            LogLevel::Verbose(n) => i16::from(n) <= self.verbosity.get(),
            _ => self.verbosity.get() >= 0,
        }
    }

    pub fn publish(&self, event: Event) {
        // A subscriber that (wrongly) publishes while handling an event would find the list borrowed; its
        // event is dropped rather than panicking.
        let Ok(mut subs) = self.subscribers.try_borrow_mut() else {
            return;
        };
        for s in subs.iter_mut() {
            if s.interest().wants(&event.body) {
                s.on_event(&event);
            }
        }
    }
}

/// A subscriber that keeps every event it is interested in, shared with its creator.
#[derive(Clone)]
pub struct Recorder {
    interest: Interest,
    events: Rc<RefCell<Vec<Event>>>,
}

impl Recorder {
    /// A recorder and the shared list it fills.
    pub fn new(interest: Interest) -> (Recorder, Rc<RefCell<Vec<Event>>>) {
        let events = Rc::new(RefCell::new(Vec::new()));
        (
            Recorder {
                interest,
                events: events.clone(),
            },
            events,
        )
    }
}

impl Subscriber for Recorder {
    fn interest(&self) -> Interest {
        self.interest
    }

    fn on_event(&mut self, event: &Event) {
        self.events.borrow_mut().push(event.clone());
    }
}

/// Formats a virtual time as `HH:MM:SS.mmm`.
pub fn clock_text(t: Duration) -> String {
    let ms = t.as_millis();
    let (h, rest) = (ms / 3_600_000, ms % 3_600_000);
    let (m, rest) = (rest / 60_000, rest % 60_000);
    format!("{h:02}:{m:02}:{:02}.{:03}", rest / 1000, rest % 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interest_flags_are_the_union() {
        let bus = EventBus::new();
        assert!(!bus.wants_ami());
        assert!(!bus.wants_log(LogLevel::Warning));
        let (rec, events) = Recorder::new(Interest {
            ami: false,
            log_verbosity: Some(3),
            dialsim: false,
        });
        bus.subscribe(Box::new(rec));
        assert!(bus.wants_log(LogLevel::Verbose(3)));
        assert!(!bus.wants_log(LogLevel::Verbose(4)));
        assert!(bus.wants_log(LogLevel::Warning));
        assert!(!bus.wants_ami());
        bus.publish(Event {
            time: Duration::ZERO,
            body: EventBody::Log(LogLine::new(LogLevel::Verbose(4), "pbx.c", "deep")),
        });
        bus.publish(Event {
            time: Duration::ZERO,
            body: EventBody::Log(LogLine::new(LogLevel::Verbose(2), "pbx.c", "shallow")),
        });
        assert_eq!(events.borrow().len(), 1);
    }

    #[test]
    fn clock_text_pads() {
        assert_eq!(clock_text(Duration::from_millis(3_723_004)), "01:02:03.004");
    }
}
