//! Loading a configuration folder as Asterisk 22 starts up: the core's features.conf first, then res_parking
//! (it loads before pbx_config: its module load priority is earlier), then pbx_config's extensions.conf,
//! which merges its contexts with the ones res_parking generated.

use dialplan::conf::{self, ConfFile, ConfLoad, ConfSource, DirSource, FileStatus};
use dialplan::diag::Diagnostic;
use dialplan::model::{self, Dialplan};
use dialplan::source::SourceMap;
use features::FeaturesConfig;
use parking::ParkingConfig;
use std::path::{Path, PathBuf};

pub const EXTENSIONS_CONF: &str = "extensions.conf";
pub const FEATURES_CONF: &str = "features.conf";
pub const RES_PARKING_CONF: &str = "res_parking.conf";

/// Whether a module that owns a configuration file is running.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModuleState {
    Running,
    Declined,
}

/// Everything dialsim knows after loading a configuration folder.
#[derive(Debug)]
pub struct LoadedConfig {
    pub sources: SourceMap,
    pub dialplan: Dialplan,
    pub features: FeaturesConfig,
    /// `None` when res_parking declined to load (then there are no parking contexts, apps or commands).
    pub parking: Option<ParkingConfig>,
    pub pbx_config: ModuleState,
    /// The parsed features.conf, for checks that point at its lines (`None` when the file is missing).
    /// extensions.conf's parsed items are dropped once the dialplan is built from them: on a large
    /// dialplan they are the biggest allocation of a load, and freeing them early lets the rest reuse
    /// that memory instead of touching fresh pages.
    pub features_file: Option<ConfFile>,
    /// Every load diagnostic, in the order Asterisk would log them.
    pub diagnostics: Vec<Diagnostic>,
    /// The folder the files came from, when on disk: reloads read it again.
    pub folder: Option<PathBuf>,
    /// What features.conf and res_parking.conf held (with their includes), so that a reload can tell an
    /// unchanged file, which Asterisk does not process again.
    pub fingerprints: Fingerprints,
}

/// The text of one configuration file and the files it included, as read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fingerprint(Vec<(String, std::sync::Arc<String>)>);

impl Fingerprint {
    /// The files of `sources` from index `from` on (those one [`read`] added).
    pub fn of(sources: &SourceMap, from: usize) -> Fingerprint {
        Fingerprint(
            sources
                .files()
                .skip(from)
                .map(|(_, f)| (f.basename().to_string(), f.text.clone()))
                .collect(),
        )
    }

    /// Whether nothing was read (a missing file).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The [`Fingerprint`]s of the files whose modules skip an unchanged file on reload.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fingerprints {
    pub features: Fingerprint,
    pub parking: Fingerprint,
}

/// A configuration folder that cannot be used at all.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration folder '{0}' does not exist")]
    NoSuchFolder(PathBuf),
    #[error("'{0}' is not a folder")]
    NotAFolder(PathBuf),
}

impl LoadedConfig {
    /// Loads the three files from a folder on disk.
    pub fn load_dir(dir: &Path) -> Result<LoadedConfig, ConfigError> {
        if !dir.exists() {
            return Err(ConfigError::NoSuchFolder(dir.to_path_buf()));
        }
        if !dir.is_dir() {
            return Err(ConfigError::NotAFolder(dir.to_path_buf()));
        }
        Ok(Self::load(&DirSource {
            dir: dir.to_path_buf(),
        }))
    }

    /// Loads the three files from any source, in Asterisk's module order.
    pub fn load(source: &dyn ConfSource) -> LoadedConfig {
        let mut sources = SourceMap::new();
        let mut diagnostics = Vec::new();

        let mut fingerprints = Fingerprints::default();
        let start = sources.files().count();
        let features_conf = read(&mut sources, source, FEATURES_CONF, &mut diagnostics);
        fingerprints.features = Fingerprint::of(&sources, start);
        let features_load = features::load(&features_conf, &sources);
        diagnostics.extend(features_load.diagnostics);

        let start = sources.files().count();
        let parking_conf = read(&mut sources, source, RES_PARKING_CONF, &mut diagnostics);
        fingerprints.parking = Fingerprint::of(&sources, start);
        let parking_load = parking::load(&parking_conf, &sources);
        diagnostics.extend(parking_load.diagnostics);
        let mut dialplan = Dialplan::new();
        let mut parking = parking_load.config;
        if let Some(cfg) = &parking {
            if let Err(errors) = parking::extensions::register_extensions(cfg, &mut dialplan) {
                diagnostics.extend(errors);
                parking = None;
            }
        }

        let extensions_conf = read(&mut sources, source, EXTENSIONS_CONF, &mut diagnostics);
        let pbx_config = match extensions_conf.status {
            FileStatus::Loaded => {
                if let Some(file) = extensions_conf.file {
                    // The parsed file is not needed afterwards: the load frees it section by section.
                    diagnostics.extend(model::load_extensions_owned(&mut dialplan, file, &sources));
                }
                ModuleState::Running
            }
            FileStatus::Missing | FileStatus::Invalid => {
                if let Some(mut declined) = model::load::declined(extensions_conf.status) {
                    // The loader's summary line comes once, before the first module that declined.
                    if parking.is_some() {
                        declined
                            .asterisk
                            .insert(0, model::load::some_modules_failed());
                    }
                    diagnostics.push(declined);
                }
                ModuleState::Declined
            }
        };

        LoadedConfig {
            sources,
            dialplan,
            features: features_load.config,
            parking,
            pbx_config,
            features_file: features_conf.file,
            diagnostics,
            folder: source.folder().map(Path::to_path_buf),
            fingerprints,
        }
    }
}

/// Reads one file, keeping its syntax diagnostics.
pub(crate) fn read(
    sources: &mut SourceMap,
    source: &dyn ConfSource,
    name: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> ConfLoad {
    let mut load = conf::load(sources, source, Path::new(name));
    diagnostics.append(&mut load.diagnostics);
    load
}
