//! Building of a body only what a template can read of it: a [`Selection`] of the object
//! entries on the paths the template names, and the sink that builds just those.

use std::sync::Arc;

use super::parse::{Sink, Text, Values};
use crate::value::Value;

/// The parts of a document a template can read: the property chains (`$.a.b`) that lead to
/// the values its `$input.path`/`$input.json` paths start from. Parsing with a selection
/// builds, of each object on such a chain, only the entries the chains name; every value
/// at a chain's end, and every value that is not an object, is built whole. A path read from
/// the pruned document gives what it gives from the whole one, as long as it starts with
/// one of the chains and then stays inside the value there (no filter, which may read `$`).
#[derive(Debug)]
pub(crate) struct Selection {
    /// Node 0 is the document; each node's children are the names read below it.
    pub(crate) nodes: Vec<SelectionNode>,
}

#[derive(Debug, Default)]
pub(crate) struct SelectionNode {
    /// A chain ends here: the value is built whole.
    pub(crate) whole: bool,
    pub(crate) children: Vec<(Box<str>, u32)>,
}

impl Selection {
    /// The selection of `chains` (each a list of property names from the document), or
    /// `None` when one of them is the whole document (or there are too many names to be
    /// worth it).
    pub(crate) fn new<'c>(chains: impl IntoIterator<Item = Vec<&'c str>>) -> Option<Selection> {
        let mut sel = Selection {
            nodes: vec![SelectionNode::default()],
        };
        for chain in chains {
            if chain.is_empty() {
                return None;
            }
            let mut node = 0usize;
            for name in chain {
                if sel.nodes[node].whole {
                    break;
                }
                node = match sel.child(node as u32, name) {
                    Some(child) => child as usize,
                    None => {
                        let child = sel.nodes.len();
                        if child > 256 {
                            return None;
                        }
                        sel.nodes.push(SelectionNode::default());
                        sel.nodes[node]
                            .children
                            .push((Box::from(name), child as u32));
                        child
                    }
                };
            }
            sel.nodes[node].whole = true;
            sel.nodes[node].children.clear();
        }
        Some(sel)
    }

    /// How the value at `node` is read.
    pub(crate) fn mode(&self, node: u32) -> Mode {
        if self.nodes[node as usize].whole {
            Mode::Whole
        } else {
            Mode::Pick(node)
        }
    }

    /// The node of `name` below `node`.
    pub(crate) fn child(&self, node: u32, name: &str) -> Option<u32> {
        let children = &self.nodes[node as usize].children;
        children.iter().find(|(n, _)| &**n == name).map(|&(_, c)| c)
    }
}

/// How [`Select`] treats a value: built whole, not built, or (an object on a selected
/// chain) built with only the entries of the selection node's children.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Mode {
    Whole,
    Skip,
    Pick(u32),
}

/// [`Values`] for the parts of the document a [`Selection`] names; the rest is read (the
/// parser checks and charges it all) but not built.
pub(crate) struct Select<'a, 's> {
    pub(crate) values: Values<'a>,
    pub(crate) selection: &'s Selection,
    /// The selection nodes of the objects on a chain being read, innermost last.
    pub(crate) picks: Vec<u32>,
    /// How many of the innermost open arrays and objects are not built.
    pub(crate) skip: usize,
    /// In an object on a chain: the mode of the value about to be read.
    pub(crate) next: Mode,
}

impl Select<'_, '_> {
    #[inline]
    pub(crate) fn skipping(&self) -> bool {
        self.skip > 0 || matches!(self.next, Mode::Skip)
    }
}

impl<'a> Sink<'a> for Select<'a, '_> {
    type Out = Value;
    type Key = Option<Arc<str>>;

    #[inline]
    fn scalar(&mut self, v: Value) -> Value {
        if self.skipping() {
            return Value::Null;
        }
        v
    }

    #[inline]
    fn string(&mut self, s: &str) -> Value {
        if self.skipping() {
            return Value::Null;
        }
        self.values.string(s)
    }

    /// Only arrays that are not built get here ([`Sink::whole`] takes the others).
    #[inline]
    fn begin_array(&mut self) -> usize {
        self.skip += 1;
        0
    }

    #[inline]
    fn before_item(&mut self, _mark: usize) {}

    #[inline]
    fn push_item(&mut self, _item: Value) {}

    #[inline]
    fn end_array(&mut self, _mark: usize) -> Value {
        self.skip -= 1;
        Value::Null
    }

    /// Objects not built, or on a chain ([`Sink::whole`] takes those built whole).
    #[inline]
    fn begin_object(&mut self) -> usize {
        match self.next {
            Mode::Pick(node) if self.skip == 0 => {
                self.picks.push(node);
                self.values.begin_object()
            }
            _ => {
                self.skip += 1;
                0
            }
        }
    }

    #[inline]
    fn key(&mut self, mark: usize, text: Text<'a>) -> Option<Arc<str>> {
        if self.skip > 0 {
            return None;
        }
        let node = self.picks.last().copied().unwrap_or(0);
        match self.selection.child(node, text.as_str()) {
            Some(child) => {
                self.next = self.selection.mode(child);
                Some(self.values.key(mark, text))
            }
            None => {
                self.next = Mode::Skip;
                None
            }
        }
    }

    #[inline]
    fn push_entry(&mut self, key: Option<Arc<str>>, value: Value) {
        if let Some(key) = key {
            self.values.push_entry(key, value);
        }
    }

    #[inline]
    fn end_object(&mut self, mark: usize) -> Value {
        if self.skip > 0 {
            self.skip -= 1;
            return Value::Null;
        }
        self.picks.pop();
        self.values.end_object(mark)
    }

    /// A value at a chain's end, and an array on a chain (a chain's next name cannot be read
    /// in it), are built whole.
    #[inline]
    fn whole(&mut self, array: bool) -> Option<&mut Values<'a>> {
        let whole = match self.next {
            _ if self.skip > 0 => false,
            Mode::Whole => true,
            Mode::Pick(_) => array,
            Mode::Skip => false,
        };
        whole.then_some(&mut self.values)
    }

    fn built(&mut self, v: Value) -> Value {
        v
    }
}
