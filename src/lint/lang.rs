//! The dialplan language: applications and functions that do not exist (with the spelling Asterisk knows
//! suggested), and `Return` in a context no `Gosub` (nor a Dial `U()`/`b()`/`B()`, nor a hangup handler)
//! ever enters. Names real Asterisk 22 knows but dialsim does not simulate are not reported here (they
//! work in Asterisk); `dialsim run` explains them when they run.
//!
//! Cost: one hash look-up per priority for its application (a cache of the distinct names seen) and one
//! pass over its data (a look-up per `${NAME(`, a comparison per `h` and `p`); nothing
//! per priority is allocated unless a problem is found. The arguments that may name a subroutine (every
//! `Dial`) are only split into tokens at the end, and only when some `Return` is not explained otherwise.

use super::{RETURN_OUTSIDE_SUBROUTINE, UNKNOWN_APPLICATION, UNKNOWN_FUNCTION};
use dialplan::diag::Diagnostic;
use dialplan::expr::functions::ArgRule;
use dialplan::hash::Fx;
use dialplan::model::Priority;
use std::collections::{HashMap, HashSet};

/// Applications of Asterisk 22 that dialsim does not register (they are valid in a dialplan).
const ASTERISK_APPS: &[&str] = &[
    "ADSIProg",
    "AGI",
    "AMD",
    "AgentLogin",
    "AgentRequest",
    "AlarmReceiver",
    "Answer",
    "AudioSocket",
    "Authenticate",
    "BackGround",
    "BackgroundDetect",
    "Bridge",
    "BridgeAdd",
    "BridgeWait",
    "Broadcast",
    "Busy",
    "CELGenUserEvent",
    "CallCompletionCancel",
    "CallCompletionRequest",
    "ChanIsAvail",
    "ChanSpy",
    "ChannelRedirect",
    "ClearHash",
    "ConfBridge",
    "ConfKick",
    "Congestion",
    "ContinueWhile",
    "ControlPlayback",
    "DAHDIScan",
    "DAHDISendCallreroutingFacility",
    "DAHDISendKeypadFacility",
    "DBdeltree",
    "DISA",
    "DateTime",
    "Dial",
    "Dictate",
    "Directory",
    "DumpChan",
    "EAGI",
    "Echo",
    "Else",
    "ElseIf",
    "EndIf",
    "EndWhile",
    "Exec",
    "ExecIf",
    "ExecIfTime",
    "ExitIf",
    "ExitWhile",
    "ExtenSpy",
    "ExternalIVR",
    "Festival",
    "Flash",
    "FollowMe",
    "ForkCDR",
    "GetCPEID",
    "Gosub",
    "GosubIf",
    "Goto",
    "GotoIf",
    "GotoIfTime",
    "Hangup",
    "HangupCauseClear",
    "IAX2Provision",
    "If",
    "ImportVar",
    "Incomplete",
    "JACK",
    "JabberJoin",
    "JabberLeave",
    "JabberSend",
    "JabberSendGroup",
    "JabberStatus",
    "Log",
    "MP3Player",
    "MSet",
    "MessageSend",
    "Milliwatt",
    "MinivmAccMess",
    "MinivmDelete",
    "MinivmGreet",
    "MinivmMWI",
    "MinivmNotify",
    "MinivmRecord",
    "MixMonitor",
    "Morsecode",
    "MusicOnHold",
    "NoOp",
    "ODBCFinish",
    "Originate",
    "PJSIPHangup",
    "PJSIPNotify",
    "Page",
    "Park",
    "ParkAndAnnounce",
    "ParkedCall",
    "Pickup",
    "PickupChan",
    "PlayTones",
    "Playback",
    "PrivacyManager",
    "Proceeding",
    "Progress",
    "Queue",
    "QueueLog",
    "QueueUpdate",
    "AddQueueMember",
    "RemoveQueueMember",
    "PauseQueueMember",
    "UnpauseQueueMember",
    "RaiseException",
    "Read",
    "ReadExten",
    "ReceiveFAX",
    "ReceiveMF",
    "ReceiveSF",
    "Record",
    "Reload",
    "ResetCDR",
    "RetryDial",
    "Return",
    "Ringing",
    "SLAStation",
    "SLATrunk",
    "SMS",
    "SayAlpha",
    "SayAlphaCase",
    "SayCountedAdj",
    "SayCountedNoun",
    "SayDigits",
    "SayMoney",
    "SayNumber",
    "SayOrdinal",
    "SayPhonetic",
    "SayUnixTime",
    "SendDTMF",
    "SendFAX",
    "SendImage",
    "SendMF",
    "SendSF",
    "SendText",
    "SendURL",
    "Set",
    "SetAMAFlags",
    "SoftHangup",
    "SpeechActivateGrammar",
    "SpeechBackground",
    "SpeechCreate",
    "SpeechDeactivateGrammar",
    "SpeechDestroy",
    "SpeechLoadGrammar",
    "SpeechProcessingSound",
    "SpeechStart",
    "SpeechUnloadGrammar",
    "StackPop",
    "StartMusicOnHold",
    "Stasis",
    "StasisBroadcast",
    "StatsD",
    "StopMixMonitor",
    "StopMusicOnHold",
    "StopPlayTones",
    "StoreDTMF",
    "StreamEcho",
    "System",
    "Transfer",
    "TryExec",
    "TrySystem",
    "UserEvent",
    "VMAuthenticate",
    "VMSayName",
    "Verbose",
    "VoiceMail",
    "VoiceMailMain",
    "VoiceMailPlayMsg",
    "Wait",
    "WaitDigit",
    "WaitExten",
    "WaitForCondition",
    "WaitForNoise",
    "WaitForRing",
    "WaitForSilence",
    "WaitForTone",
    "WaitUntil",
    "While",
    "Zapateller",
];

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
    /// Lower-cased application names Asterisk (or dialsim) knows.
    apps: HashSet<String>,
    /// The spelling to suggest, by lower-cased name.
    app_spelling: HashMap<String, &'static str>,
    functions: HashSet<&'static str, Fx>,
    /// The argument rules of the functions that have one (from the function registry).
    rules: HashMap<&'static str, &'static ArgRule, Fx>,
    /// Verdict per application name as written (the distinct names are few).
    app_cache: HashMap<&'a str, bool, Fx>,
    /// Contexts a Gosub (or a Dial/handler argument) may enter; `None` once a target is dynamic.
    entered: Option<HashSet<&'a str, Fx>>,
    /// Arguments that may name subroutines indirectly (Dial `U()`/`b()`/`B()`, hangup handlers), split
    /// into tokens only in [`LangScan::finish`], and only if a `Return` needs them.
    mentioned: Vec<&'a str>,
    returns: Vec<(&'a str, &'a Priority)>,
}

impl<'a> LangScan<'a> {
    pub(super) fn new() -> Self {
        let engine = dialplan::engine::Engine::new(
            dialplan::engine::EngineConfig::default(),
            Box::new(dialplan::engine::plan::EmptyPlan),
        );
        let mut app_spelling = HashMap::new();
        for name in engine
            .app_names()
            .into_iter()
            .chain(ASTERISK_APPS.iter().copied())
        {
            app_spelling.insert(name.to_ascii_lowercase(), name);
        }
        let mut functions: HashSet<&'static str, Fx> = ASTERISK_FUNCTIONS.iter().copied().collect();
        functions.extend(engine.functions().names());
        let registry = engine.functions();
        let rules = registry
            .names()
            .filter_map(|n| Some((n, registry.get(n)?.arg_rule()?)))
            .collect();
        LangScan {
            apps: app_spelling.keys().cloned().collect(),
            app_spelling,
            functions,
            rules,
            app_cache: HashMap::default(),
            entered: Some(HashSet::default()),
            mentioned: Vec::new(),
            returns: Vec::new(),
        }
    }

    /// Looks at one priority loaded from a file.
    pub(super) fn priority(
        &mut self,
        context: &'a str,
        exten: &str,
        p: &'a Priority,
        out: &mut Vec<Diagnostic>,
    ) {
        // A hint's "application" is its device list.
        if p.is_hint() {
            return;
        }
        let app = p.app();
        let known = match self.app_cache.get(app) {
            Some(&k) => k,
            None => {
                let k = self.apps.contains(&app.to_ascii_lowercase());
                self.app_cache.insert(app, k);
                k
            }
        };
        if !known {
            self.unknown_app(context, exten, p, out);
        }
        let data = p.data();
        let names_handler = self.functions_in(data, p, out);
        match app.len() {
            5 if app.eq_ignore_ascii_case("Gosub") => self.gosub_target(context, data, false),
            7 if app.eq_ignore_ascii_case("GosubIf") => self.gosub_target(context, data, true),
            6 if app.eq_ignore_ascii_case("Return") => self.returns.push((context, p)),
            _ => {}
        }
        // `ExecIf(…?Gosub(…))` and the like name subroutines inside another application's arguments.
        let runs_app = matches!(app.len(), 4 | 6 | 7 | 10)
            && ["Exec", "ExecIf", "TryExec", "ExecIfTime"]
                .iter()
                .any(|a| a.eq_ignore_ascii_case(app));
        if names_handler || runs_app || app.eq_ignore_ascii_case("Dial") {
            self.mentioned.push(data);
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

    fn unknown_app(&self, context: &str, exten: &str, p: &Priority, out: &mut Vec<Diagnostic>) {
        let Some(span) = p.source() else { return };
        let app = p.app();
        let suggestion = closest(
            &app.to_ascii_lowercase(),
            self.app_spelling.keys().map(String::as_str),
        )
        .and_then(|s| self.app_spelling.get(s).copied());
        let fix = match suggestion {
            Some(s) => format!("did you mean '{s}'?"),
            None => String::from("check the name, or load the module that provides it"),
        };
        out.push(
            Diagnostic::warning(UNKNOWN_APPLICATION, format!("there is no application '{app}'"))
                .with_span(span)
                .with_label("unknown application")
                .with_help(format!(
                    "when the call reaches it Asterisk logs \"No application '{app}' for extension ({context}, {exten}, {})\" and hangs up; {fix}",
                    p.number()
                )),
        );
    }

    /// Reports the unknown functions in `data` (every `${NAME(`), and says whether `data` mentions
    /// `hangup_handler` or `predial` (arguments that may name a subroutine). One pass over the bytes, eight
    /// at a time: the data of a priority is short, where setting up a vectorised search per call costs more
    /// than the search.
    fn functions_in(&self, data: &str, p: &Priority, out: &mut Vec<Diagnostic>) -> bool {
        let b = data.as_bytes();
        let mut names_handler = false;
        for (w, word) in b.chunks(8).enumerate() {
            let mut hits = interesting_bytes(word);
            while hits != 0 {
                let i = w * 8 + (hits.trailing_zeros() / 8) as usize;
                names_handler |= self.byte_at(data, i, p, out);
                hits &= hits - 1;
            }
        }
        names_handler
    }

    /// [`LangScan::functions_in`] at byte `i`: a `${NAME(` there is checked; `true` when `hangup_handler`
    /// or `predial` starts there.
    fn byte_at(&self, data: &str, i: usize, p: &Priority, out: &mut Vec<Diagnostic>) -> bool {
        let b = data.as_bytes();
        match b[i] {
            b'h' => return b[i..].starts_with(b"hangup_handler"),
            b'p' => return b[i..].starts_with(b"predial"),
            b'$' if b.get(i + 1) == Some(&b'{') => {}
            _ => return false,
        }
        let start = i + 2;
        let end = start
            + b[start..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
                .count();
        if end == start || b.get(end) != Some(&b'(') {
            return false;
        }
        let name = &data[start..end];
        if self.functions.contains(name) {
            if let Some(rule) = self.rules.get(name) {
                super::args::function(name, rule, data, i, p, out);
            }
            return false;
        }
        let Some(span) = p.source() else { return false };
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
        false
    }

    /// After the walk: Returns in contexts nothing enters as a subroutine.
    pub(super) fn finish(self, out: &mut Vec<Diagnostic>) {
        let Some(entered) = self.entered else { return };
        let mut mentioned: Option<HashSet<&str, Fx>> = None;
        for (context, p) in self.returns {
            if entered.contains(context) {
                continue;
            }
            let mentioned = mentioned.get_or_insert_with(|| {
                self.mentioned
                    .iter()
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

/// The bytes `$`, `h` and `p` among the (up to) eight bytes of `word`: the top bit of byte `j` of the
/// result is set when `word[j]` is one of them. Skipping to these bytes is what keeps the scan cheap.
fn interesting_bytes(word: &[u8]) -> u64 {
    const LO: u64 = 0x0101_0101_0101_0101;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    // The top bit of each byte of `x` that is zero (exact: no carry crosses a byte).
    fn zero_bytes(x: u64) -> u64 {
        !(((x & LOW7).wrapping_add(LOW7)) | x | LOW7)
    }
    let mut buf = [0u8; 8];
    let n = word.len().min(8);
    buf[..n].copy_from_slice(&word[..n]);
    let x = u64::from_le_bytes(buf);
    // The padding of a short word is zero bytes, never one of the three.
    zero_bytes(x ^ (LO * u64::from(b'$')))
        | zero_bytes(x ^ (LO * u64::from(b'h')))
        | zero_bytes(x ^ (LO * u64::from(b'p')))
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
    fn interesting_bytes_are_exactly_dollar_h_and_p() {
        let words: [&[u8]; 11] = [
            b"",
            b"$",
            b"12345678",
            b"1234567$",
            b"h2345678",
            b"123p5678",
            b"ABCDEFGH",
            b"HPhp$$$$",
            b"$h",
            b"\x00\x01#%&\x7f~|",
            b"\x00$\x00h\x01p\x80\xff",
        ];
        for word in words {
            let want: u64 = word
                .iter()
                .enumerate()
                .filter(|(_, c)| matches!(c, b'$' | b'h' | b'p'))
                .map(|(j, _)| 0x80u64 << (8 * j))
                .sum();
            assert_eq!(interesting_bytes(word), want, "{word:?}");
        }
    }

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
