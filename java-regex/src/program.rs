//! Compiles a parsed pattern ([`Node`]) into a flat program for the backtracking matcher in
//! `exec.rs`.

use crate::class::{self, CharClass, Fold};
use crate::parse::{self, Assert, Node};

/// Marks "no limit" in [`Inst::Rep`] and [`Inst::RepLoop`].
pub(crate) const UNBOUNDED: u32 = u32::MAX;

/// What a single-character step accepts.
#[derive(Clone, Copy, Debug)]
pub(crate) enum One {
    /// This code point.
    Char(u32),
    /// A character comparing equal to this folded key.
    Fold(u32, Fold),
    /// A member of `Program::sets[i]`.
    Class(u32),
}

/// One matcher instruction.
#[derive(Clone, Debug)]
pub(crate) enum Inst {
    /// Consume one character.
    One(One),
    /// A run of `min..=max` single characters: greedy (backing off one at a time), lazy, or
    /// possessive (never backing off).
    Rep {
        one: One,
        min: u32,
        max: u32,
        greedy: bool,
        possessive: bool,
    },
    Assert(Assert),
    /// Remember where group `0` starts.
    GroupStart(u32),
    /// Group `0` ends here: publish it.
    GroupEnd(u32),
    /// Continue at `.0`; on failure, at `.1`.
    Split(u32, u32),
    Jmp(u32),
    /// Reset loop register `0` before a general repeat.
    RepInit(u32),
    /// The head of a general repeat whose body follows; `exit` is after it. An iteration that
    /// consumed nothing ends the loop (`Pattern.Loop`).
    RepLoop {
        reg: u32,
        min: u32,
        max: u32,
        greedy: bool,
        /// Remember where another iteration failed and do not try it there again (Java's
        /// `Loop.posIndex`: unbounded greedy loops, not inside another repeated group, in
        /// patterns without back references).
        memo: bool,
        /// Whole-iteration repeat (`Curly`/`GroupCurly`): a lazy iteration that matches
        /// nothing fails instead of ending the loop.
        whole: bool,
        exit: u32,
    },
    Backref {
        group: u32,
        fold: Fold,
    },
    /// `(?>…)`: run the body (which ends in `SubMatch`), keep its first success, go to `end`.
    Atomic {
        end: u32,
    },
    /// A look-ahead (body ends in `SubMatch`) or look-behind of `min..=max` characters (body
    /// ends in `BehindMatch`).
    Look {
        behind: bool,
        negate: bool,
        min: i32,
        max: i32,
        end: u32,
    },
    /// The end of an atomic or look-ahead body.
    SubMatch,
    /// The end of a look-behind body: succeeds only where the look-behind started.
    BehindMatch,
    /// The end of the pattern.
    Match,
}

/// A compiled pattern.
#[derive(Debug)]
pub(crate) struct Program {
    pub insts: Vec<Inst>,
    pub sets: Vec<Set>,
    /// The characters a match can start with, when no match can be empty.
    pub first: Option<FirstChars>,
    /// Number of loop registers.
    pub regs: usize,
    pub group_count: usize,
}

/// Compiles `node` (with `group_count` capturing groups).
pub(crate) fn compile(node: &Node, group_count: usize) -> Program {
    let mut c = Compiler {
        prog: Program {
            insts: Vec::new(),
            sets: Vec::new(),
            first: None,
            regs: 0,
            group_count,
        },
        backrefs: has_backref(node),
        repeats: 0,
    };
    c.node(node);
    c.emit(Inst::Match);
    c.prog.first = c.prog.first_chars(0, 0);
    c.prog
}

/// A character class with its ASCII members as a bit map.
#[derive(Debug)]
pub(crate) struct Set {
    ascii: u128,
    /// Can a non-ASCII character match?
    non_ascii: bool,
    class: CharClass,
}

impl Set {
    fn new(class: CharClass) -> Set {
        let mut ascii = 0u128;
        for c in 0..128u32 {
            if class.matches(c) {
                ascii |= 1 << c;
            }
        }
        let non_ascii = match &class {
            CharClass::Ranges(r) => r.last().is_some_and(|&(_, hi)| hi >= 128),
            _ => true,
        };
        Set {
            ascii,
            non_ascii,
            class,
        }
    }

    /// Does code point `c` belong to the set?
    #[inline]
    pub(crate) fn matches(&self, c: u32) -> bool {
        if c < 128 {
            self.ascii >> c & 1 != 0
        } else {
            self.non_ascii && self.class.matches(c)
        }
    }
}

/// The possible first characters of a match: ASCII ones as a bit map, other ones as a flag.
#[derive(Clone, Copy, Debug)]
pub(crate) struct FirstChars {
    pub ascii: u128,
    pub non_ascii: bool,
    /// When only one to three ASCII characters can start a match (`few` of them), those.
    pub bytes: [u8; 3],
    pub few: u8,
}

impl FirstChars {
    fn union(self, o: FirstChars) -> FirstChars {
        FirstChars::new(self.ascii | o.ascii, self.non_ascii || o.non_ascii)
    }

    fn new(ascii: u128, non_ascii: bool) -> FirstChars {
        let mut bytes = [0u8; 3];
        let mut few = 0u8;
        if !non_ascii && ascii.count_ones() <= 3 {
            for b in (0..128u8).filter(|&b| ascii >> b & 1 != 0) {
                bytes[few as usize] = b;
                few += 1;
            }
        }
        FirstChars {
            ascii,
            non_ascii,
            bytes,
            few,
        }
    }
}

impl Program {
    fn one_first(&self, one: One) -> FirstChars {
        match one {
            One::Char(c) if c < 128 => FirstChars::new(1 << c, false),
            One::Char(_) => FirstChars::new(0, true),
            One::Fold(k, fold) => {
                let mut ascii = 0u128;
                for c in 0..128u32 {
                    if fold.eq(k, c) {
                        ascii |= 1 << c;
                    }
                }
                FirstChars::new(ascii, true)
            }
            One::Class(i) => {
                let s = &self.sets[i as usize];
                FirstChars::new(s.ascii, s.non_ascii)
            }
        }
    }

    /// What a match from `pc` can start with; `None` when it may match the empty string or
    /// the program is too involved to tell.
    fn first_chars(&self, pc: usize, depth: u32) -> Option<FirstChars> {
        if depth > 24 {
            return None;
        }
        let next = |p: u32| self.first_chars(p as usize, depth + 1);
        match self.insts.get(pc)? {
            Inst::One(one) => Some(self.one_first(*one)),
            Inst::Rep { one, min, .. } => {
                let f = self.one_first(*one);
                if *min >= 1 {
                    Some(f)
                } else {
                    Some(f.union(next(pc as u32 + 1)?))
                }
            }
            Inst::GroupStart(_) | Inst::GroupEnd(_) | Inst::Assert(_) | Inst::RepInit(_) => {
                next(pc as u32 + 1)
            }
            Inst::Atomic { .. } => next(pc as u32 + 1),
            Inst::Split(a, b) => Some(next(*a)?.union(next(*b)?)),
            Inst::Jmp(t) => next(*t),
            Inst::RepLoop { min, exit, .. } => {
                let body = next(pc as u32 + 1)?;
                if *min >= 1 {
                    Some(body)
                } else {
                    Some(body.union(next(*exit)?))
                }
            }
            _ => None,
        }
    }
}

struct Compiler {
    prog: Program,
    /// Does the pattern have a back reference (which turns the loop memo off)?
    backrefs: bool,
    /// How many repeated groups enclose what is being compiled.
    repeats: u32,
}

fn has_backref(node: &Node) -> bool {
    match node {
        Node::Backref { .. } => true,
        Node::Concat(v) | Node::Alt(v) => v.iter().any(has_backref),
        Node::Group(_, n) | Node::Atomic(n) => has_backref(n),
        Node::Repeat { node, .. } => has_backref(node),
        Node::LookAhead { node, .. } | Node::LookBehind { node, .. } => has_backref(node),
        _ => false,
    }
}

impl Compiler {
    fn pc(&self) -> u32 {
        self.prog.insts.len() as u32
    }

    fn emit(&mut self, inst: Inst) -> u32 {
        self.prog.insts.push(inst);
        self.pc() - 1
    }

    fn patch(&mut self, at: u32, target: u32) {
        match &mut self.prog.insts[at as usize] {
            Inst::Split(_, b) => *b = target,
            Inst::Jmp(t) => *t = target,
            Inst::RepLoop { exit, .. } => *exit = target,
            Inst::Atomic { end } | Inst::Look { end, .. } => *end = target,
            _ => {}
        }
    }

    /// The single-character step for `node`, if it is one.
    fn one(&mut self, node: &Node) -> Option<One> {
        match node {
            Node::Group(0, n) => self.one(n),
            Node::Char { key, fold } => Some(match char::from_u32(*key) {
                None => {
                    // A lone surrogate never occurs in a Rust string.
                    self.prog.sets.push(Set::new(CharClass::Ranges(Vec::new())));
                    One::Class(self.prog.sets.len() as u32 - 1)
                }
                Some(_) if *fold == Fold::None => One::Char(*key),
                Some(_) => One::Fold(*key, *fold),
            }),
            Node::Class(c) => {
                self.prog.sets.push(Set::new(c.clone()));
                Some(One::Class(self.prog.sets.len() as u32 - 1))
            }
            _ => None,
        }
    }

    fn node(&mut self, node: &Node) {
        if let Some(one) = self.one(node) {
            self.emit(Inst::One(one));
            return;
        }
        match node {
            Node::Empty => {}
            Node::Char { .. } | Node::Class(_) => {}
            Node::Concat(v) => v.iter().for_each(|n| self.node(n)),
            Node::Alt(v) => {
                let mut jumps = Vec::new();
                for (i, n) in v.iter().enumerate() {
                    if i + 1 < v.len() {
                        let split = self.emit(Inst::Split(0, 0));
                        if let Inst::Split(a, _) = &mut self.prog.insts[split as usize] {
                            *a = split + 1;
                        }
                        self.node(n);
                        jumps.push(self.emit(Inst::Jmp(0)));
                        let next = self.pc();
                        self.patch(split, next);
                    } else {
                        self.node(n);
                    }
                }
                let end = self.pc();
                for j in jumps {
                    self.patch(j, end);
                }
            }
            Node::Group(0, n) => self.node(n),
            Node::Group(g, n) => {
                self.emit(Inst::GroupStart(*g as u32));
                self.node(n);
                self.emit(Inst::GroupEnd(*g as u32));
            }
            Node::Repeat {
                node,
                min,
                max,
                greedy,
            } => self.repeat(node, *min, *max, *greedy, false),
            Node::Atomic(inner) => {
                if let Node::Repeat {
                    node,
                    min,
                    max,
                    greedy: true,
                } = &**inner
                {
                    let mut inner = &**node;
                    while let Node::Group(0, n) = inner {
                        inner = n;
                    }
                    if matches!(inner, Node::Char { .. } | Node::Class(_)) {
                        self.repeat(node, *min, *max, true, true);
                        return;
                    }
                }
                let at = self.emit(Inst::Atomic { end: 0 });
                self.node(inner);
                self.emit(Inst::SubMatch);
                let end = self.pc();
                self.patch(at, end);
            }
            Node::LookAhead { negate, node } => {
                let at = self.emit(Inst::Look {
                    behind: false,
                    negate: *negate,
                    min: 0,
                    max: 0,
                    end: 0,
                });
                self.node(node);
                self.emit(Inst::SubMatch);
                let end = self.pc();
                self.patch(at, end);
            }
            Node::LookBehind {
                negate,
                node,
                min,
                max,
            } => {
                let at = self.emit(Inst::Look {
                    behind: true,
                    negate: *negate,
                    min: *min,
                    max: *max,
                    end: 0,
                });
                self.node(node);
                self.emit(Inst::BehindMatch);
                let end = self.pc();
                self.patch(at, end);
            }
            Node::Assert(a) => {
                self.emit(Inst::Assert(*a));
            }
            Node::LineBreak => {
                let crlf = [0x0D, 0x0A].map(|key| Node::Char {
                    key,
                    fold: Fold::None,
                });
                self.node(&Node::Alt(vec![
                    Node::Concat(crlf.to_vec()),
                    Node::Class(class::vertical_space()),
                ]));
            }
            Node::Backref { group, fold } => {
                self.emit(Inst::Backref {
                    group: *group as u32,
                    fold: *fold,
                });
            }
        }
    }

    /// One iteration of a whole-iteration repeat: the body atomic, the repeated group's own
    /// capture outside it (so that giving an iteration back restores it).
    fn iteration(&mut self, node: &Node) {
        let (group, body) = match node {
            Node::Group(g, inner) if *g > 0 => (Some(*g as u32), &**inner),
            Node::Group(0, inner) => (None, &**inner),
            n => (None, n),
        };
        if let Some(g) = group {
            self.emit(Inst::GroupStart(g));
        }
        let at = self.emit(Inst::Atomic { end: 0 });
        self.node(body);
        self.emit(Inst::SubMatch);
        let end = self.pc();
        self.patch(at, end);
        if let Some(g) = group {
            self.emit(Inst::GroupEnd(g));
        }
    }

    fn repeat(&mut self, node: &Node, min: u32, max: Option<u32>, greedy: bool, possessive: bool) {
        let max_n = max.unwrap_or(UNBOUNDED);
        if max_n == 0 {
            return;
        }
        if let Some(one) = self.one(node) {
            if min == 1 && max_n == 1 {
                self.emit(Inst::One(one));
            } else {
                self.emit(Inst::Rep {
                    one,
                    min,
                    max: max_n,
                    greedy,
                    possessive,
                });
            }
            return;
        }
        // Java repeats a deterministic group (`GroupCurly`), `\R`, an atomic group or a
        // look-around (`Curly`, `Ques`) one whole iteration at a time: it never backtracks
        // into an iteration, and captures made inside one stay even when it is given back.
        let whole = parse::repeats_whole(node);
        if min == 1 && max_n == 1 && !whole {
            self.node(node);
            return;
        }
        if min == 0 && max_n == 1 {
            // `x?`: an alternation with the empty string (`Pattern.Ques` / `Branch`).
            let split = self.emit(Inst::Split(0, 0));
            if parse::is_unit(node) {
                self.iteration(node);
            } else {
                self.node(node);
            }
            let end = self.pc();
            self.prog.insts[split as usize] = if greedy {
                Inst::Split(split + 1, end)
            } else {
                Inst::Split(end, split + 1)
            };
            return;
        }
        let reg = self.prog.regs as u32;
        self.prog.regs += 1;
        self.emit(Inst::RepInit(reg));
        let head = self.emit(Inst::RepLoop {
            reg,
            min,
            max: max_n,
            greedy,
            memo: greedy && max.is_none() && !whole && !self.backrefs && self.repeats == 0,
            whole,
            exit: 0,
        });
        self.repeats += 1;
        if whole {
            self.iteration(node);
        } else {
            self.node(node);
        }
        self.repeats -= 1;
        self.emit(Inst::Jmp(head));
        let exit = self.pc();
        self.patch(head, exit);
    }
}
