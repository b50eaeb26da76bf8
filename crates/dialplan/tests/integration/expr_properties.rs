//! Property tests of the substitution engine and the `$[...]` evaluator: no input makes them panic, text
//! without `${`/`$[` comes back unchanged, and deep nesting or enormous values give Asterisk's error (or a
//! bounded result), never a stack overflow.

use dialplan::expr::functions::NoFunctions;
use dialplan::expr::{evaluate, substitute};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn substitution_never_panics(s in "[ -~]{0,200}") {
        let _ = substitute(&s, &mut NoFunctions);
    }

    #[test]
    fn substitution_with_structure_never_panics(s in r"(\$\{|\$\[|[}\]():,?a-zA-Z0-9=+*/%&|!<>-]|LEN\(|CUT\(|IF\(){0,60}") {
        let _ = substitute(&s, &mut NoFunctions);
    }

    #[test]
    fn evaluation_never_panics(s in r"([0-9a-z .:=~<>!|&?()+*/%-]|\x22){0,120}") {
        let _ = evaluate(&s);
    }

    #[test]
    fn text_without_substitutions_is_the_identity(s in "[^$]{0,300}|[a-z $]{0,100}") {
        prop_assume!(!s.contains("${") && !s.contains("$["));
        let out = substitute(&s, &mut NoFunctions);
        prop_assert_eq!(out.text, s);
        prop_assert!(out.warnings.is_empty());
    }
}

#[test]
fn ten_thousand_nested_variables_stop_at_the_recursion_limit() {
    let n = 10_000;
    let text = format!("{}X{}", "${".repeat(n), "}".repeat(n));
    let out = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || substitute(&text, &mut NoFunctions))
        .expect("thread")
        .join()
        .expect("no stack overflow");
    assert_eq!(out.text, "");
    assert!(out.warnings.iter().any(|w| w
        .line
        .text
        .contains("Exceeded maximum variable substitution recursion depth (15)")));
}

#[test]
fn ten_thousand_nested_parentheses_evaluate_or_fail_cleanly() {
    let n = 10_000;
    let expr = format!("{}1{}", "(".repeat(n), ")".repeat(n));
    let out = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || evaluate(&expr))
        .expect("thread")
        .join()
        .expect("no stack overflow");
    // Either the value, or a clean error line; never a crash.
    assert!(
        out.value == "1" || !out.warnings.is_empty(),
        "{:?}",
        out.value
    );
    let text = format!("$[{}1{}]", "(".repeat(n), ")".repeat(n));
    let out = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || substitute(&text, &mut NoFunctions))
        .expect("thread")
        .join()
        .expect("no stack overflow");
    assert!(out.text == "1" || !out.warnings.is_empty());
}

#[test]
fn enormous_values_are_bounded() {
    let big = "x".repeat(1_000_000);
    let out = substitute(&format!("{big}${{LEN({big})}}"), &mut NoFunctions);
    // An application's argument holds 8191 bytes, as in Asterisk.
    assert!(out.text.len() <= 8191);
    let out = evaluate(&format!("{} + 1", "9".repeat(100_000)));
    assert!(!out.value.is_empty() || !out.warnings.is_empty());
}
