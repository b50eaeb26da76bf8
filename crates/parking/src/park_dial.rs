//! The `park-dial` comeback extension res_parking writes when a parked call times out, and the dial-string
//! helpers behind it.
//!
//! At a timeout res_parking (re)creates `park-dial,<PARKER_FLAT>,1` = `Dial(<PARKER>,<comebackdialtime>)`,
//! owned by `res_parking`, whatever `comebacktoorigin` says — unless another registrar already answers that
//! name there. [res/parking/parking_bridge_features.c · parking_duration_callback;
//! res/parking/parking_controller.c · flatten_dial_string; main/channel.c · ast_channel_name_to_dial_string]

use crate::config::PARK_DIAL_CONTEXT;

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
}
