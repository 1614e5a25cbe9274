//! Unicode character data of JDK 17 (Unicode 13.0), as `java.lang.Character` and
//! `java.util.regex` see it: general categories (`Character.getType`), scripts
//! (`Character.UnicodeScript`), blocks (`Character.UnicodeBlock`) and the boolean `Character`
//! methods (`isAlphabetic`, `isLowerCase`, `isWhitespace`, …), plus the script and block names
//! that `UnicodeScript.forName` and `UnicodeBlock.forName` accept.
//!
//! The tables are generated from JDK 17 by `java-regex/tests/jdk/UnicodeTables.java`; every lookup
//! is a binary search. Code points above `0x10FFFF` behave like unassigned ones (category
//! [`UNASSIGNED`], script [`UNKNOWN_SCRIPT`], no block, every property false); surrogate code
//! points have category [`SURROGATE`] as in Java.

#[rustfmt::skip]
mod tables;

#[rustfmt::skip]
mod case_tables;

/// Largest Unicode code point.
const MAX_CODE_POINT: u32 = 0x10_FFFF;

/// `Character.UNASSIGNED` (Cn).
pub(crate) const UNASSIGNED: u8 = 0;
/// `Character.UPPERCASE_LETTER` (Lu).
pub(crate) const UPPERCASE_LETTER: u8 = 1;
/// `Character.LOWERCASE_LETTER` (Ll).
pub(crate) const LOWERCASE_LETTER: u8 = 2;
/// `Character.TITLECASE_LETTER` (Lt).
pub(crate) const TITLECASE_LETTER: u8 = 3;
/// `Character.MODIFIER_LETTER` (Lm).
pub(crate) const MODIFIER_LETTER: u8 = 4;
/// `Character.OTHER_LETTER` (Lo).
pub(crate) const OTHER_LETTER: u8 = 5;
/// `Character.NON_SPACING_MARK` (Mn).
pub(crate) const NON_SPACING_MARK: u8 = 6;
/// `Character.ENCLOSING_MARK` (Me).
pub(crate) const ENCLOSING_MARK: u8 = 7;
/// `Character.COMBINING_SPACING_MARK` (Mc).
pub(crate) const COMBINING_SPACING_MARK: u8 = 8;
/// `Character.DECIMAL_DIGIT_NUMBER` (Nd).
pub(crate) const DECIMAL_DIGIT_NUMBER: u8 = 9;
/// `Character.LETTER_NUMBER` (Nl).
pub(crate) const LETTER_NUMBER: u8 = 10;
/// `Character.OTHER_NUMBER` (No).
pub(crate) const OTHER_NUMBER: u8 = 11;
/// `Character.SPACE_SEPARATOR` (Zs).
pub(crate) const SPACE_SEPARATOR: u8 = 12;
/// `Character.LINE_SEPARATOR` (Zl).
pub(crate) const LINE_SEPARATOR: u8 = 13;
/// `Character.PARAGRAPH_SEPARATOR` (Zp).
pub(crate) const PARAGRAPH_SEPARATOR: u8 = 14;
/// `Character.CONTROL` (Cc).
pub(crate) const CONTROL: u8 = 15;
/// `Character.FORMAT` (Cf).
pub(crate) const FORMAT: u8 = 16;
/// `Character.PRIVATE_USE` (Co). (Java has no category 17.)
pub(crate) const PRIVATE_USE: u8 = 18;
/// `Character.SURROGATE` (Cs).
pub(crate) const SURROGATE: u8 = 19;
/// `Character.DASH_PUNCTUATION` (Pd).
pub(crate) const DASH_PUNCTUATION: u8 = 20;
/// `Character.START_PUNCTUATION` (Ps).
pub(crate) const START_PUNCTUATION: u8 = 21;
/// `Character.END_PUNCTUATION` (Pe).
pub(crate) const END_PUNCTUATION: u8 = 22;
/// `Character.CONNECTOR_PUNCTUATION` (Pc).
pub(crate) const CONNECTOR_PUNCTUATION: u8 = 23;
/// `Character.OTHER_PUNCTUATION` (Po).
pub(crate) const OTHER_PUNCTUATION: u8 = 24;
/// `Character.MATH_SYMBOL` (Sm).
pub(crate) const MATH_SYMBOL: u8 = 25;
/// `Character.CURRENCY_SYMBOL` (Sc).
pub(crate) const CURRENCY_SYMBOL: u8 = 26;
/// `Character.MODIFIER_SYMBOL` (Sk).
pub(crate) const MODIFIER_SYMBOL: u8 = 27;
/// `Character.OTHER_SYMBOL` (So).
pub(crate) const OTHER_SYMBOL: u8 = 28;
/// `Character.INITIAL_QUOTE_PUNCTUATION` (Pi).
pub(crate) const INITIAL_QUOTE_PUNCTUATION: u8 = 29;
/// `Character.FINAL_QUOTE_PUNCTUATION` (Pf).
pub(crate) const FINAL_QUOTE_PUNCTUATION: u8 = 30;

/// Script number of `UnicodeScript.UNKNOWN`: unassigned code points and those above `0x10FFFF`.
pub(crate) const UNKNOWN_SCRIPT: u16 = tables::UNKNOWN_SCRIPT;

/// Value of a category run that alternates uppercase and lowercase letters.
const ALTERNATING: u32 = 31;
const CATEGORY_SHIFT: u32 = 5;
const SCRIPT_SHIFT: u32 = 8;
const BLOCK_SHIFT: u32 = 9;
const NO_BLOCK: u32 = (1 << BLOCK_SHIFT) - 1;
const RANGE_SHIFT: u32 = 11;

/// The entry of a run table (`start << shift | value`) that covers `c`, as (start, value).
fn run(table: &[u32], shift: u32, c: u32) -> Option<(u32, u32)> {
    let i = table.partition_point(|&e| e >> shift <= c);
    let e = *table.get(i.checked_sub(1)?)?;
    Some((e >> shift, e & ((1 << shift) - 1)))
}

/// Whether `c` is in a range table (`start << 11 | (length - 1)`).
fn in_ranges(table: &[u32], c: u32) -> bool {
    run(table, RANGE_SHIFT, c).is_some_and(|(start, len)| c - start <= len)
}

/// Java `Character.getType(c)`: the general category, one of the category constants
/// ([`UNASSIGNED`] … [`FINAL_QUOTE_PUNCTUATION`]).
pub(crate) fn category(c: u32) -> u8 {
    if c > MAX_CODE_POINT {
        return UNASSIGNED;
    }
    match run(&tables::CATEGORY_RUNS, CATEGORY_SHIFT, c) {
        Some((start, ALTERNATING)) if (c - start).is_multiple_of(2) => UPPERCASE_LETTER,
        Some((_, ALTERNATING)) => LOWERCASE_LETTER,
        Some((_, value)) => value as u8,
        None => UNASSIGNED,
    }
}

/// Java `Character.UnicodeScript.of(c).ordinal()`; [`UNKNOWN_SCRIPT`] above `0x10FFFF` (where
/// Java throws).
pub(crate) fn script(c: u32) -> u16 {
    if category(c) == UNASSIGNED {
        return UNKNOWN_SCRIPT;
    }
    run(&tables::SCRIPT_RUNS, SCRIPT_SHIFT, c).map_or(UNKNOWN_SCRIPT, |(_, s)| s as u16)
}

/// The `UnicodeScript` constant name of a script number, e.g. `"LATIN"`.
pub(crate) fn script_name(script: u16) -> Option<&'static str> {
    let script = usize::from(script);
    let end = usize::from(*tables::SCRIPT_NAME_ENDS.get(script)?);
    let start = match script.checked_sub(1) {
        Some(prev) => usize::from(tables::SCRIPT_NAME_ENDS[prev]),
        None => 0,
    };
    tables::SCRIPT_NAMES.get(start..end)
}

/// Java `Character.UnicodeScript.forName(name).ordinal()`, `None` where Java throws: the
/// constant name (`"OLD_ITALIC"`) or the ISO 15924 code (`"Ital"`), in any case.
pub(crate) fn script_by_name(name: &str) -> Option<u16> {
    let key = java_upper(name)?;
    if key.len() == 4 && key.bytes().all(|b| b.is_ascii_uppercase()) {
        let code = key
            .bytes()
            .fold(0u32, |code, b| code * 32 + u32::from(b - b'A' + 1));
        let aliases = &tables::SCRIPT_ALIASES;
        if let Ok(i) = aliases.binary_search_by(|&e| (e >> SCRIPT_SHIFT).cmp(&code)) {
            return Some((aliases[i] & ((1 << SCRIPT_SHIFT) - 1)) as u16);
        }
    }
    let by_name = &tables::SCRIPTS_BY_NAME;
    let i = by_name
        .binary_search_by(|&s| script_name(u16::from(s)).unwrap_or("").cmp(&key))
        .ok()?;
    Some(u16::from(by_name[i]))
}

/// Java `Character.UnicodeBlock.of(c)` as a block number, `None` outside every block (and
/// above `0x10FFFF`, where Java throws).
pub(crate) fn block(c: u32) -> Option<u16> {
    if c > MAX_CODE_POINT {
        return None;
    }
    match run(&tables::BLOCK_RUNS, BLOCK_SHIFT, c)? {
        (_, NO_BLOCK) => None,
        (_, b) => Some(b as u16),
    }
}

/// The `UnicodeBlock` constant name of a block number, e.g. `"BASIC_LATIN"`.
pub(crate) fn block_name(block: u16) -> Option<&'static str> {
    let block = usize::from(block);
    let end = usize::from(*tables::BLOCK_NAME_ENDS.get(block)? & !tables::DERIVED_FORMS);
    let start = match block.checked_sub(1) {
        Some(prev) => usize::from(tables::BLOCK_NAME_ENDS[prev] & !tables::DERIVED_FORMS),
        None => 0,
    };
    tables::BLOCK_NAMES.get(start..end)
}

/// Java `Character.UnicodeBlock.forName(name)` as a block number, `None` where Java throws.
///
/// Java upper-cases the name and looks it up among the constant name (`"BASIC_LATIN"`), the
/// Unicode name (`"BASIC LATIN"`, `"LATIN-1 SUPPLEMENT"`) and the Unicode name without spaces
/// (`"BASICLATIN"`), plus a few historical names; so `"Basic latin"` and `"Basic_Latin"` are
/// found but `"Basic-Latin"` is not.
pub(crate) fn block_by_name(name: &str) -> Option<u16> {
    let key = java_upper(name)?;
    let count = tables::BLOCK_NAME_ENDS.len() as u16;
    let by_constant = |key: &str| {
        let (mut lo, mut hi) = (0, count);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match block_name(mid).unwrap_or("").cmp(key) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    };
    if let Some(b) = by_constant(&key) {
        return Some(b);
    }
    if let Some(b) = block_alias(&key) {
        return Some(b);
    }
    if key.contains('_') {
        return None;
    }
    let derived = |b: u16| tables::BLOCK_NAME_ENDS[usize::from(b)] & tables::DERIVED_FORMS != 0;
    if key.contains(' ') {
        // "BASIC LATIN": the constant name with spaces for underscores.
        return by_constant(&key.replace(' ', "_")).filter(|&b| derived(b));
    }
    // "BASICLATIN": the constant name without underscores.
    let squashed = |b: u16| block_name(b).unwrap_or("").bytes().filter(|&c| c != b'_');
    let order = &tables::BLOCKS_BY_SQUASHED_NAME;
    let i = order
        .binary_search_by(|&b| squashed(b).cmp(key.bytes()))
        .ok()?;
    Some(order[i])
}

/// The block of one of the extra names in `BLOCK_ALIASES`.
fn block_alias(key: &str) -> Option<u16> {
    let ends = &tables::BLOCK_ALIAS_ENDS;
    let alias = |i: usize| {
        let start = i
            .checked_sub(1)
            .map_or(0, |prev| (ends[prev] >> BLOCK_SHIFT) as usize);
        let end = (ends[i] >> BLOCK_SHIFT) as usize;
        tables::BLOCK_ALIASES.get(start..end).unwrap_or("")
    };
    let (mut lo, mut hi) = (0, ends.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        match alias(mid).cmp(key) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return Some((ends[mid] & NO_BLOCK) as u16),
        }
    }
    None
}

/// Java's `name.toUpperCase(Locale.US)` where the result can be a script or block name (those
/// are ASCII): ASCII letters are upper-cased and the few other characters whose upper case is
/// ASCII (`ı` → `I`, `ſ` → `S`, `ß` → `SS`, `ﬁ` → `FI`, …) expanded; `None` when another
/// character makes a match impossible.
fn java_upper(name: &str) -> Option<String> {
    let mut out = String::with_capacity(name.len());
    for ch in name.chars() {
        if ch.is_ascii() {
            out.push(ch.to_ascii_uppercase());
            continue;
        }
        let c = u32::from(ch);
        let table = &tables::UPPER_TO_ASCII;
        let i = table.binary_search_by(|&e| (e >> 8).cmp(&c)).ok()?;
        let at = ((table[i] >> 2) & 0x3f) as usize;
        let len = (table[i] & 3) as usize;
        out.push_str(tables::UPPER_TO_ASCII_TEXT.get(at..at + len)?);
    }
    Some(out)
}

/// Whether `category` is one of the letter categories (Lu, Ll, Lt, Lm, Lo).
fn is_letter_category(category: u8) -> bool {
    (UPPERCASE_LETTER..=OTHER_LETTER).contains(&category)
}

/// Java `Character.isAlphabetic(c)`: letters, letter numbers and `Other_Alphabetic`.
pub(crate) fn is_alphabetic(c: u32) -> bool {
    let cat = category(c);
    (is_letter_category(cat) || cat == LETTER_NUMBER)
        != in_ranges(&tables::ALPHABETIC_EXCEPTIONS, c)
}

/// Java `Character.isIdeographic(c)`.
pub(crate) fn is_ideographic(c: u32) -> bool {
    in_ranges(&tables::IDEOGRAPHIC, c)
}

/// Java `Character.isLowerCase(int)`: category Ll or `Other_Lowercase`.
pub(crate) fn is_lower_case(c: u32) -> bool {
    (category(c) == LOWERCASE_LETTER) != in_ranges(&tables::LOWER_CASE_EXCEPTIONS, c)
}

/// Java `Character.isUpperCase(int)`: category Lu or `Other_Uppercase`.
pub(crate) fn is_upper_case(c: u32) -> bool {
    (category(c) == UPPERCASE_LETTER) != in_ranges(&tables::UPPER_CASE_EXCEPTIONS, c)
}

/// Java `Character.isTitleCase(int)`: category Lt.
#[cfg(test)] // checked with the others; the classes test the category
pub(crate) fn is_title_case(c: u32) -> bool {
    category(c) == TITLECASE_LETTER
}

/// Java `Character.isMirrored(int)` (the `Bidi_Mirrored` property).
pub(crate) fn is_mirrored(c: u32) -> bool {
    in_ranges(&tables::MIRRORED, c)
}

/// Java `Character.isLetter(int)`: categories Lu, Ll, Lt, Lm and Lo.
#[cfg(test)] // checked with the others; the classes test the category
pub(crate) fn is_letter(c: u32) -> bool {
    is_letter_category(category(c))
}

/// Java `Character.isDigit(int)`: category Nd.
#[cfg(test)] // checked with the others; the classes test the category
pub(crate) fn is_digit(c: u32) -> bool {
    category(c) == DECIMAL_DIGIT_NUMBER
}

/// Java `Character.isLetterOrDigit(int)`: a letter or category Nd.
pub(crate) fn is_letter_or_digit(c: u32) -> bool {
    let cat = category(c);
    is_letter_category(cat) || cat == DECIMAL_DIGIT_NUMBER
}

/// Java `Character.isDefined(int)`: any category but Cn.
#[cfg(test)] // checked with the others; the classes test the category
pub(crate) fn is_defined(c: u32) -> bool {
    category(c) != UNASSIGNED
}

/// Java `Character.isSpaceChar(int)`: categories Zs, Zl and Zp.
pub(crate) fn is_space_char(c: u32) -> bool {
    (SPACE_SEPARATOR..=PARAGRAPH_SEPARATOR).contains(&category(c))
}

/// Java `Character.isWhitespace(int)`: Zs, Zl and Zp except the no-break spaces (U+00A0,
/// U+2007, U+202F), plus U+0009–U+000D and U+001C–U+001F.
pub(crate) fn is_whitespace(c: u32) -> bool {
    matches!(c, 0x9..=0xD | 0x1C..=0x1F)
        || (is_space_char(c) && !matches!(c, 0xA0 | 0x2007 | 0x202F))
}

/// Java `Character.isISOControl(int)`: U+0000–U+001F and U+007F–U+009F.
#[cfg(test)] // checked with the others; the classes test the category
pub(crate) fn is_iso_control(c: u32) -> bool {
    matches!(c, 0..=0x1F | 0x7F..=0x9F)
}

/// Java `Character.isIdentifierIgnorable(int)`: the ISO controls that are not whitespace, and
/// category Cf.
pub(crate) fn is_identifier_ignorable(c: u32) -> bool {
    matches!(c, 0..=8 | 0xE..=0x1B | 0x7F..=0x9F) || category(c) == FORMAT
}

/// Java `Character.isJavaIdentifierStart(int)`: letters and categories Nl, Sc and Pc.
pub(crate) fn is_java_identifier_start(c: u32) -> bool {
    let cat = category(c);
    is_letter_category(cat)
        || matches!(cat, LETTER_NUMBER | CURRENCY_SYMBOL | CONNECTOR_PUNCTUATION)
}

/// Java `Character.isJavaIdentifierPart(int)`: identifier starts, categories Nd, Mc and Mn, and
/// the identifier-ignorable characters.
pub(crate) fn is_java_identifier_part(c: u32) -> bool {
    is_java_identifier_start(c)
        || matches!(
            category(c),
            DECIMAL_DIGIT_NUMBER | COMBINING_SPACING_MARK | NON_SPACING_MARK
        )
        || is_identifier_ignorable(c)
}

/// Java `Character.isUnicodeIdentifierStart(int)`: letters, category Nl and `Other_ID_Start`.
pub(crate) fn is_unicode_identifier_start(c: u32) -> bool {
    let cat = category(c);
    (is_letter_category(cat) || cat == LETTER_NUMBER)
        != in_ranges(&tables::UNICODE_IDENTIFIER_START_EXCEPTIONS, c)
}

/// Java `Character.isUnicodeIdentifierPart(int)`: letters, categories Nl, Pc, Nd, Mc and Mn,
/// the identifier-ignorable characters, `Other_ID_Start` and `Other_ID_Continue`.
pub(crate) fn is_unicode_identifier_part(c: u32) -> bool {
    let cat = category(c);
    let derived = is_letter_category(cat)
        || matches!(
            cat,
            LETTER_NUMBER
                | CONNECTOR_PUNCTUATION
                | DECIMAL_DIGIT_NUMBER
                | COMBINING_SPACING_MARK
                | NON_SPACING_MARK
        )
        || is_identifier_ignorable(c);
    derived != in_ranges(&tables::UNICODE_IDENTIFIER_PART_EXCEPTIONS, c)
}

/// Looks `c` up in a (first, count, stride, delta) run table.
fn case_map(runs: &[(u32, u16, u8, i32)], c: u32) -> u32 {
    let i = runs.partition_point(|r| r.0 <= c);
    if i == 0 {
        return c;
    }
    let (first, count, stride, delta) = runs[i - 1];
    let offset = c - first;
    if offset.is_multiple_of(stride as u32) && offset / (stride as u32) < count as u32 {
        c.wrapping_add_signed(delta)
    } else {
        c
    }
}

/// `Character.toUpperCase(int)`: the simple (one code point) upper-case mapping.
pub(crate) fn to_upper_case(c: u32) -> u32 {
    case_map(&case_tables::UPPER, c)
}

/// `Character.toLowerCase(int)`: the simple (one code point) lower-case mapping.
pub(crate) fn to_lower_case(c: u32) -> u32 {
    case_map(&case_tables::LOWER, c)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Per-class checksums of JDK 17 (`UnicodeTables.java`).
    const CHECKSUMS: &str = include_str!("../tests/jdk/unicode_checksums.txt");
    /// Script and block names with JDK 17's `forName` result (`UnicodeTables.java`).
    const NAMES: &str = include_str!("../tests/jdk/unicode_names.txt");

    /// Count, sum and multiplicative-hash xor of a set of code points, as the fixture has them.
    #[derive(Clone, Copy, Default, PartialEq, Debug)]
    struct Checksum {
        count: u32,
        sum: u32,
        mix: u32,
    }

    impl Checksum {
        fn add(&mut self, c: u32) {
            self.count += 1;
            self.sum = self.sum.wrapping_add(c);
            self.mix ^= c.wrapping_mul(2_654_435_761);
        }

        fn parse(fields: &[&str]) -> Checksum {
            let n = |i: usize| fields[i].parse::<u32>().expect("number");
            Checksum {
                count: n(0),
                sum: n(1),
                mix: n(2),
            }
        }
    }

    const CATEGORY_NAMES: [(u8, &str); 30] = [
        (UNASSIGNED, "UNASSIGNED"),
        (UPPERCASE_LETTER, "UPPERCASE_LETTER"),
        (LOWERCASE_LETTER, "LOWERCASE_LETTER"),
        (TITLECASE_LETTER, "TITLECASE_LETTER"),
        (MODIFIER_LETTER, "MODIFIER_LETTER"),
        (OTHER_LETTER, "OTHER_LETTER"),
        (NON_SPACING_MARK, "NON_SPACING_MARK"),
        (ENCLOSING_MARK, "ENCLOSING_MARK"),
        (COMBINING_SPACING_MARK, "COMBINING_SPACING_MARK"),
        (DECIMAL_DIGIT_NUMBER, "DECIMAL_DIGIT_NUMBER"),
        (LETTER_NUMBER, "LETTER_NUMBER"),
        (OTHER_NUMBER, "OTHER_NUMBER"),
        (SPACE_SEPARATOR, "SPACE_SEPARATOR"),
        (LINE_SEPARATOR, "LINE_SEPARATOR"),
        (PARAGRAPH_SEPARATOR, "PARAGRAPH_SEPARATOR"),
        (CONTROL, "CONTROL"),
        (FORMAT, "FORMAT"),
        (PRIVATE_USE, "PRIVATE_USE"),
        (SURROGATE, "SURROGATE"),
        (DASH_PUNCTUATION, "DASH_PUNCTUATION"),
        (START_PUNCTUATION, "START_PUNCTUATION"),
        (END_PUNCTUATION, "END_PUNCTUATION"),
        (CONNECTOR_PUNCTUATION, "CONNECTOR_PUNCTUATION"),
        (OTHER_PUNCTUATION, "OTHER_PUNCTUATION"),
        (MATH_SYMBOL, "MATH_SYMBOL"),
        (CURRENCY_SYMBOL, "CURRENCY_SYMBOL"),
        (MODIFIER_SYMBOL, "MODIFIER_SYMBOL"),
        (OTHER_SYMBOL, "OTHER_SYMBOL"),
        (INITIAL_QUOTE_PUNCTUATION, "INITIAL_QUOTE_PUNCTUATION"),
        (FINAL_QUOTE_PUNCTUATION, "FINAL_QUOTE_PUNCTUATION"),
    ];

    type Property = (&'static str, fn(u32) -> bool);

    const PROPERTIES: [Property; 18] = [
        ("isAlphabetic", is_alphabetic),
        ("isIdeographic", is_ideographic),
        ("isLowerCase", is_lower_case),
        ("isUpperCase", is_upper_case),
        ("isTitleCase", is_title_case),
        ("isMirrored", is_mirrored),
        ("isLetter", is_letter),
        ("isDigit", is_digit),
        ("isLetterOrDigit", is_letter_or_digit),
        ("isDefined", is_defined),
        ("isSpaceChar", is_space_char),
        ("isWhitespace", is_whitespace),
        ("isISOControl", is_iso_control),
        ("isIdentifierIgnorable", is_identifier_ignorable),
        ("isJavaIdentifierStart", is_java_identifier_start),
        ("isJavaIdentifierPart", is_java_identifier_part),
        ("isUnicodeIdentifierStart", is_unicode_identifier_start),
        ("isUnicodeIdentifierPart", is_unicode_identifier_part),
    ];

    /// Every code point through every lookup, against JDK 17's checksums of each class.
    #[test]
    fn all_code_points_match_java_checksums() {
        let scripts = tables::SCRIPT_NAME_ENDS.len();
        let blocks = tables::BLOCK_NAME_ENDS.len();
        let mut categories = [Checksum::default(); 32];
        let mut by_script = vec![Checksum::default(); scripts];
        let mut by_block = vec![Checksum::default(); blocks + 1];
        let mut properties = [Checksum::default(); PROPERTIES.len()];
        for c in 0..=MAX_CODE_POINT {
            categories[usize::from(category(c))].add(c);
            by_script[usize::from(script(c))].add(c);
            by_block[block(c).map_or(blocks, usize::from)].add(c);
            for (sum, (_, property)) in properties.iter_mut().zip(PROPERTIES) {
                if property(c) {
                    sum.add(c);
                }
            }
        }

        let mut checked = 0;
        for line in CHECKSUMS.lines().filter(|l| !l.starts_with('#')) {
            let fields: Vec<&str> = line.split(' ').collect();
            let (got, context) = match fields[..] {
                ["category", n, name, ..] => {
                    let n: u8 = n.parse().expect("category number");
                    let ours = CATEGORY_NAMES.iter().find(|(v, _)| *v == n);
                    assert_eq!(ours.map_or("-", |(_, name)| *name), name, "category {n}");
                    (categories[usize::from(n)], &fields[3..])
                }
                ["script", name, ..] => {
                    let s = script_by_name(name).expect(name);
                    assert_eq!(script_name(s), Some(name));
                    (by_script[usize::from(s)], &fields[2..])
                }
                ["block", "-", ..] => (by_block[blocks], &fields[2..]),
                ["block", name, ..] => {
                    let b = block_by_name(name).expect(name);
                    assert_eq!(block_name(b), Some(name));
                    (by_block[usize::from(b)], &fields[2..])
                }
                ["property", name, ..] => {
                    let i = PROPERTIES.iter().position(|(n, _)| *n == name);
                    (properties[i.expect(name)], &fields[2..])
                }
                _ => panic!("fixture line {line}"),
            };
            assert_eq!(got, Checksum::parse(context), "{line}");
            checked += 1;
        }
        assert_eq!(checked, 31 + scripts + blocks + 1 + PROPERTIES.len());
    }

    /// `forName` of every accepted name and of variations of them, against JDK 17.
    #[test]
    fn names_match_java_for_name() {
        let mut failures = Vec::new();
        let mut n = 0;
        for line in NAMES.lines().filter(|l| !l.starts_with('#')) {
            let mut fields = line.split('\t');
            let (kind, query, java) = (
                fields.next().unwrap_or(""),
                fields.next().expect("query"),
                fields.next().expect("result"),
            );
            let ours = match kind {
                "script" => script_by_name(query).and_then(script_name),
                "block" => block_by_name(query).and_then(block_name),
                _ => panic!("fixture line {line}"),
            };
            if ours.unwrap_or("-") != java {
                failures.push(format!("{kind} {query:?}: java {java}, got {ours:?}"));
            }
            n += 1;
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        assert!(n > 2000);
    }

    #[test]
    fn script_names_checked_with_java() {
        let latin = script_by_name("LATIN");
        assert!(latin.is_some());
        for name in ["latn", "Latn", "LATN", "latin", "Latin", "lat\u{131}n"] {
            assert_eq!(script_by_name(name), latin, "{name}");
        }
        assert_eq!(script(u32::from('a')), latin.unwrap());
        assert_eq!(script_name(script(0x3B1)), Some("GREEK"));
        assert_eq!(script_by_name("Zyyy").and_then(script_name), Some("COMMON"));
        assert_eq!(
            script_by_name("ital").and_then(script_name),
            Some("OLD_ITALIC")
        );
        assert_eq!(script_by_name("nko").and_then(script_name), Some("NKO"));
        assert_eq!(script_by_name("Nkoo").and_then(script_name), Some("NKO"));
        assert_eq!(script_by_name("zzzz"), Some(UNKNOWN_SCRIPT));
        for rejected in [
            "old italic",
            "Qaai",
            "Hrkt",
            "KATAKANA_OR_HIRAGANA",
            "",
            "Latin ",
        ] {
            assert_eq!(script_by_name(rejected), None, "{rejected}");
        }
        assert_eq!(script_name(UNKNOWN_SCRIPT), Some("UNKNOWN"));
        assert_eq!(script_name(u16::MAX), None);
    }

    #[test]
    fn block_names_checked_with_java() {
        let basic = block_by_name("BASIC_LATIN");
        assert!(basic.is_some());
        for name in [
            "Basic Latin",
            "Basic latin",
            "BASICLATIN",
            "basiclatin",
            "Basic_Latin",
        ] {
            assert_eq!(block_by_name(name), basic, "{name}");
        }
        assert_eq!(block(u32::from('A')), basic);
        let latin1 = block_by_name("LATIN_1_SUPPLEMENT");
        for name in [
            "Latin-1 Supplement",
            "latin-1supplement",
            "lat\u{131}n-1 supplement",
        ] {
            assert_eq!(block_by_name(name), latin1, "{name}");
        }
        let greek = block_by_name("greek");
        assert_eq!(block_by_name("Greek and Coptic"), greek);
        assert_eq!(block_by_name("GreekAndCoptic"), greek);
        assert_eq!(block(0x3B1), greek);
        assert_eq!(
            block_by_name("Cyrillic Supplement").and_then(block_name),
            Some("CYRILLIC_SUPPLEMENTARY")
        );
        assert_eq!(
            block_by_name("phags-pa").and_then(block_name),
            Some("PHAGS_PA")
        );
        // A block of its own that `UnicodeBlock.of` never returns.
        let surrogates_area = block_by_name("surrogates_area");
        assert!(surrogates_area.is_some());
        assert_eq!(block_name(block(0xD800).unwrap()), Some("HIGH_SURROGATES"));
        for rejected in [
            "basic-latin",
            "BASIC  LATIN",
            "Basic Latin ",
            "Latin 1 Supplement",
            "LATIN_1 SUPPLEMENT",
            "Greek_And_Coptic",
            "Surrogates Area",
            "PHAGSPA",
            "NoSuchBlock",
            "",
        ] {
            assert_eq!(block_by_name(rejected), None, "{rejected}");
        }
        assert_eq!(block_name(u16::MAX), None);
    }

    #[test]
    fn java_upper_case_of_names() {
        assert_eq!(
            java_upper("a\u{df}\u{fb03}\u{131}\u{17f}").as_deref(),
            Some("ASSFFIIS")
        );
        assert_eq!(
            java_upper("\u{fb05}\u{fb06}\u{fb04}").as_deref(),
            Some("STSTFFL")
        );
        assert_eq!(java_upper("\u{212a}"), None);
        assert_eq!(java_upper("\u{e0}"), None);
    }

    #[test]
    fn out_of_range_and_surrogates() {
        for c in [0x11_0000, 0x7FFF_FFFF, u32::MAX] {
            assert_eq!(category(c), UNASSIGNED);
            assert_eq!(script(c), UNKNOWN_SCRIPT);
            assert_eq!(block(c), None);
            assert!(PROPERTIES.iter().all(|(_, p)| !p(c)));
        }
        assert_eq!(category(0xD800), SURROGATE);
        assert_eq!(category(0xDFFF), SURROGATE);
        assert_eq!(script(0xDC00), UNKNOWN_SCRIPT);
        assert_eq!(category(0x10_FFFD), PRIVATE_USE);
        assert_eq!(category(0x10_FFFF), UNASSIGNED);
    }

    #[test]
    fn spot_checks() {
        assert_eq!(category(u32::from('A')), UPPERCASE_LETTER);
        assert_eq!(category(0x100), UPPERCASE_LETTER);
        assert_eq!(category(0x101), LOWERCASE_LETTER);
        assert_eq!(category(0x1C5), TITLECASE_LETTER);
        assert!(is_letter_or_digit(u32::from('7')));
        assert!(is_letter_or_digit(0x0663));
        assert!(!is_letter_or_digit(u32::from('_')));
        assert!(is_alphabetic(0x2160));
        assert!(is_ideographic(0x4E00));
        assert!(is_lower_case(0xAA));
        assert!(is_upper_case(0x24B6));
        assert!(is_mirrored(u32::from('(')));
        assert!(!is_whitespace(0xA0));
        assert!(is_whitespace(0x1F));
        assert!(is_unicode_identifier_start(0x2118));
        assert!(is_unicode_identifier_part(0xB7));
    }

    #[test]
    fn case_mappings_match_java_for_every_code_point() {
        let checksum = |f: fn(u32) -> u32| {
            (0..=MAX_CODE_POINT).fold(0u32, |sum, c| sum.wrapping_mul(31).wrapping_add(f(c)))
        };
        assert_eq!(
            (checksum(to_upper_case), checksum(to_lower_case)),
            case_tables::CHECKSUMS
        );
        assert_eq!(to_upper_case('ß' as u32), 'ß' as u32);
        assert_eq!(to_lower_case(0x130), 'i' as u32);
        assert_eq!(to_upper_case(0x1F80), 0x1F88);
        assert_eq!(to_lower_case('K' as u32), 'k' as u32);
        assert_eq!(to_lower_case(0x212A), 'k' as u32);
        assert_eq!(to_upper_case(0x11_0000), 0x11_0000);
    }
}
