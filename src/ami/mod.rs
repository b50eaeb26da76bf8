//! Asterisk's Manager Interface (AMI) actions, answered from a running engine as Asterisk 22's
//! `main/manager.c` and the modules' action handlers answer them.
//!
//! This layer knows nothing of sockets: a request is a [`Message`], the answer a [`Reply`] (the response
//! block, then any list events). A scenario's `[[actions]] ami = { … }` entries and the network server both
//! call [`execute`]. One file per action lives in [`actions`], each registered once in its table.

pub mod actions;
mod message;

pub use message::Message;

use crate::asterisk_cli::CliContext;
use dialplan::engine::Engine;

/// What an action may use: the engine and the loaded modules.
pub struct AmiContext<'a> {
    pub engine: &'a Engine,
    pub modules: &'a CliContext,
}

/// The answer to one action: the response block, then the events a list action sends after it (its
/// `…Complete` event included), in the order Asterisk writes them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reply {
    pub response: Message,
    pub events: Vec<Message>,
}

impl Reply {
    /// `Response: Success`, the request's `ActionID` echoed, and `Message: msg` when given
    /// (`astman_send_response_full`).
    pub fn success(request: &Message, msg: Option<&str>) -> Reply {
        Reply::respond(request, "Success", msg)
    }

    /// `Response: Success`, `EventList: start` and `Message: msg` (`astman_send_listack`).
    pub fn list_ack(request: &Message, msg: &str) -> Reply {
        let mut m = Message::new();
        m.push("Response", "Success");
        echo_action_id(request, &mut m);
        m.push("EventList", "start");
        m.push("Message", msg);
        Reply {
            response: m,
            events: Vec::new(),
        }
    }

    /// The event that ends a list (`astman_send_list_complete_start`): `Event`, `ActionID`,
    /// `EventList: Complete`, `ListItems`.
    pub fn list_complete(request: &Message, event: &str, count: usize) -> Message {
        let mut m = Message::new();
        m.push("Event", event);
        echo_action_id(request, &mut m);
        m.push("EventList", "Complete");
        m.push("ListItems", count.to_string());
        m
    }

    /// `Response: Error` with `Message: msg` (`astman_send_error`).
    pub fn error(request: &Message, msg: &str) -> Reply {
        Reply::respond(request, "Error", Some(msg))
    }

    fn respond(request: &Message, response: &str, msg: Option<&str>) -> Reply {
        let mut m = Message::new();
        m.push("Response", response);
        echo_action_id(request, &mut m);
        if let Some(msg) = msg {
            m.push("Message", msg);
        }
        Reply {
            response: m,
            events: Vec::new(),
        }
    }

    /// The reply as it goes over the wire: each block `Key: Value\r\n` lines and a blank line.
    pub fn to_wire(&self) -> String {
        let mut out = self.response.to_wire();
        for e in &self.events {
            out.push_str(&e.to_wire());
        }
        out
    }
}

/// Copies the request's non-empty `ActionID` into `out`, as every manager reply does.
fn echo_action_id(request: &Message, out: &mut Message) {
    if let Some(id) = request.get("ActionID").filter(|id| !id.is_empty()) {
        out.push("ActionID", id);
    }
}

/// Runs the action `request` names. Names are matched without regard to case, as Asterisk matches them;
/// a request without `Action` and an unknown action get Asterisk's error responses.
pub fn execute(ctx: &AmiContext<'_>, request: &Message) -> Reply {
    let Some(action) = request.get("Action").filter(|a| !a.is_empty()) else {
        return Reply::error(request, "Missing action in request");
    };
    match actions::find(action) {
        Some(def) => (def.run)(ctx, request),
        None => unknown_action(request),
    }
}

/// The answer to an action nobody registered (also a module's action while the module is not loaded).
pub fn unknown_action(request: &Message) -> Reply {
    let action = request.get("Action").unwrap_or_default();
    Reply::error(
        request,
        &format!(
            "Invalid/unknown command: {action}. Use Action: ListCommands to show available commands."
        ),
    )
}

/// dialsim's notes about AMI actions (listed with the run layer's codes, `crate::scenario::CODES`).
pub mod codes {
    use dialplan::diag::Code;
    pub const NOT_SIMULATED: Code = Code("run/ami-not-simulated");
}

/// The virtual wall-clock time as AMI prints timestamps: `<seconds>.<6-digit microseconds>`.
pub fn timestamp(engine: &Engine) -> String {
    let now = engine.now();
    format!(
        "{}.{:06}",
        engine.config().epoch + now.as_secs() as i64,
        now.subsec_micros()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use dialplan::engine::EngineConfig;
    use dialplan::model::Dialplan;

    fn answer(request: &[(&str, &str)]) -> String {
        let engine = Engine::new(EngineConfig::default(), Box::new(Dialplan::default()));
        let modules = CliContext {
            features: features::FeaturesModule::new(features::FeaturesConfig::default()),
            parking: None,
            running: std::cell::RefCell::new(crate::reload::Running {
                folder: None,
                fingerprints: Default::default(),
                pbx_config: crate::config::ModuleState::Running,
            }),
        };
        let ctx = AmiContext {
            engine: &engine,
            modules: &modules,
        };
        execute(&ctx, &Message::from_pairs(request.iter().copied())).to_wire()
    }

    #[test]
    fn ping_answers_pong_with_the_virtual_time_and_echoes_the_action_id() {
        assert_eq!(
            answer(&[("Action", "ping"), ("ActionID", "42")]),
            "Response: Success\r\nActionID: 42\r\nPing: Pong\r\nTimestamp: 1700000000.000000\r\n\r\n"
        );
    }

    #[test]
    fn parking_actions_do_not_exist_without_res_parking() {
        for action in ["Park", "ParkedCalls", "Parkinglots"] {
            assert_eq!(
                answer(&[("Action", action)]),
                format!("Response: Error\r\nMessage: Invalid/unknown command: {action}. Use Action: ListCommands to show available commands.\r\n\r\n")
            );
        }
    }

    #[test]
    fn hangup_and_redirect_check_their_headers_first() {
        assert_eq!(
            answer(&[("Action", "Hangup")]),
            "Response: Error\r\nMessage: No channel specified\r\n\r\n"
        );
        assert_eq!(
            answer(&[("Action", "Hangup"), ("Channel", "PJSIP/x-00000000")]),
            "Response: Error\r\nMessage: No such channel\r\n\r\n"
        );
        for (headers, message) in [
            (vec![], "Channel not specified"),
            (vec![("Channel", "PJSIP/x")], "Context not specified"),
            (
                vec![("Channel", "PJSIP/x"), ("Context", "c")],
                "Exten not specified",
            ),
            (
                vec![("Channel", "PJSIP/x"), ("Context", "c"), ("Exten", "s")],
                "Priority not specified",
            ),
            (
                vec![
                    ("Channel", "PJSIP/x"),
                    ("Context", "c"),
                    ("Exten", "s"),
                    ("Priority", "0"),
                ],
                "Priority is invalid",
            ),
            (
                vec![
                    ("Channel", "PJSIP/x"),
                    ("Context", "c"),
                    ("Exten", "s"),
                    ("Priority", "1"),
                ],
                "Channel does not exist: PJSIP/x",
            ),
        ] {
            let mut request = vec![("Action", "Redirect")];
            request.extend(headers);
            assert_eq!(
                answer(&request),
                format!("Response: Error\r\nMessage: {message}\r\n\r\n")
            );
        }
    }

    #[test]
    fn unknown_and_missing_actions_get_asterisks_errors() {
        assert_eq!(
            answer(&[("Action", "Frobnicate")]),
            "Response: Error\r\nMessage: Invalid/unknown command: Frobnicate. Use Action: ListCommands to show available commands.\r\n\r\n"
        );
        assert_eq!(
            answer(&[("ActionID", "7")]),
            "Response: Error\r\nActionID: 7\r\nMessage: Missing action in request\r\n\r\n"
        );
    }
}
