//! Bracket expressions (`Pattern.clazz`, `range`, `bitsOrSingle`): `[a-z]`, `[^…]`, nested
//! classes, `&&` intersections and the items inside them.

use super::{Escape, Parser, MAX_NESTING};
use crate::class::{self, CharClass, Fold};
use crate::error::Throwable;

impl Parser<'_> {
    /// `Pattern.clazz`: a character class; the cursor is on `[` (or on the first item when
    /// `consume` is false, for the right operand of `&&`).
    pub(super) fn clazz(&mut self, consume: bool) -> Result<CharClass, Throwable> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(self.error("Classes nested too deeply"));
        }
        let mut prev: Option<CharClass> = None;
        let mut curr: Option<CharClass> = None;
        let mut bits: Vec<(u32, u32)> = Vec::new();
        let mut has_bits = false;
        let mut is_neg = false;
        let mut ch = self.next();
        if ch == '^' && self.at(self.cursor - 1) == '[' {
            ch = self.next();
            is_neg = true;
        }
        let union = |prev: Option<CharClass>, c: CharClass| match prev {
            None => c,
            Some(p) => p.union(c),
        };
        loop {
            match ch {
                '[' => {
                    let c = self.clazz(true)?;
                    prev = Some(union(prev, c.clone()));
                    curr = Some(c);
                    ch = self.peek();
                    continue;
                }
                '&' => {
                    ch = self.next();
                    if ch == '&' {
                        ch = self.next();
                        let mut right: Option<CharClass> = None;
                        while ch != ']' && ch != '&' {
                            if ch == '\0' && self.cursor >= self.len {
                                return Err(self.error("Unclosed character class"));
                            }
                            let c = if ch == '[' {
                                self.clazz(true)?
                            } else {
                                self.unread();
                                self.clazz(false)?
                            };
                            right = Some(union(right, c));
                            ch = self.peek();
                        }
                        if has_bits {
                            let b = CharClass::ranges(&std::mem::take(&mut bits));
                            if prev.is_none() {
                                curr = Some(b.clone());
                            }
                            prev = Some(union(prev, b));
                            has_bits = false;
                        }
                        if right.is_some() {
                            curr = right.clone();
                        }
                        prev = match prev {
                            None => match right {
                                None => return Err(self.error("Bad class syntax")),
                                Some(r) => Some(r),
                            },
                            Some(p) => match curr.clone() {
                                Some(c) => Some(p.and(c)),
                                None => Some(p),
                            },
                        };
                    } else {
                        // A literal '&'.
                        self.unread();
                        let c = self.range(&mut bits)?;
                        self.add_item(c, &mut has_bits, &mut prev, &mut curr);
                        ch = self.peek();
                    }
                    continue;
                }
                '\0' if self.cursor >= self.len => {
                    return Err(self.error("Unclosed character class"));
                }
                ']' if prev.is_some() || has_bits => {
                    if consume {
                        self.next();
                    }
                    let mut result = match prev {
                        None => CharClass::ranges(&bits),
                        Some(p) if has_bits => p.union(CharClass::ranges(&bits)),
                        Some(p) => p,
                    };
                    if is_neg {
                        result = result.negate();
                    }
                    self.depth -= 1;
                    return Ok(result);
                }
                _ => {}
            }
            let c = self.range(&mut bits)?;
            self.add_item(c, &mut has_bits, &mut prev, &mut curr);
            ch = self.peek();
        }
    }

    /// The tail of `clazz`'s loop: a predicate from `range` joins the union, `None` means the
    /// item went into the bit set.
    fn add_item(
        &self,
        item: Option<CharClass>,
        has_bits: &mut bool,
        prev: &mut Option<CharClass>,
        curr: &mut Option<CharClass>,
    ) {
        match item {
            None => *has_bits = true,
            Some(c) => {
                *prev = Some(match prev.take() {
                    None => c.clone(),
                    Some(p) => p.union(c.clone()),
                });
                *curr = Some(c);
            }
        }
    }

    /// `Pattern.range`: one class item (a character, a range, an escape or a property);
    /// `None` when it was added to `bits`.
    fn range(&mut self, bits: &mut Vec<(u32, u32)>) -> Result<Option<CharClass>, Throwable> {
        let mut ch = self.peek();
        let c: u32;
        if ch == '\\' {
            ch = self.next_escaped();
            if ch == 'p' || ch == 'P' {
                let one_letter = self.next() != '{';
                if one_letter {
                    self.unread();
                }
                return self.family(one_letter, ch == 'P').map(Some);
            }
            let isrange = self.at(self.cursor + 1) == '-';
            self.unread();
            match self.escape(true, true, isrange)? {
                Escape::Char(x) => c = x,
                Escape::Class(p) => return Ok(Some(p)),
                Escape::Node(_) => return Ok(Some(CharClass::Ranges(Vec::new()))),
            }
        } else {
            self.next();
            c = ch as u32;
        }
        if self.peek() == '-' {
            let end_range = self.at(self.cursor + 1);
            if end_range == '[' {
                return Ok(self.bits_or_single(bits, c));
            }
            if end_range != ']' {
                self.next();
                let m = if self.peek() == '\\' {
                    match self.escape(true, false, true)? {
                        Escape::Char(m) => m as i64,
                        _ => -1,
                    }
                } else {
                    let m = self.peek();
                    self.next();
                    m as i64
                };
                if m < c as i64 {
                    return Err(self.error("Illegal character range"));
                }
                return Ok(Some(class::range(c, m as u32, self.fold())));
            }
        }
        Ok(self.bits_or_single(bits, c))
    }

    /// `Pattern.bitsOrSingle`: Latin-1 characters go into the bit set, except those whose
    /// Unicode case partners lie outside Latin-1.
    fn bits_or_single(&self, bits: &mut Vec<(u32, u32)>, c: u32) -> Option<CharClass> {
        let fold = self.fold();
        let special = fold == Fold::Unicode
            && matches!(
                c,
                0xFF | 0xB5 | 0x49 | 0x69 | 0x53 | 0x73 | 0x4B | 0x6B | 0xC5 | 0xE5
            );
        if c < 256 && !special {
            class::add_bit(bits, c, fold);
            None
        } else {
            Some(class::single(c, fold))
        }
    }
}
