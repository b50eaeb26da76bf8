//! Loader tests on whole files: what Asterisk keeps, what it logs, what dialsim explains.

use super::*;
use crate::show::show_features;
use crate::testutil::conf;
use dialplan::diag::Severity;

/// Loads `text` as features.conf.
fn run(text: &str) -> (FeaturesLoad, SourceMap) {
    let (load_, sources) = conf(text);
    (load(&load_, &sources), sources)
}

/// Diagnostics as text: the short line, help, and Asterisk's console lines.
fn render(result: &FeaturesLoad, sources: &SourceMap) -> String {
    let mut out = format!("outcome: {:?}\n", result.outcome);
    for d in &result.diagnostics {
        out.push_str(&d.short(sources));
        out.push('\n');
        if let Some(label) = &d.label {
            out.push_str(&format!("  label: {label}\n"));
        }
        if let Some(help) = &d.help {
            out.push_str(&format!("  help: {help}\n"));
        }
        for line in &d.asterisk {
            out.push_str(&format!("  | {}\n", line.console()));
        }
    }
    out
}

/// All Asterisk log lines, in order.
fn console(result: &FeaturesLoad) -> Vec<String> {
    result
        .diagnostics
        .iter()
        .flat_map(|d| d.asterisk.iter().map(LogLine::console))
        .collect()
}

const ORACLE_FEATURES_SHOW: &str = "\
Builtin Feature           Default Current
---------------           ------- -------
Pickup                    *8      *8     
Blind Transfer            #       #      
Attended Transfer                        
Disconnect Call           *       *      
Park Call                         #72    
One Touch MixMonitor                     

Dynamic Feature           Default Current
---------------           ------- -------
(none)

Feature Groups:
---------------
(none)
";

#[test]
fn oracle_example_loads_and_shows_like_asterisk() {
    let (result, _) = run("[general]\n\n[featuremap]\nparkcall => #72\n");
    assert_eq!(result.outcome, LoadOutcome::Loaded);
    assert!(result.diagnostics.is_empty());
    assert_eq!(
        result.config.featuremap.code(BuiltinFeature::ParkCall),
        "#72"
    );
    assert_eq!(show_features(&result.config), ORACLE_FEATURES_SHOW);
}

#[test]
fn general_options_are_read_ignoring_case() {
    let (result, _) = run(
        "[General]\nFeatureDigitTimeout = 0x5DC\natxferdropcall = yes\npickupexten = *9\n\
         transferdigittimeout = -1\n[FeatureMap]\nBlindXfer = ##\natxfer => *2\n",
    );
    assert_eq!(result.outcome, LoadOutcome::Loaded);
    let g = &result.config.general;
    assert_eq!(g.featuredigittimeout, 1500);
    assert!(g.atxferdropcall);
    assert_eq!(g.pickupexten, "*9");
    assert_eq!(g.transferdigittimeout, u32::MAX);
    assert_eq!(
        result.config.featuremap.code(BuiltinFeature::BlindTransfer),
        "##"
    );
    assert_eq!(
        result
            .config
            .featuremap
            .code(BuiltinFeature::AttendedTransfer),
        "*2"
    );
    assert!(result
        .config
        .featuremap
        .span(BuiltinFeature::AttendedTransfer)
        .is_some());
}

#[test]
fn unknown_general_option_drops_the_whole_file() {
    let (result, sources) = run("[general]\nfoo = bar\n\n[featuremap]\nparkcall => #72\n");
    assert_eq!(
        result.outcome,
        LoadOutcome::Defaults(DefaultsReason::Rejected)
    );
    assert_eq!(result.config, FeaturesConfig::default());
    assert_eq!(
        console(&result),
        vec![
            "ERROR: config_options.c: Could not find option suitable for category 'general' named 'foo' at line 2 of ",
            "ERROR: config_options.c: In features.conf: Processing options for general failed",
            "NOTICE: features_config.c: Could not load features config; using defaults",
        ]
    );
    insta::assert_snapshot!(render(&result, &sources));
}

#[test]
fn automon_drops_the_whole_file_in_22() {
    let (result, sources) = run("[featuremap]\nparkcall => #72\nautomon => *1\n");
    assert_eq!(
        result.outcome,
        LoadOutcome::Defaults(DefaultsReason::Rejected)
    );
    assert_eq!(result.config.featuremap.code(BuiltinFeature::ParkCall), "");
    assert_eq!(result.diagnostics[0].code, AUTOMON_REMOVED);
    insta::assert_snapshot!(render(&result, &sources));
}

#[test]
fn featuremap_option_in_general_gets_a_hint() {
    let (result, _) = run("[general]\nparkcall => #72\n");
    let d = &result.diagnostics[0];
    assert_eq!(d.code, UNKNOWN_OPTION);
    assert!(d
        .help
        .as_deref()
        .unwrap_or_default()
        .starts_with("'parkcall' belongs in [featuremap]"));
}

#[test]
fn bad_number_drops_the_whole_file() {
    let (result, sources) = run("[general]\nfeaturedigittimeout = 1500ms\n");
    assert_eq!(
        result.outcome,
        LoadOutcome::Defaults(DefaultsReason::Rejected)
    );
    assert_eq!(
        console(&result)[0],
        "ERROR: config_options.c: Error parsing featuredigittimeout=1500ms at line 2 of "
    );
    insta::assert_snapshot!(render(&result, &sources));
}

#[test]
fn parking_options_warn_once_and_are_ignored() {
    let (result, sources) = run(
        "[general]\nparkext => 700\nparkpos => 701-720\ncontext => parkedcalls\n\n[featuremap]\nparkcall => #72\n",
    );
    assert_eq!(result.outcome, LoadOutcome::Loaded);
    assert_eq!(
        result.config.featuremap.code(BuiltinFeature::ParkCall),
        "#72"
    );
    assert_eq!(
        console(&result),
        vec![
            "WARNING: features_config.c: Parkinglots are no longer configurable in features.conf; parking is now handled by res_parking.conf",
            "WARNING: features_config.c: The option 'parkext' is no longer configurable in features.conf.",
            "WARNING: features_config.c: The option 'parkpos' is no longer configurable in features.conf.",
            "WARNING: features_config.c: The option 'context' is no longer configurable in features.conf.",
        ]
    );
    assert!(result
        .diagnostics
        .iter()
        .all(|d| d.severity == Severity::Warning && d.code == PARKING_OPTION_IGNORED));
    insta::assert_snapshot!(render(&result, &sources));
}

#[test]
fn parkinglot_sections_warn_and_are_not_groups() {
    let (result, sources) = run("[parkinglot_sales]\nparkext => 800\nanything => x\n");
    assert_eq!(result.outcome, LoadOutcome::Loaded);
    assert!(result.config.groups.is_empty());
    assert_eq!(result.diagnostics.len(), 2);
    assert_eq!(result.diagnostics[1].code, PARKINGLOT_SECTION_IGNORED);
    insta::assert_snapshot!(render(&result, &sources));
}

const APPS: &str = "\
[general]
[featuremap]
parkcall => #72
[applicationmap]
testfeature => #9,peer,Playback,tt-monkeys
Zoo => *1,self,NoOp(Boo!),default
monkeys => *0,callee,Playback(tt-monkeys)
[myGroup]
testfeature => #9
monkeys =>
[other]
zoo => *5
";

#[test]
fn applicationmap_and_groups_load() {
    let (result, _) = run(APPS);
    assert_eq!(
        result.outcome,
        LoadOutcome::Loaded,
        "{:?}",
        result.diagnostics
    );
    let names: Vec<_> = result
        .config
        .applicationmap
        .iter()
        .map(|i| i.name.as_str())
        .collect();
    assert_eq!(names, vec!["monkeys", "testfeature", "Zoo"]);
    let zoo = result.config.application("zoo").expect("Zoo");
    assert_eq!(
        (
            zoo.app.as_str(),
            zoo.app_data.as_str(),
            zoo.moh_class.as_str()
        ),
        ("NoOp", "Boo!", "default")
    );
    assert_eq!(result.config.groups.len(), 2);
    insta::assert_snapshot!(show_features(&result.config));
}

#[test]
fn groups_are_listed_in_asterisks_hash_order() {
    let mut text = String::from("[applicationmap]\nx => 1,self,NoOp\n");
    let names = [
        "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta",
    ];
    for n in names {
        text.push_str(&format!("[{n}]\nx =>\n"));
    }
    let (result, _) = run(&text);
    let got: Vec<_> = result
        .config
        .groups
        .iter()
        .map(|g| g.name.as_str())
        .collect();
    let mut expected: Vec<&str> = names.to_vec();
    expected.sort_by_key(|n| crate::config::group_bucket(n));
    assert_eq!(got, expected);
    // And it is not simply file order.
    assert_ne!(got, names.to_vec());
}

#[test]
fn same_name_groups_merge_and_items_replace() {
    let (result, _) = run(
        "[applicationmap]\na => 1,self,NoOp\nb => 2,self,NoOp\n[G]\nb => 5\n[g]\nA => 7\nb => 6\n",
    );
    assert_eq!(result.config.groups.len(), 1);
    let g = &result.config.groups[0];
    assert_eq!(g.name, "G");
    let items: Vec<_> = g
        .items
        .iter()
        .map(|i| (i.name.as_str(), i.dtmf_override.as_str()))
        .collect();
    assert_eq!(items, vec![("A", "7"), ("b", "6")]);
}

#[test]
fn duplicate_applicationmap_names_keep_the_last() {
    let (result, _) = run("[applicationmap]\nfoo => 1,self,NoOp\nFOO => 2,peer,Wait\n");
    assert_eq!(result.config.applicationmap.len(), 1);
    assert_eq!(result.config.applicationmap[0].name, "FOO");
    assert_eq!(result.config.applicationmap[0].dtmf, "2");
}

#[test]
fn bad_applicationmap_item_drops_the_whole_file() {
    let (result, sources) =
        run("[featuremap]\nparkcall => #72\n[applicationmap]\nmonkeys => *9, self, Playback\n");
    assert_eq!(
        result.outcome,
        LoadOutcome::Defaults(DefaultsReason::Rejected)
    );
    assert_eq!(
        console(&result),
        vec![
            "WARNING: features_config.c: Invalid 'activate_on' value  self for applicationmap item monkeys",
            "ERROR: config_options.c: Error parsing monkeys=*9, self, Playback at line 4 of ",
            "ERROR: config_options.c: In features.conf: Processing options for applicationmap failed",
            "NOTICE: features_config.c: Could not load features config; using defaults",
        ]
    );
    insta::assert_snapshot!(render(&result, &sources));
}

#[test]
fn applicationmap_missing_argument_and_no_application() {
    let (result, _) = run("[applicationmap]\na => *9,self\n");
    assert_eq!(
        console(&result)[0],
        "WARNING: features_config.c: Invalid applicationmap syntax for 'a'. Missing required argument"
    );
    let (result, _) = run("[applicationmap]\nb => *9,self,(x)\n");
    assert_eq!(
        console(&result)[0],
        "WARNING: features_config.c: Applicationmap item 'b' does not contain an application name."
    );
    assert_eq!(result.diagnostics[0].code, APPMAP_NO_APPLICATION);
}

#[test]
fn group_naming_a_missing_item_drops_the_whole_file() {
    let (result, sources) =
        run("[featuremap]\nparkcall => #72\n[mygroup]\nnosuch => *7\nalso_missing =>\n");
    assert_eq!(
        result.outcome,
        LoadOutcome::Defaults(DefaultsReason::Rejected)
    );
    assert_eq!(
        console(&result),
        vec![
            "WARNING: features_config.c: Featuregroup mygroup refers to non-existent applicationmap item",
            "NOTICE: features_config.c: Could not load features config; using defaults",
        ]
    );
    // dialsim reports both missing items; Asterisk names the group once.
    assert_eq!(
        result
            .diagnostics
            .iter()
            .filter(|d| d.code == GROUP_MISSING_ITEM)
            .count(),
        2
    );
    insta::assert_snapshot!(render(&result, &sources));
}

#[test]
fn after_the_first_error_asterisk_is_silent_but_dialsim_goes_on() {
    let (result, sources) = run(
        "[general]\nbogus = 1\nparkext => 700\n[featuremap]\nautomon => *1\n[grp]\nnothere =>\n",
    );
    assert_eq!(
        result.outcome,
        LoadOutcome::Defaults(DefaultsReason::Rejected)
    );
    let codes: Vec<_> = result.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        vec![
            UNKNOWN_OPTION,
            PARKING_OPTION_IGNORED,
            AUTOMON_REMOVED,
            GROUP_MISSING_ITEM,
            DEFAULTS_USED
        ]
    );
    assert_eq!(console(&result).len(), 3);
    insta::assert_snapshot!(render(&result, &sources));
}

#[test]
fn templates_are_invisible() {
    let (result, _) = run("[tmpl](!)\nnosuch => 1\n[featuremap]\nparkcall => #72\n");
    assert_eq!(result.outcome, LoadOutcome::Loaded);
    assert!(result.config.groups.is_empty());
}

#[test]
fn empty_group_is_kept() {
    let (result, _) = run("[lonely]\n");
    assert_eq!(result.outcome, LoadOutcome::Loaded);
    assert_eq!(result.config.groups[0].name, "lonely");
    assert!(show_features(&result.config).ends_with("---------------\n===> Group: lonely\n"));
}

#[test]
fn missing_file_uses_defaults() {
    let sources = SourceMap::new();
    let load_ = ConfLoad {
        status: FileStatus::Missing,
        file: None,
        diagnostics: Vec::new(),
    };
    let result = load(&load_, &sources);
    assert_eq!(
        result.outcome,
        LoadOutcome::Defaults(DefaultsReason::Missing)
    );
    assert_eq!(result.diagnostics[0].severity, Severity::Note);
    insta::assert_snapshot!(render(&result, &sources));
}

#[test]
fn invalid_file_uses_defaults() {
    let sources = SourceMap::new();
    let load_ = ConfLoad {
        status: FileStatus::Invalid,
        file: Some(ConfFile::default()),
        diagnostics: Vec::new(),
    };
    let result = load(&load_, &sources);
    assert_eq!(
        result.outcome,
        LoadOutcome::Defaults(DefaultsReason::Invalid)
    );
    assert_eq!(
        console(&result),
        vec![
            "ERROR: config_options.c: Contents of features.conf are invalid and cannot be parsed",
            "NOTICE: features_config.c: Could not load features config; using defaults",
        ]
    );
}

#[test]
fn default_show_matches_asterisk() {
    insta::assert_snapshot!(show_features(&FeaturesConfig::default()));
}

#[test]
fn lines_of_included_files_are_named_by_full_path() {
    let (load_, sources) = crate::testutil::conf_files(&[
        (
            "features.conf",
            "[featuremap]\nparkcall => #72\n#include extra.conf\n",
        ),
        ("extra.conf", "[general]\n\nnope = 1\n"),
    ]);
    let result = load(&load_, &sources);
    assert_eq!(
        console(&result)[0],
        "ERROR: config_options.c: Could not find option suitable for category 'general' named 'nope' at line 3 of /etc/asterisk/extra.conf"
    );
}

#[test]
fn a_file_the_parser_cannot_find_or_accept_means_defaults() {
    let (load_, sources) = crate::testutil::conf_files(&[("other.conf", "")]);
    assert_eq!(
        load(&load_, &sources).outcome,
        LoadOutcome::Defaults(DefaultsReason::Missing)
    );
    let (load_, sources) = conf("parkcall => #72\n[featuremap]\n");
    assert_eq!(
        load(&load_, &sources).outcome,
        LoadOutcome::Defaults(DefaultsReason::Invalid)
    );
}

#[test]
fn inherited_template_items_count() {
    let (result, _) = run("[base](!)\nparkcall => #72\n[featuremap](base)\nblindxfer => #1\n");
    assert_eq!(result.outcome, LoadOutcome::Loaded);
    assert_eq!(
        result.config.featuremap.code(BuiltinFeature::ParkCall),
        "#72"
    );
    assert_eq!(
        result.config.featuremap.code(BuiltinFeature::BlindTransfer),
        "#1"
    );
}
