//! `${VARIABLES}` read that nothing sets. Asterisk substitutes an unset variable with the empty string and
//! logs nothing, so a misspelt name (or a variable Asterisk no longer provides, like `PARKINGSLOT`) just
//! goes quietly wrong.
//!
//! Conservative by design: a variable counts as set when any priority anywhere assigns it (`NAME=` in
//! `Set`, `MSet`, `ExecIf(…?Set(…))`, `${SET(…)}`, `ImportVar`, …, with `_`/`__` ignored), when `Read` or
//! `ReadExten` reads into it, when `LOCAL()`, `GLOBAL()`, `SHARED()`, `PUSH()`, `UNSHIFT()` or `ARRAY()`
//! write it, when `[globals]` has it, or when Asterisk or one of its applications sets it on a channel
//! (built-ins such as `EXTEN`, `DIALSTATUS`, `ARGn`, `…STATUS`). An assignment to a name only known at run
//! time (`Set(${X}=…)`, `Set(PREFIX_${X}=…)`) makes every name with that prefix count as set, and any
//! AGI or Stasis application (which can set anything) turns the check off. Only plain `${NAME}` and
//! `${NAME:offset}` reads are judged. Variables can still come from outside the dialplan (an AMI
//! `Originate`, a channel driver's `set_var`), which is why this is a note; names Asterisk 12+ no longer
//! sets are a warning.

use super::apps::AppKind;
use super::bytes::{hits, name_len, trim};
use super::lang::closest;
use super::name::{Name, Names};
use super::VARIABLE_NEVER_SET;
use dialplan::diag::Diagnostic;
use dialplan::hash::Fx;
use dialplan::model::{Dialplan, Priority};
use std::collections::{HashMap, HashSet};

/// Variables Asterisk's core provides (`pbx_retrieve_variable`) or its applications set on a channel.
const PROVIDED: &[&str] = &[
    // main/pbx_variables.c
    "CALLINGPRES",
    "CALLINGANI2",
    "CALLINGTON",
    "CALLINGTNS",
    "HINT",
    "HINTNAME",
    "EXTEN",
    "CONTEXT",
    "PRIORITY",
    "CHANNEL",
    "UNIQUEID",
    "HANGUPCAUSE",
    "EPOCH",
    "SYSTEMNAME",
    "ENTITYID",
    "ASTCACHEDIR",
    "ASTETCDIR",
    "ASTMODDIR",
    "ASTVARLIBDIR",
    "ASTDBDIR",
    "ASTKEYDIR",
    "ASTDATADIR",
    "ASTAGIDIR",
    "ASTSPOOLDIR",
    "ASTRUNDIR",
    "ASTLOGDIR",
    "ASTSBINDIR",
    // the PBX loop, Gosub, exceptions
    "INVALID_EXTEN",
    "GOSUB_RETVAL",
    "GOSUB_RESULT",
    "ARGC",
    "EXCEPTION",
    "DB_RESULT",
    "TESTTIME",
    // Dial and bridging
    "DIALSTATUS",
    "DIALEDPEERNAME",
    "DIALEDPEERNUMBER",
    "ANSWEREDTIME",
    "ANSWEREDTIME_MS",
    "DIALEDTIME",
    "DIALEDTIME_MS",
    "RINGTIME",
    "RINGTIME_MS",
    "PROGRESSTIME",
    "PROGRESSTIME_MS",
    "CAUSECODE",
    "BRIDGEPEER",
    "BRIDGEPVTCALLID",
    "BRIDGE_FEATURES",
    "FORWARDERNAME",
    "FORWARD_CONTEXT",
    "DIALEDPEERNAME",
    "OUTBOUND_GROUP",
    "OUTBOUND_GROUP_ONCE",
    "DYNAMIC_FEATURES",
    "DYNAMIC_PEERNAME",
    "DYNAMIC_WHO_ACTIVATED",
    "TRANSFER_CONTEXT",
    "TRANSFERERNAME",
    "BLINDTRANSFER",
    "ATTENDEDTRANSFER",
    "PICKUPMARK",
    "CHANLOCALSTATUS",
    "MASTER_CHANNEL",
    "LOCAL_PEEK",
    // res_parking
    "PARKINGLOT",
    "PARKINGEXTEN",
    "PARKINGDYNAMIC",
    "PARKINGDYNCONTEXT",
    "PARKINGDYNEXTEN",
    "PARKINGDYNPOS",
    "PARKING_SPACE",
    "PARKEDLOT",
    "PARKER",
    "PARKER_FLAT",
    "PARKEDAT",
    // other applications
    "RECORDED_FILE",
    "MIXMONITOR_FILENAME",
    "QUEUEPOSITION",
    "QUEUE_MEMBER",
    "CONFBRIDGE_RESULT",
    "AVAILCHAN",
    "AVAILORIGCHAN",
    "AVAILCAUSECODE",
    "SPYGROUP",
    "SENDFAX_PAGES",
    "REMOTESTATIONID",
    "FAXPAGES",
    "FAXBITRATE",
    "FAXRESOLUTION",
    "VM_CATEGORY",
    "ORIGINATE_STATUS",
    "MACRO_EXTEN",
    "MACRO_CONTEXT",
    "MACRO_PRIORITY",
    "MACRO_DEPTH",
    "MACRO_OFFSET",
    "MACRO_RESULT",
    "CDR_PROP",
    "AMDCAUSE",
    "TOUCH_MONITOR",
    "TOUCH_MIXMONITOR",
    "LIMIT_PLAYAUDIO_CALLER",
    "LIMIT_PLAYAUDIO_CALLEE",
    "LIMIT_TIMEOUT_FILE",
    "LIMIT_CONNECT_FILE",
    "LIMIT_WARNING_FILE",
    "SIPCALLID",
    "SIPDOMAIN",
    "SIPURI",
    "PJSIP_HEADER",
    "TRANSFERSTATUSPROTOCOL",
    "DTMF_TONE",
    "CALLERID",
    "SHARED",
    "SPEECH",
    "LANGUAGE",
    "MUSICCLASS",
    "ACCOUNTCODE",
    "AMAFLAGS",
];

/// Variables Asterisk before 12 provided and Asterisk 22 never sets, with what to use instead.
const GONE: &[(&str, &str)] = &[
    ("PARKINGSLOT", "Asterisk 12 replaced features.c's parking with res_parking, which never sets PARKINGSLOT; a parked call that times out has PARKING_SPACE, and PARKEDAT is set on a ParkAndAnnounce announcement call"),
    ("COMEBACKDIALTIME", "Asterisk 12 replaced features.c's parking with res_parking, which never sets COMEBACKDIALTIME; the comeback Dial's time is comebackdialtime in res_parking.conf"),
    ("PARKEDCALL", "Asterisk 12 replaced features.c's parking with res_parking, which never sets PARKEDCALL"),
    ("CALLERIDNUM", "the CALLERIDNUM variable went away in Asterisk 1.4; use ${CALLERID(num)}"),
    ("CALLERIDNAME", "the CALLERIDNAME variable went away in Asterisk 1.4; use ${CALLERID(name)}"),
    ("DATETIME", "the DATETIME variable went away in Asterisk 1.6; use ${STRFTIME(${EPOCH},,%d%m%Y-%H:%M:%S)}"),
    ("TIMESTAMP", "the TIMESTAMP variable went away in Asterisk 1.6; use ${STRFTIME(${EPOCH},,%Y%m%d-%H%M%S)}"),
    ("DNID", "the DNID variable went away; use ${CALLERID(dnid)}"),
    ("RDNIS", "the RDNIS variable went away; use ${REDIRECTING(from-num)}"),
];

pub(super) struct VarScan<'a> {
    /// Off once an application that can set anything is used.
    on: bool,
    set: HashSet<Name<'a>, Names>,
    /// Prefixes of names assigned at run time (`Set(VAR_${X}=…)`: `VAR_`).
    prefixes: Vec<&'a str>,
    /// Where each name read is in [`VarScan::order`].
    reads: HashMap<Name<'a>, u32, Names>,
    /// Each name read, in the order first read: the name, the priority that first reads it, and how many
    /// reads there are.
    order: Vec<(&'a str, &'a Priority, u32)>,
    /// The [`VarScan::order`] index of each read since [`VarScan::clear_recent`]: what a
    /// priority whose data repeats an earlier one's reads again (see [`VarScan::reread`]).
    recent: Vec<u32>,
    provided: HashSet<&'static str, Fx>,
}

impl<'a> VarScan<'a> {
    pub(super) fn new(dp: &'a Dialplan) -> Self {
        let mut set: HashSet<Name<'a>, Names> = HashSet::default();
        for g in dp.globals.iter() {
            set.insert(Name::new(strip(&g.name)));
        }
        VarScan {
            on: true,
            set,
            prefixes: Vec::new(),
            reads: HashMap::default(),
            order: Vec::new(),
            recent: Vec::new(),
            provided: PROVIDED.iter().copied().collect(),
        }
    }

    /// Notes what one priority reads and sets (the unit tests' way in: the lint's walk hands over the
    /// application, each `=` and each `${NAME` itself).
    #[cfg(test)]
    pub(super) fn priority(&mut self, p: &'a Priority) {
        let data = p.data();
        self.app(AppKind::of(p.app()), data);
        for i in memchr::memchr_iter(b'=', data.as_bytes()) {
            self.assignment(data, i);
        }
        if self.on && dollar_brace(data.as_bytes(), 0).is_some() {
            self.reads_in(data, p);
        }
    }

    /// Notes what one priority's application sets by itself. Its assignments come through
    /// [`VarScan::assignment`] and its reads through [`VarScan::read`], from the walk's one scan of the
    /// data.
    pub(super) fn app(&mut self, kind: AppKind, data: &'a str) {
        if !self.on {
            return;
        }
        if kind.sets_anything() {
            self.on = false;
            return;
        }
        if matches!(kind, AppKind::Read | AppKind::ReadExten) {
            let first = data.split(',').next().unwrap_or_default();
            self.assigned(first);
        }
    }

    /// A `${NAME` in the data of `p` followed by `next` (the byte after the name, if any): a plain read
    /// when that is `}` or `:` (`${NAME}`, `${NAME:offset}`).
    pub(super) fn read(&mut self, name: &'a str, next: Option<u8>, p: &'a Priority) {
        if !self.on || name.is_empty() || !matches!(next, Some(b'}') | Some(b':')) {
            return;
        }
        let name = strip(name);
        if name.is_empty() {
            return;
        }
        let key = Name::new(name);
        let at = match self.reads.get(&key) {
            Some(&at) => {
                if let Some(r) = self.order.get_mut(at as usize) {
                    r.2 += 1;
                }
                at
            }
            None => {
                let at = self.order.len() as u32;
                self.reads.insert(key, at);
                self.order.push((name, p, 1));
                at
            }
        };
        self.recent.push(at);
    }

    /// The reads noted since the last [`VarScan::clear_recent`], as [`VarScan::reread`] takes them.
    pub(super) fn recent(&self) -> &[u32] {
        &self.recent
    }

    pub(super) fn clear_recent(&mut self) {
        self.recent.clear();
    }

    /// The reads `recent` (as [`VarScan::recent`] gave them for an earlier priority) made again by a
    /// priority with the same data: the first reader of each name is already known, only the counts grow.
    #[inline]
    pub(super) fn reread(&mut self, recent: &[u32]) {
        for &at in recent {
            if let Some(r) = self.order.get_mut(at as usize) {
                r.2 += 1;
            }
        }
    }

    /// The `=` at byte `i` of `data`: a `NAME=` (or `FUNC(args)=` for the functions that write variables)
    /// assigns `NAME`.
    pub(super) fn assignment(&mut self, data: &'a str, i: usize) {
        if !self.on {
            return;
        }
        let b = data.as_bytes();
        if i > 0 && b[i - 1] == b')' {
            self.function_write(data, i - 1);
            return;
        }
        // Back to the start of the name: a separator, or the start of the data.
        let mut s = i;
        let mut braces = 0usize;
        while s > 0 {
            let c = b[s - 1];
            match c {
                b'}' => braces += 1,
                b'{' => braces = braces.saturating_sub(1),
                b'(' | b',' | b'?' | b':' | b'|' | b'^' | b' ' | b'\t' if braces == 0 => break,
                _ => {}
            }
            s -= 1;
        }
        self.assigned(&data[s..i]);
    }

    /// A name being assigned, as written: plain, or with `${…}` parts (then a run-time prefix).
    fn assigned(&mut self, name: &'a str) {
        let name = strip(trim(name));
        if name.is_empty() {
            return;
        }
        // A plain name (the usual case) has no `${`: only names that are not plain are searched for one.
        let b = name.as_bytes();
        if name_len(b) == b.len() {
            self.set.insert(Name::new(name));
        } else if let Some(at) = dollar_brace(b, 0) {
            let prefix = &name[..at];
            if name_len(prefix.as_bytes()) == at {
                self.prefixes.push(strip(prefix));
            }
        }
    }

    /// `FUNC(args)=`: the `)` is at `close`.
    fn function_write(&mut self, data: &'a str, close: usize) {
        let Some(open) = data[..close].rfind('(') else {
            return;
        };
        let name_start = data[..open]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(0, |i| i + 1);
        let func = &data[name_start..open];
        let args = &data[open + 1..close];
        match func {
            "LOCAL" | "GLOBAL" | "SHARED" | "PUSH" | "UNSHIFT" => {
                self.assigned(args.split(',').next().unwrap_or_default())
            }
            "ARRAY" => {
                for a in args.split(',') {
                    self.assigned(a);
                }
            }
            _ => {}
        }
    }

    /// The reads in `data` found by a scan of its own (the unit tests' way in; the lint's walk has the
    /// language check's scan report them).
    #[cfg(test)]
    fn reads_in(&mut self, data: &'a str, p: &'a Priority) {
        let b = data.as_bytes();
        let mut from = 0;
        while let Some(i) = dollar_brace(b, from) {
            from = i + 2;
            let start = i + 2;
            let len = name_len(&b[start..]);
            self.read(&data[start..start + len], b.get(start + len).copied(), p);
        }
    }

    /// Reports the names read and never set.
    pub(super) fn finish(self, out: &mut Vec<Diagnostic>) {
        if !self.on || self.prefixes.iter().any(|p| p.is_empty()) {
            return;
        }
        for &(name, p, reads) in &self.order {
            if self.set.contains(&Name::new(name))
                || self.provided.contains(name)
                || is_provided_pattern(name)
                || self.prefixes.iter().any(|pre| name.starts_with(pre))
            {
                continue;
            }
            let Some(span) = p.source() else { continue };
            let also = if reads > 1 {
                format!(" (read {reads} times; this is the first)")
            } else {
                String::new()
            };
            if let Some((_, why)) = GONE.iter().find(|g| g.0 == name) {
                out.push(
                    Diagnostic::warning(
                        VARIABLE_NEVER_SET,
                        format!("'${{{name}}}' is read, but Asterisk 22 never sets {name}{also}"),
                    )
                    .with_span(span)
                    .with_label("always empty")
                    .with_help(format!(
                        "{why}; Asterisk substitutes the empty string here and logs nothing"
                    )),
                );
                continue;
            }
            let suggestion = closest(name, self.set.iter().map(Name::as_str))
                .map(|s| format!("did you mean '{s}'? Otherwise s"))
                .unwrap_or_else(|| String::from("s"));
            out.push(
                Diagnostic::note(
                    VARIABLE_NEVER_SET,
                    format!("'${{{name}}}' is read, but nothing in the dialplan sets {name}{also}"),
                )
                .with_span(span)
                .with_label("never set")
                .with_help(format!(
                    "unless something outside the dialplan sets it (an AMI Originate, a channel driver's \
                     set_var), Asterisk substitutes the empty string here and logs nothing; {suggestion}et it \
                     with Set({name}=…) or in [globals]"
                )),
            );
        }
    }
}

/// `ARGn`, and the `…STATUS` variables applications set (`PLAYBACKSTATUS`, `READSTATUS`, `QUEUESTATUS`, …).
fn is_provided_pattern(name: &str) -> bool {
    name.strip_prefix("ARG")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|c| c.is_ascii_digit()))
        || name.ends_with("STATUS")
        || name.starts_with("MACRO_")
}

/// Where the first `${` at or after `from` starts in `b`.
fn dollar_brace(b: &[u8], from: usize) -> Option<usize> {
    let rest = b.get(from..)?;
    hits(rest, [b'$'])
        .find(|&i| rest.get(i + 1) == Some(&b'{'))
        .map(|i| from + i)
}

/// The name without its inheritance prefix (`_` or `__`), as Asterisk looks it up.
fn strip(name: &str) -> &str {
    // Most names have no prefix: one byte decides (this runs for every read and assignment).
    if name.as_bytes().first() != Some(&b'_') {
        return name;
    }
    name.strip_prefix("__")
        .or_else(|| name.strip_prefix('_'))
        .unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(lines: &[&str]) -> (Vec<String>, Vec<String>) {
        let mut dp = Dialplan::new();
        let mut sources = dialplan::source::SourceMap::new();
        let text = format!("[c]\n{}\n", lines.join("\n"));
        let files = [("extensions.conf", text.as_str())];
        assert!(dialplan::model::load::load_text(&mut dp, &mut sources, &files).is_ok());
        let mut v = VarScan::new(&dp);
        for c in dp.contexts() {
            for e in c.extensions() {
                for p in e.priorities() {
                    v.priority(p);
                }
            }
        }
        let mut set: Vec<String> = v.set.iter().map(|s| s.as_str().to_string()).collect();
        set.sort();
        let mut unset: Vec<String> = v
            .order
            .iter()
            .filter(|(n, _, _)| !v.set.contains(&Name::new(n)))
            .map(|(n, _, _)| n.to_string())
            .collect();
        unset.sort();
        (set, unset)
    }

    #[test]
    fn dollar_braces_are_found_in_words_and_tails() {
        let text = "ab${C}defgh$ijk${L}mnopqrstu${V}w$";
        let mut found = Vec::new();
        let mut from = 0;
        while let Some(i) = dollar_brace(text.as_bytes(), from) {
            found.push(i);
            from = i + 2;
        }
        let expected: Vec<usize> = text.match_indices("${").map(|(i, _)| i).collect();
        assert_eq!(found, expected);
        assert_eq!(dollar_brace(b"$", 0), None);
        assert_eq!(dollar_brace(b"1234567$", 0), None);
        assert_eq!(dollar_brace(b"1234567${", 0), Some(7));
    }

    #[test]
    fn assignments_and_reads() {
        let (set, unset) = scan(&[
            "exten => s,1,Set(__A=1)",
            " same => n,MSet(B=1,C=${A})",
            " same => n,ExecIf($[${A} = 1]?Set(D=2))",
            " same => n,Set(LOCAL(E)=1)",
            " same => n,Read(F,beep)",
            " same => n,NoOp(${G} ${H:1} ${CUT(A,-,1)} ${X${A}})",
        ]);
        assert_eq!(set, ["A", "B", "C", "D", "E", "F"]);
        assert_eq!(unset, ["G", "H"]);
    }
}
