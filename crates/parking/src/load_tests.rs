use super::*;
use crate::config::{FeatureFlag, FindSlot, SpaceRange};
use crate::testconf::{parse, parse_files, render};

fn run(text: &str) -> (ParkingLoad, SourceMap) {
    let mut sources = SourceMap::new();
    let conf = parse(&mut sources, "res_parking.conf", text);
    let result = load(&conf, &sources);
    (result, sources)
}

/// Asterisk's own lines of every diagnostic, as the console shows them.
fn asterisk_lines(result: &ParkingLoad) -> Vec<String> {
    result
        .diagnostics
        .iter()
        .flat_map(|d| d.asterisk.iter().map(|l| l.console()))
        .collect()
}

fn codes_of(result: &ParkingLoad) -> Vec<&'static str> {
    result.diagnostics.iter().map(|d| d.code.0).collect()
}

fn lot<'a>(result: &'a ParkingLoad, name: &str) -> &'a LotConfig {
    result
        .config
        .as_ref()
        .and_then(|c| c.lot(name))
        .unwrap_or_else(|| panic!("lot {name} missing"))
}

/// Declined loads: the cause, then the loader's lines.
fn assert_declined(result: &ParkingLoad, lines: &[&str]) {
    assert!(result.config.is_none(), "res_parking should decline");
    let mut expected: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
    expected.push("WARNING: loader.c: Some non-required modules failed to load.".into());
    expected.push("ERROR: loader.c: res_parking declined to load.".into());
    assert_eq!(asterisk_lines(result), expected);
    assert_eq!(
        result.diagnostics.last().map(|d| d.code),
        Some(codes::DECLINED)
    );
    assert!(result
        .diagnostics
        .iter()
        .all(|d| d.severity == Severity::Error));
}

const PAGE_EXAMPLE_1: &str = include_str!("../testdata/page-example-1.res_parking.conf");
const PAGE_EXAMPLE_2: &str = include_str!("../testdata/page-example-2.res_parking.conf");
const PAGE_EXAMPLE_3: &str = include_str!("../testdata/page-example-3.res_parking.conf");

/// The page's blocks without the `truetext1` its export glued before `[general]` in examples 2 and 3.
fn without_truetext(text: &str) -> String {
    text.replacen("truetext1[general]", "[general]", 1)
}

#[test]
fn page_example_1_declines_on_parkext_under_general() {
    let (result, sources) = run(PAGE_EXAMPLE_1);
    assert_declined(
        &result,
        &[
            "ERROR: config_options.c: Could not find option suitable for category 'general' named 'parkext' at line 2 of ",
            "ERROR: config_options.c: In res_parking.conf: Processing options for general failed",
        ],
    );
    assert_eq!(result.diagnostics[0].code, codes::LOT_OPTION_IN_GENERAL);
    insta::assert_snapshot!(render(&result.diagnostics, &sources));
}

#[test]
fn page_examples_2_and_3_as_printed_are_not_parseable() {
    // `truetext1[general]` as the first line is a variable line before any section: Asterisk's parser rejects
    // the whole file, so res_parking declines before it looks at any option.
    for text in [PAGE_EXAMPLE_2, PAGE_EXAMPLE_3] {
        let (result, _) = run(text);
        assert_declined(
            &result,
            &["ERROR: config_options.c: Contents of res_parking.conf are invalid and cannot be parsed"],
        );
        assert_eq!(result.diagnostics[0].code, codes::FILE_INVALID);
    }
}

#[test]
fn page_example_2_without_the_stray_text_declines_like_example_1() {
    let (result, _) = run(&without_truetext(PAGE_EXAMPLE_2));
    assert_declined(
        &result,
        &[
            "ERROR: config_options.c: Could not find option suitable for category 'general' named 'parkext' at line 2 of ",
            "ERROR: config_options.c: In res_parking.conf: Processing options for general failed",
        ],
    );
}

#[test]
fn page_example_3_without_the_stray_text_loads() {
    let (result, _) = run(&without_truetext(PAGE_EXAMPLE_3));
    assert!(result.diagnostics.is_empty(), "{:?}", result.diagnostics);
    let config = result.config.as_ref().expect("loaded");
    assert_eq!(config.lots.len(), 1);
    let lot = lot(&result, "default");
    assert_eq!(lot.origin, LotOrigin::Configured);
    assert_eq!(lot.parkext.value, "700");
    assert_eq!(
        lot.parkpos.value,
        SpaceRange {
            start: 701,
            stop: 709
        }
    );
    assert_eq!(lot.context.value, "parkedcalls");
    assert_eq!(lot.parkingtime.value, 300);
    assert_eq!(lot.findslot.value, FindSlot::Next);
    assert!(!lot.comebacktoorigin.value);
    assert_eq!(lot.comebackcontext.value, "parkedcallstimeout");
    assert!(lot.comebackcontext.is_set());
    assert_eq!(lot.comebackdialtime.value, 30);
    assert!(!lot.comebackdialtime.is_set());
}

#[test]
fn oracle_configuration_loads() {
    let (result, sources) = run(
        "[general]\n\n[default]\nparkext => 700\nparkpos => 701-709\ncontext => parkedcalls\nparkingtime => 300\nfindslot => next\n",
    );
    assert!(result.diagnostics.is_empty());
    let lot = lot(&result, "default");
    assert_eq!(lot.parkext.value, "700");
    let span = lot.parkext.span.expect("set by a line");
    assert_eq!(sources.line_col(span).line, 4);
    assert_eq!(sources.snippet(span), "parkext => 700");
    assert_eq!(lot.sections.len(), 1);
}

#[test]
fn implicit_default_lot_with_notice() {
    let (result, sources) = run("[general]\n");
    let lot = lot(&result, "default");
    assert_eq!(lot.origin, LotOrigin::Implicit);
    assert_eq!(lot.parkext.value, "700");
    assert!(!lot.parkext.is_set());
    assert_eq!(
        lot.parkpos.value,
        SpaceRange {
            start: 701,
            stop: 750
        }
    );
    assert_eq!(lot.context.value, "parkedcalls");
    assert_eq!(lot.parkingtime.value, 45);
    assert_eq!(codes_of(&result), ["parking/default-lot-added"]);
    assert_eq!(result.diagnostics[0].severity, Severity::Note);
    assert_eq!(
        asterisk_lines(&result),
        ["NOTICE: res_parking.c: Adding default profile to res_parking"]
    );
    insta::assert_snapshot!(render(&result.diagnostics, &sources));
}

#[test]
fn empty_file_gets_the_implicit_lot_too() {
    let (result, _) = run("");
    assert_eq!(lot(&result, "default").parkext.value, "700");
}

#[test]
fn user_default_lot_gets_no_parkext() {
    let (result, sources) = run("[default]\nparkingtime => 60\n");
    let lot = lot(&result, "default");
    assert_eq!(lot.origin, LotOrigin::Configured);
    assert_eq!(lot.parkext.value, "");
    assert_eq!(lot.parkingtime.value, 60);
    assert_eq!(codes_of(&result), ["parking/no-parkext"]);
    assert_eq!(result.diagnostics[0].severity, Severity::Warning);
    assert!(asterisk_lines(&result).is_empty());
    insta::assert_snapshot!(render(&result.diagnostics, &sources));
}

#[test]
fn other_lot_without_parkext_is_a_note_and_default_is_still_added() {
    let (result, _) = run("[sales]\nparkpos => 801-809\n");
    assert_eq!(
        codes_of(&result),
        ["parking/default-lot-added", "parking/no-parkext"]
    );
    assert_eq!(result.diagnostics[1].severity, Severity::Note);
    let names: Vec<&str> = result
        .config
        .as_ref()
        .map(|c| c.lots.iter().map(|l| l.name.as_str()).collect())
        .unwrap_or_default();
    assert_eq!(names, ["default", "sales"]);
}

#[test]
fn every_option_takes_its_value() {
    let (result, _) = run("[general]
parkeddynamic = yes

[sales]
context = sales-parking
parkext = 800
parkext_exclusive = yes
parkpos = 0801-0820
parkinghints = on
parkingtime = 0
parkedmusicclass = jazz
comebacktoorigin = no
comebackdialtime = 0x10
comebackcontext = sales-timeout
courtesytone = beep
parkedplay = both
parkedcalltransfers = caller
parkedcallreparking = CALLEE
parkedcallhangup = off
parkedcallrecording = Both
findslot = next
");
    let config = result.config.as_ref().expect("loaded");
    assert!(config.general.parkeddynamic.value);
    let lot = lot(&result, "sales");
    assert_eq!(lot.context.value, "sales-parking");
    assert_eq!(lot.parkext.value, "800");
    assert!(lot.parkext_exclusive.value);
    assert_eq!(
        lot.parkpos.value,
        SpaceRange {
            start: 801,
            stop: 820
        }
    );
    assert!(lot.parkinghints.value);
    assert_eq!(lot.parkingtime.value, 0);
    assert_eq!(lot.parkedmusicclass.value, "jazz");
    assert!(!lot.comebacktoorigin.value);
    assert_eq!(lot.comebackdialtime.value, 16);
    assert_eq!(lot.comebackcontext.value, "sales-timeout");
    assert_eq!(lot.courtesytone.value, "beep");
    assert_eq!(lot.parkedplay.value, FeatureFlag::Both);
    assert_eq!(lot.parkedcalltransfers.value, FeatureFlag::Caller);
    assert_eq!(lot.parkedcallreparking.value, FeatureFlag::Callee);
    assert_eq!(lot.parkedcallhangup.value, FeatureFlag::No);
    assert_eq!(lot.parkedcallrecording.value, FeatureFlag::Both);
    assert_eq!(lot.findslot.value, FindSlot::Next);
    assert_eq!(lot.comeback_bridge_features(), "tx");
}

#[test]
fn booleans_never_fail() {
    let (result, _) = run("[default]\nparkext => 700\nparkinghints => maybe\ncomebacktoorigin => enabled\nparkext_exclusive =>\n");
    let lot = lot(&result, "default");
    assert!(!lot.parkinghints.value);
    assert!(!lot.comebacktoorigin.value);
    assert!(!lot.parkext_exclusive.value);
}

#[test]
fn option_names_ignore_case_and_general_matches_any_case() {
    let (result, _) =
        run("[GENERAL]\nParkedDynamic => yes\n[default]\nPARKEXT => 700\nParkPos => 701-702\n");
    assert!(result
        .config
        .as_ref()
        .is_some_and(|c| c.general.parkeddynamic.value));
    let lot = lot(&result, "default");
    assert_eq!(lot.parkext.value, "700");
    assert_eq!(
        lot.parkpos.value,
        SpaceRange {
            start: 701,
            stop: 702
        }
    );
}

#[test]
fn lot_names_are_case_sensitive() {
    let (result, _) = run("[Default]\nparkext => 800\n");
    let config = result.config.as_ref().expect("loaded");
    let names: Vec<&str> = config.lots.iter().map(|l| l.name.as_str()).collect();
    // "Default" is not "default": the implicit lot is added beside it. Byte order puts upper case first.
    assert_eq!(names, ["Default", "default"]);
    assert_eq!(lot(&result, "default").origin, LotOrigin::Implicit);
}

#[test]
fn parkpos_reversed() {
    let (result, sources) = run("[default]\nparkext => 700\nparkpos => 709-701\n");
    assert_declined(
        &result,
        &[
            "WARNING: res_parking.c: Format for parking positions is a-b, where a <= b",
            "ERROR: config_options.c: Error parsing parkpos=709-701 at line 3 of ",
            "ERROR: config_options.c: In res_parking.conf: Processing options for default failed",
        ],
    );
    assert_eq!(result.diagnostics[0].code, codes::BAD_PARKPOS);
    insta::assert_snapshot!(render(&result.diagnostics, &sources));
}

#[test]
fn parkpos_with_blanks_and_bounds() {
    let (result, _) = run("[default]\nparkpos => 701 - 709\n");
    assert_declined(
        &result,
        &[
            "WARNING: res_parking.c: Format for parking positions is a-b, where a and b are numbers",
            "ERROR: config_options.c: Error parsing parkpos=701 - 709 at line 2 of ",
            "ERROR: config_options.c: In res_parking.conf: Processing options for default failed",
        ],
    );
    let (result, _) = run("[default]\nparkpos => 0-9\n");
    assert_declined(
        &result,
        &[
            "WARNING: res_parking.c: Format for parking positions is a-b, where a <= b",
            "ERROR: config_options.c: Error parsing parkpos=0-9 at line 2 of ",
            "ERROR: config_options.c: In res_parking.conf: Processing options for default failed",
        ],
    );
    let (result, _) = run("[default]\nparkpos => 0701-0709\n");
    assert_eq!(lot(&result, "default").parkpos.value.to_string(), "701-709");
}

#[test]
fn findslot_is_case_sensitive() {
    let (result, sources) = run("[default]\nparkext => 700\nfindslot => NEXT\n");
    assert_declined(
        &result,
        &[
            "WARNING: res_parking.c: value 'NEXT' is not valid for findslot option.",
            "ERROR: config_options.c: Error parsing findslot=NEXT at line 3 of ",
            "ERROR: config_options.c: In res_parking.conf: Processing options for default failed",
        ],
    );
    insta::assert_snapshot!(render(&result.diagnostics, &sources));
}

#[test]
fn parkingtime_negative() {
    let (result, sources) = run("[default]\nparkext => 700\nparkingtime => -1\n");
    assert_declined(
        &result,
        &[
            "ERROR: config_options.c: Error parsing parkingtime=-1 at line 3 of ",
            "ERROR: config_options.c: In res_parking.conf: Processing options for default failed",
        ],
    );
    assert_eq!(result.diagnostics[0].code, codes::BAD_NUMBER);
    insta::assert_snapshot!(render(&result.diagnostics, &sources));
}

#[test]
fn comebackdialtime_with_unit() {
    let (result, _) = run("[default]\ncomebackdialtime => 20s\n");
    assert_declined(
        &result,
        &[
            "ERROR: config_options.c: Error parsing comebackdialtime=20s at line 2 of ",
            "ERROR: config_options.c: In res_parking.conf: Processing options for default failed",
        ],
    );
}

#[test]
fn parkedplay_parked_from_the_sample_file() {
    let (result, sources) = run("[default]\nparkext => 700\nparkedplay => parked\n");
    assert_declined(
        &result,
        &[
            "ERROR: config_options.c: Error parsing parkedplay=parked at line 3 of ",
            "ERROR: config_options.c: In res_parking.conf: Processing options for default failed",
        ],
    );
    assert_eq!(result.diagnostics[0].code, codes::BAD_FEATURE_FLAG);
    insta::assert_snapshot!(render(&result.diagnostics, &sources));
}

#[test]
fn parkedcall_features_refuse_yes() {
    let (result, _) = run("[default]\nparkedcalltransfers => yes\n");
    assert_declined(
        &result,
        &[
            "ERROR: config_options.c: Error parsing parkedcalltransfers=yes at line 2 of ",
            "ERROR: config_options.c: In res_parking.conf: Processing options for default failed",
        ],
    );
}

#[test]
fn unknown_lot_option_suggests_the_near_name() {
    let (result, sources) = run("[general]\n[sales]\nparkext => 800\nparkingtim => 60\n");
    assert_declined(
        &result,
        &[
            "ERROR: config_options.c: Could not find option suitable for category 'sales' named 'parkingtim' at line 4 of ",
            "ERROR: config_options.c: In res_parking.conf: Processing options for sales failed",
        ],
    );
    assert_eq!(result.diagnostics[0].code, codes::UNKNOWN_OPTION);
    insta::assert_snapshot!(render(&result.diagnostics, &sources));
}

#[test]
fn parkeddynamic_in_a_lot() {
    let (result, _) = run("[default]\nparkeddynamic => yes\n");
    assert_eq!(result.diagnostics[0].code, codes::GENERAL_OPTION_IN_LOT);
    assert_declined(
        &result,
        &[
            "ERROR: config_options.c: Could not find option suitable for category 'default' named 'parkeddynamic' at line 2 of ",
            "ERROR: config_options.c: In res_parking.conf: Processing options for default failed",
        ],
    );
}

#[test]
fn unknown_general_option() {
    let (result, _) = run("[general]\nparkinglot => sales\n");
    assert_eq!(result.diagnostics[0].code, codes::UNKNOWN_OPTION);
    assert!(result.diagnostics[0].message.contains("[general]"));
}

#[test]
fn processing_stops_at_the_first_bad_line() {
    let (result, _) =
        run("[default]\nfindslot => NEXT\nparkpos => 709-701\n[general]\nparkext => 700\n");
    assert_eq!(
        codes_of(&result),
        ["parking/bad-findslot", "parking/declined"]
    );
}

#[test]
fn sections_are_processed_in_file_order() {
    // The bad [sales] line comes before the bad [general] line, so it is the one Asterisk reports.
    let (result, _) = run("[sales]\nparkingtime => x\n[general]\nparkext => 700\n");
    assert_eq!(
        codes_of(&result),
        ["parking/bad-number", "parking/declined"]
    );
}

#[test]
fn same_name_sections_merge() {
    let (result, _) = run("[sales]\nparkext => 800\nparkingtime => 60\n[default]\nparkext => 700\n[sales]\nparkingtime => 90\ncontext => sales\n");
    let config = result.config.as_ref().expect("loaded");
    assert_eq!(config.lots.len(), 2);
    let sales = lot(&result, "sales");
    assert_eq!(sales.parkext.value, "800");
    assert_eq!(sales.parkingtime.value, 90);
    assert_eq!(sales.context.value, "sales");
    assert_eq!(sales.sections.len(), 2);
    assert_eq!(sales.definition_order, 0);
    assert_eq!(lot(&result, "default").definition_order, 1);
}

#[test]
fn general_sections_merge_too() {
    let (result, _) =
        run("[general]\nparkeddynamic => yes\n[default]\nparkext => 700\n[general]\n");
    assert!(result
        .config
        .as_ref()
        .is_some_and(|c| c.general.parkeddynamic.value));
    let (result, _) = run("[general]\nparkeddynamic => yes\n[general]\nparkeddynamic => no\n");
    assert!(result
        .config
        .as_ref()
        .is_some_and(|c| !c.general.parkeddynamic.value));
}

#[test]
fn templates_are_invisible() {
    let (result, _) = run("[tpl](!)\nparkext => 900\nbogus => 1\n[default]\nparkext => 700\n");
    let config = result.config.as_ref().expect("loaded");
    assert_eq!(config.lots.len(), 1);
}

#[test]
fn missing_and_invalid_files() {
    let mut sources = SourceMap::new();
    let missing = parse_files(&mut sources, "res_parking.conf", &[]);
    assert_eq!(missing.status, FileStatus::Missing);
    let result = load(&missing, &sources);
    assert_declined(
        &result,
        &["ERROR: config_options.c: Unable to load config file 'res_parking.conf'"],
    );
    assert_eq!(result.diagnostics[0].code, codes::FILE_MISSING);
    let invalid = parse(
        &mut sources,
        "res_parking.conf",
        "[general\nparkext => 700\n",
    );
    assert_eq!(invalid.status, FileStatus::Invalid);
    let result = load(&invalid, &sources);
    assert_declined(
        &result,
        &["ERROR: config_options.c: Contents of res_parking.conf are invalid and cannot be parsed"],
    );
    insta::assert_snapshot!(render(&result.diagnostics, &sources));
}

#[test]
fn included_lines_carry_the_included_file_name() {
    let mut sources = SourceMap::new();
    let conf = parse_files(
        &mut sources,
        "res_parking.conf",
        &[
            ("res_parking.conf", "[general]\n#include lots.conf\n"),
            ("lots.conf", "; the lots\nparkext => 700\n"),
        ],
    );
    let result = load(&conf, &sources);
    assert_declined(
        &result,
        &[
            "ERROR: config_options.c: Could not find option suitable for category 'general' named 'parkext' at line 2 of /etc/asterisk/lots.conf",
            "ERROR: config_options.c: In res_parking.conf: Processing options for general failed",
        ],
    );
}

#[test]
fn inherited_lines_name_the_template_line() {
    let (result, _) = run(
        "[general]\n[lot](!)\nparkext => 800\nparkpos => 9-1\n\n[sales](lot)\ncontext => sales\n",
    );
    assert_declined(
        &result,
        &[
            "WARNING: res_parking.c: Format for parking positions is a-b, where a <= b",
            "ERROR: config_options.c: Error parsing parkpos=9-1 at line 4 of ",
            "ERROR: config_options.c: In res_parking.conf: Processing options for sales failed",
        ],
    );
}

#[test]
fn registration_order_follows_the_hash_buckets() {
    let (result, _) = run("[zeta]\n[alpha]\n[default]\nparkext => 700\n[beta]\n");
    let config = result.config.as_ref().expect("loaded");
    let order: Vec<&str> = config
        .registration_order()
        .iter()
        .map(|l| l.name.as_str())
        .collect();
    // Buckets (ast_str_hash % 37, computed independently): zeta 25, beta 27, alpha 30, default 35.
    let expected = ["zeta", "beta", "alpha", "default"];
    assert_eq!(order, expected);
}
