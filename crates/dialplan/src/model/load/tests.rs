//! Loader tests, on files read by the conf module from memory.

use super::*;
use crate::model::show::show_dialplan;
use crate::model::{NewPriority, Replace};

pub(crate) fn parse(sources: &mut SourceMap, files: &[(&str, &str)]) -> ConfFile {
    parse_text(sources, files).expect("the files load")
}

fn load(text: &str) -> (Dialplan, SourceMap, ExtensionsLoad) {
    let mut sources = SourceMap::new();
    let mut dp = Dialplan::new();
    let out =
        load_text(&mut dp, &mut sources, &[("extensions.conf", text)]).expect("the file loads");
    (dp, sources, out)
}

fn asterisk_lines(out: &ExtensionsLoad) -> Vec<String> {
    out.log.iter().map(|l| l.console()).collect()
}

/// res_parking's registrations for lot `default` (700, 701-709 in `parkedcalls`), as it makes them.
fn register_parking(dp: &mut Dialplan) {
    dp.find_or_create_context("parkedcalls", "res_parking");
    let mut add = |exten: &str, app: &str, data: &str, registrar: &str| {
        dp.add_extension(
            "parkedcalls",
            NewPriority {
                exten,
                callerid: None,
                priority: 1,
                label: None,
                app,
                data,
                registrar,
                source: None,
            },
            Replace::No,
        )
        .unwrap();
    };
    add("700", "Park", "", "res_parking");
    for s in 701..=709 {
        let exten = s.to_string();
        add(
            &exten,
            "ParkedCall",
            &format!("default,{s}"),
            "res_parking/default",
        );
    }
}

/// The oracle run's extensions.conf (the page's first example), as the repository keeps it.
const ORACLE: &str = include_str!("../../../../../tests/data/oracle-example-1/extensions.conf");

#[test]
fn oracle_example_dialplan_show() {
    let mut sources = SourceMap::new();
    let conf = parse(&mut sources, &[("extensions.conf", ORACLE)]);
    let mut dp = Dialplan::new();
    register_parking(&mut dp);
    let out = load_extensions_with(&mut dp, &conf, &sources, &GlobalsOnly);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let expected = "[ Context 'parkedcalls' created by 'res_parking/default' ]
  '700' =>          1. Park()                                     [res_parking]
  '701' =>          1. ParkedCall(default,701)                    [res_parking/default]
  '702' =>          1. ParkedCall(default,702)                    [res_parking/default]
  '703' =>          1. ParkedCall(default,703)                    [res_parking/default]
  '704' =>          1. ParkedCall(default,704)                    [res_parking/default]
  '705' =>          1. ParkedCall(default,705)                    [res_parking/default]
  '706' =>          1. ParkedCall(default,706)                    [res_parking/default]
  '707' =>          1. ParkedCall(default,707)                    [res_parking/default]
  '708' =>          1. ParkedCall(default,708)                    [res_parking/default]
  '709' =>          1. ParkedCall(default,709)                    [res_parking/default]

[ Context 'from-outside' created by 'pbx_config' ]
  '5555001' =>      1. NoOp(Route to a local extension.)          [extensions.conf:16]
                    2. Dial(Local/alice@parking-example/n,,k)     [extensions.conf:17]
                    3. Hangup()                                   [extensions.conf:18]

[ Context 'parking-example' created by 'pbx_config' ]
  'alice' =>        1. NoOp(Handles calls to alice.)              [extensions.conf:7]
                    2. Answer()                                   [extensions.conf:8]
                    3. Playback(hello-world)                      [extensions.conf:9]
                    4. SendDTMF(#72w)                             [extensions.conf:10]
                    5. Goto(parkedcalls,701,1)                    [extensions.conf:11]
                    6. Playback(vm-goodbye)                       [extensions.conf:12]
                    7. Hangup()                                   [extensions.conf:13]
  Include =>        'parkedcalls'                                 [pbx_config]

-= 12 extensions (20 priorities) in 3 contexts. =-
";
    assert_eq!(show_dialplan(&dp, &sources, None).unwrap(), expected);
    let parked = show_dialplan(&dp, &sources, Some("parkedcalls")).unwrap();
    assert!(parked.ends_with("-= 10 extensions (10 priorities) in 1 context. =-\n"));
    assert_eq!(
        show_dialplan(&dp, &sources, Some("park-dial")).unwrap_err(),
        "There is no existence of 'park-dial' context\nCommand 'dialplan show park-dial' failed.\n"
    );
    assert_eq!(
        asterisk_lines(&out),
        ["  == Setting global variable '5001' to 'alice'"]
    );
    assert_eq!(dp.globals.get("5001"), Some("alice"));
}

#[test]
fn without_extensions_conf_parkedcalls_keeps_res_parking() {
    let mut dp = Dialplan::new();
    register_parking(&mut dp);
    let sources = SourceMap::new();
    let shown = show_dialplan(&dp, &sources, Some("parkedcalls")).unwrap();
    assert!(shown.starts_with("[ Context 'parkedcalls' created by 'res_parking' ]\n"));
}

#[test]
fn priorities_n_same_labels_and_offsets() {
    let (dp, _, out) = load(
        "[c]
exten => 1,1,A()
 same => n+2,B()
 same => n(lab)+2,C()
 same => lab+2,D()
 same => s,E()
exten => 2,hint,PJSIP/2
 same => n,Zero()
 same => 3,F()
",
    );
    let nums: Vec<(i32, &str)> = dp
        .context("c")
        .unwrap()
        .extensions()
        .iter()
        .flat_map(|e| e.priorities().iter().map(|p| (p.number(), p.app())))
        .collect();
    assert_eq!(
        nums,
        [
            (1, "A"),
            (4, "B"),
            (5, "C"),
            (7, "D"),
            (-1, "PJSIP/2"),
            (3, "F")
        ]
    );
    let codes: Vec<&str> = out.diagnostics.iter().map(|d| d.code.0).collect();
    // `s` after 7 is 7 again: already in use.
    assert_eq!(codes, ["ext/priority-in-use", "ext/priority-zero"]);
    assert_eq!(
        asterisk_lines(&out),
        [
            "WARNING: pbx.c: Unable to register extension '1' priority 7 in 'c', already in use",
            "WARNING: pbx_config.c: Unable to register extension at line 6 of extensions.conf",
        ]
    );
}

#[test]
fn line_errors_have_asterisk_texts() {
    let (dp, _, out) = load(
        "[c]
same => n,A()
exten => 1,n,A()
exten => 1,s,A()
exten => 1,x,A()
exten => 1,0,A()
exten => 1,n(lab,A()
exten => 1,1,Dial(foo
exten => 1,2,Dial(a(b)c)d
exten => _.,1,NoOp()
exten => _!,1,NoOp()
foo => bar
exten => _[0-9]XX,1,A()
exten => _XXX,1,B()
exten => 1,2(y),A()
exten => 1,4(x),A()
exten => 1,5(x),A()
",
    );
    let lines = asterisk_lines(&out);
    let expected = [
        "ERROR: pbx_config.c: No previous pattern in the first entry of context 'c' to match 'same' at line 2 of extensions.conf!",
        "WARNING: pbx_config.c: Can't use 'next' priority on the first entry at line 3 of extensions.conf!",
        "WARNING: pbx_config.c: Can't use 'same' priority on the first entry at line 4 of extensions.conf!",
        "WARNING: pbx_config.c: Invalid priority/label 'x' at line 5 of extensions.conf",
        "WARNING: pbx_config.c: Invalid priority '0' at line 6 of extensions.conf",
        "WARNING: pbx_config.c: Label missing trailing ')' at line 7 of extensions.conf",
        "WARNING: pbx_config.c: No closing parenthesis found? 'Dial(foo' at line 8 of extensions.conf",
        "WARNING: pbx_config.c: The use of '_.' for an extension is strongly discouraged and can have unexpected behavior.  Please use '_X.' instead at line 10 of extensions.conf",
        "WARNING: pbx_config.c: The use of '_!' for an extension is strongly discouraged and can have unexpected behavior.  Please use '_X!' instead at line 11 of extensions.conf",
        "WARNING: pbx_config.c: ==!!== Unknown directive: foo at line 12 of extensions.conf -- IGNORING!!!",
        "WARNING: pbx.c: Unable to register extension '_XXX' priority 1 in 'c', already in use by aliased extension '_[0-9]XX'",
        "WARNING: pbx_config.c: Unable to register extension at line 14 of extensions.conf",
        "WARNING: pbx.c: Unable to register extension '1' priority 2 in 'c', already in use",
        "WARNING: pbx_config.c: Unable to register extension at line 15 of extensions.conf",
        "WARNING: pbx.c: Extension '1' priority 5 in 'c', label 'x' already in use at priority 4",
    ];
    assert_eq!(lines, expected);
    let c = dp.context("c").unwrap();
    let one = c.extensions().iter().find(|e| e.name() == "1").unwrap();
    assert_eq!(one.priority(1).map(|p| p.data()), Some("foo"));
    assert_eq!(one.priority(2).map(|p| p.data()), Some("a(b)c"));
    assert_eq!(one.priority(5).and_then(|p| p.label()), None);
}

#[test]
fn application_and_data_split() {
    let (dp, _, _) = load(
        "[c]
exten => 1,1,Dial,PJSIP/a
exten => 1,2, Set(A=(1)) x
exten => 1,3,${APP}(x)
exten => 1,hint,Custom:x(y)
exten => 7,hint,PJSIP/${EXTEN}&Custom:${CONTEXT}
exten => a b-c,1,NoOp()
exten => _1[ 2,]/555-12 (34),1,NoOp()
",
    );
    let c = dp.context("c").unwrap();
    let e = &c.extensions()[0];
    let p: Vec<(&str, &str)> = e.priorities().iter().map(|p| (p.app(), p.data())).collect();
    assert_eq!(
        p,
        [
            ("Custom:x", "y"),
            ("Dial,PJSIP/a", ""),
            ("Set", "A=(1)"),
            ("${APP}(x)", "")
        ]
    );
    assert_eq!(
        c.extensions()[1].hint().map(|h| h.app()),
        Some("PJSIP/7&Custom:c")
    );
    let c_names: Vec<&str> = c.extensions().iter().map(|e| e.name()).collect();
    assert_eq!(c_names, ["1", "7", "ab-c", "_1[ 2,]"]);
    let c_ext = |i: usize| &c.extensions()[i];
    assert_eq!(c_ext(2).name(), "ab-c");
    assert!(c_ext(2).pattern().matches("abc"));
    let cid = c_ext(3);
    assert_eq!(cid.name(), "_1[ 2,]");
    assert_eq!(cid.callerid().map(|c| c.text()), Some("5551234"));
}

#[test]
fn includes_ignorepats_switches_and_missing_targets() {
    let (dp, sources, out) = load(
        "[a]
include => b
include => B
include => nowhere
include => gone
include => b,09:00-17:00,mon-fri,*,*
ignorepat => 9
ignorepat => 9
switch => IAX2/user@peer/${EXTEN}
eswitch => IAX2/other
switch => IAX2/user@peer/${EXTEN}
autohints => yes
[b]
exten => 1,1,NoOp()
",
    );
    let lines = asterisk_lines(&out);
    // `switch` expands at load, without a channel: `${EXTEN}` is empty there.
    assert_eq!(
        lines,
        [
            "WARNING: pbx_config.c: Context 'B' already included in 'a' context on include at line 3 of extensions.conf",
            "WARNING: pbx_config.c: Unable to include ignorepat '9' in context 'a' at line 8 of extensions.conf",
            "    -- Including switch 'IAX2/user@peer/' in context 'a'",
            "    -- Including switch 'IAX2/other' in context 'a'",
            "WARNING: pbx_config.c: Unable to include switch 'IAX2/user@peer/${EXTEN}' in context 'a' at line 11 of extensions.conf",
            "WARNING: pbx.c: Context 'a' tries to include nonexistent context 'nowhere'",
        ]
    );
    let a = dp.context("a").unwrap();
    assert_eq!(a.includes()[3].timing(), Some("09:00-17:00,mon-fri,*,*"));
    assert!(a.autohints());
    let shown = show_dialplan(&dp, &sources, Some("a")).unwrap();
    assert_eq!(
        shown,
        "[ Context 'a' created by 'pbx_config' ]
Autohints support enabled
  Include =>        'b'                                           [pbx_config]
  Include =>        'nowhere'                                     [pbx_config]
  Include =>        'gone'                                        [pbx_config]
  Include =>        'b,09:00-17:00,mon-fri,*,*'                   [pbx_config]
  Ignore pattern => '9'                                           [pbx_config]
  Alt. Switch =>    'IAX2/user@peer/'                             [pbx_config]
  Alt. Switch =>    'IAX2/other'                                  [pbx_config]

-= 0 extensions (0 priorities) in 1 context. =-
"
    );
}

#[test]
fn general_options() {
    let (dp, _, _) = load(
        "[general]
static=yes
autofallthrough=no
extenpatternmatchnew=yes
clearglobalvars=on
[General]
autofallthrough=yes
",
    );
    assert!(dp.general.static_config);
    assert!(!dp.general.autofallthrough);
    assert!(dp.general.extenpatternmatchnew);
    assert!(dp.general.clearglobalvars);
    assert_eq!(dp.general.userscontext, "default");
    assert!(dp.contexts().next().is_none(), "[General] is not a context");
}

#[test]
fn extension_show_with_includes() {
    let (dp, sources, _) = load(
        "[a]
include => b
exten => 1,1,NoOp(a)
 same => n(x),NoOp(b)
[b]
exten => _1,1,NoOp(c)
exten => 1/5,1,NoOp(d)
",
    );
    // The including context's blank line comes after the included one's block, as in Asterisk.
    let shown = show_dialplan(&dp, &sources, Some("1@a")).unwrap();
    assert_eq!(
        shown,
        "[ Context 'a' created by 'pbx_config' ]
  '1' =>            1. NoOp(a)                                    [extensions.conf:3]
     [x]            2. NoOp(b)                                    [extensions.conf:4]
[ Included context 'b' created by 'pbx_config' ]
  '1' (CID match '5') =>  1. NoOp(d)                                    [extensions.conf:7]
  '_1' =>           1. NoOp(c)                                    [extensions.conf:6]


-= 3 extensions (4 priorities) in 2 contexts. =-
"
    );
    assert_eq!(
        show_dialplan(&dp, &sources, Some("9@a")).unwrap_err(),
        "There is no existence of 9@a extension\nCommand 'dialplan show 9@a' failed.\n"
    );
}

#[test]
fn user_context_of_the_same_name_keeps_pbx_config_and_conflicts_warn() {
    let mut sources = SourceMap::new();
    let conf = parse(
        &mut sources,
        &[(
            "extensions.conf",
            "[parkedcalls]
exten => 701,1,NoOp(mine)
exten => 701,2,NoOp(mine too)
",
        )],
    );
    let mut dp = Dialplan::new();
    register_parking(&mut dp);
    let out = load_extensions_with(&mut dp, &conf, &sources, &GlobalsOnly);
    let c = dp.context("parkedcalls").unwrap();
    assert_eq!(c.registrar(), "pbx_config");
    assert_eq!(c.extensions().len(), 10);
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(out.diagnostics[0].code, MERGE_CONFLICT);
    assert_eq!(
        asterisk_lines(&out),
        ["WARNING: pbx.c: Unable to register extension '701' priority 1 in 'parkedcalls', already in use"]
    );
}

#[test]
fn declined_and_helpers() {
    let d = declined(FileStatus::Invalid).unwrap();
    assert_eq!(
        d.asterisk[0].console(),
        "ERROR: loader.c: pbx_config declined to load."
    );
    assert!(declined(FileStatus::Loaded).is_none());
    assert_eq!(pbx_strsep("_[1,2],1,x"), ("_[1,2]", Some("1,x")));
    assert_eq!(pbx_strsep("a\\,b,1"), ("a\\,b", Some("1")));
    assert_eq!(scan_int(" 12abc"), Some(12));
    assert_eq!(scan_int("-3"), Some(-3));
    assert_eq!(scan_int("abc"), None);
    assert!(ast_true(Some("On")));
    assert!(!ast_true(Some("nope")));
    assert!(!ast_true(None));
}

#[test]
fn included_file_names_in_messages_and_show() {
    let mut sources = SourceMap::new();
    let conf = parse(
        &mut sources,
        &[
            (
                "extensions.conf",
                "[a]\nexten => 1,1,NoOp()\n#include sub/more.conf\n",
            ),
            (
                "sub/more.conf",
                "exten => 1,1,NoOp(again)\nexten => 2,1,NoOp(more)\n",
            ),
        ],
    );
    let mut dp = Dialplan::new();
    let out = load_extensions_with(&mut dp, &conf, &sources, &GlobalsOnly);
    assert_eq!(
        asterisk_lines(&out),
        [
            "WARNING: pbx.c: Unable to register extension '1' priority 1 in 'a', already in use",
            "WARNING: pbx_config.c: Unable to register extension at line 1 of /etc/asterisk/sub/more.conf",
        ]
    );
    let shown = show_dialplan(&dp, &sources, Some("a")).unwrap();
    assert!(shown.contains("[more.conf:2]"), "{shown}");
    assert!(shown.contains("[extensions.conf:2]"), "{shown}");
}

#[test]
fn codes_are_listed_once_with_their_area() {
    let mut seen = std::collections::BTreeSet::new();
    for c in CODES {
        assert!(c.code.0.starts_with("ext/"), "{}", c.code);
        assert!(seen.insert(c.code.0), "{} listed twice", c.code);
        assert!(!c.summary.is_empty());
    }
    // Every code this module's source mentions is listed.
    let src = include_str!("../load.rs");
    for (i, _) in src.match_indices("Code(\"ext/") {
        let rest = &src[i + 6..];
        let code = &rest[..rest.find('"').unwrap_or(0)];
        assert!(seen.contains(code), "{code} is not in CODES");
    }
}

#[test]
fn unknown_label_in_a_context_with_includes_hits_the_stack_limit() {
    let (_, _, out) = load(
        "[c]
include => d
exten => 1,1,NoOp()
exten => 1,nolabel,NoOp()
[d]
",
    );
    assert_eq!(
        asterisk_lines(&out),
        [
            "WARNING: pbx.c: Maximum PBX stack (512) exceeded. Too many includes?",
            "WARNING: pbx_config.c: Invalid priority/label 'nolabel' at line 4 of extensions.conf",
        ]
    );
}

#[test]
fn fall_through_both_ways_and_across_includes() {
    let (dp, _, _) = load(
        "[c]
include => d
exten => 100,2,Lit2()
exten => _1XX,1,Pat1()
exten => 101,1,Lit101()
[d]
exten => 101,2,Inc2()
",
    );
    let app = |e: &str, p: i32| {
        dp.find("c", e, p, None)
            .map(|f| f.priority.app().to_string())
    };
    assert_eq!(app("100", 1).as_deref(), Some("Pat1"));
    assert_eq!(app("100", 2).as_deref(), Some("Lit2"));
    assert_eq!(app("101", 2).as_deref(), Some("Inc2"));
    let found = dp.find("c", "101", 2, None).unwrap();
    assert_eq!(found.context.name(), "d");
}

#[test]
fn reload_keeps_other_registrars_and_clears_globals_when_asked() {
    let mut sources = SourceMap::new();
    let first = parse(
        &mut sources,
        &[(
            "extensions.conf",
            "[general]\nclearglobalvars=yes\n[globals]\nA=1\n[gone]\nexten => 1,1,NoOp()\n[kept]\nexten => 1,1,NoOp()\n",
        )],
    );
    let mut dp = Dialplan::new();
    register_parking(&mut dp);
    dp.find_or_create_context("park-dial", "res_parking");
    let _ = load_extensions(&mut dp, &first, &sources);
    let order: Vec<&str> = dp.contexts().map(|c| c.name()).collect();
    // Old contexts are merged newest first, each prepended: their relative order flips.
    assert_eq!(order, ["parkedcalls", "park-dial", "kept", "gone"]);
    let second = parse(
        &mut sources,
        &[("extensions.conf", "[kept]\nexten => 2,1,NoOp()\n")],
    );
    let out = reload_extensions(
        &mut dp,
        FileStatus::Loaded,
        Some(&second),
        &sources,
        &GlobalsOnly,
    );
    assert!(out.diagnostics.is_empty());
    let order: Vec<&str> = dp.contexts().map(|c| c.name()).collect();
    assert_eq!(order, ["park-dial", "parkedcalls", "kept"]);
    // The first merge re-added the lot's priorities newest first, so now `700` (registrar `res_parking`)
    // is the newest and gives the re-created context its registrar: it alternates on every reload.
    assert_eq!(
        dp.context("parkedcalls").unwrap().registrar(),
        "res_parking"
    );
    assert_eq!(dp.globals.get("A"), None);
    assert!(!dp.general.clearglobalvars);
    // A file the parser rejected keeps the old dialplan.
    let _ = reload_extensions(&mut dp, FileStatus::Invalid, None, &sources, &GlobalsOnly);
    assert!(dp.context("kept").is_some());
}

/// Loading from an owned file (its items freed section by section) gives the same dialplan and the same
/// diagnostics as loading from a borrowed one, templates, globals, errors and all.
#[test]
fn owned_load_matches_borrowed_load() {
    let text = "[general]\nstatic=yes\nautofallthrough=no\n[globals]\nX=1\nY=${X}2\n\
                [tpl](!)\nexten => t,1,NoOp(template)\n\
                [a](tpl)\nexten => 1,1,NoOp(${Y})\n same => n(l),Goto(b,2,1)\n same => n,Hangup()\n\
                exten => 1,2,NoOp(again)\nsame => n,Wait(1)\nbogus => 1\ninclude => b\ninclude => nowhere\n\
                [b]\nexten => _2X,1,Answer()\nexten => 2,hint,PJSIP/2\nexten => 2,1,Dial(PJSIP/2)\n";
    let mut sources = SourceMap::new();
    let conf = parse(&mut sources, &[("extensions.conf", text)]);
    let mut borrowed = Dialplan::new();
    register_parking(&mut borrowed);
    let mut owned = Dialplan::new();
    register_parking(&mut owned);
    let from_borrowed = load_extensions(&mut borrowed, &conf, &sources);
    let from_owned = load_extensions_owned(&mut owned, conf, &sources);
    let codes = |d: &[Diagnostic]| -> Vec<String> {
        d.iter()
            .map(|d| format!("{} {} {:?}", d.code, d.message, d.span))
            .collect()
    };
    assert_eq!(codes(&from_borrowed), codes(&from_owned));
    assert!(!from_owned.is_empty());
    assert_eq!(
        show_dialplan(&borrowed, &sources, None),
        show_dialplan(&owned, &sources, None)
    );
    assert_eq!(borrowed.globals.get("Y"), owned.globals.get("Y"));
    assert_eq!(
        borrowed.general.autofallthrough,
        owned.general.autofallthrough
    );
}

#[test]
fn line_kinds_by_word_equal_the_plain_comparison() {
    let keys = [
        "same",
        "SAME",
        "Same",
        "samex",
        "sam",
        "sAMe2",
        "exten",
        "EXTEN",
        "eXtEn",
        "exte",
        "extens",
        "extenn",
        "exteN",
        "Exte\u{e9}",
        "EXT",
        "include",
        "ignorepat",
        "switch",
        "lswitch",
        "eswitch",
        "autohints",
        "",
        "s",
        "\u{5a1}me",
        "SaMe\u{e9}",
        "3ame",
        "exte\u{0e}",
        "exten ",
        "s@me",
        "sAm\u{45}",
    ];
    for key in keys {
        assert_eq!(LineKind::of(key), LineKind::of_other(key), "{key:?}");
    }
    // Every byte in each position of the two fast words.
    for word in ["same", "exten"] {
        for pos in 0..word.len() {
            for byte in 0u8..128 {
                let mut k = word.as_bytes().to_vec();
                k[pos] = byte;
                let key = String::from_utf8(k).unwrap_or_default();
                assert_eq!(LineKind::of(&key), LineKind::of_other(&key), "{key:?}");
            }
        }
    }
}
