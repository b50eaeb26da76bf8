//! Loading features.conf with Asterisk 22's rules, and the diagnostics it produces.
//!
//! Asterisk reads features.conf through its generic config framework (`config_options.c`) and is strict:
//! one unknown option in `[general]` or `[featuremap]` (including `automon`, gone since 21), one value it
//! cannot parse, one bad `[applicationmap]` line, or one feature group naming a missing applicationmap item,
//! and **the whole file is dropped**: Asterisk logs the error(s), then NOTICE
//! `Could not load features config; using defaults`, and runs with the built-in defaults — so a perfectly
//! good `parkcall => #72` in the same file is lost too. Old parking options in `[general]` and
//! `[parkinglot_*]` sections only warn. Any section that is not `general`, `featuremap`, `applicationmap`
//! or `parkinglot_*` (names compared ignoring case) is a feature group.
//! [main/features_config.c · load_config, features_pre_apply_config, unsupported_handler;
//! main/config_options.c · aco_process_config, process_category, aco_process_var]
//!
//! Asterisk stops at the first fatal line. dialsim goes on checking the rest so that every problem is found
//! at once, but only what Asterisk itself reports carries Asterisk's log lines.

use crate::appmap::{parse_item, AppMapError};
use crate::config::{
    group_bucket, insert_sorted_replace, ApplicationMapItem, BuiltinFeature, FeatureGroup,
    FeatureGroupItem, FeaturesConfig, General,
};
use dialplan::conf::{ConfFile, ConfLoad, FileStatus, Item, Section};
use dialplan::diag::{Code, CodeInfo, Diagnostic, LogLevel, LogLine};
use dialplan::source::SourceMap;

/// The result of loading features.conf.
#[derive(Clone, Debug)]
pub struct FeaturesLoad {
    /// The configuration in force: the file's, or Asterisk's built-in defaults when the file was refused.
    pub config: FeaturesConfig,
    /// Problems found, in the order Asterisk would log them.
    pub diagnostics: Vec<Diagnostic>,
    pub outcome: LoadOutcome,
}

/// Whether Asterisk used the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoadOutcome {
    /// The file was used (possibly with ignored parking options).
    Loaded,
    /// Asterisk runs with built-in defaults, for this reason.
    Defaults(DefaultsReason),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DefaultsReason {
    /// There is no features.conf.
    Missing,
    /// Asterisk's parser rejected the file.
    Invalid,
    /// An option, value, applicationmap line or feature group was refused.
    Rejected,
}

pub const UNKNOWN_OPTION: Code = Code("features/unknown-option");
pub const AUTOMON_REMOVED: Code = Code("features/automon-removed");
pub const INVALID_VALUE: Code = Code("features/invalid-value");
pub const APPMAP_MISSING_ARGUMENT: Code = Code("features/appmap-missing-argument");
pub const APPMAP_NO_APPLICATION: Code = Code("features/appmap-no-application");
pub const APPMAP_BAD_ACTIVATE_ON: Code = Code("features/appmap-bad-activate-on");
pub const GROUP_MISSING_ITEM: Code = Code("features/group-missing-item");
pub const PARKING_OPTION_IGNORED: Code = Code("features/parking-option-ignored");
pub const PARKINGLOT_SECTION_IGNORED: Code = Code("features/parkinglot-section-ignored");
pub const FILE_MISSING: Code = Code("features/file-missing");
pub const FILE_INVALID: Code = Code("features/file-invalid");
pub const DEFAULTS_USED: Code = Code("features/defaults-used");

/// Every code this module emits.
pub const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: UNKNOWN_OPTION,
        summary: "an option [general] or [featuremap] does not know; Asterisk drops the whole file",
    },
    CodeInfo {
        code: AUTOMON_REMOVED,
        summary: "`automon` in [featuremap] no longer exists in Asterisk 21+; the whole file is dropped",
    },
    CodeInfo {
        code: INVALID_VALUE,
        summary: "a [general] number Asterisk cannot parse; the whole file is dropped",
    },
    CodeInfo {
        code: APPMAP_MISSING_ARGUMENT,
        summary: "an [applicationmap] line without dtmf, activate_on or application; the whole file is dropped",
    },
    CodeInfo {
        code: APPMAP_NO_APPLICATION,
        summary: "an [applicationmap] line `App(data)` with nothing before `(`; the whole file is dropped",
    },
    CodeInfo {
        code: APPMAP_BAD_ACTIVATE_ON,
        summary: "an [applicationmap] activate_on that is not self or peer; the whole file is dropped",
    },
    CodeInfo {
        code: GROUP_MISSING_ITEM,
        summary: "a feature group names an item [applicationmap] does not define; the whole file is dropped",
    },
    CodeInfo {
        code: PARKING_OPTION_IGNORED,
        summary: "an old parking option in features.conf [general]; ignored (parking lives in res_parking.conf)",
    },
    CodeInfo {
        code: PARKINGLOT_SECTION_IGNORED,
        summary: "an old [parkinglot_*] section in features.conf; ignored (parking lives in res_parking.conf)",
    },
    CodeInfo {
        code: FILE_MISSING,
        summary: "there is no features.conf; Asterisk uses the built-in defaults",
    },
    CodeInfo {
        code: FILE_INVALID,
        summary: "features.conf cannot be parsed; Asterisk uses the built-in defaults",
    },
    CodeInfo {
        code: DEFAULTS_USED,
        summary: "features.conf was refused; every setting in it is lost and the built-in defaults apply",
    },
];

/// The name Asterisk's framework uses for the file in its messages.
const FILE: &str = "features.conf";

const SRC_ACO: &str = "config_options.c";
const SRC_FEATURES: &str = "features_config.c";

/// Interprets a loaded features.conf as Asterisk 22 does at startup.
///
/// `sources` is the map the file was read into (every span in the result points into it); the loader itself
/// only needs the parsed file, whose items carry Asterisk's own line numbers and file names.
pub fn load(load: &ConfLoad, sources: &SourceMap) -> FeaturesLoad {
    let _ = sources;
    match (load.status, &load.file) {
        (FileStatus::Missing, _) | (FileStatus::Loaded, None) => defaults_missing(),
        (FileStatus::Invalid, _) => defaults_invalid(),
        (FileStatus::Loaded, Some(file)) => Loader::new(file).run(),
    }
}

fn defaults_missing() -> FeaturesLoad {
    let diag = Diagnostic::note(FILE_MISSING, "there is no features.conf")
        .with_help(
            "Asterisk logs an error and runs with the built-in defaults: blindxfer `#`, disconnect `*`, \
             no atxfer, parkcall or automixmon code, featuredigittimeout 1000 ms, pickupexten `*8`",
        )
        .with_log(LogLine::new(
            LogLevel::Error,
            SRC_ACO,
            format!("Unable to load config file '{FILE}'"),
        ))
        .with_log(notice_defaults());
    FeaturesLoad {
        config: FeaturesConfig::default(),
        diagnostics: vec![diag],
        outcome: LoadOutcome::Defaults(DefaultsReason::Missing),
    }
}

fn defaults_invalid() -> FeaturesLoad {
    let diag = Diagnostic::error(FILE_INVALID, "features.conf cannot be parsed")
        .with_help(
            "Asterisk's parser rejected the file (see the syntax errors reported for it), so Asterisk runs \
             with the built-in features defaults; fix the syntax errors",
        )
        .with_log(LogLine::new(
            LogLevel::Error,
            SRC_ACO,
            format!("Contents of {FILE} are invalid and cannot be parsed"),
        ))
        .with_log(notice_defaults());
    FeaturesLoad {
        config: FeaturesConfig::default(),
        diagnostics: vec![diag],
        outcome: LoadOutcome::Defaults(DefaultsReason::Invalid),
    }
}

fn notice_defaults() -> LogLine {
    LogLine::new(
        LogLevel::Notice,
        SRC_FEATURES,
        "Could not load features config; using defaults",
    )
}

/// How a section is treated, by name (ignoring case), in Asterisk's type order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SectionKind {
    General,
    FeatureMap,
    ApplicationMap,
    Group,
    ParkingLot,
}

fn section_kind(name: &str) -> SectionKind {
    let lower = name.to_ascii_lowercase();
    match lower.as_str() {
        "general" => SectionKind::General,
        "featuremap" => SectionKind::FeatureMap,
        "applicationmap" => SectionKind::ApplicationMap,
        _ if lower.starts_with("parkinglot_") => SectionKind::ParkingLot,
        _ => SectionKind::Group,
    }
}

/// The `[general]` options that moved to res_parking.conf; Asterisk accepts and ignores them.
const PARKING_OPTIONS: &[&str] = &[
    "context",
    "parkext",
    "parkext_exclusive",
    "parkinghints",
    "parkedmusicclass",
    "parkingtime",
    "parkpos",
    "findslot",
    "parkedcalltransfers",
    "parkedcallreparking",
    "parkedcallhangup",
    "parkedcallrecording",
    "comebackcontext",
    "comebacktoorigin",
    "comebackdialtime",
    "parkeddynamic",
    "adsipark",
];

enum GeneralOption {
    Int(fn(&mut General) -> &mut u32),
    Text(fn(&mut General) -> &mut String),
    Bool(fn(&mut General) -> &mut bool),
    Parking,
}

fn general_option(name: &str) -> Option<GeneralOption> {
    use GeneralOption::{Bool, Int, Text};
    let lower = name.to_ascii_lowercase();
    Some(match lower.as_str() {
        "featuredigittimeout" => Int(|g| &mut g.featuredigittimeout),
        "courtesytone" => Text(|g| &mut g.courtesytone),
        "recordingfailsound" => Text(|g| &mut g.recordingfailsound),
        "transferdigittimeout" => Int(|g| &mut g.transferdigittimeout),
        "atxfernoanswertimeout" => Int(|g| &mut g.atxfernoanswertimeout),
        "atxferdropcall" => Bool(|g| &mut g.atxferdropcall),
        "atxferloopdelay" => Int(|g| &mut g.atxferloopdelay),
        "atxfercallbackretries" => Int(|g| &mut g.atxfercallbackretries),
        "xfersound" => Text(|g| &mut g.xfersound),
        "xferfailsound" => Text(|g| &mut g.xferfailsound),
        "atxferabort" => Text(|g| &mut g.atxferabort),
        "atxfercomplete" => Text(|g| &mut g.atxfercomplete),
        "atxferthreeway" => Text(|g| &mut g.atxferthreeway),
        "atxferswap" => Text(|g| &mut g.atxferswap),
        "transferdialattempts" => Int(|g| &mut g.transferdialattempts),
        "transferretrysound" => Text(|g| &mut g.transferretrysound),
        "transferinvalidsound" => Text(|g| &mut g.transferinvalidsound),
        "transferannouncesound" => Text(|g| &mut g.transferannouncesound),
        "pickupexten" => Text(|g| &mut g.pickupexten),
        "pickupsound" => Text(|g| &mut g.pickupsound),
        "pickupfailsound" => Text(|g| &mut g.pickupfailsound),
        _ if PARKING_OPTIONS.contains(&lower.as_str()) => GeneralOption::Parking,
        _ => return None,
    })
}

fn featuremap_option(name: &str) -> Option<BuiltinFeature> {
    BuiltinFeature::ALL
        .into_iter()
        .find(|f| f.option_name().eq_ignore_ascii_case(name))
}

struct Loader<'a> {
    conf: &'a ConfFile,
    config: FeaturesConfig,
    /// Groups in the order they were created.
    groups: Vec<FeatureGroup>,
    diagnostics: Vec<Diagnostic>,
    /// Asterisk has stopped reading: later findings carry no Asterisk log lines.
    failed: bool,
    /// The "Parkinglots are no longer configurable" line is logged once per load.
    parking_warned: bool,
}

impl<'a> Loader<'a> {
    fn new(conf: &'a ConfFile) -> Self {
        Loader {
            conf,
            config: FeaturesConfig::default(),
            groups: Vec::new(),
            diagnostics: Vec::new(),
            failed: false,
            parking_warned: false,
        }
    }

    fn run(mut self) -> FeaturesLoad {
        let file = self.conf;
        for section in file.visible_sections() {
            self.section(section);
        }
        // Groups are listed (and checked) in the order of Asterisk's hash container.
        let mut groups = std::mem::take(&mut self.groups);
        groups.sort_by_key(|g| group_bucket(&g.name));
        self.check_groups(&groups);
        self.config.groups = groups;

        if !self.failed {
            return FeaturesLoad {
                config: self.config,
                diagnostics: self.diagnostics,
                outcome: LoadOutcome::Loaded,
            };
        }
        let lost = lost_settings(file);
        let mut help = String::from(
            "at startup Asterisk then runs as if features.conf were empty (on a reload it keeps the previous \
             configuration); fix the error(s) above",
        );
        if !lost.is_empty() {
            help.push_str("; lost from this file: ");
            help.push_str(&lost.join(", "));
        }
        self.diagnostics.push(
            Diagnostic::warning(
                DEFAULTS_USED,
                "features.conf is ignored: Asterisk uses the built-in features defaults",
            )
            .with_help(help)
            .with_log(notice_defaults()),
        );
        FeaturesLoad {
            config: FeaturesConfig::default(),
            diagnostics: self.diagnostics,
            outcome: LoadOutcome::Defaults(DefaultsReason::Rejected),
        }
    }

    fn section(&mut self, section: &Section) {
        let kind = section_kind(&section.name);
        let group_index = (kind == SectionKind::Group).then(|| self.group_for(section));
        // Asterisk stops processing a section (and the file) at its first refused line.
        let mut section_failed = false;
        for item in &section.items {
            let ok = match kind {
                SectionKind::General => self.general(section, item),
                SectionKind::FeatureMap => self.featuremap(section, item),
                SectionKind::ApplicationMap => self.applicationmap(item),
                SectionKind::ParkingLot => {
                    self.parking(section, item, kind);
                    true
                }
                SectionKind::Group => {
                    if let Some(i) = group_index {
                        self.group_item(i, item);
                    }
                    true
                }
            };
            if !ok && !section_failed {
                section_failed = true;
                self.fail_section(section);
            }
        }
    }

    /// Records the first failure: Asterisk's per-section error line, and from here on Asterisk is silent.
    fn fail_section(&mut self, section: &Section) {
        if self.failed {
            return;
        }
        self.failed = true;
        if let Some(last) = self.diagnostics.last_mut() {
            last.asterisk.push(LogLine::new(
                LogLevel::Error,
                SRC_ACO,
                format!("In {FILE}: Processing options for {} failed", section.name),
            ));
        }
    }

    /// Pushes a diagnostic; `logs` are Asterisk's lines for it, dropped once Asterisk has stopped reading.
    fn report(&mut self, diag: Diagnostic, logs: Vec<LogLine>) {
        let diag = if self.failed {
            let help = diag.help.clone().unwrap_or_default();
            let extra = "Asterisk stops at the first error in features.conf, so it does not report this line";
            Diagnostic {
                help: Some(if help.is_empty() {
                    extra.to_string()
                } else {
                    format!("{help}; {extra}")
                }),
                ..diag
            }
        } else {
            logs.into_iter().fold(diag, Diagnostic::with_log)
        };
        self.diagnostics.push(diag);
    }

    /// Asterisk's `lineno` and file name for an item (the file is empty for the top-level file).
    fn line_of(&self, item: &Item) -> (u32, &'a str) {
        item.asterisk_origin(self.conf)
    }

    fn unknown_option(&mut self, section: &Section, item: &Item, expected: &str) {
        let (line, file) = self.line_of(item);
        let log = LogLine::new(
            LogLevel::Error,
            SRC_ACO,
            format!(
                "Could not find option suitable for category '{}' named '{}' at line {line} of {file}",
                section.name, item.key
            ),
        );
        let is_automon = item.key.eq_ignore_ascii_case("automon");
        let diag = if is_automon {
            Diagnostic::error(
                AUTOMON_REMOVED,
                format!("'{}' no longer exists in Asterisk 22", item.key),
            )
            .with_label("removed in Asterisk 21")
            .with_help(
                "one-touch Monitor was removed with app_monitor; Asterisk refuses the whole features.conf \
                 over this line and uses the built-in defaults (so parkcall and every other code in the \
                 file are lost); delete the line, and use `automixmon` with Dial option `x`/`X` instead",
            )
        } else {
            let mut help = format!(
                "[{}] knows only {expected}; Asterisk refuses the whole features.conf over one unknown option \
                 and uses the built-in defaults; remove or correct the line",
                section.name
            );
            if let Some(home) = home_of(&item.key) {
                help = format!("'{}' belongs in {home}; {help}", item.key);
            }
            Diagnostic::error(
                UNKNOWN_OPTION,
                format!("unknown option '{}' in [{}]", item.key, section.name),
            )
            .with_label("not a features.conf option here")
            .with_help(help)
        };
        self.report(diag.with_span(item.key_span), vec![log]);
    }

    fn parse_error_log(&self, item: &Item) -> LogLine {
        let (line, file) = self.line_of(item);
        LogLine::new(
            LogLevel::Error,
            SRC_ACO,
            format!(
                "Error parsing {}={} at line {line} of {file}",
                item.key, item.value
            ),
        )
    }

    fn general(&mut self, section: &Section, item: &Item) -> bool {
        let Some(option) = general_option(&item.key) else {
            self.unknown_option(
                section,
                item,
                "the general options (featuredigittimeout, transfer and pickup settings)",
            );
            return false;
        };
        match option {
            GeneralOption::Int(field) => match parse_c_int32(&item.value) {
                // The C field is unsigned: a negative number wraps.
                Some(v) => *field(&mut self.config.general) = v as u32,
                None => {
                    let log = self.parse_error_log(item);
                    let diag = Diagnostic::error(
                        INVALID_VALUE,
                        format!("'{}' must be a whole number, not '{}'", item.key, item.value),
                    )
                    .with_span(item.value_span)
                    .with_label("not a number")
                    .with_help(format!(
                        "Asterisk reads it as a 32-bit integer (no units); it refuses the whole features.conf \
                         and uses the built-in defaults; write e.g. `{} = {}`",
                        item.key,
                        default_int(&item.key)
                    ));
                    self.report(diag, vec![log]);
                    return false;
                }
            },
            GeneralOption::Text(field) => *field(&mut self.config.general) = item.value.to_string(),
            GeneralOption::Bool(field) => *field(&mut self.config.general) = ast_true(&item.value),
            GeneralOption::Parking => self.parking(section, item, SectionKind::General),
        }
        true
    }

    fn parking(&mut self, section: &Section, item: &Item, kind: SectionKind) {
        let mut logs = Vec::new();
        if !self.failed && !self.parking_warned {
            self.parking_warned = true;
            logs.push(LogLine::new(
                LogLevel::Warning,
                SRC_FEATURES,
                "Parkinglots are no longer configurable in features.conf; parking is now handled by res_parking.conf",
            ));
        }
        logs.push(LogLine::new(
            LogLevel::Warning,
            SRC_FEATURES,
            format!(
                "The option '{}' is no longer configurable in features.conf.",
                item.key
            ),
        ));
        let diag = if kind == SectionKind::ParkingLot {
            Diagnostic::warning(
                PARKINGLOT_SECTION_IGNORED,
                format!(
                    "'{}' in parking lot section [{}] is ignored",
                    item.key, section.name
                ),
            )
            .with_help(
                "since Asterisk 12 parking lots are configured in res_parking.conf; Asterisk warns and ignores \
                 this line; move the lot to res_parking.conf as a section named after the lot",
            )
        } else {
            Diagnostic::warning(
                PARKING_OPTION_IGNORED,
                format!("parking option '{}' in features.conf is ignored", item.key),
            )
            .with_help(
                "since Asterisk 12 parking is configured in res_parking.conf; Asterisk warns and ignores this \
                 line; move it to a lot section (e.g. [default]) of res_parking.conf",
            )
        };
        self.report(
            diag.with_span(item.key_span)
                .with_label("moved to res_parking.conf"),
            logs,
        );
    }

    fn featuremap(&mut self, section: &Section, item: &Item) -> bool {
        let Some(feature) = featuremap_option(&item.key) else {
            self.unknown_option(
                section,
                item,
                "blindxfer, disconnect, atxfer, parkcall and automixmon",
            );
            return false;
        };
        self.config
            .featuremap
            .set(feature, item.value.clone(), Some(item.span));
        true
    }

    fn applicationmap(&mut self, item: &Item) -> bool {
        match parse_item(&item.value) {
            Ok(parsed) => {
                let new = ApplicationMapItem {
                    name: item.key.to_string(),
                    dtmf: parsed.dtmf,
                    activate_on: parsed.activate_on,
                    app: parsed.app,
                    app_data: parsed.app_data,
                    moh_class: parsed.moh_class,
                    span: Some(item.span),
                };
                insert_sorted_replace(&mut self.config.applicationmap, new, |i| i.name.as_str());
                true
            }
            Err(err) => {
                let logs = vec![
                    LogLine::new(
                        LogLevel::Warning,
                        SRC_FEATURES,
                        err.asterisk_text(&item.key),
                    ),
                    self.parse_error_log(item),
                ];
                let (code, message, help) = match &err {
                    AppMapError::MissingArgument => (
                        APPMAP_MISSING_ARGUMENT,
                        format!("applicationmap item '{}' lacks a required field", item.key),
                        "the value must be `dtmf,activate_on,application[,data[,music class]]` with dtmf, \
                         activate_on and application non-empty",
                    ),
                    AppMapError::NoApplication => (
                        APPMAP_NO_APPLICATION,
                        format!("applicationmap item '{}' has no application name", item.key),
                        "in `dtmf,activate_on,App(data)` the application name must come before `(`",
                    ),
                    AppMapError::BadActivateOn(v) => (
                        APPMAP_BAD_ACTIVATE_ON,
                        format!(
                            "applicationmap item '{}' has activate_on '{v}', not self or peer",
                            item.key
                        ),
                        "activate_on must be `self` or `peer` (old spellings `caller`/`callee` also work); \
                         Asterisk does not trim spaces around the commas, so `*9, self, App` fails",
                    ),
                };
                let diag = Diagnostic::error(code, message)
                    .with_span(item.value_span)
                    .with_label("refused by Asterisk")
                    .with_help(format!(
                        "{help}; Asterisk refuses the whole features.conf over this line and uses the built-in \
                         defaults"
                    ));
                self.report(diag, logs);
                false
            }
        }
    }

    /// The group a section adds to: same-name sections (ignoring case) merge into the first one.
    fn group_for(&mut self, section: &Section) -> usize {
        if let Some(i) = self
            .groups
            .iter()
            .position(|g| g.name.eq_ignore_ascii_case(&section.name))
        {
            return i;
        }
        self.groups.push(FeatureGroup {
            name: section.name.clone(),
            items: Vec::new(),
            span: Some(section.span),
        });
        self.groups.len() - 1
    }

    fn group_item(&mut self, index: usize, item: &Item) {
        let new = FeatureGroupItem {
            name: item.key.to_string(),
            dtmf_override: item.value.to_string(),
            span: Some(item.span),
        };
        if let Some(group) = self.groups.get_mut(index) {
            insert_sorted_replace(&mut group.items, new, |i| i.name.as_str());
        }
    }

    /// After the file: every group item must name an applicationmap item. Asterisk checks groups in
    /// container order, each group's items in order, and stops at the first miss.
    fn check_groups(&mut self, groups: &[FeatureGroup]) {
        for group in groups {
            for item in &group.items {
                if self.config.application(&item.name).is_some() {
                    continue;
                }
                let logs = if self.failed {
                    Vec::new()
                } else {
                    vec![LogLine::new(
                        LogLevel::Warning,
                        SRC_FEATURES,
                        format!(
                            "Featuregroup {} refers to non-existent applicationmap item",
                            group.name
                        ),
                    )]
                };
                let mut diag = Diagnostic::error(
                    GROUP_MISSING_ITEM,
                    format!(
                        "feature group '{}' names '{}', which [applicationmap] does not define",
                        group.name, item.name
                    ),
                )
                .with_label("no such applicationmap item")
                .with_help(
                    "every section other than general, featuremap, applicationmap and parkinglot_* is a feature \
                     group whose lines name applicationmap items; Asterisk refuses the whole features.conf and \
                     uses the built-in defaults; define the item in [applicationmap] or remove the line",
                );
                if let Some(span) = item.span {
                    diag = diag.with_span(span);
                }
                self.report(diag, logs);
                self.failed = true;
            }
        }
    }
}

/// Where an option that is unknown in one section would be known, for a hint.
fn home_of(key: &str) -> Option<&'static str> {
    if featuremap_option(key).is_some() {
        return Some("[featuremap]");
    }
    match general_option(key) {
        Some(GeneralOption::Parking) => Some("res_parking.conf"),
        Some(_) => Some("[general]"),
        None => None,
    }
}

fn default_int(key: &str) -> u32 {
    let mut g = General::default();
    match general_option(key) {
        Some(GeneralOption::Int(field)) => *field(&mut g),
        _ => 0,
    }
}

/// The settings of a refused file, for the "what is lost" help: the featuremap codes it sets, and counts of
/// its other settings.
fn lost_settings(file: &ConfFile) -> Vec<String> {
    let mut lost = Vec::new();
    let (mut general, mut apps, mut groups) = (0, 0, 0);
    for section in file.visible_sections() {
        match section_kind(&section.name) {
            SectionKind::FeatureMap => lost.extend(
                section
                    .items
                    .iter()
                    .filter(|i| featuremap_option(&i.key).is_some())
                    .map(|i| format!("`{} => {}`", i.key, i.value)),
            ),
            SectionKind::General => {
                general += section
                    .items
                    .iter()
                    .filter(|i| {
                        matches!(
                            general_option(&i.key),
                            Some(
                                GeneralOption::Int(_)
                                    | GeneralOption::Text(_)
                                    | GeneralOption::Bool(_)
                            )
                        )
                    })
                    .count();
            }
            SectionKind::ApplicationMap => apps += section.items.len(),
            SectionKind::Group => groups += 1,
            SectionKind::ParkingLot => {}
        }
    }
    if general > 0 {
        lost.push(format!("{general} [general] setting(s)"));
    }
    if apps > 0 {
        lost.push(format!("{apps} applicationmap item(s)"));
    }
    if groups > 0 {
        lost.push(format!("{groups} feature group section(s)"));
    }
    lost
}

/// `ast_parse_arg(…, PARSE_INT32, …)`: C `strtol` with base 0 (leading whitespace, sign, `0x` hex, leading
/// `0` octal), the whole string consumed, the result within 32 bits.
pub(crate) fn parse_c_int32(s: &str) -> Option<i32> {
    let t = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (negative, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let (radix, body) = if digits.len() > 2
        && (digits.starts_with("0x") || digits.starts_with("0X"))
        && digits.as_bytes()[2].is_ascii_hexdigit()
    {
        (16, &digits[2..])
    } else if digits.starts_with('0') {
        (8, digits)
    } else {
        (10, digits)
    };
    if body.is_empty() || !body.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    // Larger than any 32-bit value either way: strtol's overflow or the range check.
    let magnitude = i64::from_str_radix(body, radix).ok()?;
    let value = if negative { -magnitude } else { magnitude };
    i32::try_from(value).ok()
}

/// `ast_true`: `yes true y t 1 on` (ignoring case) are true, anything else false.
fn ast_true(s: &str) -> bool {
    ["yes", "true", "y", "t", "1", "on"]
        .iter()
        .any(|w| w.eq_ignore_ascii_case(s))
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod unit_tests {
    use super::*;

    #[test]
    fn c_integers() {
        assert_eq!(parse_c_int32("1000"), Some(1000));
        assert_eq!(parse_c_int32(" +42"), Some(42));
        assert_eq!(parse_c_int32("-1"), Some(-1));
        assert_eq!(parse_c_int32("0x10"), Some(16));
        assert_eq!(parse_c_int32("010"), Some(8));
        assert_eq!(parse_c_int32("0"), Some(0));
        assert_eq!(parse_c_int32("08"), None);
        assert_eq!(parse_c_int32("0x"), None);
        assert_eq!(parse_c_int32("1000ms"), None);
        assert_eq!(parse_c_int32(""), None);
        assert_eq!(parse_c_int32("-"), None);
        assert_eq!(parse_c_int32("2147483648"), None);
        assert_eq!(parse_c_int32("-2147483648"), Some(i32::MIN));
        assert_eq!(parse_c_int32("99999999999999999999999"), None);
    }

    #[test]
    fn truth() {
        assert!(ast_true("Yes") && ast_true("on") && ast_true("1"));
        assert!(!ast_true("no") && !ast_true("2") && !ast_true(""));
    }

    #[test]
    fn section_kinds_ignore_case() {
        assert_eq!(section_kind("General"), SectionKind::General);
        assert_eq!(section_kind("FEATUREMAP"), SectionKind::FeatureMap);
        assert_eq!(section_kind("Parkinglot_sales"), SectionKind::ParkingLot);
        assert_eq!(section_kind("parkinglot"), SectionKind::Group);
        assert_eq!(section_kind(" general"), SectionKind::Group);
    }

    #[test]
    fn codes_are_unique_and_namespaced() {
        let mut seen = std::collections::BTreeSet::new();
        for info in CODES {
            assert!(info.code.0.starts_with("features/"));
            assert!(seen.insert(info.code.0), "duplicate {}", info.code);
        }
    }
}
