//! `docs/diagnostics.md` is generated from the code's lists of diagnostic codes, so it cannot drift.
//! Regenerate it with `DIALSIM_UPDATE_DOCS=1 cargo test --test integration docs_diagnostics`.

use dialplan::diag::CodeInfo;
use std::path::Path;

fn sections() -> Vec<(&'static str, &'static str, &'static [CodeInfo])> {
    vec![
        (
            "Configuration file syntax (`conf/…`)",
            "Problems in the `.conf` format itself, as Asterisk's `main/config.c` reads every configuration file.",
            dialplan::conf::CODES,
        ),
        (
            "extensions.conf (`ext/…`)",
            "What pbx_config reports while it loads the dialplan.",
            dialplan::model::CODES,
        ),
        (
            "features.conf (`features/…`)",
            "What Asterisk's features configuration reports.",
            features::CODES,
        ),
        (
            "res_parking.conf (`parking/…`)",
            "What res_parking reports; any error here makes res_parking decline to load.",
            parking::CODES,
        ),
        (
            "Running calls: the engine (`run/…`)",
            "What `dialsim run` reports about a run itself: limits, devices, prompts.",
            dialplan::engine::CODES,
        ),
        (
            "Running calls: scenarios (`run/…`)",
            "What `dialsim run` reports about the scenario and what its emulated devices cause.",
            dialsim::scenario::CODES,
        ),
        (
            "Running calls: features (`features/…`)",
            "What the features module explains while calls are bridged (DTMF feature codes).",
            features::module::CODES,
        ),
        (
            "Running calls: parking (`parking/…`)",
            "What res_parking does silently at run time, explained.",
            parking::runtime::CODES,
        ),
        (
            "Reloading while calls run (`reload/…`)",
            "What a reload (a scenario's `reload` action, `module reload`, the AMI `Reload` action) did and why.",
            dialsim::reload::CODES,
        ),
        (
            "Checks of dialsim's own (`lint/…`)",
            "Not reported by Asterisk at load time, but certain to surprise at run time.",
            dialsim::lint::CODES,
        ),
        (
            "What each party heard (`audio/…`)",
            "What `dialsim run --audio` reports about the sounds it could not use.",
            dialsim::audio::CODES,
        ),
    ]
}

fn render() -> String {
    let mut out = String::from(
        "# Diagnostic codes\n\n\
         Every diagnostic `dialsim check` (and the other commands) can print, by code. Codes are stable: \
         editors and CI may match on them. `dialsim check --format short` prints one \
         `file:line:col: severity[code]: message` line per diagnostic.\n\n\
         Severity follows the consequence, not Asterisk's log level: **error** means Asterisk refuses the file \
         or the module (or the construct cannot work), **warning** means Asterisk goes on but not as the author \
         probably meant, **note** is information.\n\n\
         This file is generated from the code (`tests/integration/docs_diagnostics.rs`).\n",
    );
    for (title, intro, codes) in sections() {
        out.push_str(&format!(
            "\n## {title}\n\n{intro}\n\n| code | meaning |\n| --- | --- |\n"
        ));
        let mut codes: Vec<&CodeInfo> = codes.iter().collect();
        codes.sort_by_key(|c| c.code.0);
        for c in codes {
            out.push_str(&format!(
                "| `{}` | {} |\n",
                c.code.0,
                c.summary.replace('|', "\\|")
            ));
        }
    }
    out
}

#[test]
fn diagnostics_doc_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/diagnostics.md");
    let expected = render();
    if std::env::var_os("DIALSIM_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &expected).unwrap();
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        actual, expected,
        "docs/diagnostics.md is stale: rerun with DIALSIM_UPDATE_DOCS=1"
    );
}

#[test]
fn codes_are_unique() {
    let mut all: Vec<&str> = sections()
        .iter()
        .flat_map(|s| s.2.iter().map(|c| c.code.0))
        .collect();
    let n = all.len();
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), n, "a diagnostic code is listed twice");
}
