//! `--format json`: one JSON object per line for every AMI event and every `Dialsim…` event, in order:
//! `"time"` first (seconds since the start of the run, a number with three decimals), then `"Event"`, then
//! the fields in AMI's order with AMI's names and string values. `Privilege` is left out. A key that repeats
//! in one event (`ChanVariable`) becomes an array of its values, at the place of its first occurrence.

use super::{write_all, Sink};
use dialplan::engine::{Event, EventBody, Interest, Subscriber};
use std::fmt::Write;

/// The JSON renderer.
pub struct Json {
    sink: Sink,
}

impl Json {
    pub fn new(sink: Sink) -> Json {
        Json { sink }
    }
}

impl Subscriber for Json {
    fn interest(&self) -> Interest {
        Interest {
            ami: true,
            log_verbosity: None,
            dialsim: true,
        }
    }

    fn on_event(&mut self, event: &Event) {
        if let Some(line) = render(event) {
            write_all(&self.sink, &line);
        }
    }
}

/// The JSON line of an AMI or Dialsim event (with its newline); `None` for log lines.
pub fn render(event: &Event) -> Option<String> {
    let f = match &event.body {
        EventBody::Ami(f) | EventBody::Dialsim(f) => f,
        EventBody::Log(_) => return None,
    };
    let ms = event.time.as_millis();
    let mut out = format!("{{\"time\":{}.{:03},\"Event\":", ms / 1000, ms % 1000);
    string(&mut out, &f.name);
    // Group repeated keys, keeping the order of first occurrence.
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::with_capacity(f.fields.len());
    for (k, v) in &f.fields {
        match groups.iter_mut().find(|(key, _)| *key == k.as_ref()) {
            Some((_, values)) => values.push(v),
            None => groups.push((k, vec![v])),
        }
    }
    for (k, values) in groups {
        out.push(',');
        string(&mut out, k);
        out.push(':');
        if let [one] = values.as_slice() {
            string(&mut out, one);
        } else {
            out.push('[');
            for (i, v) in values.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                string(&mut out, v);
            }
            out.push(']');
        }
    }
    out.push_str("}\n");
    Some(out)
}

/// Appends `s` as a JSON string.
fn string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use dialplan::engine::Fields;
    use std::time::Duration;

    #[test]
    fn time_first_then_event_then_fields() {
        let mut f = Fields::new("VarSet", "dialplan");
        f.push("Channel", "PJSIP/a-00000000")
            .push("Variable", "X")
            .push("Value", "say \"hi\"\\");
        let e = Event {
            time: Duration::from_millis(2806),
            body: EventBody::Ami(f),
        };
        assert_eq!(
            render(&e).unwrap(),
            "{\"time\":2.806,\"Event\":\"VarSet\",\"Channel\":\"PJSIP/a-00000000\",\"Variable\":\"X\",\"Value\":\"say \\\"hi\\\"\\\\\"}\n"
        );
    }

    #[test]
    fn repeated_keys_become_arrays() {
        let mut f = Fields::new("ParkedCall", "call");
        f.push("ChanVariable", "A=1")
            .push("Other", "x")
            .push("ChanVariable", "B=2");
        let e = Event {
            time: Duration::ZERO,
            body: EventBody::Ami(f),
        };
        assert_eq!(
            render(&e).unwrap(),
            "{\"time\":0.000,\"Event\":\"ParkedCall\",\"ChanVariable\":[\"A=1\",\"B=2\"],\"Other\":\"x\"}\n"
        );
    }
}
