//! The hasher of the engine's maps keyed by variable names and other template-made keys:
//! foldhash's fast hasher (the `foldhash` crate) with its fixed seed, so that hashing is
//! deterministic. It keeps the name `FxHasher` it had when it was the "Fx" hash of rustc.
//!
//! Not cryptographic, and not seeded at random: templates cannot pick keys adversarially in a
//! way that matters here, since keys are the template's own variable names, bounded by the
//! template size.

use std::hash::{BuildHasher, Hasher};

use foldhash::fast::{FixedState, FoldHasher};

/// foldhash's fast hasher with its fixed seed; `Default`, so that maps can name it in a
/// `BuildHasherDefault`.
#[derive(Clone)]
pub struct FxHasher(FoldHasher<'static>);

impl Default for FxHasher {
    #[inline]
    fn default() -> Self {
        FxHasher(FixedState::default().build_hasher())
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        self.0.write(bytes)
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.0.write_u8(i)
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.0.write_u32(i)
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.0.write_u64(i)
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.0.write_usize(i)
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.0.finish()
    }
}
