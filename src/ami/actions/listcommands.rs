//! `ListCommands`: every action with its synopsis and write classes (`action_listcommands`).
//!
//! Asterisk lists only the actions the session may run; this layer has no session, so it lists them all
//! (the server refuses the others with `Permission denied`).

use super::{ActionDef, ACTIONS};
use crate::ami::{AmiContext, Message, Reply};
use crate::serve::perms;

pub const DEF: ActionDef = ActionDef {
    name: "ListCommands",
    privilege: &[],
    synopsis: "List available manager commands.",
    run,
};

/// The session-level actions the server answers itself, which Asterisk lists too.
const SESSION: &[(&str, &str)] = &[
    ("Challenge", "Generate Challenge for MD5 Auth."),
    ("Events", "Control Event Flow."),
    ("Login", "Login Manager."),
    ("Logoff", "Logoff Manager."),
];

fn run(_ctx: &AmiContext<'_>, m: &Message) -> Reply {
    let mut rows: Vec<(&str, String)> = ACTIONS
        .iter()
        .map(|a| {
            let mask = a
                .privilege
                .iter()
                .fold(0, |acc, c| acc | perms::class_flag(c));
            (
                a.name,
                format!("{} (Priv: {})", a.synopsis, perms::authority_to_str(mask)),
            )
        })
        .chain(
            SESSION
                .iter()
                .map(|(n, s)| (*n, format!("{s} (Priv: <none>)"))),
        )
        .collect();
    rows.sort_by(|a, b| a.0.cmp(b.0));
    let mut r = Reply::success(m, None);
    for (name, text) in rows {
        r.response.push(name, text);
    }
    r
}
