//! The page's code blocks loaded exactly as printed, `truetext1` artefact included: as the first line of a
//! file it is a variable before any section, so Asterisk's parser rejects the whole file and the module that
//! owns it declines (pbx_config, res_parking) or falls back to defaults (features).

use crate::common;

use common::page_blocks;
use dialplan::conf::MemorySource;
use dialplan::diag::{Diagnostic, Severity};
use dialsim::config::{LoadedConfig, ModuleState};

fn load_example(n: usize) -> LoadedConfig {
    let blocks = page_blocks();
    let source = MemorySource::new()
        .with("res_parking.conf", &blocks[3 * n])
        .with("features.conf", &blocks[3 * n + 1])
        .with("extensions.conf", &blocks[3 * n + 2]);
    LoadedConfig::load(&source)
}

fn asterisk_lines(diags: &[Diagnostic]) -> Vec<String> {
    diags
        .iter()
        .flat_map(|d| d.asterisk.iter().map(|l| l.console()))
        .collect()
}

#[test]
fn example_1_as_printed_has_no_artefact_and_res_parking_declines() {
    let cfg = load_example(0);
    assert!(cfg.parking.is_none());
    assert_eq!(cfg.pbx_config, ModuleState::Running);
    let lines = asterisk_lines(&cfg.diagnostics);
    assert!(lines.contains(&String::from(
        "ERROR: config_options.c: Could not find option suitable for category 'general' named 'parkext' at line 2 of "
    )), "{lines:#?}");
    assert!(lines.contains(&String::from(
        "ERROR: loader.c: res_parking declined to load."
    )));
}

#[test]
fn examples_2_and_3_with_the_artefact_are_rejected_file_by_file() {
    for n in [1, 2] {
        let cfg = load_example(n);
        let lines = asterisk_lines(&cfg.diagnostics);
        for file in ["res_parking.conf", "features.conf", "extensions.conf"] {
            let expected = format!(
                "WARNING: config.c: parse error: No category context for line 1 of /etc/asterisk/{file}"
            );
            assert!(
                lines.contains(&expected),
                "example {}: {expected}\n{lines:#?}",
                n + 1
            );
        }
        for expected in [
            "ERROR: config_options.c: Contents of res_parking.conf are invalid and cannot be parsed",
            "ERROR: loader.c: res_parking declined to load.",
            "ERROR: config_options.c: Contents of features.conf are invalid and cannot be parsed",
            "NOTICE: features_config.c: Could not load features config; using defaults",
            "ERROR: loader.c: pbx_config declined to load.",
        ] {
            assert!(lines.contains(&String::from(expected)), "{expected}\n{lines:#?}");
        }
        assert!(cfg.parking.is_none());
        assert_eq!(cfg.pbx_config, ModuleState::Declined);
        // The defaults have no parkcall code: the page's #72 is lost with the file.
        assert_eq!(
            cfg.features
                .featuremap
                .code(features::BuiltinFeature::ParkCall),
            ""
        );
        assert!(cfg.dialplan.contexts().next().is_none());
        assert!(cfg
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error));
    }
}
