//! The sink that writes each value's json-smart text as it is read, without building values:
//! `$input.json('$')` of a body.

use super::parse::{Sink, Text};
use crate::print::{write_json_smart_string, write_scalar};
use crate::value::Value;

/// The object entries a [`Writer`] has written: where each starts, where its key's text ends
/// (after the `:`) and where its value's ends.
pub(crate) type Written = Vec<(usize, usize, usize)>;

/// Writes each value's json-smart text as it is read: what [`write_json_smart`] writes for
/// the value [`Values`] builds.
pub(crate) struct Writer {
    pub(crate) out: String,
    /// Where the document's text starts in `out`.
    pub(crate) start: usize,
    /// The entries of the objects being written, innermost last.
    pub(crate) objects: Written,
    /// How deep in arrays and objects the parser is.
    pub(crate) depth: usize,
    /// Whether the document is a `null`.
    pub(crate) top_null: bool,
}

impl Writer {
    /// What writing one value costs (as in [`write_value`]); past the room the output may
    /// take, the memory budget trips (the parse then stops at its next charge).
    pub(crate) fn charge(&mut self) {
        if self.out.len() - self.start > crate::budget::memory_left() / 2 {
            crate::budget::alloc(usize::MAX);
        } else {
            crate::budget::spend(1);
        }
    }

    /// Keeps the last value of each repeated key of the object whose entries start at `mark`
    /// in `objects`, in the place of the key's first entry, as a `LinkedHashMap` does; `open`
    /// is where the object's `{` is.
    pub(crate) fn merge_repeated_keys(&mut self, open: usize, mark: usize) {
        let out = &self.out;
        let entries = &self.objects[mark..];
        let key = |e: &(usize, usize, usize)| &out[e.0..e.1];
        let repeated = if entries.len() <= 16 {
            (1..entries.len()).any(|i| entries[..i].iter().any(|e| key(e) == key(&entries[i])))
        } else {
            let mut seen = std::collections::HashSet::with_capacity(entries.len());
            !entries.iter().all(|e| seen.insert(key(e)))
        };
        if !repeated {
            return;
        }
        // Each key in order of first appearance, with the entry that holds its last value.
        let mut order: Vec<usize> = Vec::new();
        let mut place = std::collections::HashMap::with_capacity(entries.len());
        for (i, e) in entries.iter().enumerate() {
            match place.get(key(e)) {
                Some(&slot) => order[slot] = i,
                None => {
                    place.insert(key(e), order.len());
                    order.push(i);
                }
            }
        }
        let mut text = String::with_capacity(out.len() - open);
        text.push('{');
        for (n, &i) in order.iter().enumerate() {
            if n > 0 {
                text.push(',');
            }
            let (key_start, _, value_end) = entries[i];
            text.push_str(&out[key_start..value_end]);
        }
        self.out.truncate(open);
        self.out.push_str(&text);
    }
}

impl<'a> Sink<'a> for Writer {
    type Out = ();
    type Key = usize;

    fn scalar(&mut self, v: Value) {
        self.charge();
        if v.is_null() && self.depth == 0 {
            self.top_null = true;
            self.out.push_str("\"\"");
            return;
        }
        write_scalar(&v, &mut self.out);
    }

    fn string(&mut self, s: &str) {
        self.charge();
        write_json_smart_string(s, &mut self.out);
    }

    fn begin_array(&mut self) -> usize {
        self.charge();
        self.depth += 1;
        self.out.push('[');
        self.out.len()
    }

    fn before_item(&mut self, mark: usize) {
        if self.out.len() > mark {
            self.out.push(',');
        }
    }

    fn push_item(&mut self, _item: ()) {}

    fn end_array(&mut self, _mark: usize) {
        self.depth -= 1;
        self.out.push(']');
    }

    fn begin_object(&mut self) -> usize {
        self.charge();
        self.depth += 1;
        self.out.push('{');
        self.objects.len()
    }

    fn key(&mut self, mark: usize, text: Text<'a>) -> usize {
        if self.objects.len() > mark {
            self.out.push(',');
        }
        let start = self.out.len();
        write_json_smart_string(text.as_str(), &mut self.out);
        self.out.push(':');
        self.objects.push((start, self.out.len(), 0));
        self.objects.len() - 1
    }

    fn push_entry(&mut self, key: usize, _value: ()) {
        self.objects[key].2 = self.out.len();
    }

    fn end_object(&mut self, mark: usize) {
        self.depth -= 1;
        if self.objects.len() - mark > 1 {
            // The `{` is just before the first entry's key.
            let open = self.objects[mark].0 - 1;
            self.merge_repeated_keys(open, mark);
        }
        self.objects.truncate(mark);
        self.out.push('}');
    }

    /// Never called: a writer builds no values.
    fn built(&mut self, _v: Value) {}
}
