use super::*;
use crate::load::load;
use crate::testconf::{parse, render};
use dialplan::source::SourceMap;
use std::fmt::Write;

fn config(text: &str) -> (ParkingConfig, SourceMap) {
    let mut sources = SourceMap::new();
    let conf = parse(&mut sources, "res_parking.conf", text);
    let config = load(&conf, &sources).config.expect("loads");
    (config, sources)
}

/// Every context, extension and priority of the dialplan: name, app(data), registrar.
fn listing(dp: &Dialplan) -> String {
    let mut out = String::new();
    for ctx in dp.contexts() {
        let _ = writeln!(out, "[{}] created by {}", ctx.name(), ctx.registrar());
        for ext in ctx.extensions() {
            for p in ext.priorities() {
                let _ = writeln!(
                    out,
                    "  {} {} {}({}) [{}]",
                    ext.name(),
                    if p.is_hint() {
                        "hint".to_string()
                    } else {
                        p.number().to_string()
                    },
                    p.app(),
                    p.data(),
                    p.registrar()
                );
            }
        }
    }
    out
}

fn user_extension(dp: &mut Dialplan, context: &str, exten: &str, priority: i32, app: &str) {
    dp.find_or_create_context(context, "pbx_config");
    let new = NewPriority {
        exten,
        callerid: None,
        priority,
        label: None,
        app,
        data: "",
        registrar: "pbx_config",
        source: None,
    };
    assert!(dp.add_extension(context, new, Replace::No).is_ok());
}

fn asterisk_lines(diags: &[Diagnostic]) -> Vec<String> {
    diags
        .iter()
        .flat_map(|d| d.asterisk.iter().map(LogLine::console))
        .collect()
}

const FAILED: &str = "ERROR: res_parking.c: Extension registration failed. Previously configured lot extensions were removed and can not be safely restored.";
const WARN_LOADER: &str = "WARNING: loader.c: Some non-required modules failed to load.";
const DECLINED: &str = "ERROR: loader.c: res_parking declined to load.";

const ORACLE_CONF: &str = "[general]

[default]
parkext => 700
parkpos => 701-709
context => parkedcalls
parkingtime => 300
findslot => next
";

#[test]
fn oracle_lot_generates_park_and_parkedcall_extensions() {
    let (cfg, _) = config(ORACLE_CONF);
    let mut dp = Dialplan::new();
    assert_eq!(register_extensions(&cfg, &mut dp), Ok(()));
    insta::assert_snapshot!(listing(&dp));
    let park = dp.matches_any("parkedcalls", "700", 1).expect("park");
    assert_eq!(
        (
            park.priority.app(),
            park.priority.data(),
            park.priority.registrar()
        ),
        ("Park", "", "res_parking")
    );
    let space = dp.matches_any("parkedcalls", "709", 1).expect("space");
    assert_eq!(
        (
            space.priority.app(),
            space.priority.data(),
            space.priority.registrar()
        ),
        ("ParkedCall", "default,709", "res_parking/default")
    );
    assert!(dp.matches_any("parkedcalls", "710", 1).is_none());
    assert_eq!(dp.priority_count(), 10);
}

#[test]
fn implicit_default_lot_fills_700_and_701_to_750() {
    let (cfg, _) = config("[general]\n");
    let mut dp = Dialplan::new();
    assert_eq!(register_extensions(&cfg, &mut dp), Ok(()));
    assert_eq!(dp.priority_count(), 51);
    assert!(dp.matches_any("parkedcalls", "750", 1).is_some());
}

#[test]
fn exclusive_lot_owns_its_park_extension() {
    let (cfg, _) =
        config("[default]\nparkext => 700\nparkpos => 701-702\nparkext_exclusive => yes\n");
    let mut dp = Dialplan::new();
    assert_eq!(register_extensions(&cfg, &mut dp), Ok(()));
    insta::assert_snapshot!(listing(&dp));
}

#[test]
fn hints_come_with_parkinghints() {
    let (cfg, _) = config("[default]\nparkext => 700\nparkpos => 701-702\nparkinghints => yes\n");
    let mut dp = Dialplan::new();
    assert_eq!(register_extensions(&cfg, &mut dp), Ok(()));
    insta::assert_snapshot!(listing(&dp));
    assert_eq!(dp.priority_count(), 5);
}

#[test]
fn lot_without_parkext_generates_nothing() {
    let (cfg, _) = config("[default]\nparkpos => 701-709\n");
    let mut dp = Dialplan::new();
    assert_eq!(register_extensions(&cfg, &mut dp), Ok(()));
    assert_eq!(dp.contexts().len(), 0);
}

#[test]
fn non_exclusive_lots_share_one_park_extension() {
    let (cfg, _) = config(
        "[default]\nparkext => 700\nparkpos => 701-705\n[sales]\nparkext => 700\nparkpos => 801-802\n",
    );
    let mut dp = Dialplan::new();
    assert_eq!(register_extensions(&cfg, &mut dp), Ok(()));
    insta::assert_snapshot!(listing(&dp));
    assert_eq!(dp.priority_count(), 8);
}

#[test]
fn user_extension_on_the_parkext() {
    let (cfg, sources) = config(ORACLE_CONF);
    let mut dp = Dialplan::new();
    user_extension(&mut dp, "parkedcalls", "700", 1, "NoOp");
    let diags = register_extensions(&cfg, &mut dp).expect_err("conflict");
    assert_eq!(
        asterisk_lines(&diags),
        [
            "ERROR: res_parking.c: Parking lot 'default' -- Needs an extension '700@parkedcalls', but that extension is already owned by pbx_config.",
            FAILED,
            WARN_LOADER,
            DECLINED,
        ]
    );
    assert_eq!(diags[0].code, codes::PARKEXT_CONFLICT);
    insta::assert_snapshot!(render(&diags, &sources));
    // What res_parking had added is gone; the user's extension stays.
    assert_eq!(
        listing(&dp),
        "[parkedcalls] created by pbx_config\n  700 1 NoOp() [pbx_config]\n"
    );
}

#[test]
fn user_pattern_matching_the_parkext() {
    let (cfg, _) = config(ORACLE_CONF);
    let mut dp = Dialplan::new();
    user_extension(&mut dp, "parkedcalls", "_7XX", 1, "NoOp");
    let diags = register_extensions(&cfg, &mut dp).expect_err("conflict");
    assert_eq!(
        asterisk_lines(&diags)[0],
        "ERROR: res_parking.c: Parking lot 'default' -- Needs an extension '_7XX@parkedcalls', but that extension is already owned by pbx_config."
    );
}

#[test]
fn user_extension_on_a_space_fails_without_a_specific_line() {
    let (cfg, sources) = config(ORACLE_CONF);
    let mut dp = Dialplan::new();
    user_extension(&mut dp, "parkedcalls", "705", 1, "NoOp");
    let diags = register_extensions(&cfg, &mut dp).expect_err("conflict");
    assert_eq!(asterisk_lines(&diags), [FAILED, WARN_LOADER, DECLINED]);
    assert_eq!(diags[0].code, codes::SPACE_CONFLICT);
    insta::assert_snapshot!(render(&diags, &sources));
    assert_eq!(dp.priority_count(), 1);
}

#[test]
fn park_extension_with_another_app_owned_by_res_parking() {
    // A load clears everything res_parking owned first, so only a lot registered on top of existing
    // res_parking extensions (a dynamic lot) can meet this.
    let (cfg, _) = config(ORACLE_CONF);
    let mut dp = Dialplan::new();
    dp.find_or_create_context("parkedcalls", "res_parking");
    let odd = NewPriority {
        exten: "700",
        callerid: None,
        priority: 1,
        label: None,
        app: "Dial",
        data: "PJSIP/alice",
        registrar: "res_parking",
        source: None,
    };
    assert!(dp.add_extension("parkedcalls", odd, Replace::No).is_ok());
    let lot = cfg.lot("default").expect("default");
    let diag = register_lot_extensions(lot, &mut dp).expect_err("conflict");
    assert_eq!(
        asterisk_lines(&[*diag]),
        ["ERROR: res_parking.c: Parking lot 'default' -- Needs an extension '700@parkedcalls' with a non-exclusive Park application, but a/an Dial application is already registered to that extension by res_parking."]
    );
    // A full registration clears res_parking's own extensions first and succeeds.
    assert_eq!(register_extensions(&cfg, &mut dp), Ok(()));
    assert_eq!(
        dp.matches_any("parkedcalls", "700", 1)
            .map(|f| f.priority.app().to_string()),
        Some("Park".to_string())
    );
}

#[test]
fn exclusive_lot_first_then_non_exclusive_lot_on_the_same_parkext() {
    // Hash buckets: "sales" 28 comes before "default" 35, whatever the file order.
    let (cfg, _) = config(
        "[default]\nparkext => 700\nparkpos => 701-709\n[sales]\nparkext => 700\nparkext_exclusive => yes\nparkpos => 801-809\n",
    );
    let mut dp = Dialplan::new();
    let diags = register_extensions(&cfg, &mut dp).expect_err("conflict");
    assert_eq!(
        asterisk_lines(&diags),
        [
            "ERROR: res_parking.c: Parking lot 'default' -- Needs an extension '700@parkedcalls', but that extension is already owned by res_parking/sales.",
            FAILED,
            WARN_LOADER,
            DECLINED,
        ]
    );
    // Every extension is removed again. The context stays, empty: the second lot's find-or-create raised its
    // reference count, and Asterisk deletes only contexts nobody else asked for.
    assert_eq!(dp.priority_count(), 0);
    assert_eq!(listing(&dp), "[parkedcalls] created by res_parking/sales\n");
}

#[test]
fn non_exclusive_lot_first_then_exclusive_lot_fails_silently() {
    let (cfg, sources) = config(
        "[default]\nparkext => 700\nparkext_exclusive => yes\nparkpos => 701-709\n[sales]\nparkext => 700\nparkpos => 801-809\n",
    );
    let mut dp = Dialplan::new();
    let diags = register_extensions(&cfg, &mut dp).expect_err("conflict");
    assert_eq!(asterisk_lines(&diags), [FAILED, WARN_LOADER, DECLINED]);
    assert_eq!(diags[0].code, codes::PARKEXT_CONFLICT);
    insta::assert_snapshot!(render(&diags, &sources));
    assert_eq!(listing(&dp), "[parkedcalls] created by res_parking\n");
}

#[test]
fn overlapping_spaces_of_two_lots_in_one_context() {
    let (cfg, _) = config(
        "[default]\nparkext => 700\nparkpos => 701-709\n[sales]\nparkext => 800\nparkpos => 705-720\n",
    );
    let mut dp = Dialplan::new();
    let diags = register_extensions(&cfg, &mut dp).expect_err("conflict");
    assert_eq!(diags[0].code, codes::SPACE_CONFLICT);
    // sales registers first (bucket order), so default's 705 is the clash.
    assert!(
        diags[0].message.contains("space 705 of lot 'default'"),
        "{}",
        diags[0].message
    );
    assert!(
        diags[0].message.contains("ParkedCall by res_parking/sales"),
        "{}",
        diags[0].message
    );
    assert_eq!(asterisk_lines(&diags), [FAILED, WARN_LOADER, DECLINED]);
}

#[test]
fn separate_contexts_do_not_clash() {
    let (cfg, _) = config(
        "[default]\nparkext => 700\nparkpos => 701-709\n[sales]\nparkext => 700\ncontext => sales-park\nparkpos => 701-709\n",
    );
    let mut dp = Dialplan::new();
    assert_eq!(register_extensions(&cfg, &mut dp), Ok(()));
    assert_eq!(dp.priority_count(), 20);
}

#[test]
fn parkext_inside_its_own_range() {
    let (cfg, _) = config("[default]\nparkext => 701\nparkpos => 701-709\n");
    let mut dp = Dialplan::new();
    let diags = register_extensions(&cfg, &mut dp).expect_err("conflict");
    assert_eq!(diags[0].code, codes::SPACE_CONFLICT);
    assert_eq!(
        diags[0].message,
        "parking space 701 of lot 'default' is also a parking extension in 'parkedcalls'"
    );
}

#[test]
fn existing_hint_on_a_space() {
    let (cfg, sources) =
        config("[default]\nparkext => 700\nparkpos => 701-703\nparkinghints => yes\n");
    let mut dp = Dialplan::new();
    user_extension(&mut dp, "parkedcalls", "702", PRIORITY_HINT, "PJSIP/desk");
    let diags = register_extensions(&cfg, &mut dp).expect_err("conflict");
    assert_eq!(
        asterisk_lines(&diags),
        [
            "ERROR: res_parking.c: Parking lot 'default' -- Needs to add a hint 'park:702@parkedcalls' at '702@parkedcalls' but one already exists owned by pbx_config",
            FAILED,
            WARN_LOADER,
            DECLINED,
        ]
    );
    insta::assert_snapshot!(render(&diags, &sources));
}

#[test]
fn too_many_spaces_is_a_dialsim_limit() {
    let (cfg, _) = config("[default]\nparkext => 700\nparkpos => 1-2000000000\n");
    let mut dp = Dialplan::new();
    let diags = register_extensions(&cfg, &mut dp).expect_err("refused");
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].code, codes::TOO_MANY_SPACES);
    assert!(diags[0].asterisk.is_empty());
    assert_eq!(dp.contexts().len(), 0);
}

#[test]
fn remove_extensions_takes_everything_back() {
    let (cfg, _) = config("[default]\nparkext => 700\nparkpos => 701-703\nparkinghints => yes\n[sales]\nparkext => 800\nparkext_exclusive => yes\nparkpos => 801-802\n");
    let mut dp = Dialplan::new();
    user_extension(&mut dp, "parkedcalls", "s", 1, "NoOp");
    assert_eq!(register_extensions(&cfg, &mut dp), Ok(()));
    remove_extensions(&cfg, &mut dp);
    assert_eq!(
        listing(&dp),
        "[parkedcalls] created by pbx_config\n  s 1 NoOp() [pbx_config]\n"
    );
}

#[test]
fn registering_twice_replaces_the_first_registration() {
    let (cfg, _) = config(ORACLE_CONF);
    let mut dp = Dialplan::new();
    assert_eq!(register_extensions(&cfg, &mut dp), Ok(()));
    assert_eq!(register_extensions(&cfg, &mut dp), Ok(()));
    assert_eq!(dp.priority_count(), 10);
}
