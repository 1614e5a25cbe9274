//! The backtracking matcher: runs a [`Program`] over UTF-8 text the way
//! `java.util.regex.Matcher` walks its node graph, with an explicit backtrack stack (no
//! recursion except one level per nested atomic group or look-around) and bounded work.

use crate::class::{is_bound_word, Fold};
use crate::error::Throwable;
use crate::memo::Memo;
use crate::meter;
use crate::parse::Assert;
use crate::program::{FirstChars, Inst, One, Program, UNBOUNDED};
use crate::unicode;

/// "No position" in a slot or register.
const NONE: usize = usize::MAX;

/// Instructions (and backtracks) one search may execute before giving up. Java has no such
/// limit; it overflows its stack instead, which is the exception reported here.
const STEP_LIMIT: u64 = 20_000_000;

/// Backtrack entries one search may hold (about 24 bytes each).
const STACK_LIMIT: usize = 4_000_000;

/// What undoing or retrying needs.
#[derive(Clone, Copy, Debug)]
enum Frame {
    /// Retry at `pc`, `pos`.
    Branch { pc: u32, pos: usize },
    /// Restore a capture slot.
    Slot { slot: u32, old: usize },
    /// Restore a loop register.
    Reg { reg: u32, count: u32, begin: usize },
    /// A greedy run: give back one character (not going below `min_pos`), continue at `pc`.
    Greedy { pc: u32, min_pos: usize, pos: usize },
    /// A lazy run of the `Rep` at `pc` with `count` characters so far: take one more.
    Lazy { pc: u32, count: u32, pos: usize },
    /// A lazy `RepLoop` at `pc`: run one more iteration from `pos`.
    LazyLoop { pc: u32, pos: usize },
    /// Another iteration of loop `reg` from `pos` failed: remember that, continue at `pc`.
    LoopFailed { pc: u32, reg: u32, pos: usize },
}

/// One search over one text.
pub(crate) struct Exec<'p, 't> {
    prog: &'p Program,
    text: &'t [u8],
    /// Group `g` is `slots[2g]..slots[2g + 1]`; the open position of group `g` is at
    /// `slots[2 * (group_count + 1) + g]`.
    pub(crate) slots: Vec<usize>,
    regs: Vec<(u32, usize)>,
    stack: Vec<Frame>,
    steps: u64,
    step_limit: u64,
    /// What the meter in force allows a search ([`meter::steps_left`]), asked once per
    /// matcher: nothing the matcher does changes it.
    allowance: u64,
    /// Steps of earlier searches by this matcher.
    spent: u64,
    /// Where the previous match ended (`\G`).
    pub(crate) last_end: usize,
    /// Must the match end at the end of the text (`Matcher.matches`)?
    anchor_end: bool,
    /// Where each enclosing look-behind must end.
    behind: Vec<usize>,
    /// (loop register, position) pairs where another iteration failed in this search.
    failed: Memo,
}

fn overflow() -> Throwable {
    // Java has no backtracking limit; a runaway match ends in a stack overflow there.
    Throwable::new(
        crate::error::STACK_OVERFLOW_ERROR,
        "regular expression needs too much backtracking",
    )
}

impl Drop for Exec<'_, '_> {
    fn drop(&mut self) {
        meter::add_work(self.spent + self.steps);
    }
}

/// The code point starting at byte `i` and its length.
#[inline]
fn decode(b: &[u8], i: usize) -> Option<(u32, usize)> {
    let x = *b.get(i)?;
    if x < 0x80 {
        return Some((x as u32, 1));
    }
    let (len, init) = if x >= 0xF0 {
        (4, x & 0x07)
    } else if x >= 0xE0 {
        (3, x & 0x0F)
    } else {
        (2, x & 0x1F)
    };
    let mut c = init as u32;
    for k in 1..len {
        c = (c << 6) | (*b.get(i + k)? & 0x3F) as u32;
    }
    Some((c, len))
}

/// The code point ending at byte `i` and its length.
#[inline]
fn decode_before(b: &[u8], i: usize) -> Option<(u32, usize)> {
    if i == 0 {
        return None;
    }
    let mut s = i - 1;
    while s > 0 && b[s] & 0xC0 == 0x80 {
        s -= 1;
    }
    decode(b, s).map(|(c, _)| (c, i - s))
}

fn is_terminator(c: u32) -> bool {
    matches!(c, 0x0A | 0x0D | 0x85 | 0x2028 | 0x2029)
}

impl<'p, 't> Exec<'p, 't> {
    /// A matcher for `text`; `last_end` is where the previous match ended.
    pub(crate) fn new(prog: &'p Program, text: &'t str, last_end: usize, anchor_end: bool) -> Self {
        let n = prog.group_count + 1;
        let allowance = meter::steps_left();
        Exec {
            prog,
            text: text.as_bytes(),
            slots: vec![NONE; 3 * n],
            regs: vec![(0, NONE); prog.regs],
            stack: Vec::new(),
            steps: 0,
            step_limit: STEP_LIMIT.min(allowance),
            allowance,
            spent: 0,
            last_end,
            anchor_end,
            behind: Vec::new(),
            failed: Memo::default(),
        }
    }

    /// The byte range of group `g` after a successful [`Exec::at`].
    pub(crate) fn group(&self, g: usize) -> Option<(usize, usize)> {
        let (s, e) = (*self.slots.get(2 * g)?, *self.slots.get(2 * g + 1)?);
        (s != NONE && e != NONE).then_some((s, e))
    }

    /// Tries to match at byte `start`; on success returns the end and sets group 0. Groups
    /// are not cleared: like Java, only a new search does that.
    pub(crate) fn at(&mut self, start: usize) -> Result<Option<usize>, Throwable> {
        self.stack.clear();
        let r = self.run(0, start)?;
        if let Some(end) = r {
            self.slots[0] = start;
            self.slots[1] = end;
        }
        Ok(r)
    }

    /// The first match starting at `from` or later: (start, end).
    pub(crate) fn find(&mut self, from: usize) -> Result<Option<(usize, usize)>, Throwable> {
        self.slots.fill(NONE);
        self.failed.clear();
        self.spent += self.steps;
        self.steps = 0;
        // The caller's meter may bound the search further (a render's fuel left, say).
        self.step_limit = (STEP_LIMIT + 64 * self.text.len() as u64).min(self.allowance);
        let mut pos = from;
        let first = self.prog.first;
        while pos <= self.text.len() {
            if let Some(f) = first {
                match self.skip_to_first(f, pos) {
                    Some(p) => pos = p,
                    None => return Ok(None),
                }
            }
            if let Some(end) = self.at(pos)? {
                return Ok(Some((pos, end)));
            }
            if matches!(self.prog.insts.first(), Some(Inst::Assert(Assert::Begin))) {
                return Ok(None);
            }
            pos += decode(self.text, pos).map_or(1, |(_, n)| n);
        }
        Ok(None)
    }

    /// The first position at or after `pos` holding a character a match can start with.
    fn skip_to_first(&self, f: FirstChars, pos: usize) -> Option<usize> {
        let rest = self.text.get(pos..)?;
        if f.few > 0 {
            let [a, b, c] = f.bytes;
            let k = match f.few {
                1 => memchr::memchr(a, rest),
                2 => memchr::memchr2(a, b, rest),
                _ => memchr::memchr3(a, b, c, rest),
            };
            return k.map(|k| pos + k);
        }
        let mut p = pos;
        loop {
            let &b = self.text.get(p)?;
            if b < 0x80 {
                if f.ascii >> b & 1 != 0 {
                    return Some(p);
                }
                p += 1;
            } else if f.non_ascii {
                return Some(p);
            } else {
                p += decode(self.text, p).map_or(1, |(_, n)| n);
            }
        }
    }

    /// Advances over up to `max - *count` characters accepted by `one`, counting them.
    #[inline]
    fn scan(&self, one: One, mut p: usize, max: u32, count: &mut u32) -> usize {
        let t = self.text;
        match one {
            One::Class(i) => {
                let set = &self.prog.sets[i as usize];
                while *count < max {
                    let Some(&b) = t.get(p) else { break };
                    if b < 0x80 {
                        if !set.matches(b as u32) {
                            break;
                        }
                        p += 1;
                    } else {
                        match decode(t, p) {
                            Some((c, n)) if set.matches(c) => p += n,
                            _ => break,
                        }
                    }
                    *count += 1;
                }
            }
            One::Char(c) if c < 0x80 => {
                while *count < max && t.get(p) == Some(&(c as u8)) {
                    p += 1;
                    *count += 1;
                }
            }
            _ => {
                while *count < max {
                    match self.one(one, p) {
                        Some(n) => p += n,
                        None => break,
                    }
                    *count += 1;
                }
            }
        }
        p
    }

    fn set_slot(&mut self, slot: usize, value: usize) -> Result<(), Throwable> {
        self.push(Frame::Slot {
            slot: slot as u32,
            old: self.slots[slot],
        })?;
        self.slots[slot] = value;
        Ok(())
    }

    fn set_reg(&mut self, reg: u32, count: u32, begin: usize) -> Result<(), Throwable> {
        let (c, b) = self.regs[reg as usize];
        self.push(Frame::Reg {
            reg,
            count: c,
            begin: b,
        })?;
        self.regs[reg as usize] = (count, begin);
        Ok(())
    }

    #[inline]
    fn push(&mut self, f: Frame) -> Result<(), Throwable> {
        if self.stack.len() >= STACK_LIMIT {
            return Err(overflow());
        }
        self.stack.push(f);
        Ok(())
    }

    /// Length of the character at `pos` if `one` accepts it.
    #[inline]
    fn one(&self, one: One, pos: usize) -> Option<usize> {
        let (c, n) = decode(self.text, pos)?;
        let ok = match one {
            One::Char(k) => c == k,
            One::Fold(k, fold) => fold.eq(k, c),
            One::Class(i) => self.prog.sets[i as usize].matches(c),
        };
        ok.then_some(n)
    }

    /// Commits to what ran above `base`: Java never revisits an atomic group or a
    /// look-around once it has answered, and never undoes the captures made inside it.
    fn cut(&mut self, base: usize) {
        self.stack.truncate(base);
    }

    /// Pops to the next retry point above `base`: (pc, pos).
    fn backtrack(&mut self, base: usize) -> Result<Option<(usize, usize)>, Throwable> {
        while self.stack.len() > base {
            self.steps += 1;
            let Some(f) = self.stack.pop() else { break };
            match f {
                Frame::Slot { slot, old } => self.slots[slot as usize] = old,
                Frame::Reg { reg, count, begin } => self.regs[reg as usize] = (count, begin),
                Frame::Branch { pc, pos } => return Ok(Some((pc as usize, pos))),
                Frame::LoopFailed { pc, reg, pos } => {
                    self.failed.insert((reg, pos));
                    return Ok(Some((pc as usize, pos)));
                }
                Frame::Greedy { pc, min_pos, pos } => {
                    let np = match self.prog.insts[pc as usize] {
                        // Give back straight to the next place the literal that follows is.
                        Inst::One(One::Char(c)) if c < 0x80 => {
                            match self.text[min_pos..pos].iter().rposition(|&b| b as u32 == c) {
                                Some(k) => min_pos + k,
                                None => continue,
                            }
                        }
                        _ => pos - decode_before(self.text, pos).map_or(1, |(_, n)| n),
                    };
                    if np > min_pos {
                        self.push(Frame::Greedy {
                            pc,
                            min_pos,
                            pos: np,
                        })?;
                    }
                    return Ok(Some((pc as usize, np)));
                }
                Frame::Lazy { pc, count, pos } => {
                    let Inst::Rep { one, max, .. } = self.prog.insts[pc as usize] else {
                        continue;
                    };
                    if let Some(n) = self.one(one, pos) {
                        if count + 1 < max {
                            self.push(Frame::Lazy {
                                pc,
                                count: count + 1,
                                pos: pos + n,
                            })?;
                        }
                        return Ok(Some((pc as usize + 1, pos + n)));
                    }
                }
                Frame::LazyLoop { pc, pos } => {
                    let Inst::RepLoop { reg, .. } = self.prog.insts[pc as usize] else {
                        continue;
                    };
                    let (count, _) = self.regs[reg as usize];
                    self.set_reg(reg, count + 1, pos)?;
                    return Ok(Some((pc as usize + 1, pos)));
                }
            }
        }
        Ok(None)
    }

    /// Runs from `pc` at `pos` until `Match`/`SubMatch`/`BehindMatch` succeeds (returning the
    /// position) or every alternative above the current stack depth has failed.
    fn run(&mut self, mut pc: usize, mut pos: usize) -> Result<Option<usize>, Throwable> {
        let base = self.stack.len();
        loop {
            self.steps += 1;
            if self.steps > self.step_limit {
                return Err(overflow());
            }
            let ok = match self.prog.insts[pc] {
                Inst::One(one) => match self.one(one, pos) {
                    Some(n) => {
                        pos += n;
                        pc += 1;
                        true
                    }
                    None => false,
                },
                Inst::Rep {
                    one,
                    min,
                    max,
                    greedy,
                    possessive,
                } => {
                    let mut count = 0;
                    let mut p = pos;
                    let mut ok = true;
                    while count < min {
                        match self.one(one, p) {
                            Some(n) => {
                                p += n;
                                count += 1;
                            }
                            None => {
                                ok = false;
                                break;
                            }
                        }
                    }
                    self.steps += count as u64;
                    if ok {
                        if greedy {
                            let min_pos = p;
                            p = self.scan(one, p, max, &mut count);
                            self.steps += (p - min_pos) as u64;
                            if !possessive && p > min_pos {
                                self.push(Frame::Greedy {
                                    pc: pc as u32 + 1,
                                    min_pos,
                                    pos: p,
                                })?;
                            }
                        } else if count < max {
                            self.push(Frame::Lazy {
                                pc: pc as u32,
                                count,
                                pos: p,
                            })?;
                        }
                        pos = p;
                        pc += 1;
                    }
                    ok
                }
                Inst::Assert(a) => {
                    if self.assert(a, pos) {
                        pc += 1;
                        true
                    } else {
                        false
                    }
                }
                Inst::GroupStart(g) => {
                    let open = 2 * (self.prog.group_count + 1) + g as usize;
                    self.set_slot(open, pos)?;
                    pc += 1;
                    true
                }
                Inst::GroupEnd(g) => {
                    let open = self.slots[2 * (self.prog.group_count + 1) + g as usize];
                    self.set_slot(2 * g as usize, open)?;
                    self.set_slot(2 * g as usize + 1, pos)?;
                    pc += 1;
                    true
                }
                Inst::Split(a, b) => {
                    self.push(Frame::Branch { pc: b, pos })?;
                    pc = a as usize;
                    true
                }
                Inst::Jmp(t) => {
                    pc = t as usize;
                    true
                }
                Inst::RepInit(reg) => {
                    self.set_reg(reg, 0, NONE)?;
                    pc += 1;
                    true
                }
                Inst::RepLoop {
                    reg,
                    min,
                    max,
                    greedy,
                    memo,
                    whole,
                    exit,
                } => {
                    let (count, begin) = self.regs[reg as usize];
                    // `Loop` ends at an iteration that matched nothing; `Curly`/`GroupCurly`
                    // only check iterations past the minimum.
                    if begin != NONE && pos == begin && !(whole && count <= min) {
                        if whole && !greedy {
                            // `Curly.match1`: an empty lazy iteration fails.
                            match self.backtrack(base)? {
                                Some((p, q)) => {
                                    pc = p;
                                    pos = q;
                                    continue;
                                }
                                None => return Ok(None),
                            }
                        }
                        pc = exit as usize;
                    } else if count < min {
                        self.set_reg(reg, count + 1, pos)?;
                        pc += 1;
                    } else if count < max || max == UNBOUNDED {
                        if memo && self.failed.contains((reg, pos)) {
                            pc = exit as usize;
                        } else if greedy {
                            self.push(if memo {
                                Frame::LoopFailed { pc: exit, reg, pos }
                            } else {
                                Frame::Branch { pc: exit, pos }
                            })?;
                            self.set_reg(reg, count.saturating_add(1), pos)?;
                            pc += 1;
                        } else {
                            self.push(Frame::LazyLoop { pc: pc as u32, pos })?;
                            pc = exit as usize;
                        }
                    } else {
                        pc = exit as usize;
                    }
                    true
                }
                Inst::Backref { group, fold } => match self.backref(group as usize, fold, pos) {
                    Some(n) => {
                        pos += n;
                        pc += 1;
                        true
                    }
                    None => false,
                },
                Inst::Atomic { end } => {
                    let b = self.stack.len();
                    match self.run(pc + 1, pos)? {
                        Some(p) => {
                            self.cut(b);
                            pos = p;
                            pc = end as usize;
                            true
                        }
                        None => false,
                    }
                }
                Inst::Look {
                    behind,
                    negate,
                    min,
                    max,
                    end,
                } => {
                    let b = self.stack.len();
                    let found = if behind {
                        self.look_behind(pc + 1, pos, min, max)?
                    } else {
                        self.run(pc + 1, pos)?.is_some()
                    };
                    if found {
                        self.cut(b);
                    }
                    if found != negate {
                        pc = end as usize;
                        true
                    } else {
                        false
                    }
                }
                Inst::SubMatch => return Ok(Some(pos)),
                Inst::BehindMatch => {
                    if self.behind.last() == Some(&pos) {
                        return Ok(Some(pos));
                    }
                    false
                }
                Inst::Match => {
                    if !self.anchor_end || pos == self.text.len() {
                        return Ok(Some(pos));
                    }
                    false
                }
            };
            if !ok {
                match self.backtrack(base)? {
                    Some((p, q)) => {
                        pc = p;
                        pos = q;
                    }
                    None => return Ok(None),
                }
            }
        }
    }

    /// `Pattern.Behind`: tries starts from `min` to `max` characters back, with Java's
    /// `int` arithmetic: a `max` that overflowed to a negative number reaches back to the
    /// start of the text when `index - max` overflows too, and nowhere otherwise.
    fn look_behind(
        &mut self,
        body: usize,
        pos: usize,
        min: i32,
        max: i32,
    ) -> Result<bool, Throwable> {
        let max_back = if max >= 0 {
            max as usize
        } else {
            // `from = index - max`: past `index` (no start to try) unless it overflows.
            let reach = i32::MAX as i64 + max as i64;
            let index = if (pos as i64) <= reach {
                pos // a character count is no larger than the byte offset
            } else {
                String::from_utf8_lossy(&self.text[..pos]).chars().count()
            };
            if index as i64 <= reach {
                return Ok(false);
            }
            usize::MAX
        };
        let min_back = min.max(0) as usize;
        if max_back < min_back {
            return Ok(false);
        }
        let mut start = pos;
        for _ in 0..min_back {
            match decode_before(self.text, start) {
                Some((_, n)) => start -= n,
                None => return Ok(false),
            }
        }
        self.behind.push(pos);
        let mut k = min_back;
        let mut found = false;
        loop {
            if self.run(body, start)?.is_some() {
                found = true;
                break;
            }
            if k >= max_back {
                break;
            }
            match decode_before(self.text, start) {
                Some((_, n)) => start -= n,
                None => break,
            }
            k += 1;
        }
        self.behind.pop();
        Ok(found)
    }

    /// Length matched by a back reference to `group` at `pos`.
    fn backref(&self, group: usize, fold: Fold, pos: usize) -> Option<usize> {
        if group > self.prog.group_count {
            return None;
        }
        let (s, e) = self.group(group)?;
        let want = &self.text[s..e];
        if fold == Fold::None {
            return self.text[pos..].starts_with(want).then_some(want.len());
        }
        let mut p = pos;
        let mut q = s;
        while q < e {
            let (a, n) = decode(self.text, q)?;
            let (b, m) = decode(self.text, p)?;
            if !fold.same(a, b) {
                return None;
            }
            q += n;
            p += m;
        }
        Some(p - pos)
    }

    fn assert(&self, a: Assert, pos: usize) -> bool {
        let t = self.text;
        let end = t.len();
        match a {
            Assert::Begin => pos == 0,
            Assert::End => pos == end,
            Assert::LastMatchEnd => pos == self.last_end,
            Assert::LineStart { unix } => {
                if pos == end {
                    return false;
                }
                let Some((prev, _)) = decode_before(t, pos) else {
                    return true;
                };
                if unix {
                    prev == 0x0A
                } else {
                    is_terminator(prev) && !(prev == 0x0D && t[pos] == b'\n')
                }
            }
            Assert::LineEnd { unix, multiline } => {
                if pos == end {
                    return true;
                }
                let Some((c, n)) = decode(t, pos) else {
                    return true;
                };
                if unix {
                    return c == 0x0A && (multiline || pos + 1 == end);
                }
                let after_cr = pos > 0 && t[pos - 1] == b'\r';
                if multiline {
                    return if c == 0x0A {
                        !after_cr
                    } else {
                        is_terminator(c)
                    };
                }
                if &t[pos..] == b"\r\n" {
                    return true;
                }
                pos + n == end && is_terminator(c) && !(c == 0x0A && after_cr)
            }
            Assert::WordBoundary { negate, unicode } => {
                let is_word = |upto: usize, c: u32| {
                    is_bound_word(c, unicode)
                        || (unicode::category(c) == unicode::NON_SPACING_MARK
                            && has_base(&t[..upto]))
                };
                let left = decode_before(t, pos).is_some_and(|(c, _)| is_word(pos, c));
                let right = decode(t, pos).is_some_and(|(c, n)| is_word(pos + n, c));
                (left != right) != negate
            }
        }
    }
}

/// `Pattern.hasBaseCharacter`: walking back over non-spacing marks from the end of `text`,
/// is there a letter or digit?
fn has_base(text: &[u8]) -> bool {
    let mut i = text.len();
    while let Some((c, n)) = decode_before(text, i) {
        if unicode::is_letter_or_digit(c) {
            return true;
        }
        if unicode::category(c) != unicode::NON_SPACING_MARK {
            return false;
        }
        i -= n;
    }
    false
}
