//! Loading `res_parking.conf` the way Asterisk's configuration framework ("aco") and res_parking do.
//!
//! The walk: sections in file order (templates are invisible); a section named `general` (any case) is the
//! global type, every other section is a lot named after it, and same-name sections merge into one lot (the
//! later lines override, defaults are set only once). Each line is handed to the option it names; the first
//! line that names no option or whose handler refuses the value stops everything, and res_parking declines to
//! load. After a successful walk the implicit `default` lot is added when the file has none.
//! [main/config_options.c · process_category, aco_process_var; res/res_parking.c · verify_default_parking_lot]

use crate::apply::{apply_lot_option, HandlerFailure};
use crate::codes;
use crate::config::{
    General, LotConfig, LotOrigin, ParkingConfig, Setting, DEFAULT_LOT, DEFAULT_PARKEXT,
};
use crate::options::{ast_true, closest_option, is_general_option, LotOption};
use dialplan::conf::{ConfFile, ConfLoad, FileStatus, Item, Section};
use dialplan::diag::{Diagnostic, LogLevel, LogLine, Severity};
use dialplan::source::SourceMap;

/// The file res_parking reads.
pub const CONFIG_FILE: &str = "res_parking.conf";

/// What res_parking made of its configuration file.
#[derive(Clone, Debug)]
pub struct ParkingLoad {
    /// The configuration; `None` when res_parking declined to load.
    pub config: Option<ParkingConfig>,
    /// Problems and notes about res_parking.conf (not the file's syntax diagnostics, which stay in the
    /// [`ConfLoad`]). When `config` is `None`, the last one is [`codes::DECLINED`] with the loader's lines.
    pub diagnostics: Vec<Diagnostic>,
}

impl ParkingLoad {
    /// Whether res_parking is running.
    pub fn loaded(&self) -> bool {
        self.config.is_some()
    }
}

/// Processes a loaded `res_parking.conf` as res_parking's `load_module` does (up to, not including, the
/// registration of the lots' extensions; see [`crate::extensions::register_extensions`]).
///
/// `sources` is the map the file was read into (every span in the result points into it); the walk itself
/// needs only the parsed file, whose items carry Asterisk's own line numbers and file names.
pub fn load(conf: &ConfLoad, sources: &SourceMap) -> ParkingLoad {
    let _ = sources;
    let file = match conf.status {
        FileStatus::Missing => return refused(file_missing()),
        FileStatus::Invalid => return refused(file_invalid()),
        FileStatus::Loaded => conf.file.as_ref(),
    };
    let empty = ConfFile::default();
    let file = file.unwrap_or(&empty);

    let mut walk = Walk::default();
    for section in file.visible_sections() {
        if let Err(diag) = walk.section(section, file) {
            return refused(*diag);
        }
    }
    let Walk { general, mut lots } = walk;

    let mut diagnostics = Vec::new();
    if !lots.iter().any(|lot| lot.name == DEFAULT_LOT) {
        let mut lot = LotConfig::with_defaults(DEFAULT_LOT, LotOrigin::Implicit, lots.len());
        lot.parkext = Setting::default_value(DEFAULT_PARKEXT.to_string());
        lots.push(lot);
        diagnostics.push(default_lot_added());
    }
    diagnostics.extend(lots.iter().filter_map(no_parkext));
    lots.sort_by(|a, b| a.name.cmp(&b.name));
    ParkingLoad {
        config: Some(ParkingConfig { general, lots }),
        diagnostics,
    }
}

/// The diagnostic for res_parking declining to load, with the module loader's lines. Whoever makes
/// res_parking decline (a bad file here, a failed extension registration) ends with it.
pub fn declined() -> Diagnostic {
    Diagnostic::error(codes::DECLINED, "res_parking declined to load")
        .with_help(
            "without res_parking there are no parking lots, no Park, ParkedCall or ParkAndAnnounce applications, \
             no generated parking contexts, no `parking show` command and no parking AMI actions; and when \
             features.conf maps parkcall, a Dial with k or K cannot arm it, so the call ends right after it is \
             answered",
        )
        .with_log(LogLine::new(
            LogLevel::Warning,
            "loader.c",
            "Some non-required modules failed to load.",
        ))
        .with_log(LogLine::new(
            LogLevel::Error,
            "loader.c",
            "res_parking declined to load.",
        ))
}

fn refused(cause: Diagnostic) -> ParkingLoad {
    ParkingLoad {
        config: None,
        diagnostics: vec![cause, declined()],
    }
}

/// The configuration being built, section by section.
#[derive(Default)]
struct Walk {
    general: General,
    /// Lots in order of first definition.
    lots: Vec<LotConfig>,
}

impl Walk {
    fn section(&mut self, section: &Section, file: &ConfFile) -> Result<(), Box<Diagnostic>> {
        if section.name.eq_ignore_ascii_case("general") {
            for item in &section.items {
                if !is_general_option(&item.key) {
                    return Err(Box::new(unknown_option(section, item, file)));
                }
                self.general.parkeddynamic = Setting {
                    value: ast_true(&item.value),
                    span: Some(item.span),
                };
            }
            return Ok(());
        }

        let index = match self.lots.iter().position(|lot| lot.name == section.name) {
            Some(i) => i,
            None => {
                let order = self.lots.len();
                self.lots.push(LotConfig::with_defaults(
                    &section.name,
                    LotOrigin::Configured,
                    order,
                ));
                order
            }
        };
        let Some(lot) = self.lots.get_mut(index) else {
            return Ok(());
        };
        lot.sections.push(section.span);
        for item in &section.items {
            let Some(option) = LotOption::from_key(&item.key) else {
                return Err(Box::new(unknown_option(section, item, file)));
            };
            if let Err(failure) = apply_lot_option(lot, option, item) {
                return Err(Box::new(handler_failed(section, item, file, *failure)));
            }
        }
        Ok(())
    }
}

/// Where Asterisk says a line is: the line number and the file name it records for the variable — empty for
/// the top-level file, the full path for an `#include`d one, the template's line for an inherited item.
fn var_place(item: &Item, file: &ConfFile) -> (u32, String) {
    let (line, name) = item.asterisk_origin(file);
    (line, name.to_string())
}

fn processing_failed(category: &str) -> LogLine {
    LogLine::new(
        LogLevel::Error,
        "config_options.c",
        format!("In {CONFIG_FILE}: Processing options for {category} failed"),
    )
}

fn unknown_option(section: &Section, item: &Item, conf: &ConfFile) -> Diagnostic {
    let (line, file) = var_place(item, conf);
    let key = &item.key;
    let cat = &section.name;
    let in_general = cat.eq_ignore_ascii_case("general");
    let consequence =
        "Asterisk stops reading the file at this line and res_parking declines to load, so there \
                       is no call parking at all";
    let diag = if in_general && LotOption::from_key(key).is_some() {
        Diagnostic::error(
            codes::LOT_OPTION_IN_GENERAL,
            format!("parking lot option '{key}' under [{cat}]"),
        )
        .with_label("a lot option; [general] knows only parkeddynamic")
        .with_help(format!(
            "since Asterisk 12, [general] in res_parking.conf accepts only `parkeddynamic`; every other section is \
             a parking lot named after it. {consequence}. Move the lot options into a [default] section (the lot \
             channels use unless PARKINGLOT names another)"
        ))
    } else if !in_general && is_general_option(key) {
        Diagnostic::error(
            codes::GENERAL_OPTION_IN_LOT,
            format!("'{key}' in parking lot [{cat}]"),
        )
        .with_label("belongs in [general]")
        .with_help(format!(
            "`parkeddynamic` is a [general] option; lot sections do not accept it. {consequence}. Move it into \
             [general]"
        ))
    } else {
        let place = if in_general {
            format!("[{cat}]")
        } else {
            format!("parking lot [{cat}]")
        };
        let mut help = if in_general {
            format!("[general] accepts only `parkeddynamic`. {consequence}")
        } else {
            format!("res_parking knows no such lot option. {consequence}")
        };
        if let Some(near) = closest_option(key) {
            help.push_str(&format!(". Did you mean `{near}`?"));
        }
        Diagnostic::error(
            codes::UNKNOWN_OPTION,
            format!("unknown option '{key}' in {place}"),
        )
        .with_label("unknown option")
        .with_help(help)
    };
    diag.with_span(item.key_span)
        .with_log(LogLine::new(
            LogLevel::Error,
            "config_options.c",
            format!(
                "Could not find option suitable for category '{cat}' named '{key}' at line {line} of {file}"
            ),
        ))
        .with_log(processing_failed(cat))
}

fn handler_failed(
    section: &Section,
    item: &Item,
    conf: &ConfFile,
    failure: HandlerFailure,
) -> Diagnostic {
    let (line, file) = var_place(item, conf);
    let HandlerFailure {
        code,
        warning,
        message,
        label,
        help,
    } = failure;
    let mut diag = Diagnostic::error(code, message)
        .with_span(item.value_span)
        .with_label(label)
        .with_help(help);
    if let Some(warning) = warning {
        diag = diag.with_log(warning);
    }
    diag.with_log(LogLine::new(
        LogLevel::Error,
        "config_options.c",
        format!(
            "Error parsing {}={} at line {line} of {file}",
            item.key, item.value
        ),
    ))
    .with_log(processing_failed(&section.name))
}

fn file_missing() -> Diagnostic {
    Diagnostic::error(codes::FILE_MISSING, format!("{CONFIG_FILE} does not exist"))
        .with_help(
            "res_parking needs its configuration file; without it the module declines to load. Create \
             res_parking.conf (an empty [general] section is enough to get the default lot)",
        )
        .with_log(LogLine::new(
            LogLevel::Error,
            "config_options.c",
            format!("Unable to load config file '{CONFIG_FILE}'"),
        ))
}

fn file_invalid() -> Diagnostic {
    Diagnostic::error(
        codes::FILE_INVALID,
        format!("{CONFIG_FILE} could not be parsed"),
    )
    .with_help(
        "Asterisk's configuration parser rejected the file as a whole (see the syntax errors reported for it), \
         so res_parking declines to load",
    )
    .with_log(LogLine::new(
        LogLevel::Error,
        "config_options.c",
        format!("Contents of {CONFIG_FILE} are invalid and cannot be parsed"),
    ))
}

fn default_lot_added() -> Diagnostic {
    Diagnostic::note(
        codes::DEFAULT_LOT_ADDED,
        "no [default] section: res_parking adds lot 'default' with parkext 700 and spaces 701-750 in context \
         'parkedcalls'",
    )
    .with_help(
        "the implicit lot has every default (parkingtime 45, findslot first, comebacktoorigin yes) plus \
         parkext 700. A [default] section replaces it entirely (and then gets no parkext unless it sets one)",
    )
    .with_log(LogLine::new(
        LogLevel::Notice,
        "res_parking.c",
        "Adding default profile to res_parking",
    ))
}

/// A configured lot without `parkext`: legal, but often not what the author meant.
fn no_parkext(lot: &LotConfig) -> Option<Diagnostic> {
    if lot.origin != LotOrigin::Configured || !lot.parkext.value.is_empty() {
        return None;
    }
    let severity = if lot.name == DEFAULT_LOT {
        Severity::Warning
    } else {
        Severity::Note
    };
    let mut diag = Diagnostic::new(
        codes::NO_PARKEXT,
        severity,
        format!("parking lot '{}' has no parkext", lot.name),
    )
    .with_help(format!(
        "without parkext res_parking generates no extensions for the lot (neither a parking extension nor the \
         ParkedCall space extensions) and one-touch parking (features.conf parkcall) into it silently does \
         nothing; Park({0}) and ParkedCall({0},<space>) in your own dialplan still work. Add e.g. \
         `parkext => 700` to the section",
        lot.name
    ));
    if let Some(&span) = lot.parkext.span.as_ref().or(lot.sections.first()) {
        diag = diag.with_span(span);
    }
    Some(diag)
}

#[cfg(test)]
#[path = "load_tests.rs"]
mod tests;
