//! [`RegexCache`]: compiled patterns (and compile failures) by pattern text, in a small cache
//! per owner backed by a process-wide one.

use std::collections::VecDeque;
use std::sync::{Arc, LazyLock, Mutex};

use crate::error::Throwable;
use crate::pattern::JavaRegex;

/// A bounded cache of compiled patterns (including failures), meant to live with whatever
/// runs many regex operations (a render context, say) so that a pattern is not recompiled on
/// every call.
///
/// Compiling costs far more than a typical short match (~100 µs per pattern), so a miss in
/// this cache falls back to a process-wide one shared by all caches and threads
/// ([`GLOBAL_CAPACITY`] patterns); a fresh `RegexCache` per render therefore stays cheap.
#[derive(Debug)]
pub struct RegexCache {
    local: Fifo,
}

/// How many patterns the process-wide cache keeps.
pub const GLOBAL_CAPACITY: usize = 512;

type Compiled = Result<Arc<JavaRegex>, Throwable>;

/// A map that forgets its oldest entry when full: entries sorted by pattern (a binary search
/// finds one in a few comparisons at these sizes), and the patterns in insertion order.
#[derive(Debug)]
struct Fifo {
    entries: Vec<(Box<str>, Compiled)>,
    order: VecDeque<Box<str>>,
    capacity: usize,
}

impl Fifo {
    fn new(capacity: usize) -> Fifo {
        Fifo {
            entries: Vec::new(),
            order: VecDeque::new(),
            capacity: capacity.max(1),
        }
    }

    /// Where `pattern` is, or where it would go.
    fn search(&self, pattern: &str) -> Result<usize, usize> {
        self.entries.binary_search_by(|(k, _)| (**k).cmp(pattern))
    }

    fn get(&self, pattern: &str) -> Option<&Compiled> {
        self.search(pattern).ok().map(|i| &self.entries[i].1)
    }

    fn insert(&mut self, pattern: &str, compiled: Compiled) {
        if self.entries.len() >= self.capacity {
            if let Some(old) = self.order.pop_front() {
                if let Ok(i) = self.search(&old) {
                    drop(self.entries.remove(i));
                }
            }
        }
        let key: Box<str> = pattern.into();
        self.order.push_back(key.clone());
        match self.search(pattern) {
            Ok(i) => self.entries[i].1 = compiled,
            Err(i) => self.entries.insert(i, (key, compiled)),
        }
    }
}

static GLOBAL: LazyLock<Mutex<Fifo>> = LazyLock::new(|| Mutex::new(Fifo::new(GLOBAL_CAPACITY)));

impl Default for RegexCache {
    /// A cache of 64 patterns.
    fn default() -> Self {
        RegexCache::new(64)
    }
}

impl RegexCache {
    /// A cache holding at most `capacity` patterns (oldest evicted first).
    pub fn new(capacity: usize) -> RegexCache {
        RegexCache {
            local: Fifo::new(capacity),
        }
    }

    /// The compiled form of Java pattern `pattern`, or the `PatternSyntaxException` Java throws.
    pub fn get(&mut self, pattern: &str) -> Result<Arc<JavaRegex>, Throwable> {
        if let Some(hit) = self.local.get(pattern) {
            return hit.clone();
        }
        let shared = GLOBAL.lock().ok().and_then(|g| g.get(pattern).cloned());
        let compiled = match shared {
            Some(c) => c,
            None => {
                let c = JavaRegex::new(pattern).map(Arc::new);
                if let Ok(mut g) = GLOBAL.lock() {
                    g.insert(pattern, c.clone());
                }
                c
            }
        };
        self.local.insert(pattern, compiled.clone());
        compiled
    }

    /// Number of patterns in this cache (not counting the process-wide one).
    pub fn len(&self) -> usize {
        self.local.entries.len()
    }

    /// True when this cache holds nothing.
    pub fn is_empty(&self) -> bool {
        self.local.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_is_bounded_and_remembers_errors() {
        let mut cache = RegexCache::new(2);
        assert!(cache.get("a").is_ok());
        assert!(cache.get("(").is_err());
        assert!(cache.get("(").is_err());
        assert_eq!(cache.len(), 2);
        assert!(cache.get("b+").is_ok());
        assert_eq!(cache.len(), 2);
    }
}
