//! The built-in functions, called as the dialplan calls them.

use super::set_variable;
use crate::expr::testing::TestCtx;
use crate::expr::{substitute, Effects, Origin};

fn run(ctx: &mut TestCtx, input: &str) -> (String, Vec<String>) {
    let r = substitute(input, ctx);
    (
        r.text,
        r.warnings.iter().map(|w| w.line.console()).collect(),
    )
}

fn text(input: &str) -> String {
    run(&mut TestCtx::new().var("X", "hello").var("E", ""), input).0
}

#[test]
fn isnull_exists_len() {
    assert_eq!(text("${ISNULL()}"), "1");
    assert_eq!(text("${ISNULL(${E})}"), "1");
    assert_eq!(text("${ISNULL(${X})}"), "0");
    assert_eq!(text("${ISNULL( )}"), "0");
    assert_eq!(text("${EXISTS(${X})}"), "1");
    assert_eq!(text("${EXISTS()}"), "0");
    assert_eq!(text("${LEN(${X})}"), "5");
    assert_eq!(text("${LEN(héllo)}"), "6");
}

#[test]
fn if_function() {
    let cases = [
        ("${IF(1?a:b)}", "a"),
        ("${IF(0?a:b)}", "b"),
        ("${IF(abc?a:b)}", "a"),
        ("${IF(0.5?a:b)}", "b"),
        ("${IF(0x1?a:b)}", "b"),
        ("${IF(1.5?a:b)}", "a"),
        ("${IF(0?a:b:c)}", "b:c"),
        ("${IF(1? a : b )}", "a"),
        ("${IF(1?a)}", "a"),
        ("${IF(0?a)}", ""),
        ("${IF(1?:b)}", ""),
        ("${IF(0?:b)}", "b"),
        ("${IF(1?)}", ""),
        ("${IF(1)}", ""),
        ("${IF(?a:b)}", ""),
        ("${IF( ?a:b)}", "b"),
        ("${IF(\"1\"?a:b)}", "a"),
        ("${IF(1?\"a,b\":c)}", "a,b"),
        ("${IF($[${X} = hello]?yes:no)}", "yes"),
    ];
    for (input, want) in cases {
        assert_eq!(text(input), want, "{input}");
    }
}

#[test]
fn set_and_global() {
    let mut c = TestCtx::new();
    let (t, logs) = run(&mut c, "${SET(A=1)}");
    assert_eq!((t.as_str(), logs.len()), ("1", 0));
    assert_eq!(c.vars.get("A").map(String::as_str), Some("1"));
    let (t, _) = run(&mut c, "${SET( B = two words )}");
    assert_eq!(t, "two words");
    assert_eq!(c.vars.get("B").map(String::as_str), Some("two words"));
    let (t, logs) = run(&mut c, "${SET(A)}");
    assert_eq!(t, "");
    assert_eq!(
        logs,
        ["WARNING: func_logic.c: Syntax SET(<varname>=[<value>])"]
    );
    let (t, logs) = run(&mut c, "${SET(GLOBAL(G)=x)}");
    assert_eq!(t, "x");
    assert_eq!(logs, ["  == Setting global variable 'G' to 'x'"]);
    assert_eq!(run(&mut c, "${GLOBAL(G)}").0, "x");
    assert_eq!(run(&mut c, "${GLOBAL(NOPE)}").0, "");

    let mut fx = Effects::new();
    set_variable(&mut c, "GLOBAL(H)", Some("y"), &mut fx);
    assert_eq!(c.globals.get("H").map(String::as_str), Some("y"));
    set_variable(&mut c, "LEN(x)", Some("y"), &mut fx);
    set_variable(&mut c, "NOPE(x)", Some("y"), &mut fx);
    let console: Vec<String> = fx.log.iter().map(|w| w.line.console()).collect();
    assert_eq!(
        console,
        [
            "  == Setting global variable 'H' to 'y'",
            "ERROR: pbx_functions.c: Function LEN cannot be written to",
            "ERROR: pbx_functions.c: Function NOPE not registered",
        ]
    );
}

#[test]
fn eval() {
    let mut c = TestCtx::new().var("X", "hello").var("T", "${X} world");
    assert_eq!(run(&mut c, "${EVAL(${T})}").0, "hello world");
    assert_eq!(run(&mut c, "${EVAL(${T}):0:5}").0, "hello");
    let (t, logs) = run(&mut c, "${EVAL()}");
    assert_eq!(t, "");
    assert_eq!(
        logs,
        ["WARNING: func_strings.c: EVAL requires an argument: EVAL(<string>)"]
    );
}

#[test]
fn callerid() {
    let mut c = TestCtx::new();
    assert_eq!(run(&mut c, "${CALLERID(name)}").0, "Alice");
    assert_eq!(run(&mut c, "${CALLERID(num)}").0, "1001");
    assert_eq!(run(&mut c, "${CALLERID(number)}").0, "1001");
    assert_eq!(run(&mut c, "${CALLERID(NUM)}").0, "1001");
    assert_eq!(run(&mut c, "${CALLERID(all)}").0, "\"Alice\" <1001>");
    assert_eq!(run(&mut c, "${CALLERID(name-valid)}").0, "1");
    assert_eq!(
        run(&mut c, "${CALLERID(all,\"Bob\" <2002>)}").0,
        "\"Bob\" <2002>"
    );
    assert_eq!(run(&mut c, "${CALLERID(name,Carol <3003>)}").0, "Carol");
    assert_eq!(run(&mut c, "${CALLERID(num,Carol <3003>)}").0, "3003");
    let (t, logs) = run(&mut c, "${CALLERID(bogus)}");
    assert_eq!(t, "");
    assert_eq!(
        logs,
        ["ERROR: func_callerid.c: Unknown callerid data type 'bogus'."]
    );

    let mut fx = Effects::new();
    set_variable(
        &mut c,
        "CALLERID(all)",
        Some("\"Dave D\" <(555) 010-9999>"),
        &mut fx,
    );
    assert_eq!(run(&mut c, "${CALLERID(all)}").0, "\"Dave D\" <5550109999>");
    set_variable(&mut c, "CALLERID(name)", Some("  Eve  "), &mut fx);
    assert_eq!(run(&mut c, "${CALLERID(name)}").0, "Eve");
    set_variable(&mut c, "CALLERID(num-valid)", Some("0"), &mut fx);
    assert_eq!(run(&mut c, "${CALLERID(all)}").0, "\"Eve\" <>");
    assert!(fx.log.is_empty());

    let r = substitute("${CALLERID(ani)}", &mut c);
    assert_eq!(r.text, "");
    assert_eq!(r.warnings[0].origin, Origin::Dialsim);
}

#[test]
fn channel() {
    let mut c = TestCtx::new();
    assert_eq!(run(&mut c, "${CHANNEL(name)}").0, "PJSIP/alice-00000001");
    assert_eq!(run(&mut c, "${CHANNEL(NAME)}").0, "PJSIP/alice-00000001");
    assert_eq!(run(&mut c, "${CHANNEL(language)}").0, "en");
    let (t, logs) = run(&mut c, "${CHANNEL(bogus)}");
    assert_eq!(t, "");
    assert_eq!(
        logs,
        ["WARNING: func_channel.c: Unknown or unavailable item requested: 'bogus'"]
    );
    let r = substitute("${CHANNEL(audionativeformat)}", &mut c);
    assert_eq!(r.warnings[0].origin, Origin::Dialsim);

    let mut fx = Effects::new();
    set_variable(&mut c, "CHANNEL(musicclass)", Some("jazz"), &mut fx);
    assert_eq!(run(&mut c, "${CHANNEL(musicclass)}").0, "jazz");
    set_variable(&mut c, "CHANNEL(name)", Some("x"), &mut fx);
    let console: Vec<String> = fx.log.iter().map(|w| w.line.console()).collect();
    assert_eq!(
        console,
        ["WARNING: func_channel.c: Unknown or unavailable item requested: 'name'"]
    );
}

#[test]
fn functions_inside_expressions() {
    let mut c = TestCtx::new().var("X", "hello");
    let (t, logs) = run(&mut c, "$[LEN(abc) + 1]");
    assert_eq!(t, "4");
    assert_eq!(
        logs,
        [
            "NOTICE: ast_expr2.y: argbuf allocated 4 bytes;",
            "NOTICE: ast_expr2.y: argbuf uses 3 bytes;",
        ]
    );
    let (t, logs) = run(&mut c, "$[NOPE(1)]");
    assert_eq!(t, "0");
    assert_eq!(
        logs,
        [
            "WARNING: ast_expr2.y: Hey! could not find func NOPE.",
            "ERROR: ast_expr2.y: Error! 'NOPE' doesn't appear to be an available function!",
        ]
    );
    let (t, logs) = run(&mut c, "$[LEN(1 + 1, x)]");
    assert_eq!(t, "3");
    assert_eq!(logs[0], "NOTICE: ast_expr2.y: argbuf allocated 28 bytes;");
}

fn run_with(vars: &[(&str, &str)], input: &str) -> (String, Vec<String>) {
    let mut c = TestCtx::new();
    for (k, v) in vars {
        c = c.var(k, v);
    }
    run(&mut c, input)
}

#[test]
fn cut_and_fields() {
    let v = [("L", "a-b-c-d"), ("C", "x,y,,z"), ("E", "")];
    let t = |s: &str| run_with(&v, s);
    assert_eq!(t("${CUT(L,,2)}").0, "b");
    assert_eq!(t("${CUT(L,-,2-3)}").0, "b-c");
    assert_eq!(t("${CUT(L,-,-2)}").0, "a-b");
    assert_eq!(t("${CUT(L,-,3-)}").0, "c-d");
    assert_eq!(t("${CUT(L,-,1&3)}").0, "a-c");
    assert_eq!(t("${CUT(C,\\,,3)}").0, "");
    assert_eq!(t("${CUT(C,\\,,4)}").0, "z");
    assert_eq!(t("${CUT(E,-,1)}").0, "");
    assert_eq!(
        t("${CUT(L,-,3&1)}"),
        (
            "c".to_string(),
            vec!["WARNING: func_cut.c: We're already past the field you wanted?".to_string()]
        )
    );
    assert_eq!(
        t("${CUT(L,-)}").1,
        ["ERROR: func_cut.c: Syntax: CUT(<varname>,<char-delim>,<range-spec>) - missing argument!"]
    );
    assert_eq!(
        t("${CUT(L,-,x)}").1,
        ["ERROR: func_cut.c: Usage: CUT(<varname>,<char-delim>,<range-spec>)"]
    );
    assert_eq!(t("${FIELDQTY(L,-)}").0, "4");
    assert_eq!(t("${FIELDQTY(C,\\,)}").0, "4");
    assert_eq!(t("${FIELDQTY(E,-)}").0, "0");
    assert_eq!(t("${FIELDQTY(L)}").0, "1");
    assert_eq!(t("${FIELDNUM(L,-,C)}").0, "3");
    assert_eq!(t("${FIELDNUM(L,-,q)}").0, "0");
    assert_eq!(
        t("${FIELDNUM(L,-)}").1,
        ["ERROR: func_strings.c: Usage: FIELDNUM(<listname>,<delimiter>,<fieldvalue>)"]
    );
    assert_eq!(t("${LISTFILTER(L,-,b)}").0, "a-c-d");
    assert_eq!(t("${SORT(a:3,b:1,c:2)}").0, "b,c,a");
}

#[test]
fn string_functions() {
    let v = [
        ("N", "(555) 123-4567"),
        ("S", "abc"),
        ("E", ""),
        ("P", "a{1"),
    ];
    let t = |s: &str| run_with(&v, s);
    assert_eq!(t("${FILTER(0-9,${N})}").0, "5551234567");
    assert_eq!(t("${FILTER(a-c,abcdef)}").0, "abc");
    assert_eq!(
        t("${FILTER(0-9)}").1,
        ["ERROR: func_strings.c: Usage: FILTER(<allowed-chars>,<string>)"]
    );
    assert_eq!(t("${REPLACE(N,()- )}").0, "5551234567");
    assert_eq!(t("${REPLACE(N,()- ,_)}").0, "_555__123_4567");
    assert_eq!(t("${REPLACE(E,a)}").0, "");
    assert_eq!(
        t("${REPLACE(N,)}").1,
        ["ERROR: func_strings.c: The characters to search for and the variable name must not be empty."]
    );
    assert_eq!(t("${STRREPLACE(N,5,x)}").0, "(xxx) 123-4x67");
    assert_eq!(t("${STRREPLACE(N,5,x,2)}").0, "(xx5) 123-4567");
    assert_eq!(
        t("${STRREPLACE(N,,x)}").1,
        ["ERROR: func_strings.c: No <find-string> specified"]
    );
    assert_eq!(t("${STRBETWEEN(S,-)}").0, "a-b-c");
    assert_eq!(
        t("${STRBETWEEN(S)}").1,
        ["ERROR: func_strings.c: Usage: STRBETWEEN(<varname>,<insert-string>)"]
    );
    assert_eq!(t("[${TRIM(  a b  )}]").0, "[a b]");
    assert_eq!(t("[${LTRIM(  a b  )}]").0, "[a b  ]");
    assert_eq!(t("[${RTRIM(  a b  )}]").0, "[  a b]");
    assert_eq!(t("${REGEX(\"^[0-9]+$\" 123)}").0, "1");
    assert_eq!(t("${REGEX(\"^[0-9]+$\" 12a)}").0, "0");
    assert_eq!(
        t("${REGEX(123)}").1,
        ["ERROR: func_strings.c: Unexpected arguments: should have been in the form '\"<regex>\" <string>'"]
    );
    assert_eq!(
        t("${REGEX(\"(\" x)}").1,
        ["ERROR: func_strings.c: Unexpected arguments: should have been in the form '\"<regex>\" <string>'"]
    );
    assert_eq!(
        t("${REGEX(\"${P}\" x)}").1,
        ["WARNING: func_strings.c: Malformed input REGEX(): Unmatched \\{"]
    );
    assert_eq!(t("${TOUPPER(aé1)}").0, "Aé1");
    assert_eq!(t("${TOLOWER(ABC)}").0, "abc");
    assert_eq!(t("${QUOTE(a\"b)}").0, "\"a\\\"b\"");
    assert_eq!(
        t("${QUOTE()}").1,
        ["WARNING: func_strings.c: No argument specified!"]
    );
    assert_eq!(t("${CSV_QUOTE(a\"b)}").0, "\"a\"\"b\"");
    assert_eq!(t("${KEYPADHASH(Alice)}").0, "25423");
    assert_eq!(t("${PASSTHRU(a,b)}").0, "a,b");
}

#[test]
fn lists_and_hashes() {
    let mut c = TestCtx::new().var("L", "a,b,c");
    assert_eq!(run(&mut c, "${SHIFT(L)}").0, "a");
    assert_eq!(c.vars["L"], "b,c");
    assert_eq!(run(&mut c, "${POP(L)}").0, "c");
    assert_eq!(c.vars["L"], "b");
    assert_eq!(run(&mut c, "${POP(L)}").0, "b");
    assert_eq!(c.vars["L"], "");
    assert_eq!(run(&mut c, "${POP(L)}").0, "");
    assert_eq!(
        run(&mut c, "${SHIFT()}").1,
        ["WARNING: func_strings.c: SHIFT requires a variable name"]
    );
    let mut fx = Effects::new();
    set_variable(&mut c, "PUSH(L)", Some("x"), &mut fx);
    set_variable(&mut c, "PUSH(L)", Some("y"), &mut fx);
    set_variable(&mut c, "UNSHIFT(L,-)", Some("w"), &mut fx);
    assert_eq!(c.vars["L"], "w-x,y");
    set_variable(&mut c, "HASH(h,k1)", Some("v1"), &mut fx);
    set_variable(&mut c, "HASH(h,k2)", Some("v2"), &mut fx);
    assert_eq!(run(&mut c, "${HASH(h,k2)}").0, "v2");
    assert_eq!(run(&mut c, "${HASHKEYS(h)}").0, "k1,k2");
    assert_eq!(run(&mut c, "${HASH(h)}").0, "v1,v2");
    set_variable(&mut c, "ARRAY(A,B,C)", Some("1,2"), &mut fx);
    assert_eq!(
        (
            c.vars["A"].as_str(),
            c.vars["B"].as_str(),
            c.vars["C"].as_str()
        ),
        ("1", "2", "")
    );
    assert!(fx.log.is_empty());
}

#[test]
fn math_functions() {
    let mut c = TestCtx::new().var("I", "41").var("B", "4x");
    let mut t = |s: &str| run(&mut c, s);
    assert_eq!(t("${MATH(3*4)}").0, "12.000000");
    assert_eq!(t("${MATH(3*4,i)}").0, "12");
    assert_eq!(t("${MATH(-3+-4,int)}").0, "-7");
    assert_eq!(t("${MATH(10/4)}").0, "2.500000");
    assert_eq!(t("${MATH(5>=5)}").0, "TRUE");
    assert_eq!(t("${MATH(255+0,h)}").0, "ff");
    assert_eq!(
        t("${MATH(3)}").1,
        ["WARNING: func_math.c: Supply all the parameters - just this once, please"]
    );
    assert_eq!(
        t("${MATH(a+1)}").1,
        ["WARNING: func_math.c: 'a' is not a valid number"]
    );
    assert_eq!(
        t("${MATH(1+1,q)}").1,
        ["WARNING: func_math.c: Unknown type of result requested 'q'."]
    );
    assert_eq!(
        t("${MATH()}").1,
        ["WARNING: func_math.c: Syntax: MATH(<number1><op><number 2>[,<type_of_result>]) - missing argument!"]
    );
    assert_eq!(t("${MIN(7,4)}").0, "4");
    assert_eq!(t("${MAX(7,4.5)}").0, "7");
    assert_eq!(t("${MAX(1.5,)}").0, "1.500000");
    assert_eq!(t("${ABS(-13)}").0, "13");
    assert_eq!(t("${DIGIT_SUM(859)}").0, "22");
    assert_eq!(t("${INC(I)}").0, "42");
    assert_eq!(t("${DEC(I)}").0, "41");
    assert_eq!(
        t("${INC(B)}").1,
        ["NOTICE: func_math.c: The content of ${B} is not a numeric value - bailing out!"]
    );
    assert_eq!(
        t("${INC(NOPE)}").1,
        ["NOTICE: func_math.c: Failed to obtain variable NOPE, bailing out"]
    );
}

/// Every function's argument rule (what `dialsim check` reads) is the check its `read` makes: an empty
/// argument is refused by each rule, and reading it logs exactly the rule's line and fails.
#[test]
fn argument_rules_match_the_reads() {
    let registry = super::FunctionRegistry::with_builtins();
    let mut checked = 0;
    for name in registry.names() {
        let Some(f) = registry.get(name) else {
            continue;
        };
        let Some(rule) = f.arg_rule() else { continue };
        assert!((rule.refused)(""), "{name}: an empty argument is refused");
        let mut fx = Effects::new();
        let r = f.read("", &mut TestCtx::new(), &mut fx);
        assert!(r.is_err(), "{name}: reading refused arguments fails");
        let first = fx
            .log
            .first()
            .map(|l| (l.line.level, l.line.source, l.line.text.clone()));
        assert_eq!(
            first,
            Some((rule.level, rule.source, rule.log.to_string())),
            "{name}"
        );
        checked += 1;
    }
    assert!(checked >= 19, "{checked} rules");
}

/// STRFTIME hands its format to glibc's strftime (funcs/func_strings.c acf_strftime → ast_strftime →
/// strftime): the GNU flags and widths work as on the Linux systems Asterisk 22 runs on.
#[test]
fn strftime_uses_glibc_flags() {
    let v: Vec<(&str, &str)> = Vec::new();
    let (out, log) = run_with(
        &v,
        "${STRFTIME(1699000000,UTC,%-d/%-m %-I:%M%P %_H|%^a|%5Y)}",
    );
    assert_eq!(out, "3/11 8:26am  8|FRI|02023");
    assert!(log.is_empty(), "{log:?}");
}

/// funcs/func_base64.c and funcs/func_uri.c through substitution: an empty BASE64 argument warns and
/// yields nothing; an empty URI argument is simply empty.
#[test]
fn base64_and_uri_functions() {
    let v = [("X", "a b")];
    let t = |s: &str| run_with(&v, s);
    assert_eq!(t("${BASE64_ENCODE(${X})}").0, "YSBi");
    assert_eq!(t("${BASE64_DECODE(YSBi)}").0, "a b");
    assert_eq!(t("${URIENCODE(${X}/?)}").0, "a%20b%2F%3F");
    assert_eq!(t("${URIDECODE(a%20b%2F)}").0, "a b/");
    assert_eq!(t("[${URIENCODE()}]"), ("[]".to_string(), vec![]));
    assert_eq!(
        t("[${BASE64_ENCODE()}]"),
        (
            "[]".to_string(),
            vec![
                "WARNING: func_base64.c: Syntax: BASE64_ENCODE(<data>) - missing argument!"
                    .to_string()
            ]
        )
    );
}

/// funcs/func_math.c reads its operands with `sscanf("%30lf")`, which in glibc takes hexadecimal
/// floating-point numbers too.
#[test]
fn math_reads_hex_operands() {
    let v: Vec<(&str, &str)> = Vec::new();
    assert_eq!(run_with(&v, "${MATH(0x10+1,i)}").0, "17");
    assert_eq!(run_with(&v, "${MATH(0x10+1,h)}").0, "11");
}

/// funcs/func_strings.c acf_strptime: `(int)` of ast_mktime of glibc's strptime on a zeroed struct tm
/// (values printed by glibc 2.36 for the same calls); `%p` used to panic.
#[test]
fn strptime_like_glibc() {
    let v: Vec<(&str, &str)> = Vec::new();
    assert_eq!(
        run_with(&v, "${STRPTIME(10:30 PM,UTC,%I:%M %p)}").0,
        "2085973096"
    );
    assert_eq!(
        run_with(&v, "${STRPTIME(2024 032,UTC,%Y %j)}").0,
        "1706745600"
    );
}
