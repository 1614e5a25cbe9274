//! Freeing the values a template ties into cycles.
//!
//! Lists and maps are reference-counted, so `#set($m.me = $m)` or `$l.add($l)` makes a cycle
//! whose counts never reach zero; a host that renders for days would lose that memory on every
//! render. Java's collector frees such cycles, and so does this module, for the few places one
//! can form. A new value can only point at values older than itself, so every cycle has at
//! least one edge made by *changing* a list, a map or a map entry; each such change notes the
//! values it touches ([`note_change`]). When a render ends, [`collect`] walks what is reachable
//! from the noted values and counts, for each, the references that come from inside that graph.
//! A value with more references than that is held from outside (the caller's [`crate::Vars`],
//! a value the caller kept, a render still running): it stays, with everything it reaches. The
//! rest is reachable only from itself, so it is garbage, and emptying it frees it (the trial
//! deletion of Bacon and Rajan's synchronous cycle collector). Nothing anyone can still reach
//! is emptied: references the walk cannot see (inside host objects it does not know) only
//! make it keep more.
//!
//! A noted value that stays and lies on a cycle (one made inside the caller's variables) stays
//! noted, and is looked at again when the next render on the thread ends or when the
//! [`crate::Vars`] are dropped. The walk uses a work list, never recursion.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::rc::{Rc, Weak};

use crate::fxhash::FxHasher;
use crate::value::{List, Map, Object, Value};

/// A value that can hold references to others.
enum Node {
    List(Rc<List>),
    Map(Rc<Map>),
    Object(Rc<dyn Object>),
}

/// A noted value, not kept alive by the note.
enum Noted {
    List(Weak<List>),
    Map(Weak<Map>),
    Object(Weak<dyn Object>),
}

/// How many notes trigger a compaction (dropping dead and repeated notes) at the least.
const COMPACT_AT: usize = 1024;

#[derive(Default)]
struct Notes {
    noted: Vec<Noted>,
    compact_at: usize,
}

thread_local! {
    static NOTES: RefCell<Notes> = RefCell::new(Notes::default());
}

impl Noted {
    fn of(v: &Value) -> Option<Noted> {
        Some(match v {
            Value::List(l) => Noted::List(Rc::downgrade(l)),
            Value::Map(m) => Noted::Map(Rc::downgrade(m)),
            Value::Object(o) if o.holds_values() => Noted::Object(Rc::downgrade(o)),
            _ => return None,
        })
    }

    fn address(&self) -> *const () {
        match self {
            Noted::List(w) => w.as_ptr() as *const (),
            Noted::Map(w) => w.as_ptr() as *const (),
            Noted::Object(w) => w.as_ptr() as *const (),
        }
    }

    fn alive(&self) -> bool {
        match self {
            Noted::List(w) => w.strong_count() > 0,
            Noted::Map(w) => w.strong_count() > 0,
            Noted::Object(w) => w.strong_count() > 0,
        }
    }

    fn upgrade(&self) -> Option<Node> {
        Some(match self {
            Noted::List(w) => Node::List(w.upgrade()?),
            Noted::Map(w) => Node::Map(w.upgrade()?),
            Noted::Object(w) => Node::Object(w.upgrade()?),
        })
    }
}

impl Node {
    fn of(v: &Value) -> Option<Node> {
        Some(match v {
            Value::List(l) => Node::List(l.clone()),
            Value::Map(m) => Node::Map(m.clone()),
            Value::Object(o) if o.holds_values() => Node::Object(o.clone()),
            _ => return None,
        })
    }

    fn address(&self) -> *const () {
        match self {
            Node::List(rc) => Rc::as_ptr(rc) as *const (),
            Node::Map(rc) => Rc::as_ptr(rc) as *const (),
            Node::Object(rc) => Rc::as_ptr(rc) as *const (),
        }
    }

    fn strong_count(&self) -> usize {
        match self {
            Node::List(rc) => Rc::strong_count(rc),
            Node::Map(rc) => Rc::strong_count(rc),
            Node::Object(rc) => Rc::strong_count(rc),
        }
    }

    fn noted(&self) -> Noted {
        match self {
            Node::List(rc) => Noted::List(Rc::downgrade(rc)),
            Node::Map(rc) => Noted::Map(Rc::downgrade(rc)),
            Node::Object(rc) => Noted::Object(Rc::downgrade(rc)),
        }
    }

    /// Calls `f` once for every strong reference this value holds to another value.
    fn each_reference(&self, f: &mut dyn FnMut(&Value)) {
        match self {
            Node::List(l) => {
                if let Ok(items) = l.items.try_borrow() {
                    items.iter().for_each(f);
                }
            }
            Node::Map(m) => {
                if let Ok(entries) = m.entries.try_borrow() {
                    for (k, v) in entries.iter() {
                        f(&k.0);
                        f(v);
                    }
                }
            }
            Node::Object(o) => o.for_each_value(f),
        }
    }

    /// Empties the value, moving what it held into `freed` (dropped by the caller, once no
    /// borrow is held).
    fn empty_into(&self, freed: &mut Vec<Value>) {
        match self {
            Node::List(l) => {
                if let Ok(mut items) = l.items.try_borrow_mut() {
                    freed.append(&mut *items);
                }
            }
            Node::Map(m) => {
                if let Ok(mut entries) = m.entries.try_borrow_mut() {
                    for (k, v) in entries.drain(..) {
                        freed.push(k.0);
                        freed.push(v);
                    }
                }
            }
            Node::Object(o) => o.give_up_values(freed),
        }
    }
}

fn is_node(v: &Value) -> bool {
    match v {
        Value::List(_) | Value::Map(_) => true,
        Value::Object(o) => o.holds_values(),
        _ => false,
    }
}

/// Notes a change that stores `args` into `target` (a list or map method, `#set` of a
/// property or an index, a map entry's `setValue`), if any of them can hold references.
pub(crate) fn note_change(target: &Value, args: &[Value]) {
    if !args.iter().any(is_node) {
        return;
    }
    let _ = NOTES.try_with(|notes| {
        let Ok(mut notes) = notes.try_borrow_mut() else {
            return;
        };
        for v in std::iter::once(target).chain(args) {
            if let Some(n) = Noted::of(v) {
                if notes.noted.last().map(Noted::address) != Some(n.address()) {
                    notes.noted.push(n);
                }
            }
        }
        if notes.noted.len() >= notes.compact_at.max(COMPACT_AT) {
            compact(&mut notes);
        }
    });
}

/// Drops dead and repeated notes; the next compaction waits until the list doubles.
fn compact(notes: &mut Notes) {
    notes.noted.retain(Noted::alive);
    notes.noted.sort_unstable_by_key(Noted::address);
    notes.noted.dedup_by_key(|n| n.address());
    notes.compact_at = notes.noted.len() * 2;
}

/// Runs [`collect`] when dropped: a render declares one before anything else.
pub(crate) struct AtRenderEnd;

impl Drop for AtRenderEnd {
    fn drop(&mut self) {
        collect();
    }
}

/// Frees the cycles among the noted values that nothing outside them reaches any more.
pub(crate) fn collect() {
    let noted = NOTES
        .try_with(|notes| {
            notes
                .try_borrow_mut()
                .map(|mut n| std::mem::take(&mut n.noted))
                .unwrap_or_default()
        })
        .unwrap_or_default();
    if noted.is_empty() {
        return;
    }
    let graph = Graph::walk(noted.iter().filter_map(Noted::upgrade));
    drop(noted);
    let kept = graph.keep_cycles_held_from_outside();
    let mut freed = Vec::new();
    for (i, node) in graph.nodes.iter().enumerate() {
        if !graph.live[i] {
            node.empty_into(&mut freed);
        }
    }
    drop(graph);
    drop(freed);
    if !kept.is_empty() {
        let _ = NOTES.try_with(|notes| {
            if let Ok(mut notes) = notes.try_borrow_mut() {
                notes.noted.extend(kept);
            }
        });
    }
}

/// The values reachable from the noted ones, with their references.
struct Graph {
    nodes: Vec<Node>,
    /// `edges[i]`: the indices of the values `nodes[i]` refers to, once per reference.
    edges: Vec<Vec<usize>>,
    /// Whether something outside the graph reaches the value (directly or through others).
    live: Vec<bool>,
}

impl Graph {
    fn walk(roots: impl Iterator<Item = Node>) -> Graph {
        let mut index: HashMap<*const (), usize, BuildHasherDefault<FxHasher>> = HashMap::default();
        let mut nodes: Vec<Node> = Vec::new();
        let mut pending: Vec<usize> = Vec::new();
        let mut add = |node: Node, nodes: &mut Vec<Node>, pending: &mut Vec<usize>| {
            *index.entry(node.address()).or_insert_with(|| {
                nodes.push(node);
                pending.push(nodes.len() - 1);
                nodes.len() - 1
            })
        };
        for root in roots {
            add(root, &mut nodes, &mut pending);
        }
        let mut edges: Vec<Vec<usize>> = Vec::new();
        while let Some(i) = pending.pop() {
            let mut children = Vec::new();
            nodes[i].each_reference(&mut |v| children.extend(Node::of(v)));
            let targets = children
                .into_iter()
                .map(|child| add(child, &mut nodes, &mut pending))
                .collect();
            edges.resize_with(nodes.len(), Vec::new);
            edges[i] = targets;
        }
        edges.resize_with(nodes.len(), Vec::new);
        // References from inside the graph, plus the one `nodes` holds.
        let mut inside = vec![1usize; nodes.len()];
        for targets in &edges {
            for &t in targets {
                inside[t] += 1;
            }
        }
        let mut live: Vec<bool> = nodes
            .iter()
            .zip(&inside)
            .map(|(n, &k)| n.strong_count() > k)
            .collect();
        let mut work: Vec<usize> = (0..nodes.len()).filter(|&i| live[i]).collect();
        while let Some(i) = work.pop() {
            for &t in &edges[i] {
                if !live[t] {
                    live[t] = true;
                    work.push(t);
                }
            }
        }
        Graph { nodes, edges, live }
    }

    /// One note for each cycle (strongly connected part with a cycle) of live values, so that
    /// it is looked at again once its holder lets go.
    fn keep_cycles_held_from_outside(&self) -> Vec<Noted> {
        let n = self.nodes.len();
        let mut kept = Vec::new();
        // Tarjan's algorithm, with an explicit stack.
        const UNSEEN: usize = usize::MAX;
        let mut order = vec![UNSEEN; n];
        let mut low = vec![0usize; n];
        let mut on_stack = vec![false; n];
        let mut stack: Vec<usize> = Vec::new();
        let mut next = 0usize;
        for start in 0..n {
            if order[start] != UNSEEN || !self.live[start] {
                continue;
            }
            let mut frames: Vec<(usize, usize)> = vec![(start, 0)];
            order[start] = next;
            low[start] = next;
            next += 1;
            stack.push(start);
            on_stack[start] = true;
            while let Some(frame) = frames.last_mut() {
                let v = frame.0;
                if let Some(&w) = self.edges[v].get(frame.1) {
                    frame.1 += 1;
                    if order[w] == UNSEEN {
                        order[w] = next;
                        low[w] = next;
                        next += 1;
                        stack.push(w);
                        on_stack[w] = true;
                        frames.push((w, 0));
                    } else if on_stack[w] {
                        low[v] = low[v].min(order[w]);
                    }
                    continue;
                }
                frames.pop();
                if let Some(&(parent, _)) = frames.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == order[v] {
                    let mut size = 0;
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        size += 1;
                        if w == v {
                            break;
                        }
                    }
                    if size > 1 || self.edges[v].contains(&v) {
                        kept.push(self.nodes[v].noted());
                    }
                }
            }
        }
        kept
    }
}
