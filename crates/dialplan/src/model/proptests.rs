//! Property tests: the matcher, the order and the lookup against naive references written here.
//!
//! - exact matching of a pattern equals a regular-expression translation of it;
//! - "can match" / "match more" equal "some (non-empty) continuation matches", computed naively;
//! - `ext_cmp` is a total preorder and agrees with a naive per-position key;
//! - a context's extensions are sorted whatever the insertion order, and a lookup returns the first
//!   extension in that order that matches and has the priority (checked by a linear walk).

use super::context::{NewPriority, Replace};
use super::dialplan::Dialplan;
use super::order::ext_cmp;
use super::pattern::{exten_key, Mode, Pattern};
use proptest::prelude::*;
use std::cmp::Ordering;

/// One position of a generated pattern.
#[derive(Clone, Debug)]
enum Gen {
    Lit(char),
    X,
    Z,
    N,
    Set(Vec<(char, char)>),
    Dash,
}

const ALPHABET: &[char] = &['0', '1', '2', '5', '9', 'a', '#', '*'];

fn gen_elem() -> impl Strategy<Value = Gen> {
    prop_oneof![
        4 => proptest::sample::select(ALPHABET).prop_map(Gen::Lit),
        2 => Just(Gen::X),
        1 => Just(Gen::Z),
        1 => Just(Gen::N),
        1 => Just(Gen::Dash),
        // Ranges are written low-high, so every set accepts something.
        2 => proptest::collection::vec(
            (proptest::sample::select(ALPHABET), proptest::sample::select(ALPHABET))
                .prop_map(|(a, b)| if a <= b { (a, b) } else { (b, a) }),
            1..3
        )
        .prop_map(Gen::Set),
    ]
}

/// A pattern text (without `_`) and its ending (`.`, `!` or nothing).
fn gen_pattern() -> impl Strategy<Value = (Vec<Gen>, Option<char>)> {
    (
        proptest::collection::vec(gen_elem(), 0..5),
        prop_oneof![3 => Just(None), 1 => Just(Some('.')), 1 => Just(Some('!'))],
    )
        .prop_filter("a pattern needs at least one position", |(v, end)| {
            v.iter().any(|g| !matches!(g, Gen::Dash)) || end.is_some()
        })
}

fn render(elems: &[Gen], end: Option<char>) -> String {
    let mut s = String::from("_");
    for e in elems {
        match e {
            Gen::Lit(c) => s.push(*c),
            Gen::X => s.push('X'),
            Gen::Z => s.push('z'),
            Gen::N => s.push('N'),
            Gen::Dash => s.push('-'),
            Gen::Set(items) => {
                s.push('[');
                for (a, b) in items {
                    if a == b {
                        s.push(*a);
                    } else {
                        s.push(*a);
                        s.push('-');
                        s.push(*b);
                    }
                }
                s.push(']');
            }
        }
    }
    if let Some(c) = end {
        s.push(c);
    }
    s
}

/// A naive class per position: which characters it accepts.
fn accepts(e: &Gen, c: char) -> Option<bool> {
    Some(match e {
        Gen::Lit(l) => *l == c,
        Gen::X => c.is_ascii_digit(),
        Gen::Z => ('1'..='9').contains(&c),
        Gen::N => ('2'..='9').contains(&c),
        Gen::Set(items) => items.iter().any(|(a, b)| *a <= c && c <= *b),
        Gen::Dash => return None,
    })
}

fn regex_of(elems: &[Gen], end: Option<char>) -> regex::Regex {
    let mut r = String::from("^");
    for e in elems {
        match e {
            Gen::Dash => {}
            other => {
                let alts: Vec<String> = (0u8..128)
                    .map(char::from)
                    .filter(|&c| c != '\n' && accepts(other, c) == Some(true))
                    .map(|c| regex::escape(&c.to_string()))
                    .collect();
                r.push_str(&format!("(?:{})", alts.join("|")));
            }
        }
    }
    match end {
        Some('.') => r.push_str(".+"),
        Some('!') => r.push_str(".*"),
        _ => {}
    }
    r.push('$');
    regex::Regex::new(&r).expect("generated regex is valid")
}

/// Naive: does some continuation (non-empty if `strict`) of `data` match?
fn extendable(elems: &[Gen], end: Option<char>, data: &[char], strict: bool) -> bool {
    let Some((first, rest)) = elems.split_first() else {
        // `.` and `!` accept any continuation; without them only the exact end does.
        return end.is_some() || (data.is_empty() && !strict);
    };
    if matches!(first, Gen::Dash) {
        return extendable(rest, end, data, strict);
    }
    match data.split_first() {
        None => true,
        Some((c, more)) => accepts(first, *c) == Some(true) && extendable(rest, end, more, strict),
    }
}

fn data_strategy() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![8 => proptest::sample::select(ALPHABET), 1 => Just('-')],
        0..7,
    )
    .prop_map(|v| v.into_iter().collect())
}

fn strip_dashes(s: &str) -> Vec<char> {
    s.chars().filter(|&c| c != '-').collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn exact_match_equals_regex((elems, end) in gen_pattern(), data in data_strategy()) {
        let text = render(&elems, end);
        let p = Pattern::new(&exten_key(&text));
        let plain: String = strip_dashes(&data).into_iter().collect();
        let want = regex_of(&elems, end).is_match(&plain);
        prop_assert_eq!(p.matches(&data), want, "pattern {} data {:?}", text, data);
    }

    #[test]
    fn partial_modes_equal_continuations((elems, end) in gen_pattern(), data in data_strategy()) {
        let text = render(&elems, end);
        let p = Pattern::new(&exten_key(&text));
        let d = strip_dashes(&data);
        prop_assert_eq!(
            p.test(&data, Mode::CanMatch).is_match(),
            extendable(&elems, end, &d, false),
            "canmatch {} {:?}", text, data
        );
        prop_assert_eq!(
            p.test(&data, Mode::MatchMore).is_match(),
            extendable(&elems, end, &d, true),
            "matchmore {} {:?}", text, data
        );
    }

    #[test]
    fn literal_names_match_without_dashes(name in "[0-9a-c-]{1,6}", data in "[0-9a-c-]{0,7}") {
        let p = Pattern::new(&exten_key(&name));
        let (n, d) = (strip_dashes(&name), strip_dashes(&data));
        prop_assert_eq!(p.matches(&data), n == d);
        prop_assert_eq!(p.test(&data, Mode::CanMatch).is_match(), n.starts_with(&d));
        prop_assert_eq!(p.test(&data, Mode::MatchMore).is_match(), n.starts_with(&d) && n.len() > d.len());
    }

    #[test]
    fn ext_cmp_is_a_total_preorder(a in name_strategy(), b in name_strategy(), c in name_strategy()) {
        let (a, b, c) = (exten_key(&a), exten_key(&b), exten_key(&c));
        prop_assert_eq!(ext_cmp(&a, &b), ext_cmp(&b, &a).reverse());
        if ext_cmp(&a, &b) != Ordering::Greater && ext_cmp(&b, &c) != Ordering::Greater {
            prop_assert_ne!(ext_cmp(&a, &c), Ordering::Greater, "{} {} {}", a, b, c);
        }
        prop_assert_eq!(ext_cmp(&a, &b), naive_cmp(&a, &b), "{} vs {}", a, b);
    }

    #[test]
    fn lookup_is_first_sorted_match_with_priority(
        entries in proptest::collection::vec((name_strategy(), 1..4i32), 1..12),
        data in data_strategy(),
        prio in 1..4i32,
    ) {
        let mut dp = Dialplan::new();
        dp.find_or_create_context("c", "t");
        for (i, (name, p)) in entries.iter().enumerate() {
            let app = format!("A{i}");
            let _ = dp.add_extension("c", NewPriority {
                exten: name, callerid: None, priority: *p, label: None,
                app: &app, data: "", registrar: "t", source: None,
            }, Replace::No);
        }
        let ctx = dp.context("c").unwrap();
        let exts = ctx.extensions();
        prop_assert!(exts.windows(2).all(|w| ext_cmp(w[0].pattern().key(), w[1].pattern().key()) == Ordering::Less));
        let want = exts.iter().find(|e| e.pattern().matches(&data) && e.priority(prio).is_some())
            .and_then(|e| e.priority(prio)).map(|p| p.app().to_string());
        let got = dp.find("c", &data, prio, None).map(|f| f.priority.app().to_string());
        prop_assert_eq!(got, want);
    }

    #[test]
    fn order_does_not_depend_on_insertion(names in proptest::collection::vec(name_strategy(), 1..10), seed in any::<u64>()) {
        let build = |order: &[String]| {
            let mut dp = Dialplan::new();
            dp.find_or_create_context("c", "t");
            for n in order {
                let _ = dp.add_extension("c", NewPriority {
                    exten: n, callerid: None, priority: 1, label: None,
                    app: "A", data: "", registrar: "t", source: None,
                }, Replace::No);
            }
            dp.context("c").unwrap().extensions().iter().map(|e| e.pattern().key().to_string()).collect::<Vec<_>>()
        };
        // Only names that are not aliases of each other: otherwise the first one added gives the name.
        let mut distinct: Vec<String> = Vec::new();
        for n in names {
            let k = exten_key(&n);
            if distinct.iter().all(|d| ext_cmp(&exten_key(d), &k) != Ordering::Equal) {
                distinct.push(n);
            }
        }
        let mut shuffled = distinct.clone();
        let len = shuffled.len();
        for i in 0..len {
            let j = ((seed >> (i % 60)) as usize ^ i.wrapping_mul(31)) % len;
            shuffled.swap(i, j);
        }
        prop_assert_eq!(build(&distinct), build(&shuffled));
    }
}

fn name_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9a-]{1,4}",
        gen_pattern().prop_map(|(e, end)| render(&e, end)),
    ]
}

/// A naive restatement of Asterisk's order, built from whole position lists.
fn naive_cmp(a: &str, b: &str) -> Ordering {
    match (a.starts_with('_'), b.starts_with('_')) {
        (false, true) => return Ordering::Less,
        (true, false) => return Ordering::Greater,
        (false, false) => {
            let x: Vec<i8> = a.bytes().filter(|&c| c != b'-').map(|c| c as i8).collect();
            let y: Vec<i8> = b.bytes().filter(|&c| c != b'-').map(|c| c as i8).collect();
            return x.cmp(&y);
        }
        (true, true) => {}
    }
    let (x, y) = (positions(&a[1..]), positions(&b[1..]));
    for (p, q) in x.iter().zip(y.iter()) {
        let o = p.0.cmp(&q.0).then_with(|| {
            // More members at lower byte values sort first.
            let first_diff = (0..256).find(|&i| p.1[i] != q.1[i]);
            match first_diff {
                None => Ordering::Equal,
                Some(i) if p.1[i] => Ordering::Less,
                Some(_) => Ordering::Greater,
            }
        });
        if o != Ordering::Equal {
            return o;
        }
    }
    x.len().cmp(&y.len())
}

/// (score, members) per position; the end of the pattern is a position too.
fn positions(p: &str) -> Vec<(u32, [bool; 256])> {
    let b = p.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        i += 1;
        let mut m = [false; 256];
        let score = match c {
            b'-' => continue,
            b'x' | b'X' | b'z' | b'Z' | b'n' | b'N' => {
                let lo = match c.to_ascii_uppercase() {
                    b'X' => b'0',
                    b'Z' => b'1',
                    _ => b'2',
                };
                for d in lo..=b'9' {
                    m[d as usize] = true;
                }
                ((b'9' - lo + 1) as u32) << 8 | lo as u32
            }
            b'.' => 0x18000,
            b'!' => 0x28000,
            b'[' => {
                let end = i + b[i..]
                    .iter()
                    .position(|&x| x == b']')
                    .unwrap_or(b.len() - i);
                let body = &b[i..end.min(b.len())];
                i = end + 1;
                let mut j = 0;
                while j < body.len() {
                    let (lo, hi) = if j + 2 < body.len() && body[j + 1] == b'-' {
                        j += 3;
                        (body[j - 3], body[j - 1])
                    } else {
                        j += 1;
                        (body[j - 1], body[j - 1])
                    };
                    for d in lo..=hi {
                        m[d as usize] = true;
                    }
                }
                let count = m.iter().filter(|&&x| x).count() as u32;
                if count == 0 {
                    continue;
                }
                count << 8 | set_min(body) as u32
            }
            other => {
                m[other as usize] = true;
                0x100 | other as u32
            }
        };
        out.push((score, m));
    }
    out.push((0x30000, [false; 256]));
    out
}

/// Asterisk takes the lowest *first character* of each set element (a reversed range still counts).
fn set_min(body: &[u8]) -> u8 {
    let mut j = 0;
    let mut min = 0xFF;
    while j < body.len() {
        min = min.min(body[j]);
        if j + 2 < body.len() && body[j + 1] == b'-' {
            j += 3;
        } else {
            j += 1;
        }
    }
    min
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// With a single extension there is nothing to choose between, so the new matcher agrees with the
    /// legacy one (for data that neither starts with `-` nor is empty, where the trie's reading differs).
    #[test]
    fn trie_agrees_with_legacy_on_one_extension(
        (elems, end) in gen_pattern(),
        data in data_strategy().prop_filter("trie edge cases", |d| !d.is_empty() && !d.starts_with('-')),
        literal in any::<bool>(),
    ) {
        let name = if literal { strip_dashes(&data).into_iter().collect() } else { render(&elems, end) };
        prop_assume!(!name.is_empty());
        let mut dp = Dialplan::new();
        dp.find_or_create_context("c", "t");
        let _ = dp.add_extension("c", NewPriority {
            exten: &name, callerid: None, priority: 1, label: None,
            app: "A", data: "", registrar: "t", source: None,
        }, Replace::No);
        let legacy = dp.find("c", &data, 1, None).is_some();
        dp.general.extenpatternmatchnew = true;
        let trie = dp.find("c", &data, 1, None).is_some();
        prop_assert_eq!(trie, legacy, "{} vs {:?}", name, data);
    }
}
