//! How regex work is bounded and charged: each search's own step and backtracking bound,
//! a [`Meter`] the caller may install on its thread to bound and charge work further, and
//! the thread's running count of matcher steps ([`take_work`]).
//!
//! A meter is installed per thread rather than passed to every call so that code holding a
//! [`JavaRegex`](crate::JavaRegex) (a cached pattern, a `String` method, a JSONPath filter)
//! needs no extra argument, and so that a search costs one thread-local read and one call
//! through the meter, as cheap as reading the caller's own budget directly.

use std::cell::Cell;
use std::marker::PhantomData;

/// Bounds and charges regex work on behalf of a caller with a budget of its own.
///
/// Every method is asked *before* the work or memory it stands for, and the defaults limit
/// nothing, so a meter overrides only what it bounds. Install one with [`install_meter`].
pub trait Meter {
    /// The most matcher steps each search of the operation about to start (a `matches`, a
    /// `find_at`, or every search of one split or replacement) may take; asked once per
    /// operation. The crate's own bound (about 20 million steps plus 64 a byte of text)
    /// applies as well; past either, the search fails with `java.lang.StackOverflowError`.
    fn steps_left(&self) -> u64 {
        u64::MAX
    }

    /// Asked before a split adds one more part to its result; `false` ends the split, which
    /// then returns the parts found so far.
    fn alloc_part(&self) -> bool {
        true
    }

    /// Asked before a replacement takes `bytes` more bytes of room for its result; `false`
    /// ends it, and it returns an empty string.
    fn alloc_text(&self, bytes: usize) -> bool {
        let _ = bytes;
        true
    }
}

/// The meter in force when none is installed: only the crate's own bounds apply.
struct Unmetered;

impl Meter for Unmetered {}

thread_local! {
    static METER: Cell<&'static dyn Meter> = const { Cell::new(&Unmetered) };
    static WORK: Cell<u64> = const { Cell::new(0) };
}

/// Makes `meter` bound and charge the regex work of this thread until the returned scope is
/// dropped, when the meter in force before comes back.
pub fn install_meter(meter: &'static dyn Meter) -> MeterScope {
    MeterScope {
        saved: METER.with(|m| m.replace(meter)),
        _thread: PhantomData,
    }
}

/// A [`Meter`] in force on this thread; dropping it restores the previous one.
#[must_use = "the meter is uninstalled when the scope is dropped"]
pub struct MeterScope {
    saved: &'static dyn Meter,
    /// Installed on one thread, so restored there (not `Send`).
    _thread: PhantomData<*const ()>,
}

impl Drop for MeterScope {
    fn drop(&mut self) {
        METER.with(|m| m.set(self.saved));
    }
}

impl std::fmt::Debug for MeterScope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MeterScope")
    }
}

/// [`Meter::steps_left`] of the meter in force.
#[inline]
pub(crate) fn steps_left() -> u64 {
    METER.with(|m| m.get().steps_left())
}

/// The meter in force, for an operation that asks it more than once.
#[inline]
pub(crate) fn current() -> &'static dyn Meter {
    METER.with(Cell::get)
}

/// Matcher steps spent on this thread since the previous call, which resets the count. A
/// caller with a budget charges them after the regex operations it ran (a template renderer
/// charges them to the template's fuel, so that a loop of expensive searches ends).
pub fn take_work() -> u64 {
    WORK.with(|w| w.replace(0))
}

/// Adds a finished search's steps to this thread's count.
pub(crate) fn add_work(steps: u64) {
    WORK.with(|w| w.set(w.get().saturating_add(steps)));
}
