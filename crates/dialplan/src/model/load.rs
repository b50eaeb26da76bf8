//! Loading extensions.conf the way pbx_config does (`pbx/pbx_config.c`: `pbx_load_config`,
//! `pbx_load_module`).
//!
//! `[general]` options, every `[globals]` section, then every other section as a context of registrar
//! `pbx_config`: `exten`, `same`, `include`, `ignorepat`, `switch`/`lswitch`/`eswitch`, `autohints`. The
//! contexts are built apart and then merged with what other modules (res_parking) already registered
//! ([`super::merge`]); afterwards every context's includes are checked. Each problem becomes a
//! [`Diagnostic`] carrying Asterisk's own log line; [`ExtensionsLoad::log`] has every line Asterisk prints
//! during the load, in order.
//!
//! File names in Asterisk's messages: a line of the top-level file is reported against `extensions.conf`
//! (pbx_config uses its own relative name when the parser recorded none), a line of an `#include`d file
//! against the name the parser recorded (the full path under `/etc/asterisk`). `dialplan show` prints that
//! name without its folder, with Asterisk's line number.

use super::context::{
    AddError, IgnorePat, Include, Location, NewPriority, Origin, Replace, Switch, PRIORITY_HINT,
};
use super::dialplan::{Dialplan, General, Globals, PBX_CONFIG};
use super::lookup::{Query, Target};
use super::pattern::{shrink_phone_number, Mode};
use crate::conf::{ConfFile, FileStatus, Item, Section};
use crate::diag::{Code, CodeInfo, Diagnostic, LogLevel, LogLine, Severity};
use crate::source::{SourceMap, Span};
use std::borrow::Cow;
use std::sync::Arc;

mod text;
pub use text::{load_text, parse_text};

/// The name pbx_config loads and uses in its messages for lines of the top-level file.
pub const CONFIG_FILE: &str = "extensions.conf";

pub const NO_PREVIOUS_PATTERN: Code = Code("ext/no-previous-pattern");
pub const NEXT_ON_FIRST: Code = Code("ext/next-on-first");
pub const INVALID_PRIORITY: Code = Code("ext/invalid-priority");
pub const LABEL_MISSING_PAREN: Code = Code("ext/label-missing-paren");
pub const NO_CLOSING_PAREN: Code = Code("ext/no-closing-paren");
pub const PRIORITY_IN_USE: Code = Code("ext/priority-in-use");
pub const ALIASED_EXTENSION: Code = Code("ext/aliased-extension");
pub const EMPTY_NAME: Code = Code("ext/empty-name");
pub const DUPLICATE_LABEL: Code = Code("ext/duplicate-label");
pub const DISCOURAGED_CATCH_ALL: Code = Code("ext/discouraged-catch-all");
pub const PRIORITY_ZERO: Code = Code("ext/priority-zero");
pub const DUPLICATE_INCLUDE: Code = Code("ext/duplicate-include");
pub const DUPLICATE_IGNOREPAT: Code = Code("ext/duplicate-ignorepat");
pub const DUPLICATE_SWITCH: Code = Code("ext/duplicate-switch");
pub const SWITCH_NOT_SIMULATED: Code = Code("ext/switch-not-simulated");
pub const UNKNOWN_DIRECTIVE: Code = Code("ext/unknown-directive");
pub const MISSING_INCLUDE: Code = Code("ext/missing-include");
pub const TOO_MANY_INCLUDES: Code = Code("ext/too-many-includes");
pub const MERGE_CONFLICT: Code = Code("ext/merge-conflict");
pub const UNEXPANDED: Code = Code("ext/unexpanded");
pub const FUNCTION_GLOBAL: Code = Code("ext/function-global");
pub const DECLINED: Code = Code("ext/declined");

/// Every code this module emits.
pub const CODES: &[CodeInfo] = &[
    CodeInfo { code: NO_PREVIOUS_PATTERN, summary: "`same =>` before any `exten =>` in a context; the line is dropped" },
    CodeInfo { code: NEXT_ON_FIRST, summary: "`n` or `s` priority on the first line of a context; the line is dropped" },
    CodeInfo { code: INVALID_PRIORITY, summary: "a priority that is not a number, `n`, `s`, `hint` or a known label, or is below 1; the line is dropped" },
    CodeInfo { code: LABEL_MISSING_PAREN, summary: "`n(label` without `)`; the line is dropped" },
    CodeInfo { code: NO_CLOSING_PAREN, summary: "`App(args` without `)`; added anyway with everything after `(` as data" },
    CodeInfo { code: PRIORITY_IN_USE, summary: "the same extension and priority defined twice; the later line is dropped" },
    CodeInfo { code: ALIASED_EXTENSION, summary: "two names Asterisk treats as the same extension (`_[0-9]XX` and `_XXX`) define the same priority; the later is dropped" },
    CodeInfo { code: EMPTY_NAME, summary: "`exten => ,1,...` with an empty name; the line is dropped" },
    CodeInfo { code: DUPLICATE_LABEL, summary: "a label used twice in one extension; the later priority loses its label" },
    CodeInfo { code: DISCOURAGED_CATCH_ALL, summary: "`_.` or `_!` also matches `h`, `i`, `t` and friends" },
    CodeInfo { code: PRIORITY_ZERO, summary: "a priority that works out to 0 (`n` after a hint) is silently dropped" },
    CodeInfo { code: DUPLICATE_INCLUDE, summary: "the same context included twice; the later include is ignored" },
    CodeInfo { code: DUPLICATE_IGNOREPAT, summary: "the same ignore pattern twice; the later is ignored" },
    CodeInfo { code: DUPLICATE_SWITCH, summary: "the same switch twice; the later is ignored" },
    CodeInfo { code: SWITCH_NOT_SIMULATED, summary: "a `switch` is kept and shown but never consulted by dialsim" },
    CodeInfo { code: UNKNOWN_DIRECTIVE, summary: "a line in a context that pbx_config does not know; ignored" },
    CodeInfo { code: MISSING_INCLUDE, summary: "a context includes a context that does not exist (first such include per context)" },
    CodeInfo { code: TOO_MANY_INCLUDES, summary: "a context has 512 or more includes" },
    CodeInfo { code: MERGE_CONFLICT, summary: "a priority another module registered clashes with extensions.conf and is dropped" },
    CodeInfo { code: UNEXPANDED, summary: "`${...}`/`$[...]` in a name, include, switch or global that dialsim could not expand at load" },
    CodeInfo { code: FUNCTION_GLOBAL, summary: "a `[globals]` name ending in `)` writes a dialplan function, which dialsim does not do at load" },
    CodeInfo { code: DECLINED, summary: "extensions.conf is missing or invalid: pbx_config declines to load and there is no dialplan" },
];

/// What a load-time substitution can see: the globals, and for a hint's device the extension and context
/// (Asterisk expands a hint on a dummy channel placed there).
#[derive(Clone, Copy, Debug)]
pub struct SubstScope<'a> {
    pub globals: &'a Globals,
    /// `${EXTEN}` (hints only).
    pub exten: Option<&'a str>,
    /// `${CONTEXT}` (hints only).
    pub context: Option<&'a str>,
}

/// Load-time substitution of `${...}` and `$[...]` (`pbx_substitute_variables_helper` without a channel,
/// or on the dummy channel of a hint). The expression engine provides a full one; `None` means "cannot
/// expand this text".
pub trait LoadSubstitution {
    fn substitute(&self, text: &str, scope: &SubstScope<'_>) -> Option<String>;
}

/// Expands plain `${NAME}` from the globals (unset ⇒ empty); gives up on anything else.
#[derive(Clone, Copy, Debug, Default)]
pub struct GlobalsOnly;

impl LoadSubstitution for GlobalsOnly {
    fn substitute(&self, text: &str, scope: &SubstScope<'_>) -> Option<String> {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(i) = rest.find('$') {
            out.push_str(&rest[..i]);
            let after = &rest[i + 1..];
            if after.starts_with('[') {
                return None;
            }
            let Some(body) = after.strip_prefix('{') else {
                out.push('$');
                rest = after;
                continue;
            };
            let end = body.find('}')?;
            let name = &body[..end];
            if name.is_empty()
                || !name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            {
                return None;
            }
            let value = match name {
                "EXTEN" if scope.exten.is_some() => scope.exten,
                "CONTEXT" if scope.context.is_some() => scope.context,
                _ => scope.globals.get(name),
            };
            out.push_str(value.unwrap_or(""));
            rest = &body[end + 1..];
        }
        out.push_str(rest);
        Some(out)
    }
}

/// The result of loading extensions.conf.
#[derive(Clone, Debug, Default)]
pub struct ExtensionsLoad {
    pub diagnostics: Vec<Diagnostic>,
    /// Every line Asterisk prints during the load, in order (warnings, `Setting global variable`,
    /// `Including switch`, ...).
    pub log: Vec<LogLine>,
}

/// Loads a parsed extensions.conf into `dialplan` (see the module documentation).
pub fn load_extensions(
    dialplan: &mut Dialplan,
    conf: &ConfFile,
    sources: &SourceMap,
) -> Vec<Diagnostic> {
    load_extensions_with(dialplan, conf, sources, &GlobalsOnly).diagnostics
}

/// [`load_extensions`] for a caller that has no further use for the parsed file: each section's items are
/// freed as soon as its context is built, so that the dialplan reuses their memory instead of growing the
/// process by as much again (on a large dialplan the items are the biggest allocation of a load). Same
/// result and diagnostics as [`load_extensions`].
pub fn load_extensions_owned(
    dialplan: &mut Dialplan,
    mut conf: ConfFile,
    sources: &SourceMap,
) -> Vec<Diagnostic> {
    let _ = sources;
    let mut sections = std::mem::take(&mut conf.sections);
    let mut l = Loader {
        conf: &conf,
        subst: &GlobalsOnly,
        files: Vec::new(),
        last_file: None,
        out: ExtensionsLoad::default(),
    };
    let (mut local, general) = l.prepare(dialplan, &sections);
    for sec in sections.iter_mut().filter(|s| !s.is_template) {
        if !is_general_or_globals(sec) {
            l.context(&mut local, &dialplan.globals, sec);
        }
        drop(std::mem::take(&mut sec.items));
    }
    drop(sections);
    l.finish(dialplan, local, general);
    l.out.diagnostics
}

/// [`load_extensions`] with a chosen substitution and the full log.
pub fn load_extensions_with(
    dialplan: &mut Dialplan,
    conf: &ConfFile,
    sources: &SourceMap,
    subst: &dyn LoadSubstitution,
) -> ExtensionsLoad {
    let _ = sources;
    let mut l = Loader {
        conf,
        subst,
        files: Vec::new(),
        last_file: None,
        out: ExtensionsLoad::default(),
    };
    l.load(dialplan, conf);
    l.out
}

/// `dialplan reload`: wipes the globals first when `clearglobalvars=yes` was loaded (even if the reload
/// then fails), then loads as at startup; a file that is not [`FileStatus::Loaded`] keeps the old dialplan.
pub fn reload_extensions(
    dialplan: &mut Dialplan,
    status: FileStatus,
    conf: Option<&ConfFile>,
    sources: &SourceMap,
    subst: &dyn LoadSubstitution,
) -> ExtensionsLoad {
    if dialplan.general.clearglobalvars {
        dialplan.globals.clear();
    }
    match (status, conf) {
        (FileStatus::Loaded, Some(conf)) => load_extensions_with(dialplan, conf, sources, subst),
        _ => ExtensionsLoad::default(),
    }
}

/// What Asterisk prints when extensions.conf is missing or rejected by the parser at startup: pbx_config
/// declines. `None` for a loaded file. The loader also prints, once for all modules that declined,
/// WARNING `Some non-required modules failed to load.` before these lines ([`some_modules_failed`]).
pub fn declined(status: FileStatus) -> Option<Diagnostic> {
    let why = match status {
        FileStatus::Loaded => return None,
        FileStatus::Missing => "extensions.conf does not exist",
        FileStatus::Invalid => "extensions.conf could not be parsed",
    };
    Some(
        Diagnostic::error(DECLINED, format!("{why}: pbx_config declines to load"))
            .with_help("Asterisk then runs without any dialplan from extensions.conf; fix the file so that it parses")
            .with_log(LogLine::new(LogLevel::Error, "loader.c", "pbx_config declined to load.")),
    )
}

/// The loader's summary warning printed when at least one module declined at startup.
pub fn some_modules_failed() -> LogLine {
    LogLine::new(
        LogLevel::Warning,
        "loader.c",
        "Some non-required modules failed to load.",
    )
}

/// Whether pbx_config reads the section as options (`[general]`, `[globals]`) rather than as a context.
fn is_general_or_globals(sec: &Section) -> bool {
    sec.name.eq_ignore_ascii_case("general") || sec.name.eq_ignore_ascii_case("globals")
}

/// `ast_true`.
pub fn ast_true(s: Option<&str>) -> bool {
    matches!(s, Some(v) if ["yes", "true", "y", "t", "1", "on"].iter().any(|t| v.eq_ignore_ascii_case(t)))
}

struct Loader<'s> {
    conf: &'s ConfFile,
    subst: &'s dyn LoadSubstitution,
    /// Interned registrar file names (`extensions.conf`, `sub.conf`).
    files: Vec<Arc<str>>,
    /// The message file name of the last [`Loader::location`] and the short name made of it.
    last_file: Option<(&'s str, Arc<str>)>,
    out: ExtensionsLoad,
}

/// Where one item is, for messages: 1-based line and the file name Asterisk prints.
struct Place<'s> {
    line: u32,
    file: &'s str,
}

impl<'s> Loader<'s> {
    fn place(&self, item: &Item) -> Place<'s> {
        let (line, file) = item.asterisk_origin(self.conf);
        Place {
            line,
            file: if file.is_empty() { CONFIG_FILE } else { file },
        }
    }

    /// `registrar_file`: the message file name without its folder, as one shared string.
    fn location_file(&mut self, p: &Place<'s>) -> &Arc<str> {
        // Consecutive lines name the same file (the very same text): its short name is reused.
        let file = match self.last_file.take() {
            Some((name, file)) if std::ptr::eq(name, p.file) => file,
            _ => self.location_of(p).file,
        };
        &self.last_file.insert((p.file, file)).1
    }

    fn location_of(&mut self, p: &Place<'_>) -> Location {
        let base = match p.file.as_bytes().iter().rposition(|&b| b == b'/') {
            Some(i) => &p.file[i + 1..],
            None => p.file,
        };
        // Nearly every line is in the file of the line before: the newest name is checked first.
        let file = match self.files.iter().rev().find(|f| ***f == *base) {
            Some(f) => f.clone(),
            None => {
                let f: Arc<str> = Arc::from(base);
                self.files.push(f.clone());
                f
            }
        };
        Location { file, line: p.line }
    }

    /// Records a diagnostic and logs its Asterisk lines.
    fn emit(&mut self, d: Diagnostic) {
        self.out.log.extend(d.asterisk.iter().cloned());
        self.out.diagnostics.push(d);
    }

    fn log(&mut self, line: LogLine) {
        self.out.log.push(line);
    }

    fn substitute<'t>(&mut self, text: &'t str, globals: &Globals, span: Span) -> Cow<'t, str> {
        let scope = SubstScope {
            globals,
            exten: None,
            context: None,
        };
        self.substitute_in(text, &scope, span)
    }

    fn substitute_in<'t>(
        &mut self,
        text: &'t str,
        scope: &SubstScope<'_>,
        span: Span,
    ) -> Cow<'t, str> {
        if !text.contains('$') {
            return Cow::Borrowed(text);
        }
        match self.subst.substitute(text, scope) {
            Some(s) => Cow::Owned(s),
            None => {
                self.emit(
                    Diagnostic::note(UNEXPANDED, format!("'{text}' is used as written"))
                        .with_span(span)
                        .with_help("Asterisk expands variables and expressions here when it loads the file; dialsim could not, so the text is kept as it is"),
                );
                Cow::Borrowed(text)
            }
        }
    }

    fn load(&mut self, dp: &mut Dialplan, conf: &ConfFile) {
        let (mut local, general) = self.prepare(dp, &conf.sections);
        for sec in conf.visible_sections() {
            if !is_general_or_globals(sec) {
                self.context(&mut local, &dp.globals, sec);
            }
        }
        self.finish(dp, local, general);
    }

    /// `[general]` and `[globals]`; returns the dialplan the contexts are built in, and the general options
    /// that take effect only after the merge.
    fn prepare(&mut self, dp: &mut Dialplan, sections: &[Section]) -> (Dialplan, General) {
        let visible = || sections.iter().filter(|s| !s.is_template);
        let general = visible().find(|s| s.name.eq_ignore_ascii_case("general"));
        let get = |key: &str| -> Option<&str> {
            general.and_then(|s| {
                s.items
                    .iter()
                    .rev()
                    .find(|i| i.key.eq_ignore_ascii_case(key))
                    .map(|i| i.value.as_str())
            })
        };
        let mut new_general = dp.general.clone();
        new_general.static_config = ast_true(get("static"));
        new_general.writeprotect = ast_true(get("writeprotect"));
        if let Some(v) = get("autofallthrough") {
            new_general.autofallthrough = ast_true(Some(v));
        }
        if let Some(v) = get("extenpatternmatchnew") {
            new_general.extenpatternmatchnew = ast_true(Some(v));
        }
        new_general.clearglobalvars = ast_true(get("clearglobalvars"));
        if let Some(v) = get("overrideswitch") {
            new_general.overrideswitch = (!v.is_empty()).then(|| v.to_string());
        }
        new_general.userscontext = get("userscontext").unwrap_or("default").to_string();
        // The config values take effect for everything else at once; the three below only after the merge.
        dp.general.static_config = new_general.static_config;
        dp.general.writeprotect = new_general.writeprotect;
        dp.general.clearglobalvars = new_general.clearglobalvars;
        dp.general.userscontext = new_general.userscontext.clone();

        for sec in visible().filter(|s| s.name.eq_ignore_ascii_case("globals")) {
            for item in &sec.items {
                self.global(dp, item);
            }
        }

        let mut local = Dialplan::new();
        local.seq = dp.seq;
        local.general = dp.general.clone();
        (local, new_general)
    }

    /// The merge with what other modules registered, the include check, and the general options that wait
    /// for the merge.
    fn finish(&mut self, dp: &mut Dialplan, local: Dialplan, new_general: General) {
        let merged = super::merge::merge(dp, local, PBX_CONFIG);
        for m in merged {
            match m {
                super::merge::MergeEvent::Log(line) => self.log(line),
                super::merge::MergeEvent::Conflict(d) => self.emit(d),
            }
        }
        self.verify_includes(dp);
        dp.shrink_to_fit();
        dp.general.overrideswitch = new_general.overrideswitch;
        dp.general.autofallthrough = new_general.autofallthrough;
        dp.general.extenpatternmatchnew = new_general.extenpatternmatchnew;
    }

    fn global(&mut self, dp: &mut Dialplan, item: &Item) {
        let value = self.substitute(&item.value, &dp.globals, item.value_span);
        if item.key.ends_with(')') {
            self.emit(
                Diagnostic::note(
                    FUNCTION_GLOBAL,
                    format!("'{}' writes a dialplan function at load", item.key),
                )
                .with_span(item.key_span)
                .with_help("Asterisk calls the function with the value when it loads [globals]; dialsim does not simulate that"),
            );
            return;
        }
        dp.globals.set(&item.key, &value);
        self.log(LogLine::new(
            LogLevel::Verbose(2),
            "pbx_variables.c",
            format!("Setting global variable '{}' to '{}'", item.key, value),
        ));
    }

    fn context(&mut self, local: &mut Dialplan, globals: &Globals, sec: &Section) {
        let cxt = sec.name.as_str();
        // Each line's kind is known before the lines are processed: an `exten` line looks ahead at how many
        // `same` lines follow it.
        let kinds: Vec<LineKind> = sec.items.iter().map(|it| LineKind::of(&it.key)).collect();
        let fresh = local.context(cxt).is_none();
        let ctx = local.find_or_create_context(cxt, PBX_CONFIG);
        if fresh {
            ctx.source = Some(sec.span);
            // Most `exten` lines start an extension: the list is allocated once (the load shrinks it).
            ctx.reserve_extensions(kinds.iter().filter(|k| **k == LineKind::Exten).count());
        }
        let mut state = LineState {
            cxt,
            globals,
            registrar: local.intern(PBX_CONFIG),
            index: local.context_index(cxt),
            last_extension: String::new(),
            last_pri: -2,
            expected: 1,
        };
        for (i, item) in sec.items.iter().enumerate() {
            let key = item.key.as_str();
            let kind = kinds[i];
            if kind == LineKind::Same {
                if state.last_extension.is_empty() {
                    let p = self.place(item);
                    self.emit(
                        Diagnostic::error(
                            NO_PREVIOUS_PATTERN,
                            format!("'{key}' line before any 'exten' line in context '{cxt}'"),
                        )
                        .with_span(item.span)
                        .with_help("Asterisk drops the line; start the context with `exten => NAME,1,...`")
                        .with_log(LogLine::new(
                            LogLevel::Error,
                            "pbx_config.c",
                            format!(
                                "No previous pattern in the first entry of context '{cxt}' to match '{key}' at line {} of {}!",
                                p.line, p.file
                            ),
                        )),
                    );
                    continue;
                }
                let realext = std::mem::take(&mut state.last_extension);
                state.expected = 1;
                self.extension(local, item, &realext, &item.value, &mut state);
                state.last_extension = realext;
            } else if kind == LineKind::Exten {
                let (ext, rest) = pbx_strsep(&item.value);
                let realext = self.substitute(ext, globals, item.value_span);
                // The buffer is reused from line to line.
                let mut last = std::mem::take(&mut state.last_extension);
                last.clear();
                last.push_str(&realext);
                // The `same` lines that follow are this extension's other priorities.
                let following = kinds.get(i + 1..).unwrap_or_default();
                state.expected = 1 + following
                    .iter()
                    .take_while(|k| **k == LineKind::Same)
                    .count();
                self.extension(local, item, &last, rest.unwrap_or(""), &mut state);
                state.last_extension = last;
            } else if kind == LineKind::Include {
                let value = self.substitute(&item.value, globals, item.value_span);
                let registrar = local.intern(PBX_CONFIG);
                let inc = Include::new(&value, registrar, Some(item.span));
                let added = local.context_mut(cxt).map(|c| c.add_include(inc));
                if let Some(Err(_)) = added {
                    let p = self.place(item);
                    self.emit(
                        Diagnostic::warning(
                            DUPLICATE_INCLUDE,
                            format!("'{}' is already included in '{cxt}'", item.value),
                        )
                        .with_span(item.span)
                        .with_help("Asterisk ignores the repeated include (names compare case-insensitively); remove it")
                        .with_log(LogLine::new(
                            LogLevel::Warning,
                            "pbx_config.c",
                            format!(
                                "Context '{}' already included in '{cxt}' context on include at line {} of {}",
                                item.value, p.line, p.file
                            ),
                        )),
                    );
                }
            } else if kind == LineKind::IgnorePat {
                let value = self.substitute(&item.value, globals, item.value_span);
                let registrar = local.intern(PBX_CONFIG);
                let pat = IgnorePat {
                    pattern: Box::from(&*value),
                    registrar,
                    source: Some(item.span),
                };
                if let Some(Err(_)) = local.context_mut(cxt).map(|c| c.add_ignorepat(pat)) {
                    let p = self.place(item);
                    self.emit(
                        Diagnostic::warning(
                            DUPLICATE_IGNOREPAT,
                            format!("ignore pattern '{}' is already in '{cxt}'", item.value),
                        )
                        .with_span(item.span)
                        .with_help("Asterisk ignores the repeated pattern; remove it")
                        .with_log(LogLine::new(
                            LogLevel::Warning,
                            "pbx_config.c",
                            format!(
                                "Unable to include ignorepat '{}' in context '{cxt}' at line {} of {}",
                                item.value, p.line, p.file
                            ),
                        )),
                    );
                }
            } else if kind == LineKind::Switch {
                self.switch(local, globals, cxt, item);
            } else if kind == LineKind::AutoHints {
                if let Some(c) = local.context_mut(cxt) {
                    c.autohints = ast_true(Some(&item.value));
                }
            } else {
                let p = self.place(item);
                self.emit(
                    Diagnostic::error(UNKNOWN_DIRECTIVE, format!("unknown directive '{key}' in context '{cxt}'"))
                        .with_span(item.key_span)
                        .with_help("Asterisk ignores the line; a context knows `exten`, `same`, `include`, `ignorepat`, `switch`, `lswitch`, `eswitch` and `autohints`")
                        .with_log(LogLine::new(
                            LogLevel::Warning,
                            "pbx_config.c",
                            format!("==!!== Unknown directive: {key} at line {} of {} -- IGNORING!!!", p.line, p.file),
                        )),
                );
            }
        }
    }

    fn switch(&mut self, local: &mut Dialplan, globals: &Globals, cxt: &str, item: &Item) {
        let value = if item.key.eq_ignore_ascii_case("switch") {
            self.substitute(&item.value, globals, item.value_span)
        } else {
            Cow::Borrowed(item.value.as_str())
        };
        let (name, data) = match value.split_once('/') {
            Some((n, d)) => (n, d),
            None => (&*value, ""),
        };
        let registrar = local.intern(PBX_CONFIG);
        let sw = Switch {
            name: Box::from(name),
            data: Box::from(data),
            eval: item.key.eq_ignore_ascii_case("eswitch"),
            registrar,
            source: Some(item.span),
        };
        match local.context_mut(cxt).map(|c| c.add_switch(sw)) {
            Some(Ok(())) => {
                self.log(LogLine::new(
                    LogLevel::Verbose(3),
                    "pbx.c",
                    format!("Including switch '{name}/{data}' in context '{cxt}'"),
                ));
                self.emit(
                    Diagnostic::note(SWITCH_NOT_SIMULATED, format!("switch '{name}/{data}' is not simulated"))
                        .with_span(item.span)
                        .with_help("Asterisk would ask the switch module for extensions not found in the context; dialsim loads no switch module, so lookups go on as Asterisk's do when the switch is missing (`No such switch`)"),
                );
            }
            Some(Err(_)) => {
                let p = self.place(item);
                self.emit(
                    Diagnostic::warning(
                        DUPLICATE_SWITCH,
                        format!("switch '{}' is already in '{cxt}'", item.value),
                    )
                    .with_span(item.span)
                    .with_help("Asterisk ignores the repeated switch; remove it")
                    .with_log(LogLine::new(
                        LogLevel::Warning,
                        "pbx_config.c",
                        format!(
                            "Unable to include switch '{}' in context '{cxt}' at line {} of {}",
                            item.value, p.line, p.file
                        ),
                    )),
                );
            }
            None => {}
        }
    }

    /// The `process_extension` part of pbx_config: priority, label, application and data of one line.
    fn extension(
        &mut self,
        local: &mut Dialplan,
        item: &Item,
        realext: &str,
        rest: &str,
        state: &mut LineState<'_>,
    ) {
        let (cxt, globals) = (state.cxt, state.globals);
        let p = self.place(item);
        let (name, cid) = match split_once(realext, b'/') {
            Some((n, c)) => (n, Some(shrink_phone_number(c))),
            None => (realext, None),
        };
        let (pri_field, rest) = match split_once(rest, b',') {
            Some((a, b)) => (a, Some(b)),
            None => (rest, None),
        };
        let pri_field = ast_strip(pri_field);
        let (pri_text, label) = match split_once(pri_field, b'(') {
            Some((pri, after)) => match split_once(after, b')') {
                Some((label, _)) => (pri, Some(label)),
                None => {
                    self.emit(
                        Diagnostic::error(
                            LABEL_MISSING_PAREN,
                            format!("label in '{pri_field}' has no closing ')'"),
                        )
                        .with_span(item.value_span)
                        .with_help("Asterisk drops the line; write the priority as `n(label)`")
                        .with_log(LogLine::new(
                            LogLevel::Warning,
                            "pbx_config.c",
                            format!(
                                "Label missing trailing ')' at line {} of {}",
                                p.line, p.file
                            ),
                        )),
                    );
                    return;
                }
            },
            None => (pri_field, None),
        };
        let (pri, plus) = match split_once(pri_text, b'+') {
            Some((a, b)) => (a, Some(b)),
            None => (pri_text, None),
        };
        let ipri: i32 = if pri == "hint" {
            PRIORITY_HINT
        } else if pri == "next" || pri == "n" || pri == "same" || pri == "s" {
            let next = pri == "next" || pri == "n";
            if state.last_pri > -2 {
                if next {
                    state.last_pri.wrapping_add(1)
                } else {
                    state.last_pri
                }
            } else {
                let word = if next { "next" } else { "same" };
                self.emit(
                    Diagnostic::error(NEXT_ON_FIRST, format!("'{pri}' priority on the first line of context '{cxt}'"))
                        .with_span(item.value_span)
                        .with_help("Asterisk drops the line: there is no previous priority to count from; give the first line a number")
                        .with_log(LogLine::new(
                            LogLevel::Warning,
                            "pbx_config.c",
                            format!("Can't use '{word}' priority on the first entry at line {} of {}!", p.line, p.file),
                        )),
                );
                return;
            }
        } else if let Some(n) = scan_int(pri) {
            if n < 1 {
                self.emit(
                    Diagnostic::error(INVALID_PRIORITY, format!("priority '{pri}' is below 1"))
                        .with_span(item.value_span)
                        .with_help("Asterisk drops the line; priorities start at 1")
                        .with_log(LogLine::new(
                            LogLevel::Warning,
                            "pbx_config.c",
                            format!("Invalid priority '{pri}' at line {} of {}", p.line, p.file),
                        )),
                );
                return;
            }
            n
        } else {
            match self.find_label(local, cxt, name, pri, cid.as_deref()) {
                Some(n) if n >= 1 => n,
                _ => {
                    self.emit(
                        Diagnostic::error(INVALID_PRIORITY, format!("priority '{pri}' is neither a number nor a label defined earlier"))
                            .with_span(item.value_span)
                            .with_help("Asterisk drops the line; a label must be defined on an earlier line of the same extension")
                            .with_log(LogLine::new(
                                LogLevel::Warning,
                                "pbx_config.c",
                                format!("Invalid priority/label '{pri}' at line {} of {}", p.line, p.file),
                            )),
                    );
                    return;
                }
            }
        };
        let appl = rest.unwrap_or("");
        let (app, data): (&str, &str) = match split_once(appl, b'(') {
            None => (appl, ""),
            Some((app, after)) => {
                if has_expansion(app) {
                    (appl, "")
                } else {
                    match after.as_bytes().iter().rposition(|&b| b == b')') {
                        Some(end) => (app, &after[..end]),
                        None => {
                            self.emit(
                                Diagnostic::warning(NO_CLOSING_PAREN, format!("'{app}(' has no closing ')'"))
                                    .with_span(item.value_span)
                                    .with_help("Asterisk adds the priority anyway, with everything after '(' as the data; add the ')'")
                                    .with_log(LogLine::new(
                                        LogLevel::Warning,
                                        "pbx_config.c",
                                        format!("No closing parenthesis found? '{app}({after}' at line {} of {}", p.line, p.file),
                                    )),
                            );
                            (app, after)
                        }
                    }
                }
            }
        };
        let app = skip_blanks(app);
        if ipri == 0 {
            self.priority_zero(item, name);
            return;
        }
        // The offset is added after the zero check: `hint+1` registers a priority 0.
        let mut ipri = ipri;
        if let Some(plus) = plus {
            ipri = ipri.wrapping_add(atoi(plus));
        }
        state.last_pri = ipri;
        if name == "_." || name == "_!" {
            let c = &name[1..];
            self.emit(
                Diagnostic::warning(DISCOURAGED_CATCH_ALL, format!("'{name}' also matches 'h', 'i', 't' and other special extensions"))
                    .with_span(item.value_span)
                    .with_help(format!("Asterisk warns and loads it; in an included context it even runs as the hangup handler. Use '_X{c}' for digits"))
                    .with_log(LogLine::new(
                        LogLevel::Warning,
                        "pbx_config.c",
                        format!(
                            "The use of '{name}' for an extension is strongly discouraged and can have unexpected behavior.  Please use '_X{c}' instead at line {} of {}",
                            p.line, p.file
                        ),
                    )),
            );
        }
        // A hint's device is expanded when it is added, on a dummy channel at the extension and context.
        let hint_device;
        let app = if ipri == PRIORITY_HINT && app.contains("${") && !name.starts_with('_') {
            let scope = SubstScope {
                globals,
                exten: Some(name),
                context: Some(cxt),
            };
            hint_device = self.substitute_in(app, &scope, item.value_span);
            &*hint_device
        } else {
            app
        };
        let np = NewPriority {
            exten: name,
            callerid: cid.as_deref(),
            priority: ipri,
            label,
            app,
            data,
            registrar: PBX_CONFIG,
            source: Some(item.span),
        };
        let origin = Origin {
            registrar: &state.registrar,
            location: Some((self.location_file(&p), p.line)),
            // The line's text is a slice of its file's: the new priority can share the file's text.
            file: Some(item.value.whole()),
            expected: state.expected,
        };
        let result = match state.index {
            Some(i) => local.add_in(i, np, origin, Replace::No),
            None => local.add_with_origin(cxt, np, origin, Replace::No),
        };
        match result {
            Ok(added) => {
                for w in added.warnings {
                    self.emit(
                        Diagnostic::warning(DUPLICATE_LABEL, format!("label '{}' is already used in extension '{name}'", label.unwrap_or_default()))
                            .with_span(item.value_span)
                            .with_help("Asterisk adds the priority without its label; a label names one priority of an extension")
                            .with_log(w),
                    );
                }
            }
            Err(err) => {
                let (code, msg, help) = match &err {
                    AddError::InUse { aliased: Some(other), .. } => (
                        ALIASED_EXTENSION,
                        format!("'{name}' is the same extension as '{other}' to Asterisk, and priority {ipri} is already defined there"),
                        "Asterisk compares patterns by what they match (`_[0-9]XX` is `_XXX`) and refuses the second definition; write the pattern one way",
                    ),
                    AddError::InUse { .. } => (
                        PRIORITY_IN_USE,
                        format!("extension '{name}' priority {ipri} is already defined in '{cxt}'"),
                        "Asterisk keeps the first definition and drops this line; renumber or remove one of them",
                    ),
                    AddError::EmptyName(_) => (
                        EMPTY_NAME,
                        format!("empty extension name in context '{cxt}'"),
                        "Asterisk drops the line; give the extension a name",
                    ),
                    AddError::NoContext(_) => (
                        PRIORITY_IN_USE,
                        format!("context '{cxt}' vanished while loading"),
                        "this is a dialsim bug",
                    ),
                };
                self.emit(
                    Diagnostic::error(code, msg)
                        .with_span(item.span)
                        .with_help(help)
                        .with_log(err.log_line())
                        .with_log(LogLine::new(
                            LogLevel::Warning,
                            "pbx_config.c",
                            format!(
                                "Unable to register extension at line {} of {}",
                                p.line, p.file
                            ),
                        )),
                );
            }
        }
    }

    fn priority_zero(&mut self, item: &Item, name: &str) {
        self.emit(
            Diagnostic::new(
                PRIORITY_ZERO,
                Severity::Warning,
                format!("this line of extension '{name}' works out to priority 0 and is dropped"),
            )
            .with_span(item.value_span)
            .with_help("Asterisk silently ignores it (typically `n` right after a `hint`, which counts as -1); number the line explicitly"),
        );
    }

    /// `ast_findlabel_extension2` on the context being built (only that context is searched).
    fn find_label(
        &mut self,
        local: &Dialplan,
        cxt: &str,
        exten: &str,
        label: &str,
        cid: Option<&str>,
    ) -> Option<i32> {
        let ctx = local.context(cxt)?;
        let q = Query {
            context: cxt,
            exten,
            target: Target::Label(label),
            callerid: cid,
            mode: Mode::Match,
        };
        let l = local.lookup_in(ctx, &q);
        // A failed label search walks the context's includes as the context itself until the stack limit.
        for line in l.log_lines() {
            self.log(line);
        }
        l.found.map(|f| f.priority.number())
    }

    /// `ast_context_verify_includes` for every context, in list order.
    fn verify_includes(&mut self, dp: &Dialplan) {
        let mut found = Vec::new();
        for ctx in dp.contexts() {
            let n = ctx.includes().len();
            if n >= super::lookup::MAX_STACK {
                found.push(
                    Diagnostic::warning(
                        TOO_MANY_INCLUDES,
                        format!("context '{}' has {n} includes", ctx.name()),
                    )
                    .with_help("lookups give up after 512 contexts")
                    .with_log(LogLine::new(
                        LogLevel::Warning,
                        "pbx.c",
                        format!(
                            "Context {} contains too many includes ({n}). Maximum is {}.",
                            ctx.name(),
                            super::lookup::MAX_STACK
                        ),
                    )),
                );
            }
            if let Some(inc) = ctx
                .includes()
                .iter()
                .find(|i| dp.context(i.context()).is_none())
            {
                let mut d = Diagnostic::warning(
                    MISSING_INCLUDE,
                    format!("context '{}' includes '{}', which does not exist", ctx.name(), inc.context()),
                )
                .with_help("Asterisk keeps the include and skips it at every lookup; create the context or remove the include (only the first missing include of a context is reported)")
                .with_log(LogLine::new(
                    LogLevel::Warning,
                    "pbx.c",
                    format!("Context '{}' tries to include nonexistent context '{}'", ctx.name(), inc.context()),
                ));
                if let Some(span) = inc.source() {
                    d = d.with_span(span);
                }
                found.push(d);
            }
        }
        for d in found {
            self.emit(d);
        }
    }
}

/// What one context's lines carry from one to the next.
struct LineState<'a> {
    cxt: &'a str,
    globals: &'a Globals,
    /// `pbx_config`, interned once for all the lines.
    registrar: Arc<str>,
    /// Where the context sits in the dialplan being built (see [`Dialplan::add_in`]).
    index: Option<usize>,
    last_extension: String,
    last_pri: i32,
    /// How many priorities the extension of the current line will probably hold (see [`Origin`]).
    expected: usize,
}

/// What pbx_config makes of a line in a context, by its key (tested in pbx_config's order).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LineKind {
    /// The key *starts* with `same`, in any case (`strncasecmp`).
    Same,
    Exten,
    Include,
    IgnorePat,
    /// `switch`, `lswitch`, `eswitch`.
    Switch,
    AutoHints,
    Unknown,
}

impl LineKind {
    fn of(key: &str) -> LineKind {
        // Nearly every key is `same` or `exten`: their first four bytes are compared as one word, in any
        // case (`| 0x20` lower-cases a letter and, for a lower-case letter as the target, accepts nothing
        // else but its upper case).
        let b = key.as_bytes();
        let head = match b {
            [a, b, c, d, ..] => u32::from_le_bytes([*a, *b, *c, *d]) | 0x2020_2020,
            _ => 0,
        };
        if head == u32::from_le_bytes(*b"same") {
            return LineKind::Same;
        }
        if head == u32::from_le_bytes(*b"exte") && b.len() == 5 && b[4] | 0x20 == b'n' {
            return LineKind::Exten;
        }
        Self::of_other(key)
    }

    /// [`LineKind::of`] the plain way, word by word in pbx_config's order.
    fn of_other(key: &str) -> LineKind {
        let is = |word: &str| key.eq_ignore_ascii_case(word);
        if key.len() >= 4 && key.as_bytes()[..4].eq_ignore_ascii_case(b"same") {
            LineKind::Same
        } else if is("exten") {
            LineKind::Exten
        } else if is("include") {
            LineKind::Include
        } else if is("ignorepat") {
            LineKind::IgnorePat
        } else if is("switch") || is("lswitch") || is("eswitch") {
            LineKind::Switch
        } else if is("autohints") {
            LineKind::AutoHints
        } else {
            LineKind::Unknown
        }
    }
}

/// `pbx_strsep(&s, ",")`: splits at the first `,` outside `[...]`; `\` makes the next character ordinary
/// (and stays in the text).
fn pbx_strsep(s: &str) -> (&str, Option<&str>) {
    let b = s.as_bytes();
    let mut square = 0u32;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'[' => square += 1,
            b']' => square = square.saturating_sub(1),
            b'\\' => i += 1,
            b',' if square == 0 => return (&s[..i], Some(&s[i + 1..])),
            _ => {}
        }
        i += 1;
    }
    (s, None)
}

/// `str::split_once` for an ASCII byte: a plain byte scan, cheaper than the `char` searcher on the short
/// fields of a dialplan line.
fn split_once(s: &str, b: u8) -> Option<(&str, &str)> {
    let i = s.as_bytes().iter().position(|&c| c == b)?;
    // An ASCII byte is always a character boundary.
    Some((&s[..i], &s[i + 1..]))
}

/// Whether an application name holds `${` or `$[` (pbx_config then takes the whole text as the name).
fn has_expansion(app: &str) -> bool {
    app.as_bytes()
        .windows(2)
        .any(|w| w[0] == b'$' && (w[1] == b'{' || w[1] == b'['))
}

fn skip_blanks(s: &str) -> &str {
    let n = s.bytes().take_while(|&b| b < 33).count();
    // Blanks are ASCII, so `n` is a character boundary.
    &s[n..]
}

fn ast_strip(s: &str) -> &str {
    let s = skip_blanks(s);
    let n = s.bytes().rev().take_while(|&b| b < 33).count();
    &s[..s.len() - n]
}

/// `sscanf(s, "%30d")`: optional blanks and sign, at least one digit; C's conversion to `int`.
fn scan_int(s: &str) -> Option<i32> {
    let t = s.trim_start_matches(|c: char| c.is_ascii_whitespace());
    let t = &t[..t.len().min(30)];
    let (neg, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let n = digits.bytes().take_while(u8::is_ascii_digit).count();
    if n == 0 {
        return None;
    }
    let mut v: i64 = 0;
    for d in digits.bytes().take(n) {
        v = v.saturating_mul(10).saturating_add((d - b'0') as i64);
    }
    Some((if neg { -v } else { v }) as i32)
}

/// `atoi`.
fn atoi(s: &str) -> i32 {
    scan_int(s).unwrap_or(0)
}

#[cfg(test)]
pub(crate) mod tests;
