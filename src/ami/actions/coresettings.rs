//! `CoreSettings`: the AMI and Asterisk versions and the core options (`action_coresettings`), with the
//! values of a default Asterisk 22 installation.

use super::ActionDef;
use crate::ami::{AmiContext, Message, Reply};

pub const DEF: ActionDef = ActionDef {
    name: "CoreSettings",
    privilege: &["system", "reporting"],
    synopsis: "Show PBX core settings (version etc).",
    run,
};

/// The Asterisk version dialsim follows.
pub const ASTERISK_VERSION: &str = "22.10.1";
/// Its AMI version (the greeting's).
pub const AMI_VERSION: &str = "11.0.0";

fn run(_ctx: &AmiContext<'_>, m: &Message) -> Reply {
    let mut r = Reply::success(m, None);
    for (k, v) in [
        ("AMIversion", AMI_VERSION),
        ("AsteriskVersion", ASTERISK_VERSION),
        ("SystemName", ""),
        ("CoreMaxCalls", "0"),
        ("CoreMaxLoadAvg", "0.000000"),
        ("CoreRunUser", ""),
        ("CoreRunGroup", ""),
        ("CoreMaxFilehandles", "0"),
        ("CoreRealTimeEnabled", "No"),
        ("CoreCDRenabled", "No"),
        ("CoreHTTPenabled", "No"),
        ("SoundsSearchCustomDir", "No"),
    ] {
        r.response.push(k, v);
    }
    r
}
