//! `--format ami`: AMI event blocks as Asterisk's manager interface writes them with `timestampevents = yes`:
//! `Event:`, `Privilege: <class>,all`, `Timestamp: <Unix seconds with 6 decimals>`, the fields in order, and a
//! blank line; LF line endings. Only AMI events are written (dialsim's own events are not AMI's), and the
//! responses to a scenario's `ami` actions, where Asterisk would write them to the client.

use super::{write_all, Sink};
use dialplan::engine::{Event, EventBody, Interest, Subscriber};

/// The AMI renderer; `epoch` is the Unix time of the run's 0 s.
pub struct Ami {
    sink: Sink,
    epoch: i64,
}

impl Ami {
    pub fn new(sink: Sink, epoch: i64) -> Ami {
        Ami { sink, epoch }
    }
}

impl Subscriber for Ami {
    fn interest(&self) -> Interest {
        Interest {
            ami: true,
            log_verbosity: None,
            // Only for the responses to a scenario's AMI actions (`DialsimAmi`).
            dialsim: true,
        }
    }

    fn on_event(&mut self, event: &Event) {
        if let Some(block) = render(event, self.epoch) {
            write_all(&self.sink, &block);
        }
    }
}

/// The AMI block of an AMI event, or the response blocks answering a scenario's AMI action (as the
/// manager writes them to the client that sent it); `None` for anything else.
pub fn render(event: &Event, epoch: i64) -> Option<String> {
    let f = match &event.body {
        EventBody::Ami(f) => f,
        EventBody::Dialsim(f) if f.name == "DialsimAmi" => {
            return f.get("Reply").map(|r| r.replace("\r\n", "\n"));
        }
        _ => return None,
    };
    let micros = event.time.as_micros();
    let secs = epoch + (micros / 1_000_000) as i64;
    let mut out = format!(
        "Event: {}\nPrivilege: {},all\nTimestamp: {secs}.{:06}\n",
        f.name,
        f.class,
        micros % 1_000_000
    );
    for (k, v) in &f.fields {
        out.push_str(k);
        out.push_str(": ");
        out.push_str(v);
        out.push('\n');
    }
    out.push('\n');
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use dialplan::engine::Fields;
    use std::time::Duration;

    #[test]
    fn block_layout() {
        let mut f = Fields::new("Newstate", "call");
        f.push("Channel", "PJSIP/a-00000000")
            .push("AccountCode", "");
        let e = Event {
            time: Duration::from_millis(2806),
            body: EventBody::Ami(f),
        };
        assert_eq!(
            render(&e, 1_700_000_000).unwrap(),
            "Event: Newstate\nPrivilege: call,all\nTimestamp: 1700000002.806000\nChannel: PJSIP/a-00000000\nAccountCode: \n\n"
        );
    }
}
