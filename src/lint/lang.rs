//! The dialplan language: applications and functions that do not exist (with the spelling Asterisk knows
//! suggested), and `Return` in a context no `Gosub` (nor a Dial `U()`/`b()`/`B()`, nor a hangup handler)
//! ever enters. Names real Asterisk 22 knows but dialsim does not simulate are not reported here (they
//! work in Asterisk); `dialsim run` explains them when they run.
//!
//! Cost: the walk ([`super::walk`]) classifies each application once and hands this check each `${` of
//! the data: one look-up per `${NAME(`; nothing per priority is allocated unless a problem is found. The
//! arguments that may name a subroutine (every `Dial`, `ExecIf`, hangup handlers) are only looked at in
//! [`LangScan::finish`], by a walk of their own, and only when some `Return` is not explained by a
//! `Gosub`.

use super::apps::{AppKind, Apps};
use super::bytes::name_len;
use super::name::{Name, Names};
use super::vars::VarScan;
use super::walk::Step;
use super::{RETURN_OUTSIDE_SUBROUTINE, UNKNOWN_APPLICATION, UNKNOWN_FUNCTION};
use dialplan::diag::Diagnostic;
use dialplan::engine::Engine;
use dialplan::expr::functions::ArgRule;
use dialplan::hash::Fx;
use dialplan::model::{Dialplan, Priority};
use std::collections::{HashMap, HashSet};

/// Dialplan functions of Asterisk 22 (names are case-sensitive).
const ASTERISK_FUNCTIONS: &[&str] = &[
    "ABS",
    "AES_DECRYPT",
    "AES_ENCRYPT",
    "AGC",
    "AGENT",
    "AMI_CLIENT",
    "ARRAY",
    "AST_CONFIG",
    "AST_SORCERY",
    "BASE64_DECODE",
    "BASE64_ENCODE",
    "BASENAME",
    "BLACKLIST",
    "CALENDAR_BUSY",
    "CALENDAR_EVENT",
    "CALENDAR_QUERY",
    "CALENDAR_QUERY_RESULT",
    "CALENDAR_WRITE",
    "CALLCOMPLETION",
    "CALLERID",
    "CDR",
    "CDR_PROP",
    "CHANNEL",
    "CHANNELS",
    "CHANNEL_EXISTS",
    "CONFBRIDGE",
    "CONFBRIDGE_CHANNELS",
    "CONFBRIDGE_INFO",
    "CONNECTEDLINE",
    "CSV_QUOTE",
    "CURL",
    "CURLOPT",
    "CUT",
    "DAHDI_CHANNEL",
    "DB",
    "DB_DELETE",
    "DB_EXISTS",
    "DB_KEYCOUNT",
    "DB_KEYS",
    "DEC",
    "DELETE",
    "DENOISE",
    "DEVICE_STATE",
    "DIALGROUP",
    "DIALPLAN_EXISTS",
    "DIGIT_SUM",
    "DIRNAME",
    "DUNDILOOKUP",
    "DUNDIQUERY",
    "DUNDIRESULT",
    "ENUMLOOKUP",
    "ENUMQUERY",
    "ENUMRESULT",
    "ENV",
    "EVAL",
    "EVAL_EXTEN",
    "EVAL_SUB",
    "EXCEPTION",
    "EXISTS",
    "EXPORT",
    "EXTENSION_STATE",
    "FAXOPT",
    "FEATURE",
    "FEATUREMAP",
    "FIELDNUM",
    "FIELDQTY",
    "FILE",
    "FILE_COUNT_LINE",
    "FILE_FORMAT",
    "FILTER",
    "FRAME_DROP",
    "FRAME_TRACE",
    "GEOLOC_PROFILE",
    "GLOBAL",
    "GLOBAL_DELETE",
    "GLOBAL_EXISTS",
    "GROUP",
    "GROUP_COUNT",
    "GROUP_LIST",
    "GROUP_MATCH_COUNT",
    "HANGUPCAUSE",
    "HANGUPCAUSE_KEYS",
    "HASH",
    "HASHKEYS",
    "HINT",
    "HOLD_INTERCEPT",
    "IAXPEER",
    "IAXVAR",
    "ICONV",
    "IF",
    "IFMODULE",
    "IFTIME",
    "IMPORT",
    "INC",
    "ISNULL",
    "JABBER_RECEIVE",
    "JABBER_STATUS",
    "JACK_HOOK",
    "JITTERBUFFER",
    "JSON_DECODE",
    "KEYPADHASH",
    "LEN",
    "LISTFILTER",
    "LOCAL",
    "LOCAL_PEEK",
    "LOCK",
    "LOG_GROUP",
    "LTRIM",
    "MASTER_CHANNEL",
    "MATH",
    "MAX",
    "MD5",
    "MEETME_INFO",
    "MESSAGE",
    "MESSAGE_DATA",
    "MIN",
    "MINIVMACCOUNT",
    "MINIVMCOUNTER",
    "MIXMONITOR",
    "MUTEAUDIO",
    "ODBC",
    "ODBC_FETCH",
    "PARK_GET_CHANNEL",
    "PASSTHRU",
    "PERIODIC_HOOK",
    "PITCH_SHIFT",
    "PJSIP_AOR",
    "PJSIP_CONTACT",
    "PJSIP_DIAL_CONTACTS",
    "PJSIP_DTMF_MODE",
    "PJSIP_ENDPOINT",
    "PJSIP_HEADER",
    "PJSIP_HEADERS",
    "PJSIP_HEADER_PARAM",
    "PJSIP_INHERITABLE_HEADER",
    "PJSIP_MEDIA_OFFER",
    "PJSIP_MOH_PASSTHROUGH",
    "PJSIP_PARSE_URI",
    "PJSIP_PARSE_URI_FROM",
    "PJSIP_RESPONSE_HEADER",
    "PJSIP_RESPONSE_HEADERS",
    "PJSIP_SEND_SESSION_REFRESH",
    "PJSIP_TRANSFER_HANDLING",
    "POLARITY",
    "POP",
    "PP_EACH_EXTENSION",
    "PP_EACH_USER",
    "PRESENCE_STATE",
    "PUSH",
    "QUEUE_EXISTS",
    "QUEUE_GET_CHANNEL",
    "QUEUE_MEMBER",
    "QUEUE_MEMBER_LIST",
    "QUEUE_MEMBER_PENALTY",
    "QUEUE_VARIABLES",
    "QUEUE_WAITING_COUNT",
    "QUOTE",
    "RAND",
    "REALTIME",
    "REALTIME_DESTROY",
    "REALTIME_FIELD",
    "REALTIME_HASH",
    "REALTIME_STORE",
    "RECORDING_INFO",
    "REDIRECTING",
    "REGEX",
    "REPLACE",
    "RTRIM",
    "SAYFILES",
    "SCRAMBLE",
    "SET",
    "SHA1",
    "SHARED",
    "SHELL",
    "SHIFT",
    "SMDI_MSG",
    "SMDI_MSG_RETRIEVE",
    "SORT",
    "SPEECH",
    "SPEECH_ENGINE",
    "SPEECH_GRAMMAR",
    "SPEECH_RESULTS_TYPE",
    "SPEECH_SCORE",
    "SPEECH_TEXT",
    "SPRINTF",
    "SQL_ESC",
    "SQL_ESC_BACKSLASHES",
    "SRVQUERY",
    "SRVRESULT",
    "STACK_PEEK",
    "STAT",
    "STIR_SHAKEN",
    "STIR_SHAKEN_ATTESTATION",
    "STRBETWEEN",
    "STRFTIME",
    "STRPTIME",
    "STRREPLACE",
    "SYSINFO",
    "TALK_DETECT",
    "TESTTIME",
    "TIMEOUT",
    "TOLOWER",
    "TONE_DETECT",
    "TOUPPER",
    "TRIM",
    "TRYLOCK",
    "TXTCIDNAME",
    "UNLOCK",
    "UNSHIFT",
    "URIDECODE",
    "URIENCODE",
    "UUID",
    "VARIABLE_EXISTS",
    "VERSION",
    "VMCOUNT",
    "VM_INFO",
    "VOLUME",
];

/// What the language checks know and collect during the dialplan walk.
pub(super) struct LangScan<'a> {
    /// Every function name (for suggestions).
    functions: HashSet<&'static str, Fx>,
    /// Every function name with its argument rule, if the function registry gives it one: one look-up
    /// per function call says both whether the function exists and how to check its arguments.
    rules: HashMap<Name<'static>, Option<&'static ArgRule>, Names>,
    /// Contexts a Gosub (or a Dial/handler argument) may enter; `None` once a target is dynamic.
    entered: Option<HashSet<&'a str, Fx>>,
    returns: Vec<(&'a str, &'a Priority)>,
}

impl<'a> LangScan<'a> {
    pub(super) fn new(engine: &Engine) -> Self {
        let mut functions: HashSet<&'static str, Fx> = ASTERISK_FUNCTIONS.iter().copied().collect();
        functions.extend(engine.functions().names());
        let registry = engine.functions();
        let rules = functions
            .iter()
            .map(|&n| (Name::new(n), registry.get(n).and_then(|f| f.arg_rule())))
            .collect();
        LangScan {
            functions,
            rules,
            entered: Some(HashSet::default()),
            returns: Vec::new(),
        }
    }

    /// Notes the subroutines one priority enters, and its `Return`. (The arguments that may name
    /// subroutines indirectly are read in [`LangScan::finish`], only when a `Return` needs them.)
    pub(super) fn app(&mut self, step: &Step<'a>) {
        match step.kind {
            AppKind::Gosub => self.gosub_target(step.context, step.data, false),
            AppKind::GosubIf => self.gosub_target(step.context, step.data, true),
            AppKind::Return => self.returns.push((step.context, step.priority)),
            _ => {}
        }
    }

    fn gosub_target(&mut self, context: &'a str, data: &'a str, conditional: bool) {
        let Some(entered) = self.entered.as_mut() else {
            return;
        };
        if data.contains("${") || data.contains("$[") && conditional && !data.contains('?') {
            self.entered = None;
            return;
        }
        let branches: Vec<&str> = if conditional {
            match data.split_once('?') {
                Some((_, rest)) => rest.split(':').collect(),
                None => Vec::new(),
            }
        } else {
            vec![data]
        };
        for b in branches {
            let label = b.split('(').next().unwrap_or("");
            if label.contains("${") || label.contains("$[") {
                self.entered = None;
                return;
            }
            let parts: Vec<&str> = label.split(',').collect();
            let ctx = if parts.len() == 3 && !parts[0].trim().is_empty() {
                parts[0].trim()
            } else {
                context
            };
            entered.insert(ctx);
        }
    }

    /// Reports an application Asterisk does not know.
    pub(super) fn unknown_app(&self, step: &Step<'_>, apps: &Apps<'_>, out: &mut Vec<Diagnostic>) {
        let p = step.priority;
        let Some(span) = p.source() else { return };
        let app = step.app;
        let fix = match apps.suggestion(app) {
            Some(s) => format!("did you mean '{s}'?"),
            None => String::from("check the name, or load the module that provides it"),
        };
        out.push(
            Diagnostic::warning(UNKNOWN_APPLICATION, format!("there is no application '{app}'"))
                .with_span(span)
                .with_label("unknown application")
                .with_help(format!(
                    "when the call reaches it Asterisk logs \"No application '{app}' for extension ({}, {}, {})\" and hangs up; {fix}",
                    step.context,
                    step.exten,
                    p.number()
                )),
        );
    }

    /// The `${` at byte `i` of the step's data: a `${NAME}` read goes to the variable check, a function
    /// call `${NAME(` is checked.
    pub(super) fn expansion(
        &self,
        step: &Step<'a>,
        i: usize,
        vars: &mut VarScan<'a>,
        out: &mut Vec<Diagnostic>,
    ) {
        let (data, p) = (step.data, step.priority);
        let b = data.as_bytes();
        let start = i + 2;
        let end = start + name_len(b.get(start..).unwrap_or_default());
        let name = &data[start..end];
        let next = b.get(end).copied();
        // A `${NAME}` is a variable read, which the variable check wants.
        vars.read(name, next, p);
        if end == start || next != Some(b'(') {
            return;
        }
        match self.rules.get(&Name::new(name)) {
            Some(Some(rule)) => super::args::function(name, rule, data, i, p, out),
            Some(None) => {}
            None => self.unknown_function(name, p, out),
        }
    }

    fn unknown_function(&self, name: &str, p: &Priority, out: &mut Vec<Diagnostic>) {
        let Some(span) = p.source() else { return };
        let suggestion = self
            .functions
            .iter()
            .find(|f| f.eq_ignore_ascii_case(name))
            .copied()
            .or_else(|| closest(name, self.functions.iter().copied()));
        let fix = match suggestion {
            Some(s) => format!("did you mean '{s}'? (function names are case-sensitive)"),
            None => String::from("check the name, or load the module that provides it"),
        };
        out.push(
            Diagnostic::warning(UNKNOWN_FUNCTION, format!("there is no dialplan function '{name}'"))
                .with_span(span)
                .with_label("unknown function")
                .with_help(format!(
                    "at run time Asterisk logs \"Function {name} not registered\" and substitutes nothing; {fix}"
                )),
        );
    }

    /// After the walk: Returns in contexts nothing enters as a subroutine.
    pub(super) fn finish(self, dp: &'a Dialplan, out: &mut Vec<Diagnostic>) {
        let Some(entered) = self.entered else { return };
        let mut mentioned: Option<HashSet<&str, Fx>> = None;
        for (context, p) in self.returns {
            if entered.contains(context) {
                continue;
            }
            let mentioned = mentioned.get_or_insert_with(|| {
                mentioning(dp)
                    .flat_map(|data| data.split(|c: char| ",^()=&|:?".contains(c)))
                    .map(str::trim)
                    .collect()
            });
            if mentioned.contains(context) {
                continue;
            }
            let Some(span) = p.source() else { continue };
            out.push(
                Diagnostic::warning(
                    RETURN_OUTSIDE_SUBROUTINE,
                    format!("Return in context '{context}', which no Gosub enters"),
                )
                .with_span(span)
                .with_label("no Gosub leads here")
                .with_help(
                    "a call that reaches this Return without a Gosub makes Asterisk log \"Return without Gosub: stack is unallocated\" and hang up; call the context with Gosub, or end it with Hangup()",
                ),
            );
        }
    }
}

/// The data of every priority loaded from a file whose arguments may name a subroutine: every `Dial`
/// (`U()`, `b()`, `B()`), every application that runs another (`ExecIf(…?Gosub(…))`), and any that
/// mentions `hangup_handler` or `predial`. This second walk is made only when a `Return` is not
/// explained otherwise, which spares the first one a list entry per `Dial` and two searches per priority.
fn mentioning(dp: &Dialplan) -> impl Iterator<Item = &str> {
    let handler = memchr::memmem::Finder::new("hangup_handler");
    let predial = memchr::memmem::Finder::new("predial");
    dp.contexts()
        .flat_map(|c| c.extensions())
        .flat_map(|e| e.priorities())
        .filter(|p| p.source().is_some() && !p.is_hint())
        .filter(move |p| {
            let kind = AppKind::of(p.app());
            let d = p.data().as_bytes();
            kind == AppKind::Dial
                || kind.runs_app()
                || handler.find(d).is_some()
                || predial.find(d).is_some()
        })
        .map(Priority::data)
}

/// The closest known name within an edit distance of a third of its length (at least 1).
pub(super) fn closest<'n>(name: &str, known: impl Iterator<Item = &'n str>) -> Option<&'n str> {
    let limit = (name.len() / 3).max(1);
    let lower = name.to_ascii_lowercase();
    known
        .filter_map(|k| {
            let d = distance(&lower, &k.to_ascii_lowercase());
            (d <= limit).then_some((d, k))
        })
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)))
        .map(|(_, k)| k)
}

/// Levenshtein distance on bytes.
fn distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(distance("playback", "playbak"), 1);
        assert_eq!(
            closest("playbak", ["Playback", "Dial"].into_iter()),
            Some("Playback")
        );
        assert_eq!(closest("xyzzy", ["Playback", "Dial"].into_iter()), None);
    }
}
