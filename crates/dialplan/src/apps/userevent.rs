//! `UserEvent(eventname[,key1: value1[,...]])` (apps/app_userevent.c): publishes the AMI event
//! `UserEvent` (class `user`) with the channel's snapshot, `UserEvent: <eventname>` and one field per
//! `key: value` argument (main/stasis.c multi_user_event_to_ami). Arguments without `:` are skipped; the
//! value is trimmed, the key is not. The fields form a JSON object in Asterisk, so a repeated key keeps its
//! first place with its last value, and a key `eventname` renames the event instead of adding a field.

use super::args::standard_args;
use crate::diag::LogLevel;
use crate::engine::{App, AppResult, ChannelId, Engine, Exec};

pub struct UserEvent;

/// The event's name and its body fields in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed {
    pub name: String,
    pub fields: Vec<(String, String)>,
}

/// Parses UserEvent's argument (not empty).
pub fn parse(data: &str) -> Parsed {
    // AST_APP_ARG(eventname) + AST_APP_ARG(extra)[100]: at most 101 arguments.
    let args = standard_args(data, 101);
    let mut name = args.first().cloned().unwrap_or_default();
    let mut fields: Vec<(String, String)> = Vec::new();
    for extra in args.iter().skip(1) {
        let Some((key, value)) = extra.split_once(':') else {
            continue;
        };
        let value = value.trim_matches(|c: char| c.is_ascii_whitespace() || c == '\u{b}');
        if key == "eventname" {
            name = value.to_string();
        } else if let Some(slot) = fields.iter_mut().find(|(k, _)| k == key) {
            slot.1 = value.to_string();
        } else {
            fields.push((key.to_string(), value.to_string()));
        }
    }
    Parsed { name, fields }
}

impl App for UserEvent {
    fn name(&self) -> &'static str {
        "UserEvent"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        if data.is_empty() {
            engine.log(LogLevel::Warning, "app_userevent.c", || {
                "UserEvent requires an argument (eventname,optional event body)".to_string()
            });
            return Exec::Done(AppResult::Hangup);
        }
        let p = parse(data);
        engine.chan_event("UserEvent", "user", chan, |f| {
            f.push("UserEvent", p.name);
            for (k, v) in p.fields {
                f.push(k, v);
            }
        });
        Exec::Done(AppResult::Continue)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_follow_the_json_object() {
        let p = parse("Mark,a: 1,junk,b:  two  ,a:3,eventname: Renamed, c : x");
        assert_eq!(p.name, "Renamed");
        assert_eq!(
            p.fields,
            [
                ("a".to_string(), "3".to_string()),
                ("b".to_string(), "two".to_string()),
                (" c ".to_string(), "x".to_string()),
            ]
        );
        assert_eq!(parse("Only").fields, []);
    }
}
