//! Character classes: what one position of a Java pattern accepts (`[a-z&&[^e]]`, `\w`,
//! `\p{Lu}`, `.`, case-insensitive literals), with `java.util.regex.CharPredicates`'
//! property names resolved against JDK 17's Unicode tables.

use crate::unicode::{self, to_lower_case as to_lower, to_upper_case as to_upper};

/// A set of code points, kept as a small predicate tree; unions, intersections and complements
/// of plain ranges are folded into one sorted range list.
#[derive(Clone, Debug)]
pub(crate) enum CharClass {
    /// Sorted, non-overlapping, non-adjacent inclusive ranges.
    Ranges(Vec<(u32, u32)>),
    /// General categories, as a bit mask of `Character.getType` values.
    Category(u32),
    /// A binary property from the JDK tables.
    Prop(Prop),
    /// A `Character.UnicodeScript`.
    Script(u16),
    /// A `Character.UnicodeBlock`.
    Block(u16),
    /// `Pattern.SingleU`: the character or anything whose case fold is `0`.
    FoldChar(u32),
    /// `Pattern.CIRangeU`: a range under Unicode case folding.
    FoldRange(u32, u32),
    Not(Box<CharClass>),
    And(Box<CharClass>, Box<CharClass>),
    Or(Vec<CharClass>),
}

/// Binary properties that are not a plain set of general categories.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Prop {
    Alphabetic,
    Ideographic,
    LowerCase,
    UpperCase,
    Mirrored,
    JavaIdentifierStart,
    JavaIdentifierPart,
    UnicodeIdentifierStart,
    UnicodeIdentifierPart,
    IdentifierIgnorable,
    Whitespace,
}

/// A general-category mask bit.
const fn cat(c: u8) -> u32 {
    1 << c
}

const LU: u32 = cat(unicode::UPPERCASE_LETTER);
const LL: u32 = cat(unicode::LOWERCASE_LETTER);
const LT: u32 = cat(unicode::TITLECASE_LETTER);
const LM: u32 = cat(unicode::MODIFIER_LETTER);
const LO: u32 = cat(unicode::OTHER_LETTER);
const MN: u32 = cat(unicode::NON_SPACING_MARK);
const ME: u32 = cat(unicode::ENCLOSING_MARK);
const MC: u32 = cat(unicode::COMBINING_SPACING_MARK);
const ND: u32 = cat(unicode::DECIMAL_DIGIT_NUMBER);
const NL: u32 = cat(unicode::LETTER_NUMBER);
const NO: u32 = cat(unicode::OTHER_NUMBER);
const ZS: u32 = cat(unicode::SPACE_SEPARATOR);
const ZL: u32 = cat(unicode::LINE_SEPARATOR);
const ZP: u32 = cat(unicode::PARAGRAPH_SEPARATOR);
const CC: u32 = cat(unicode::CONTROL);
const CF: u32 = cat(unicode::FORMAT);
const CO: u32 = cat(unicode::PRIVATE_USE);
const CS: u32 = cat(unicode::SURROGATE);
const CN: u32 = cat(unicode::UNASSIGNED);
const PD: u32 = cat(unicode::DASH_PUNCTUATION);
const PS: u32 = cat(unicode::START_PUNCTUATION);
const PE: u32 = cat(unicode::END_PUNCTUATION);
const PC: u32 = cat(unicode::CONNECTOR_PUNCTUATION);
const PO: u32 = cat(unicode::OTHER_PUNCTUATION);
const SM: u32 = cat(unicode::MATH_SYMBOL);
const SC: u32 = cat(unicode::CURRENCY_SYMBOL);
const SK: u32 = cat(unicode::MODIFIER_SYMBOL);
const SO: u32 = cat(unicode::OTHER_SYMBOL);
const PI: u32 = cat(unicode::INITIAL_QUOTE_PUNCTUATION);
const PF: u32 = cat(unicode::FINAL_QUOTE_PUNCTUATION);
const L: u32 = LU | LL | LT | LM | LO;
const P: u32 = PD | PS | PE | PC | PO | PI | PF;
const CASED: u32 = LU | LL | LT;

/// `toLowerCase(toUpperCase(c))`, the key Java's Unicode case-insensitive matching compares.
pub(crate) fn fold(c: u32) -> u32 {
    to_lower(to_upper(c))
}

fn ascii_lower(c: u32) -> u32 {
    if (b'A' as u32..=b'Z' as u32).contains(&c) {
        c + 32
    } else {
        c
    }
}

fn ascii_upper(c: u32) -> u32 {
    if (b'a' as u32..=b'z' as u32).contains(&c) {
        c - 32
    } else {
        c
    }
}

impl CharClass {
    /// The class holding just `lo..=hi`.
    pub(crate) fn range(lo: u32, hi: u32) -> CharClass {
        CharClass::Ranges(vec![(lo, hi)])
    }

    /// A class from a list of (possibly unsorted, overlapping) ranges.
    pub(crate) fn ranges(list: &[(u32, u32)]) -> CharClass {
        CharClass::Ranges(normalize(list.to_vec()))
    }

    /// The complement.
    pub(crate) fn negate(self) -> CharClass {
        match self {
            CharClass::Ranges(r) => CharClass::Ranges(complement(&r)),
            CharClass::Not(c) => *c,
            c => CharClass::Not(Box::new(c)),
        }
    }

    /// The union.
    pub(crate) fn union(self, other: CharClass) -> CharClass {
        match (self, other) {
            (CharClass::Ranges(mut a), CharClass::Ranges(b)) => {
                a.extend(b);
                CharClass::Ranges(normalize(a))
            }
            (CharClass::Category(a), CharClass::Category(b)) => CharClass::Category(a | b),
            (CharClass::Or(mut v), c) => {
                v.push(c);
                CharClass::Or(v)
            }
            (a, b) => CharClass::Or(vec![a, b]),
        }
    }

    /// The intersection.
    pub(crate) fn and(self, other: CharClass) -> CharClass {
        match (self, other) {
            (CharClass::Ranges(a), CharClass::Ranges(b)) => CharClass::Ranges(complement(
                &normalize(complement(&a).into_iter().chain(complement(&b)).collect()),
            )),
            (CharClass::Category(a), CharClass::Category(b)) => CharClass::Category(a & b),
            (a, b) => CharClass::And(Box::new(a), Box::new(b)),
        }
    }

    /// Does the class contain code point `c`?
    pub(crate) fn matches(&self, c: u32) -> bool {
        match self {
            CharClass::Ranges(r) => in_ranges(r, c),
            CharClass::Category(mask) => mask & (1 << unicode::category(c)) != 0,
            CharClass::Prop(p) => match p {
                Prop::Alphabetic => unicode::is_alphabetic(c),
                Prop::Ideographic => unicode::is_ideographic(c),
                Prop::LowerCase => unicode::is_lower_case(c),
                Prop::UpperCase => unicode::is_upper_case(c),
                Prop::Mirrored => unicode::is_mirrored(c),
                Prop::JavaIdentifierStart => unicode::is_java_identifier_start(c),
                Prop::JavaIdentifierPart => unicode::is_java_identifier_part(c),
                Prop::UnicodeIdentifierStart => unicode::is_unicode_identifier_start(c),
                Prop::UnicodeIdentifierPart => unicode::is_unicode_identifier_part(c),
                Prop::IdentifierIgnorable => unicode::is_identifier_ignorable(c),
                Prop::Whitespace => unicode::is_whitespace(c),
            },
            CharClass::Script(s) => unicode::script(c) == *s,
            CharClass::Block(b) => unicode::block(c) == Some(*b),
            CharClass::FoldChar(f) => c == *f || fold(c) == *f,
            CharClass::FoldRange(lo, hi) => {
                let r = *lo..=*hi;
                if r.contains(&c) {
                    return true;
                }
                let up = to_upper(c);
                r.contains(&up) || r.contains(&to_lower(up))
            }
            CharClass::Not(inner) => !inner.matches(c),
            CharClass::And(a, b) => a.matches(c) && b.matches(c),
            CharClass::Or(v) => v.iter().any(|x| x.matches(c)),
        }
    }
}

fn in_ranges(r: &[(u32, u32)], c: u32) -> bool {
    if r.len() <= 4 {
        return r.iter().any(|&(lo, hi)| lo <= c && c <= hi);
    }
    match r.binary_search_by(|&(lo, _)| lo.cmp(&c)) {
        Ok(_) => true,
        Err(0) => false,
        Err(i) => c <= r[i - 1].1,
    }
}

fn normalize(mut v: Vec<(u32, u32)>) -> Vec<(u32, u32)> {
    v.retain(|(lo, hi)| lo <= hi);
    v.sort_unstable();
    let mut out: Vec<(u32, u32)> = Vec::with_capacity(v.len());
    for (lo, hi) in v {
        match out.last_mut() {
            Some(last) if lo <= last.1.saturating_add(1) => last.1 = last.1.max(hi),
            _ => out.push((lo, hi)),
        }
    }
    out
}

fn complement(r: &[(u32, u32)]) -> Vec<(u32, u32)> {
    let mut out = Vec::with_capacity(r.len() + 1);
    let mut next = 0u32;
    for &(lo, hi) in r {
        if lo > next {
            out.push((next, lo - 1));
        }
        next = hi.saturating_add(1);
    }
    if next <= 0x10FFFF {
        out.push((next, 0x10FFFF));
    }
    out
}

/// How a literal character compares under the `i`/`u` flags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fold {
    /// Exactly.
    None,
    /// ASCII letters in either case (`CASE_INSENSITIVE`).
    Ascii,
    /// Unicode simple case folding (`CASE_INSENSITIVE | UNICODE_CASE`).
    Unicode,
}

impl Fold {
    /// The folded form of a pattern character.
    pub(crate) fn key(self, c: u32) -> u32 {
        match self {
            Fold::None => c,
            Fold::Ascii => ascii_lower(c),
            Fold::Unicode => fold(c),
        }
    }

    /// Does text character `c` match the pattern character whose key is `k`?
    pub(crate) fn eq(self, k: u32, c: u32) -> bool {
        c == k
            || match self {
                Fold::None => false,
                Fold::Ascii => ascii_lower(c) == k,
                Fold::Unicode => fold(c) == k,
            }
    }

    /// Back-reference comparison (`Pattern.CIBackRef`).
    pub(crate) fn same(self, a: u32, b: u32) -> bool {
        if a == b {
            return true;
        }
        match self {
            Fold::None => false,
            Fold::Ascii => a < 128 && ascii_lower(a) == ascii_lower(b),
            Fold::Unicode => {
                let (ua, ub) = (to_upper(a), to_upper(b));
                ua == ub || to_lower(ua) == to_lower(ub)
            }
        }
    }
}

/// `Pattern.single`: one character as a class item under the current flags.
pub(crate) fn single(c: u32, fold: Fold) -> CharClass {
    match fold {
        Fold::Unicode => {
            let upper = to_upper(c);
            let lower = to_lower(upper);
            if upper != lower {
                return CharClass::FoldChar(lower);
            }
        }
        Fold::Ascii if c < 128 && (c as u8).is_ascii_alphabetic() => {
            return CharClass::ranges(&[
                (ascii_lower(c), ascii_lower(c)),
                (ascii_upper(c), ascii_upper(c)),
            ]);
        }
        _ => {}
    }
    CharClass::range(c, c)
}

/// `BitClass.add`: a Latin-1 character added to a class's bit set.
pub(crate) fn add_bit(bits: &mut Vec<(u32, u32)>, c: u32, fold: Fold) {
    match fold {
        Fold::None => {}
        _ if c < 128 => {
            bits.push((ascii_upper(c), ascii_upper(c)));
            bits.push((ascii_lower(c), ascii_lower(c)));
        }
        Fold::Unicode => {
            bits.push((to_lower(c), to_lower(c)));
            bits.push((to_upper(c), to_upper(c)));
        }
        Fold::Ascii => {}
    }
    bits.push((c, c));
}

/// `Pattern.range` for `lo-hi` under the current flags.
pub(crate) fn range(lo: u32, hi: u32, fold: Fold) -> CharClass {
    match fold {
        Fold::None => CharClass::range(lo, hi),
        Fold::Unicode => CharClass::FoldRange(lo, hi),
        Fold::Ascii => {
            // CIRange: in range, or an ASCII character whose other case is.
            let mut v = vec![(lo, hi)];
            for c in 0..128u32 {
                let (u, l) = (ascii_upper(c), ascii_lower(c));
                if (lo..=hi).contains(&u) || (lo..=hi).contains(&l) {
                    v.push((c, c));
                }
            }
            CharClass::ranges(&v)
        }
    }
}

// --- predefined classes ---

/// `.` without `DOTALL`.
pub(crate) fn dot(unix_lines: bool) -> CharClass {
    if unix_lines {
        CharClass::range(b'\n' as u32, b'\n' as u32).negate()
    } else {
        CharClass::ranges(&[(0x0A, 0x0A), (0x0D, 0x0D), (0x85, 0x85), (0x2028, 0x2029)]).negate()
    }
}

/// Every code point.
pub(crate) fn all() -> CharClass {
    CharClass::range(0, 0x10FFFF)
}

/// `\w` (ASCII) or `CharPredicates.WORD()` with `UNICODE_CHARACTER_CLASS`.
pub(crate) fn word(unicode: bool) -> CharClass {
    if unicode {
        CharClass::Or(vec![
            CharClass::Category(MN | ME | MC | ND | PC),
            CharClass::Prop(Prop::Alphabetic),
            CharClass::range(0x200C, 0x200D),
        ])
    } else {
        CharClass::ranges(&[(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)])
    }
}

/// `\d`.
pub(crate) fn digit(unicode: bool) -> CharClass {
    if unicode {
        CharClass::Category(ND)
    } else {
        CharClass::range(0x30, 0x39)
    }
}

/// `\s` (ASCII) or `CharPredicates.WHITE_SPACE()`.
pub(crate) fn space(unicode: bool) -> CharClass {
    if unicode {
        white_space()
    } else {
        CharClass::ranges(&[(0x09, 0x0D), (0x20, 0x20)])
    }
}

fn white_space() -> CharClass {
    CharClass::Or(vec![
        CharClass::Category(ZS | ZL | ZP),
        CharClass::ranges(&[(0x09, 0x0D), (0x85, 0x85)]),
    ])
}

/// `\h`.
pub(crate) fn horizontal_space() -> CharClass {
    CharClass::ranges(&[
        (0x09, 0x09),
        (0x20, 0x20),
        (0xA0, 0xA0),
        (0x1680, 0x1680),
        (0x180E, 0x180E),
        (0x2000, 0x200A),
        (0x202F, 0x202F),
        (0x205F, 0x205F),
        (0x3000, 0x3000),
    ])
}

/// `\v`.
pub(crate) fn vertical_space() -> CharClass {
    CharClass::ranges(&[(0x0A, 0x0D), (0x85, 0x85), (0x2028, 0x2029)])
}

/// Is `c` a word character for `\b` (`Pattern.Bound.isWord`)?
pub(crate) fn is_bound_word(c: u32, unicode: bool) -> bool {
    if unicode {
        // `CharPredicates.WORD()`, as `word(true)` spells it.
        CharClass::Category(MN | ME | MC | ND | PC).matches(c)
            || unicode::is_alphabetic(c)
            || (0x200C..=0x200D).contains(&c)
    } else {
        c == b'_' as u32 || unicode::is_letter_or_digit(c)
    }
}

fn cased_or(base: CharClass, case_insensitive: bool) -> CharClass {
    if case_insensitive {
        CharClass::Or(vec![
            CharClass::Prop(Prop::LowerCase),
            CharClass::Prop(Prop::UpperCase),
            CharClass::Category(LT),
        ])
    } else {
        base
    }
}

fn control() -> CharClass {
    CharClass::Category(CC)
}

fn hex_digit() -> CharClass {
    CharClass::Category(ND).union(CharClass::ranges(&[
        (0x30, 0x39),
        (0x41, 0x46),
        (0x61, 0x66),
        (0xFF10, 0xFF19),
        (0xFF21, 0xFF26),
        (0xFF41, 0xFF46),
    ]))
}

fn blank() -> CharClass {
    CharClass::Category(ZS).union(CharClass::range(9, 9))
}

fn graph() -> CharClass {
    CharClass::Category(ZS | ZL | ZP | CC | CS | CN).negate()
}

/// `CharPredicates.getPosixPredicate` (upper-cased name).
fn posix(name: &str, ci: bool) -> Option<CharClass> {
    Some(match name {
        "ALPHA" => CharClass::Prop(Prop::Alphabetic),
        "LOWER" => cased_or(CharClass::Prop(Prop::LowerCase), ci),
        "UPPER" => cased_or(CharClass::Prop(Prop::UpperCase), ci),
        "SPACE" => white_space(),
        "PUNCT" => CharClass::Category(P),
        "XDIGIT" => hex_digit(),
        "ALNUM" => CharClass::Prop(Prop::Alphabetic).union(CharClass::Category(ND)),
        "CNTRL" => control(),
        "DIGIT" => CharClass::Category(ND),
        "BLANK" => blank(),
        "GRAPH" => graph(),
        "PRINT" => graph().union(blank()).and(control().negate()),
        _ => return None,
    })
}

/// `CharPredicates.forPOSIXName` (used with `UNICODE_CHARACTER_CLASS`).
pub(crate) fn for_posix_name(name: &str, ci: bool) -> Option<CharClass> {
    posix(&name.to_ascii_uppercase(), ci)
}

/// `CharPredicates.forUnicodeProperty` (`\p{IsAlphabetic}` and friends).
pub(crate) fn for_unicode_property(name: &str, ci: bool) -> Option<CharClass> {
    let upper = name.to_ascii_uppercase();
    let c = match upper.as_str() {
        "ALPHABETIC" => CharClass::Prop(Prop::Alphabetic),
        "ASSIGNED" => CharClass::Category(CN).negate(),
        "CONTROL" => control(),
        "HEXDIGIT" | "HEX_DIGIT" => hex_digit(),
        "IDEOGRAPHIC" => CharClass::Prop(Prop::Ideographic),
        "JOINCONTROL" | "JOIN_CONTROL" => CharClass::range(0x200C, 0x200D),
        "LETTER" => CharClass::Category(L),
        "LOWERCASE" => cased_or(CharClass::Prop(Prop::LowerCase), ci),
        "NONCHARACTERCODEPOINT" | "NONCHARACTER_CODE_POINT" => {
            let mut v = vec![(0xFDD0, 0xFDEF)];
            for plane in 0..=0x10u32 {
                v.push((plane << 16 | 0xFFFE, plane << 16 | 0xFFFF));
            }
            CharClass::ranges(&v)
        }
        "TITLECASE" => cased_or(CharClass::Category(LT), ci),
        "PUNCTUATION" => CharClass::Category(P),
        "UPPERCASE" => cased_or(CharClass::Prop(Prop::UpperCase), ci),
        "WHITESPACE" | "WHITE_SPACE" => white_space(),
        "WORD" => word(true),
        _ => return posix(&upper, ci),
    };
    Some(c)
}

fn ascii(ranges: &[(u32, u32)]) -> CharClass {
    CharClass::ranges(ranges)
}

const ASCII_ALPHA: &[(u32, u32)] = &[(0x41, 0x5A), (0x61, 0x7A)];

/// `CharPredicates.forProperty`: general categories, POSIX (ASCII) classes and `java*` names.
pub(crate) fn for_property(name: &str, ci: bool) -> Option<CharClass> {
    let c = |mask: u32| Some(CharClass::Category(mask));
    let cased = |mask: u32| Some(CharClass::Category(if ci { CASED } else { mask }));
    match name {
        "Cn" => c(CN),
        "Lu" => cased(LU),
        "Ll" => cased(LL),
        "Lt" => cased(LT),
        "Lm" => c(LM),
        "Lo" => c(LO),
        "Mn" => c(MN),
        "Me" => c(ME),
        "Mc" => c(MC),
        "Nd" => c(ND),
        "Nl" => c(NL),
        "No" => c(NO),
        "Zs" => c(ZS),
        "Zl" => c(ZL),
        "Zp" => c(ZP),
        "Cc" => c(CC),
        "Cf" => c(CF),
        "Co" => c(CO),
        "Cs" => c(CS),
        "Pd" => c(PD),
        "Ps" => c(PS),
        "Pe" => c(PE),
        "Pc" => c(PC),
        "Po" => c(PO),
        "Sm" => c(SM),
        "Sc" => c(SC),
        "Sk" => c(SK),
        "So" => c(SO),
        "Pi" => c(PI),
        "Pf" => c(PF),
        "L" => c(L),
        "M" => c(MN | ME | MC),
        "N" => c(ND | NL | NO),
        "Z" => c(ZS | ZL | ZP),
        "C" => c(CC | CF | CO | CS | CN),
        "P" => c(P),
        "S" => c(SM | SC | SK | SO),
        "LC" => c(CASED),
        "LD" => c(L | ND),
        "L1" => Some(CharClass::range(0, 0xFF)),
        "all" => Some(all()),
        "ASCII" => Some(CharClass::range(0, 0x7F)),
        "Alnum" => Some(ascii(&[(0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A)])),
        "Alpha" => Some(ascii(ASCII_ALPHA)),
        "Blank" => Some(ascii(&[(0x09, 0x09), (0x20, 0x20)])),
        "Cntrl" => Some(ascii(&[(0x00, 0x1F), (0x7F, 0x7F)])),
        "Digit" => Some(CharClass::range(0x30, 0x39)),
        "Graph" => Some(CharClass::range(0x21, 0x7E)),
        "Lower" => Some(if ci {
            ascii(ASCII_ALPHA)
        } else {
            CharClass::range(0x61, 0x7A)
        }),
        "Print" => Some(CharClass::range(0x20, 0x7E)),
        "Punct" => Some(ascii(&[
            (0x21, 0x2F),
            (0x3A, 0x40),
            (0x5B, 0x60),
            (0x7B, 0x7E),
        ])),
        "Space" => Some(ascii(&[(0x09, 0x0D), (0x20, 0x20)])),
        "Upper" => Some(if ci {
            ascii(ASCII_ALPHA)
        } else {
            CharClass::range(0x41, 0x5A)
        }),
        "XDigit" => Some(ascii(&[(0x30, 0x39), (0x41, 0x46), (0x61, 0x66)])),
        "javaLowerCase" => Some(cased_or(CharClass::Prop(Prop::LowerCase), ci)),
        "javaUpperCase" => Some(cased_or(CharClass::Prop(Prop::UpperCase), ci)),
        "javaAlphabetic" => Some(CharClass::Prop(Prop::Alphabetic)),
        "javaIdeographic" => Some(CharClass::Prop(Prop::Ideographic)),
        "javaTitleCase" => Some(cased_or(CharClass::Category(LT), ci)),
        "javaDigit" => c(ND),
        "javaDefined" => Some(CharClass::Category(CN).negate()),
        "javaLetter" => c(L),
        "javaLetterOrDigit" => c(L | ND),
        "javaJavaIdentifierStart" => Some(CharClass::Prop(Prop::JavaIdentifierStart)),
        "javaJavaIdentifierPart" => Some(CharClass::Prop(Prop::JavaIdentifierPart)),
        "javaUnicodeIdentifierStart" => Some(CharClass::Prop(Prop::UnicodeIdentifierStart)),
        "javaUnicodeIdentifierPart" => Some(CharClass::Prop(Prop::UnicodeIdentifierPart)),
        "javaIdentifierIgnorable" => Some(CharClass::Prop(Prop::IdentifierIgnorable)),
        "javaSpaceChar" => c(ZS | ZL | ZP),
        "javaWhitespace" => Some(CharClass::Prop(Prop::Whitespace)),
        "javaISOControl" => Some(ascii(&[(0x00, 0x1F), (0x7F, 0x9F)])),
        "javaMirrored" => Some(CharClass::Prop(Prop::Mirrored)),
        _ => None,
    }
}

/// `CharPredicates.forUnicodeScript`.
pub(crate) fn for_script(name: &str) -> Option<CharClass> {
    unicode::script_by_name(name).map(CharClass::Script)
}

/// `CharPredicates.forUnicodeBlock`.
pub(crate) fn for_block(name: &str) -> Option<CharClass> {
    unicode::block_by_name(name).map(CharClass::Block)
}
