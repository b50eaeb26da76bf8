//! Reloading the configuration while calls run, as Asterisk 22's module loader does it
//! (`main/loader.c` · `ast_module_reload`) for the three modules dialsim simulates, in the order they
//! loaded: `features` (built into the core: features.conf), `res_parking.so` and `pbx_config.so`
//! (extensions.conf).
//!
//! - **features** ([`reload_features`]): an unchanged features.conf is not processed again; a file Asterisk
//!   refuses keeps the running configuration (at a reload there is no fallback to the defaults); otherwise
//!   channels joining a bridge from now on are armed with the new feature codes.
//! - **res_parking** (`ParkingModule::reload`): an unchanged file is skipped; a file that does not parse keeps
//!   the running configuration; otherwise the generated extensions are rebuilt and the lots reconfigured,
//!   disabled or dropped while their parked calls stay (see `parking::runtime::reload`).
//! - **pbx_config** ([`reload_dialplan`]): extensions.conf is always read again and merged with what other
//!   modules registered (res_parking's lots, `park-dial`); a missing or unparsable file keeps the running
//!   dialplan. Its `[globals]` are set again.
//!
//! Each reload says `Reloading module '…' (…)` at verbosity 3 and publishes the manager's `Reload` event,
//! as `ast_module_reload` does. `dialplan reload` is pbx_config's own command: it reloads without either.
//! The files are read from the configuration folder the run started from, or the one a scenario's `reload`
//! action named last ([`Running::folder`]).

use crate::asterisk_cli::CliContext;
use crate::config::{
    read, Fingerprint, Fingerprints, LoadedConfig, ModuleState, EXTENSIONS_CONF, FEATURES_CONF,
    RES_PARKING_CONF,
};
use dialplan::conf::{DirSource, FileStatus};
use dialplan::diag::{CodeInfo, Diagnostic, Severity};
use dialplan::engine::Engine;
use dialplan::model::{self, Dialplan, GlobalsOnly};
use dialplan::source::SourceMap;
use std::path::PathBuf;

/// dialsim's explanations of what a reload did.
pub mod codes {
    use dialplan::diag::Code;
    pub const KEPT_RUNNING_CONFIG: Code = Code("reload/kept-running-config");
    pub const EXTENSIONS_LOST: Code = Code("reload/parking-extensions-lost");
    pub const UNCHANGED: Code = Code("reload/unchanged");
    pub const NO_FOLDER: Code = Code("reload/no-folder");
    pub const NO_SUCH_FOLDER: Code = Code("reload/no-such-folder");
}

/// Every code the reload layer emits.
pub const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: codes::KEPT_RUNNING_CONFIG,
        summary: "a reload met a file Asterisk refuses: the module keeps the configuration it was running with",
    },
    CodeInfo {
        code: codes::EXTENSIONS_LOST,
        summary: "a res_parking reload could not register the new lots' extensions: the old lots run on without their generated extensions",
    },
    CodeInfo {
        code: codes::UNCHANGED,
        summary: "a reload found the module's file unchanged since it was last read, so Asterisk does not process it again",
    },
    CodeInfo {
        code: codes::NO_FOLDER,
        summary: "the configuration came from no folder on disk (the embedded example), so a reload has nothing to read again",
    },
    CodeInfo {
        code: codes::NO_SUCH_FOLDER,
        summary: "a scenario's reload names a configuration folder that does not exist; nothing is reloaded",
    },
];

/// What a reload reads and compares with: kept with the modules of a run ([`CliContext::running`]).
#[derive(Clone, Debug)]
pub struct Running {
    /// The configuration folder (`None`: the files were not read from disk).
    pub folder: Option<PathBuf>,
    /// What features.conf and res_parking.conf held when last read.
    pub fingerprints: Fingerprints,
    /// Whether pbx_config loaded at start-up (a declined module is never reloaded).
    pub pbx_config: ModuleState,
}

impl Running {
    /// The state right after loading `config`.
    pub fn of(config: &LoadedConfig) -> Running {
        Running {
            folder: config.folder.clone(),
            fingerprints: config.fingerprints.clone(),
            pbx_config: config.pbx_config,
        }
    }
}

/// `enum ast_module_reload_result`; the number is the `Status` of the manager's `Reload` event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReloadResult {
    Success = 0,
    NotFound = 2,
    Error = 3,
    Uninitialized = 5,
}

/// The modules dialsim reloads, in the order Asterisk's module list holds them (the order they started).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModuleName {
    Features,
    ResParking,
    PbxConfig,
}

impl ModuleName {
    /// Every module, in module-list order.
    pub const ALL: [ModuleName; 3] = [
        ModuleName::Features,
        ModuleName::ResParking,
        ModuleName::PbxConfig,
    ];

    /// The resource name the loader knows it by.
    pub fn resource(self) -> &'static str {
        match self {
            ModuleName::Features => "features",
            ModuleName::ResParking => "res_parking.so",
            ModuleName::PbxConfig => "pbx_config.so",
        }
    }

    /// Its `AST_MODULE_INFO` description.
    pub fn description(self) -> &'static str {
        match self {
            ModuleName::Features => "Call Features",
            ModuleName::ResParking => "Call Parking Resource",
            ModuleName::PbxConfig => "Text Extension Configuration",
        }
    }

    /// `resource_name_match`: the name without a trailing `.so`, compared without case.
    pub fn matches(self, name: &str) -> bool {
        base_name(name).eq_ignore_ascii_case(base_name(self.resource()))
    }
}

/// A resource name without its `.so` (`resource_name_baselen`).
fn base_name(name: &str) -> &str {
    match name.len().checked_sub(3) {
        Some(cut) if name.len() > 3 && name.is_char_boundary(cut) => {
            if name[cut..].eq_ignore_ascii_case(".so") {
                &name[..cut]
            } else {
                name
            }
        }
        _ => name,
    }
}

/// `ast_module_reload(name)`: one module (`Some`), or every module (`None`), with the loader's verbose
/// line before each and the manager's `Reload` event after.
pub fn module_reload(engine: &Engine, ctx: &CliContext, name: Option<&str>) -> ReloadResult {
    let mut result = ReloadResult::NotFound;
    for module in ModuleName::ALL {
        if let Some(n) = name {
            if !module.matches(n) {
                continue;
            }
        }
        if !is_running(ctx, module) {
            if result == ReloadResult::NotFound {
                result = ReloadResult::Uninitialized;
            }
            if name.is_none() {
                continue;
            }
            break;
        }
        engine.verbose(3, "loader.c", || {
            format!(
                "Reloading module '{}' ({})",
                module.resource(),
                module.description()
            )
        });
        if reload_one(engine, ctx, module) {
            result = ReloadResult::Success;
        } else if result == ReloadResult::NotFound {
            result = ReloadResult::Error;
        }
        if name.is_some() {
            break;
        }
    }
    let shown = name.unwrap_or("All").to_string();
    engine.ami("Reload", "system", |f| {
        f.push("Module", shown);
        f.push("Status", (result as u8).to_string());
    });
    result
}

/// pbx_config's `dialplan reload`: extensions.conf again, merged with the other modules' extensions.
/// `false` when pbx_config is not running (the command then does not exist).
pub fn dialplan_reload(engine: &Engine, ctx: &CliContext) -> bool {
    if !is_running(ctx, ModuleName::PbxConfig) {
        return false;
    }
    reload_dialplan(engine, ctx);
    true
}

/// Whether a module is loaded and running (a module that declined at start-up stays declined).
fn is_running(ctx: &CliContext, module: ModuleName) -> bool {
    match module {
        ModuleName::Features => true,
        ModuleName::ResParking => ctx.parking.is_some(),
        ModuleName::PbxConfig => ctx.running.borrow().pbx_config == ModuleState::Running,
    }
}

/// One module's `reload` callback; `true` for `AST_MODULE_LOAD_SUCCESS`.
fn reload_one(engine: &Engine, ctx: &CliContext, module: ModuleName) -> bool {
    match module {
        ModuleName::Features => reload_features(engine, ctx),
        ModuleName::ResParking => reload_parking(engine, ctx),
        ModuleName::PbxConfig => reload_dialplan(engine, ctx),
    }
}

/// A file read again for a reload.
struct Reread {
    sources: SourceMap,
    load: dialplan::conf::ConfLoad,
    /// The file's syntax diagnostics.
    diagnostics: Vec<Diagnostic>,
    fingerprint: Fingerprint,
}

/// Reads `name` from the running folder; `None` (after saying so) when there is no folder.
fn reread(engine: &Engine, ctx: &CliContext, name: &str) -> Option<Reread> {
    let folder = ctx.running.borrow().folder.clone();
    let Some(dir) = folder else {
        engine.explain(
            codes::NO_FOLDER,
            None,
            &format!("{name} was not read from a folder on disk, so the reload leaves it as it is"),
            Some("run a scenario whose configuration is a folder to see reloads change anything"),
        );
        return None;
    };
    let source = DirSource { dir };
    let mut sources = SourceMap::new();
    let mut diagnostics = Vec::new();
    let load = read(&mut sources, &source, name, &mut diagnostics);
    let fingerprint = Fingerprint::of(&sources, 0);
    Some(Reread {
        sources,
        load,
        diagnostics,
        fingerprint,
    })
}

/// Whether `fresh` is the file as last read (Asterisk's configuration cache then answers "unchanged"
/// before parsing it). The cache remembers every file it found, even one the module then refused.
fn unchanged(engine: &Engine, name: &str, last: &mut Fingerprint, fresh: &Fingerprint) -> bool {
    if fresh.is_empty() {
        return false;
    }
    if fresh == last {
        engine.explain(
            codes::UNCHANGED,
            None,
            &format!("{name} has not changed since it was last read, so the reload does not process it again"),
            Some("Asterisk compares each file (and its #includes) with what it read last; change the file to have it reloaded"),
        );
        return true;
    }
    *last = fresh.clone();
    false
}

/// Asterisk's lines of each diagnostic, and dialsim's explanation of those that are not notes.
pub fn publish(engine: &Engine, diags: &[Diagnostic]) {
    for d in diags {
        for line in &d.asterisk {
            engine.log_line(line.clone());
        }
        if d.severity != Severity::Note {
            engine.explain(d.code, None, &d.message, d.help.as_deref());
        }
    }
}

fn kept(engine: &Engine, what: &str) {
    engine.explain(
        codes::KEPT_RUNNING_CONFIG,
        None,
        &format!("the reload of {what} failed: the configuration in force before it stays in force"),
        Some("on a reload Asterisk keeps the running configuration when the new file is refused; fix the file and reload again"),
    );
}

/// `reload_features_config`.
fn reload_features(engine: &Engine, ctx: &CliContext) -> bool {
    let Some(fresh) = reread(engine, ctx, FEATURES_CONF) else {
        return true;
    };
    let skip = {
        let mut running = ctx.running.borrow_mut();
        unchanged(
            engine,
            FEATURES_CONF,
            &mut running.fingerprints.features,
            &fresh.fingerprint,
        )
    };
    if skip {
        return true;
    }
    publish(engine, &fresh.diagnostics);
    let load = features::load(&fresh.load, &fresh.sources);
    // Falling back to the defaults is start-up only; a reload keeps what runs.
    let diags: Vec<Diagnostic> = load
        .diagnostics
        .into_iter()
        .map(|mut d| {
            d.asterisk
                .retain(|l| l.text != "Could not load features config; using defaults");
            d
        })
        .collect();
    publish(engine, &diags);
    match load.outcome {
        features::load::LoadOutcome::Loaded => {
            ctx.features.set_config(load.config);
            true
        }
        features::load::LoadOutcome::Defaults(_) => {
            kept(engine, FEATURES_CONF);
            false
        }
    }
}

/// res_parking's `reload_module`.
fn reload_parking(engine: &Engine, ctx: &CliContext) -> bool {
    let Some(module) = &ctx.parking else {
        return false;
    };
    let Some(fresh) = reread(engine, ctx, RES_PARKING_CONF) else {
        return true;
    };
    let skip = {
        let mut running = ctx.running.borrow_mut();
        unchanged(
            engine,
            RES_PARKING_CONF,
            &mut running.fingerprints.parking,
            &fresh.fingerprint,
        )
    };
    if skip {
        return true;
    }
    publish(engine, &fresh.diagnostics);
    let load = parking::load(&fresh.load, &fresh.sources);
    let diags: Vec<Diagnostic> = load
        .diagnostics
        .into_iter()
        .filter(|d| d.code != parking::codes::DECLINED)
        .collect();
    publish(engine, &diags);
    let Some(config) = load.config else {
        kept(engine, RES_PARKING_CONF);
        return false;
    };
    match module.reload(engine, config) {
        Ok(_) => true,
        Err(diags) => {
            publish(engine, &diags);
            engine.explain(
                codes::EXTENSIONS_LOST,
                None,
                "res_parking removed its generated extensions before registering the new lots', and the registration failed: the lots keep their previous configuration, without those extensions",
                Some("Asterisk cannot restore the old extensions ('can not be safely restored'); parked calls stay, but dialling a space or the park extension finds nothing until a reload succeeds"),
            );
            false
        }
    }
}

/// pbx_config's `reload` (and `dialplan reload`): `false` when extensions.conf is missing or unparsable,
/// which keeps the running dialplan.
fn reload_dialplan(engine: &Engine, ctx: &CliContext) -> bool {
    let Some(fresh) = reread(engine, ctx, EXTENSIONS_CONF) else {
        return true;
    };
    publish(engine, &fresh.diagnostics);
    let file = match (fresh.load.status, &fresh.load.file) {
        (FileStatus::Loaded, Some(file)) => file,
        _ => {
            kept(engine, EXTENSIONS_CONF);
            return false;
        }
    };
    // The globals the file sets, in its order (each is set again, as pbx_config sets them).
    let mut scratch = Dialplan::new();
    let _ = model::load_extensions(&mut scratch, file, &fresh.sources);
    let mut globals: Vec<(String, String)> = scratch
        .globals
        .iter()
        .map(|g| (g.name.clone(), g.value.clone()))
        .collect();
    globals.reverse();
    let loaded = {
        let mut plan = engine.plan_mut();
        plan.as_any_mut().downcast_mut::<Dialplan>().map(|dp| {
            model::reload_extensions(
                dp,
                FileStatus::Loaded,
                Some(file),
                &fresh.sources,
                &GlobalsOnly,
            )
        })
    };
    if let Some(loaded) = loaded {
        publish(engine, &loaded.diagnostics);
    }
    for (name, value) in &globals {
        engine.set_global(name, Some(value));
    }
    if let Some(p) = &ctx.parking {
        p.dialplan_changed();
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_names_match_with_or_without_so_and_in_any_case() {
        assert!(ModuleName::ResParking.matches("res_parking"));
        assert!(ModuleName::ResParking.matches("res_parking.so"));
        assert!(ModuleName::ResParking.matches("RES_PARKING.SO"));
        assert!(!ModuleName::ResParking.matches("res_parkin"));
        assert!(ModuleName::Features.matches("features"));
        assert!(ModuleName::Features.matches("features.so"));
        assert!(ModuleName::PbxConfig.matches("pbx_config"));
        assert!(!ModuleName::PbxConfig.matches("chan_pjsip.so"));
        assert_eq!(base_name(".so"), ".so");
        assert_eq!(base_name("x.so"), "x");
        assert_eq!(base_name("é"), "é");
    }
}
