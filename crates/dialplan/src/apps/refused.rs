//! Applications that reach outside the PBX — run programs, talk to AGI servers, record or monitor audio
//! files, send mail or faxes — cannot be simulated. Each is registered under its Asterisk name so a dialplan
//! using it runs (no `No application` hang-up): it explains, as a `DialsimDiagnostic`, what real Asterisk
//! would do, sets the status variable Asterisk sets on failure where there is one, and continues.

use crate::engine::{App, AppResult, ChannelId, Engine, Exec};

/// Diagnostic code of a refused application.
pub const REFUSED: crate::diag::Code = crate::diag::Code("run/refused-app");

/// One refused application: its name, what it does in Asterisk, and the variable it sets on failure.
pub struct Refused {
    pub name: &'static str,
    pub what: &'static str,
    pub status: Option<(&'static str, &'static str)>,
}

/// The applications dialsim refuses, with why.
pub const REFUSED_APPS: &[Refused] = &[
    Refused {
        name: "System",
        what: "runs a shell command on the Asterisk host",
        status: Some(("SYSTEMSTATUS", "FAILURE")),
    },
    Refused {
        name: "TrySystem",
        what: "runs a shell command on the Asterisk host",
        status: Some(("SYSTEMSTATUS", "FAILURE")),
    },
    Refused {
        name: "AGI",
        what: "hands the call to an external AGI program",
        status: Some(("AGISTATUS", "FAILURE")),
    },
    Refused {
        name: "EAGI",
        what: "hands the call and its audio to an external AGI program",
        status: Some(("AGISTATUS", "FAILURE")),
    },
    Refused {
        name: "DeadAGI",
        what: "runs an AGI program on a hung-up channel",
        status: Some(("AGISTATUS", "FAILURE")),
    },
    Refused {
        name: "ExternalIVR",
        what: "hands the call to an external IVR program",
        status: None,
    },
    Refused {
        name: "Record",
        what: "records audio to a file",
        status: Some(("RECORD_STATUS", "ERROR")),
    },
    Refused {
        name: "MixMonitor",
        what: "records the call's audio to a file",
        status: None,
    },
    Refused {
        name: "StopMixMonitor",
        what: "stops a call recording",
        status: None,
    },
    Refused {
        name: "Monitor",
        what: "records the call's audio",
        status: None,
    },
    Refused {
        name: "VoiceMail",
        what: "records a voicemail message into a mailbox on disk",
        status: Some(("VMSTATUS", "FAILED")),
    },
    Refused {
        name: "VoiceMailMain",
        what: "lets a caller listen to voicemail stored on disk",
        status: None,
    },
    Refused {
        name: "SendMail",
        what: "sends e-mail",
        status: None,
    },
    Refused {
        name: "SendFAX",
        what: "sends a fax",
        status: None,
    },
    Refused {
        name: "ReceiveFAX",
        what: "receives a fax",
        status: None,
    },
    Refused {
        name: "JACK",
        what: "connects the call's audio to JACK",
        status: None,
    },
    Refused {
        name: "Festival",
        what: "speaks text through a Festival server",
        status: None,
    },
    Refused {
        name: "MP3Player",
        what: "plays an MP3 stream through an external player",
        status: None,
    },
    Refused {
        name: "ChanSpy",
        what: "listens to other channels' audio",
        status: None,
    },
    Refused {
        name: "ConfBridge",
        what: "joins a conference bridge (app_confbridge)",
        status: None,
    },
    Refused {
        name: "Queue",
        what: "places the call in an ACD queue (app_queue)",
        status: Some(("QUEUESTATUS", "UNKNOWN")),
    },
];

/// A refused application as the engine registers it.
pub struct RefusedApp(pub &'static Refused);

impl App for RefusedApp {
    fn name(&self) -> &'static str {
        self.0.name
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        let this = self.0;
        self.run(engine, chan, data, this)
    }
}

impl RefusedApp {
    fn run(&self, engine: &Engine, chan: ChannelId, data: &str, this: &Refused) -> Exec {
        let msg = format!(
            "{}({data}) is not simulated: in Asterisk it {}; dialsim goes on with the next priority",
            this.name, this.what
        );
        let help = match this.status {
            Some((var, value)) => format!(
                "dialsim sets {var}={value}, as Asterisk does when the application fails; test the paths that follow with a scenario"
            ),
            None => "the call continues as if the application had returned at once".to_string(),
        };
        engine.explain(REFUSED, Some(chan), &msg, Some(&help));
        if let Some((var, value)) = this.status {
            engine.set_var(chan, var, Some(value));
        }
        Exec::Done(AppResult::Continue)
    }
}
