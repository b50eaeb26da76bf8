//! What dialsim simulates of each dialplan application and function: exact, partial (with the gap), or
//! refused in simulation. `docs/applications-and-functions.md` is generated from this and the engine's
//! registries (`crates/dialplan/tests/integration/docs_catalogue.rs`), so the page cannot drift from the
//! code.

/// How faithfully a name is simulated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Behaves as Asterisk 22 does, log lines included.
    Exact,
    /// Works, with the gap described.
    Partial(&'static str),
    /// Registered so the dialplan runs, but explained and skipped (see `run/refused-app`).
    Refused(&'static str),
}

/// Applications with a gap.
const APP_GAPS: &[(&str, &str)] = &[
    ("BridgeWait", "music-on-hold classes are not checked against musiconhold.conf (Asterisk tries the next candidate, then `default`, when a class does not exist); `e(h)` starts music on hold as a PJSIP channel does on a hold indication; an announcer's audio is not carried"),
    ("BackGround", "option `m` listens to every digit, not only those that can start an extension; `l` (language) is ignored"),
    ("Dial", "the URL is ignored"),
    ("MusicOnHold", "musiconhold.conf is not read: every class exists (Asterisk tries the next candidate, then `default`, and warns when none does)"),
    ("StartMusicOnHold", "musiconhold.conf is not read: every class exists"),
    ("Echo", "no audio: only the timing (it ends on `#` or hang-up)"),
    ("Incomplete", "with `n` on a channel not yet answered, the incomplete-number indication has no effect (chan_pjsip may answer it with a 484)"),
    ("Playback", "`say`/`mix` options play the text as a file name"),
    ("PlayTones", "no tones are generated"),
    ("Read", "option `i` plays no indication tone"),
    ("SayNumber", "English only; the gender option is checked but not used"),
    ("SayAlpha", "English prompts only"),
    ("SayAlphaCase", "English prompts only"),
    ("SayMoney", "English prompts only (US dollars, as Asterisk for `en`)"),
    ("SayOrdinal", "English only; the gender option is checked but not used"),
    ("SayDigits", "English prompts only"),
    ("SayPhonetic", "English prompts only"),
    ("WaitExten", "option `d` (dial tone) plays nothing"),
];

/// Functions with a gap.
const FUNCTION_GAPS: &[(&str, &str)] = &[
    ("CONNECTEDLINE", "`all`, `name`, `num`, their `-valid` flags and the presentations (read) are simulated; `source`, `priv-…`, `tag`, `ton`, subaddresses, charsets, plans and writing presentations are not"),
    ("CALLERID", "`ani`, `dnid`, `rdnis`, subaddresses, tags and presentation items are not simulated"),
    ("CHANNEL", "only the items a simulation has (name, state, uniqueid, linkedid, language, musicclass, parkinglot, accountcode, exten, context, channeltype, peer, appname, appdata, checkhangup, hangup_handler_push/pop/wipe)"),
    ("SORT", "equal values keep their written order (Asterisk's qsort leaves it unspecified)"),
    ("STRPTIME", "the common conversions of C's strptime; a local time skipped by a clock change is read with the offset before it"),
    ("IMPORT", "reads variables of channels of the same simulation only"),
    ("DEVICE_STATE", "a channel's hold is not tracked (never `ONHOLD`); a PJSIP endpoint's `device_state_busy_at` is not read; a Local device is in use while any of its channels exists"),
    ("EXTENSION_STATE", "its devices' states as `DEVICE_STATE` gives them"),
    ("ENV", "the simulation's own environment, empty at the start (Asterisk's is the process environment, with the `AST_` variables asterisk.c sets)"),
    ("VERSION", "the reference installation's version and build details; `BUILD_KERNEL` is not simulated"),
];

/// The status of an application.
pub fn app_status(name: &str) -> Status {
    if let Some(r) = crate::apps::refused::REFUSED_APPS
        .iter()
        .find(|r| r.name == name)
    {
        return Status::Refused(r.what);
    }
    APP_GAPS
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(Status::Exact, |(_, gap)| Status::Partial(gap))
}

/// The status of a function.
pub fn function_status(name: &str) -> Status {
    FUNCTION_GAPS
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(Status::Exact, |(_, gap)| Status::Partial(gap))
}

fn row(name: &str, status: Status) -> String {
    let (s, note) = match status {
        Status::Exact => ("exact", ""),
        Status::Partial(g) => ("partial", g),
        Status::Refused(w) => ("refused", w),
    };
    format!("| `{name}` | {s} | {} |\n", note.replace('|', "\\|"))
}

/// The page, from the registered names (each list sorted by the caller or here).
pub fn render(apps: &[&str], functions: &[&str]) -> String {
    let mut apps: Vec<&str> = apps.to_vec();
    apps.sort_by_key(|a| a.to_ascii_lowercase());
    let mut functions: Vec<&str> = functions.to_vec();
    functions.sort_unstable();
    let mut out = String::from(
        "# Applications and functions\n\n\
         Every dialplan application and function dialsim registers, and how faithfully it is simulated: \
         **exact** (as Asterisk 22, log lines included), **partial** (the gap is named), or **refused** (the \
         application reaches outside the PBX; it is registered so the dialplan runs, explains itself with \
         `run/refused-app` and the call goes on). A name that is not listed is unknown to dialsim as it is to \
         Asterisk without the module: `No application '…'` / `Function … not registered`.\n\n\
         Modules add their own: res_parking registers `Park`, `ParkedCall` and `PARK_GET_CHANNEL`; the \
         features module registers `FEATURE` and `FEATUREMAP` (exact for Asterisk 22's options; \
         `FEATURE(inherit)` copies to a callee when the call is bridged, not when Dial creates it).\n\n\
         This file is generated from the code (`crates/dialplan/tests/integration/docs_catalogue.rs`).\n\n\
         ## Applications\n\n| application | status | gap |\n| --- | --- | --- |\n",
    );
    for a in apps {
        out.push_str(&row(a, app_status(a)));
    }
    out.push_str("\n## Functions\n\n| function | status | gap |\n| --- | --- | --- |\n");
    for f in functions {
        out.push_str(&row(f, function_status(f)));
    }
    out
}
