//! `Node.study` of JDK 17: the minimum and maximum length of a pattern in characters (with
//! Java's `int` overflow), which bounds look-behinds, and whether a repeated group matches in
//! only one way, which decides how Java repeats it.

use super::tree::Node;

/// What `Node.study` learns about a pattern (Java `int` arithmetic, overflow included).
#[derive(Clone, Copy)]
struct Info {
    min: i32,
    max: i32,
    max_valid: bool,
    deterministic: bool,
}

impl Info {
    fn new() -> Info {
        Info {
            min: 0,
            max: 0,
            max_valid: true,
            deterministic: true,
        }
    }
}

const MAX_REPS: i32 = i32::MAX;

fn is_single(node: &Node) -> bool {
    matches!(node, Node::Char { .. } | Node::Class(_))
}

/// Nodes a quantifier treats as one unit (`Curly`/`Ques` over the node itself).
pub(crate) fn is_unit(node: &Node) -> bool {
    is_single(node)
        || matches!(
            node,
            Node::LineBreak | Node::Atomic(_) | Node::LookAhead { .. } | Node::LookBehind { .. }
        )
}

/// Does Java repeat `node` one whole iteration at a time (`Curly`, `Ques` or `GroupCurly`,
/// never backtracking into an iteration) rather than with `Loop` or a `Branch`?
pub(crate) fn repeats_whole(node: &Node) -> bool {
    if is_unit(node) {
        return true;
    }
    let mut info = Info::new();
    study_chain(&chain_of(node), &mut info);
    info.deterministic
}

/// Java links a pattern into one chain of nodes, groups and sequences included; this lists
/// `node`'s part of that chain.
fn flatten<'n>(node: &'n Node, out: &mut Vec<&'n Node>) {
    match node {
        Node::Concat(v) => v.iter().for_each(|n| flatten(n, out)),
        Node::Group(_, n) => flatten(n, out),
        Node::Empty => {}
        n => out.push(n),
    }
}

/// `Node.study` along a chain: each node adds to `info` and studies what follows it.
fn study_chain(chain: &[&Node], info: &mut Info) {
    for (i, node) in chain.iter().enumerate() {
        match node {
            Node::Empty | Node::Assert(_) | Node::LookAhead { .. } | Node::LookBehind { .. } => {}
            Node::Group(..) | Node::Concat(_) => {}
            Node::Char { .. } | Node::Class(_) => {
                info.min = info.min.wrapping_add(1);
                info.max = info.max.wrapping_add(1);
            }
            Node::LineBreak => {
                info.min = info.min.wrapping_add(1);
                info.max = info.max.wrapping_add(2);
            }
            Node::Backref { .. } => info.max_valid = false,
            Node::Alt(v) => {
                branch(v.iter().collect(), &chain[i + 1..], info);
                return;
            }
            Node::Atomic(n) => match &**n {
                // `x?+` is `Ques(POSSESSIVE)`: the minimum does not grow.
                Node::Repeat {
                    node,
                    min: 0,
                    max: Some(1),
                    ..
                } => ques(node, info),
                // Other possessive quantifiers are `Curly`.
                Node::Repeat { node, min, max, .. } => curly(node, *min, *max, info),
                // `(?>x)` is `Ques(INDEPENDENT)`, which adds the body's lengths.
                n => study_chain(&chain_of(n), info),
            },
            Node::Repeat {
                node,
                min,
                max,
                greedy,
            } => {
                // `\R`, atomic groups and look-arounds are single nodes to their quantifier.
                let whole = is_unit(node);
                if *min == 0 && *max == Some(1) {
                    if whole {
                        ques(node, info);
                    } else {
                        // A group with `?` is a `Branch` with an empty alternative.
                        branch(vec![node, &Node::Empty], &chain[i + 1..], info);
                        return;
                    }
                } else if is_single(node) && *greedy && max.is_none() {
                    // `CharPropertyGreedy`: no overflow check.
                    info.min = info.min.wrapping_add(*min as i32);
                    if info.max_valid {
                        info.max = info.max.wrapping_add(MAX_REPS);
                    }
                    info.deterministic = false;
                } else if whole || {
                    let mut inner = Info::new();
                    study_chain(&chain_of(node), &mut inner);
                    inner.deterministic
                } {
                    curly(node, *min, *max, info);
                } else {
                    // `Loop`: a repeated group that can match in more than one way.
                    info.max_valid = false;
                    info.deterministic = false;
                    return;
                }
            }
        }
    }
}

/// `Ques.study` (greedy, lazy or possessive `?` on one node): the body's lengths without
/// growing the minimum.
fn ques(node: &Node, info: &mut Info) {
    let keep = info.min;
    study_chain(&chain_of(node), info);
    info.min = keep;
    info.deterministic = false;
}

fn chain_of(node: &Node) -> Vec<&Node> {
    let mut v = Vec::new();
    flatten(node, &mut v);
    v
}

/// `Branch.study`: the alternatives from scratch, then the rest of the chain from scratch,
/// both added to what came before without overflow checks.
fn branch(alternatives: Vec<&Node>, rest: &[&Node], info: &mut Info) {
    let (mut min2, mut max2, mut valid) = (i32::MAX, -1i32, info.max_valid);
    for n in alternatives {
        let mut one = Info::new();
        study_chain(&chain_of(n), &mut one);
        min2 = min2.min(one.min);
        max2 = max2.max(one.max);
        valid &= one.max_valid;
    }
    let (min, max) = (info.min.wrapping_add(min2), info.max.wrapping_add(max2));
    *info = Info::new();
    study_chain(rest, info);
    info.min = info.min.wrapping_add(min);
    info.max = info.max.wrapping_add(max);
    info.max_valid &= valid;
    info.deterministic = false;
}

/// `Curly.study` / `GroupCurly.study`: the product may wrap; only a total below what came
/// before counts as overflow.
fn curly(node: &Node, cmin: u32, cmax: Option<u32>, info: &mut Info) {
    let cmin = cmin.min(MAX_REPS as u32) as i32;
    let cmax = cmax.map_or(MAX_REPS, |m| m.min(MAX_REPS as u32) as i32);
    let mut inner = Info::new();
    study_chain(&chain_of(node), &mut inner);
    let temp = inner.min.wrapping_mul(cmin).wrapping_add(info.min);
    info.min = if temp < info.min { 0xFFFFFFF } else { temp };
    if info.max_valid && inner.max_valid {
        let temp = inner.max.wrapping_mul(cmax);
        let total = info.max.wrapping_add(temp);
        if total < info.max {
            info.max_valid = false;
        } else {
            info.max = total;
        }
    } else {
        info.max_valid = false;
    }
    if !(inner.deterministic && cmin == cmax) {
        info.deterministic = false;
    }
}

/// The shortest and longest match of a look-behind body in characters, as Java computes
/// them (`int` arithmetic: either may have wrapped); `None` when Java finds no "obvious
/// maximum length".
pub(super) fn width(node: &Node) -> Option<(i32, i32)> {
    let mut info = Info::new();
    study_chain(&chain_of(node), &mut info);
    info.max_valid.then_some((info.min, info.max))
}
