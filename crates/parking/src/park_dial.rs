//! The `park-dial` comeback extension res_parking writes when a parked call times out, and the dial-string
//! helpers behind it.
//!
//! At a timeout res_parking (re)creates `park-dial,<PARKER_FLAT>,1` = `Dial(<PARKER>,<comebackdialtime>)`,
//! owned by `res_parking`, whatever `comebacktoorigin` says — unless another registrar already answers that
//! name there. [res/parking/parking_bridge_features.c · parking_duration_callback;
//! res/parking/parking_controller.c · flatten_dial_string; main/channel.c · ast_channel_name_to_dial_string]

use crate::config::{BASE_REGISTRAR, PARK_DIAL_CONTEXT};
use dialplan::diag::{LogLevel, LogLine};
use dialplan::model::{Dialplan, NewPriority, Replace};

/// The priority-1 extension of `park-dial` that calls the parker back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParkDialExtension {
    /// The context, always `park-dial`.
    pub context: &'static str,
    /// The flattened parker dial string (`PJSIP_alice`).
    pub exten: String,
    /// Always `Dial`.
    pub app: &'static str,
    /// `<parker dial string>,<comebackdialtime>` (`PJSIP/alice,30`), no options.
    pub data: String,
}

/// The parker's dial string: its channel name cut at the last `-` (`PJSIP/alice-00000001` → `PJSIP/alice`,
/// `Local/alice@parking-example-00000000;1` → `Local/alice@parking-example`). A name without `-` stays whole.
pub fn parker_dial_string(channel_name: &str) -> &str {
    channel_name
        .rfind('-')
        .map_or(channel_name, |dash| &channel_name[..dash])
}

/// `PARKER_FLAT`: every `/` of the dial string becomes `_`, nothing else changes.
pub fn flatten_dial_string(dial_string: &str) -> String {
    dial_string.replace('/', "_")
}

/// The comeback extension for a parker dial string and the lot's `comebackdialtime`.
pub fn park_dial_extension(parker_dial_string: &str, comebackdialtime: u32) -> ParkDialExtension {
    ParkDialExtension {
        context: PARK_DIAL_CONTEXT,
        exten: flatten_dial_string(parker_dial_string),
        app: "Dial",
        data: format!("{parker_dial_string},{comebackdialtime}"),
    }
}

/// What became of a comeback extension.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParkDialOutcome {
    /// Created, or replaced res_parking's earlier one.
    Registered,
    /// Something owned by another registrar (e.g. extensions.conf's `park-dial`) already answers the name;
    /// res_parking leaves it alone (and logs only at debug level).
    OwnedBy(String),
}

/// Puts the comeback extension into `park-dial` as res_parking does at a timeout: the context is found or
/// created (by `res_parking`); an existing match owned by another registrar is kept; otherwise priority 1 is
/// added, replacing res_parking's previous one. The error is Asterisk's log line when the add fails.
pub fn register_park_dial(
    dp: &mut Dialplan,
    ext: &ParkDialExtension,
) -> Result<ParkDialOutcome, LogLine> {
    dp.find_or_create_context(ext.context, BASE_REGISTRAR);
    if let Some(found) = dp.matches_any(ext.context, &ext.exten, 1) {
        let registrar = found.priority.registrar();
        if registrar != BASE_REGISTRAR {
            return Ok(ParkDialOutcome::OwnedBy(registrar.to_string()));
        }
    }
    let new = NewPriority {
        exten: &ext.exten,
        callerid: None,
        priority: 1,
        label: None,
        app: ext.app,
        data: &ext.data,
        registrar: BASE_REGISTRAR,
        source: None,
    };
    match dp.add_extension(ext.context, new, Replace::Yes) {
        Ok(_) => Ok(ParkDialOutcome::Registered),
        Err(_) => Err(LogLine::new(
            LogLevel::Error,
            "parking_bridge_features.c",
            format!(
                "Failed to create parking redial parker extension {}@{} - Dial({})",
                ext.exten, ext.context, ext.data
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dial_strings() {
        assert_eq!(parker_dial_string("PJSIP/alice-00000001"), "PJSIP/alice");
        assert_eq!(
            parker_dial_string("Local/alice@parking-example-00000000;1"),
            "Local/alice@parking-example"
        );
        assert_eq!(
            parker_dial_string("PJSIP/front-desk-0000000a"),
            "PJSIP/front-desk"
        );
        assert_eq!(parker_dial_string("alice"), "alice");
        assert_eq!(flatten_dial_string("PJSIP/alice"), "PJSIP_alice");
        assert_eq!(
            flatten_dial_string("Local/alice@parking-example"),
            "Local_alice@parking-example"
        );
        assert_eq!(flatten_dial_string("SIP/0004F2040001"), "SIP_0004F2040001");
    }

    #[test]
    fn comeback_extension() {
        let ext = park_dial_extension("PJSIP/alice", 20);
        assert_eq!(ext.context, "park-dial");
        assert_eq!(ext.exten, "PJSIP_alice");
        assert_eq!(ext.app, "Dial");
        assert_eq!(ext.data, "PJSIP/alice,20");
    }

    #[test]
    fn registering_creates_then_replaces() {
        let mut dp = Dialplan::new();
        let first = park_dial_extension("PJSIP/alice", 30);
        assert_eq!(
            register_park_dial(&mut dp, &first),
            Ok(ParkDialOutcome::Registered)
        );
        let again = park_dial_extension("PJSIP/alice", 20);
        assert_eq!(
            register_park_dial(&mut dp, &again),
            Ok(ParkDialOutcome::Registered)
        );
        let ctx = dp.context("park-dial").expect("created");
        assert_eq!(ctx.registrar(), "res_parking");
        let found = dp
            .matches_any("park-dial", "PJSIP_alice", 1)
            .expect("registered");
        assert_eq!(found.priority.app(), "Dial");
        assert_eq!(found.priority.data(), "PJSIP/alice,20");
        assert_eq!(found.priority.registrar(), "res_parking");
    }

    #[test]
    fn another_registrars_extension_is_kept() {
        let mut dp = Dialplan::new();
        dp.find_or_create_context("park-dial", "pbx_config");
        let user = NewPriority {
            exten: "_PJSIP_.",
            callerid: None,
            priority: 1,
            label: None,
            app: "NoOp",
            data: "mine",
            registrar: "pbx_config",
            source: None,
        };
        assert!(dp.add_extension("park-dial", user, Replace::No).is_ok());
        let ext = park_dial_extension("PJSIP/alice", 30);
        assert_eq!(
            register_park_dial(&mut dp, &ext),
            Ok(ParkDialOutcome::OwnedBy("pbx_config".to_string()))
        );
        let found = dp
            .matches_any("park-dial", "PJSIP_alice", 1)
            .expect("user's");
        assert_eq!(found.priority.data(), "mine");
    }
}
