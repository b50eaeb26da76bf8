//! What application a priority runs: one look-up per priority gives every check the application's
//! [`AppKind`] (the applications some check looks into) and whether Asterisk 22 knows the name at all, so
//! that no check compares application names itself.

use super::name::{Name, Names};
use std::collections::HashMap;

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

/// The applications some check looks into, named as Asterisk names them (compared ignoring case).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum AppKind {
    Set,
    MSet,
    Goto,
    GotoIf,
    GotoIfTime,
    Gosub,
    GosubIf,
    Return,
    Dial,
    Hangup,
    ExecIf,
    ExecIfTime,
    /// `Exec` and `TryExec`: they run any application, so they can also set any variable.
    Exec,
    Read,
    ReadExten,
    Playback,
    BackGround,
    Park,
    ParkAndAnnounce,
    BridgeWait,
    WaitExten,
    /// Applications that can set any variable from outside the dialplan (AGI, Stasis, …).
    Opaque,
    /// Anything else, known or not.
    Other,
}

/// Every [`AppKind`] but `Other`, by name.
const KINDS: &[(&str, AppKind)] = &[
    ("Set", AppKind::Set),
    ("MSet", AppKind::MSet),
    ("Goto", AppKind::Goto),
    ("GotoIf", AppKind::GotoIf),
    ("GotoIfTime", AppKind::GotoIfTime),
    ("Gosub", AppKind::Gosub),
    ("GosubIf", AppKind::GosubIf),
    ("Return", AppKind::Return),
    ("Dial", AppKind::Dial),
    ("Hangup", AppKind::Hangup),
    ("ExecIf", AppKind::ExecIf),
    ("ExecIfTime", AppKind::ExecIfTime),
    ("Exec", AppKind::Exec),
    ("TryExec", AppKind::Exec),
    ("Read", AppKind::Read),
    ("ReadExten", AppKind::ReadExten),
    ("Playback", AppKind::Playback),
    ("BackGround", AppKind::BackGround),
    ("Park", AppKind::Park),
    ("ParkAndAnnounce", AppKind::ParkAndAnnounce),
    ("BridgeWait", AppKind::BridgeWait),
    ("WaitExten", AppKind::WaitExten),
    ("AGI", AppKind::Opaque),
    ("EAGI", AppKind::Opaque),
    ("DeadAGI", AppKind::Opaque),
    ("FastAGI", AppKind::Opaque),
    ("Stasis", AppKind::Opaque),
    ("ExternalIVR", AppKind::Opaque),
    ("Originate", AppKind::Opaque),
];

impl AppKind {
    /// The kind of an application name as written (Asterisk ignores case in application names).
    pub(super) fn of(name: &str) -> AppKind {
        KINDS
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map_or(AppKind::Other, |&(_, k)| k)
    }

    /// Whether the application can set any variable (the variable check then gives up).
    pub(super) fn sets_anything(self) -> bool {
        matches!(self, AppKind::Opaque | AppKind::Exec)
    }

    /// Whether the application runs another one named in its arguments (`ExecIf(…?Gosub(…))`).
    pub(super) fn runs_app(self) -> bool {
        matches!(self, AppKind::ExecIf | AppKind::ExecIfTime | AppKind::Exec)
    }
}

/// What is known about one application name.
#[derive(Clone, Copy)]
pub(super) struct AppClass {
    pub kind: AppKind,
    /// Whether Asterisk 22 (or dialsim) has an application of that name.
    pub known: bool,
}

/// The application names Asterisk knows, and the class of each name met so far.
pub(super) struct Apps<'a> {
    /// The spelling Asterisk uses, by lower-cased name.
    spelling: HashMap<String, &'static str>,
    /// Class per name as written: a dialplan uses few distinct names, so each is lower-cased and looked up
    /// once, and every priority after that costs one hash of its name.
    cache: HashMap<Name<'a>, AppClass, Names>,
}

impl<'a> Apps<'a> {
    /// The applications of Asterisk 22 and those dialsim registers (`registered`).
    pub(super) fn new(registered: impl IntoIterator<Item = &'static str>) -> Self {
        let mut spelling = HashMap::new();
        for name in registered.into_iter().chain(ASTERISK_APPS.iter().copied()) {
            spelling.insert(name.to_ascii_lowercase(), name);
        }
        Apps {
            spelling,
            cache: HashMap::default(),
        }
    }

    /// The class of the application `name` (as written in the dialplan).
    #[inline]
    pub(super) fn class(&mut self, name: &'a str) -> AppClass {
        let key = Name::new(name);
        if let Some(&c) = self.cache.get(&key) {
            return c;
        }
        let class = AppClass {
            kind: AppKind::of(name),
            known: self.spelling.contains_key(&name.to_ascii_lowercase()),
        };
        self.cache.insert(key, class);
        class
    }

    /// The known application closest to an unknown `name`, spelt as Asterisk spells it.
    pub(super) fn suggestion(&self, name: &str) -> Option<&'static str> {
        super::lang::closest(
            &name.to_ascii_lowercase(),
            self.spelling.keys().map(String::as_str),
        )
        .and_then(|s| self.spelling.get(s).copied())
    }
}
