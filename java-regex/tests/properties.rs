//! Properties of the matcher on arbitrary input: compiling and searching never
//! panic, runaway patterns stop with Java's `StackOverflowError`, and a pattern of plain
//! letters finds exactly what `str::find` finds.

use java_regex::JavaRegex;
use proptest::prelude::*;

/// Pattern soup: metacharacters, escapes, classes, groups, quantifiers and some letters.
fn pattern() -> impl Strategy<Value = String> {
    // Space-separated; `␠` stands for a space.
    const ATOMS: &str = r"a b é 😀 . ^ $ | ( ) (?: (?= (?! (?<= (?<! (?> (?<n> \k<n> [ ] [^ && - * + ?
        {2} {1,3} {2,} *? ++ \1 \2 \b \B \G \A \z \Z \d \w \s \R \p{L} \P{Lu} \p{IsLatin}
        \p{InGreek} \Q \E (?i) (?u) (?m) (?s) (?x) (?U) (?d) # ␠ \ \x{41} \u00e9 \0101";
    let atoms: Vec<String> = ATOMS
        .split_whitespace()
        .map(|a| a.replace('␠', " "))
        .collect();
    let atoms = prop::sample::select(atoms);
    prop::collection::vec(atoms, 0..14).prop_map(|v| v.concat())
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "a", "b", "ab", "é", "É", "😀", " ", "\n", "\r\n", "1", "_",
        ]),
        0..16,
    )
    .prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn never_panics(p in pattern(), t in text(), limit in -1i32..4) {
        if let Ok(re) = JavaRegex::new(&p) {
            let _ = re.matches(&t);
            let _ = re.find_all(&t);
            let _ = re.split(&t, limit);
            let _ = re.replace(&t, "<$0>", true);
            if let Ok(all) = re.find_all(&t) {
                for (s, e) in all {
                    prop_assert!(s <= e && e <= t.len());
                    prop_assert!(t.is_char_boundary(s) && t.is_char_boundary(e));
                }
            }
        }
    }

    #[test]
    fn literal_patterns_find_like_str(p in "[ab]{1,4}", t in "[ab ]{0,20}") {
        let re = JavaRegex::new(&p).unwrap();
        prop_assert_eq!(re.find_at(&t, 0).unwrap().map(|(s, _)| s), t.find(&p));
        prop_assert_eq!(re.matches(&t).unwrap(), t == p);
    }
}

#[test]
fn runaway_backtracking_is_a_stack_overflow() {
    // A bounded loop: Java does not remember failed positions there (it does for unbounded
    // greedy loops such as `(a|a)*`), so both engines face 2^40 paths.
    let re = JavaRegex::new("(?:a|a){0,1000}b").unwrap();
    let text = "a".repeat(40);
    let err = re.find_all(&text).unwrap_err();
    assert_eq!(err.class, "java.lang.StackOverflowError");
    // Still fine where Java is: a match is found without exploring everything.
    assert_eq!(re.find_all(&format!("{text}b")).unwrap(), vec![(0, 41)]);
    // Java's memo of failed loop positions keeps the unbounded form linear.
    let re = JavaRegex::new("(a|a)*b").unwrap();
    assert_eq!(re.find_all(&"a".repeat(5000)).unwrap(), vec![]);
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = "(".repeat(100_000);
    let err = JavaRegex::new(&deep).unwrap_err();
    assert_eq!(err.class, "java.util.regex.PatternSyntaxException");
    let classes = "[".repeat(100_000);
    assert!(JavaRegex::new(&classes).is_err());
}

#[test]
fn huge_counts_cost_nothing_until_used() {
    let re = JavaRegex::new("a{1000000000}|b").unwrap();
    assert_eq!(re.find_all("aab").unwrap(), vec![(2, 3)]);
    let re = JavaRegex::new("(?:ab){2,1000000000}").unwrap();
    assert_eq!(re.find_all("abababx").unwrap(), vec![(0, 6)]);
}

#[test]
fn long_texts_do_not_exhaust_the_stack() {
    // One backtrack entry per character, far beyond what recursion would survive.
    let text = "ab".repeat(200_000);
    let re = JavaRegex::new("(?:a|b)*c|(?:ab)+").unwrap();
    assert_eq!(re.find_all(&text).unwrap(), vec![(0, text.len())]);
}
