//! The matcher's memo of failed loop iterations (`Pattern.Loop` remembers the positions where
//! another iteration of an unbounded greedy loop failed): a set of (loop register, position)
//! pairs, kept as a small open-addressing table. It is written out here rather than taken
//! from `std::collections` because it needs only insert, lookup and clear, with a cheap hash.

/// A slot no pair occupies (no program has `u32::MAX` loop registers).
const EMPTY: (u32, usize) = (u32::MAX, 0);

/// A set of (loop register, position) pairs.
#[derive(Debug, Default)]
pub(crate) struct Memo {
    /// A power-of-two number of slots (or none), at most three quarters full.
    slots: Vec<(u32, usize)>,
    len: usize,
}

impl Memo {
    /// The slot where the search for `key` starts.
    #[inline]
    fn start(&self, key: (u32, usize)) -> usize {
        let h = (key.1 as u64 ^ (u64::from(key.0) << 40)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (h >> 32) as usize & (self.slots.len() - 1)
    }

    /// Is `key` in the set?
    #[inline]
    pub(crate) fn contains(&self, key: (u32, usize)) -> bool {
        if self.len == 0 {
            return false;
        }
        let mask = self.slots.len() - 1;
        let mut i = self.start(key);
        loop {
            match self.slots[i] {
                k if k == key => return true,
                EMPTY => return false,
                _ => i = (i + 1) & mask,
            }
        }
    }

    /// Adds `key` (nothing happens if it is there already).
    pub(crate) fn insert(&mut self, key: (u32, usize)) {
        if (self.len + 1) * 4 > self.slots.len() * 3 {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut i = self.start(key);
        loop {
            match self.slots[i] {
                k if k == key => return,
                EMPTY => break,
                _ => i = (i + 1) & mask,
            }
        }
        self.slots[i] = key;
        self.len += 1;
    }

    /// Twice the room (16 slots at first), the pairs placed again.
    fn grow(&mut self) {
        let room = (self.slots.len() * 2).max(16);
        let old = std::mem::replace(&mut self.slots, vec![EMPTY; room]);
        self.len = 0;
        for key in old.into_iter().filter(|&k| k != EMPTY) {
            self.insert(key);
        }
    }

    /// Empties the set, keeping its room.
    pub(crate) fn clear(&mut self) {
        if self.len > 0 {
            self.slots.fill(EMPTY);
            self.len = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_what_was_inserted_and_nothing_else() {
        let mut m = Memo::default();
        assert!(!m.contains((0, 0)));
        for p in 0..1000 {
            m.insert((p as u32 % 3, p * 7));
            m.insert((p as u32 % 3, p * 7));
        }
        assert_eq!(m.len, 1000);
        assert!((0..1000).all(|p| m.contains((p as u32 % 3, p * 7))));
        assert!(!m.contains((1, 0)) && !m.contains((0, 1)));
        m.clear();
        assert!(!m.contains((0, 0)) && m.len == 0);
        m.insert((2, usize::MAX));
        assert!(m.contains((2, usize::MAX)));
    }
}
