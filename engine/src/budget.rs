//! The budget of the compile or render in progress: fuel, memory and stack.
//!
//! It is kept per thread so that value-level code (methods, printing, hashing, equality,
//! JSON and JSONPath, regular expressions) can charge it without every function taking a
//! context. A render installs its budget when it starts ([`install`]) and the previous one
//! comes back when it ends. Outside a render nothing is limited.
//!
//! Fuel and memory are running totals charged *before* the work or allocation they stand
//! for. The stack is measured in bytes from the address of a local at the entry point, so the
//! bound holds whatever the build's frame sizes. When one of them runs out, the budget
//! remembers which ([`tripped`]) and every later charge fails, so code that cannot return an
//! error (a comparison, a hash) simply stops early and the renderer reports the limit at the
//! place of the call.

use std::cell::Cell;

/// Which budget ran out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Exhausted {
    Fuel,
    Memory,
    Stack,
}

const NONE: u8 = 0;

thread_local! {
    static FUEL: Cell<u64> = const { Cell::new(u64::MAX) };
    static MEMORY: Cell<u64> = const { Cell::new(u64::MAX) };
    static STACK_BASE: Cell<usize> = const { Cell::new(0) };
    static STACK_MAX: Cell<usize> = const { Cell::new(usize::MAX) };
    static TRIPPED: Cell<u8> = const { Cell::new(NONE) };
}

/// The address of a local: where the stack is now.
#[inline(always)]
pub(crate) fn stack_here() -> usize {
    let marker = 0u8;
    std::hint::black_box(&marker) as *const u8 as usize
}

/// A budget in force; the previous one is restored when this is dropped.
pub(crate) struct Scope {
    saved: (u64, u64, usize, usize, u8),
    /// Regular expressions are metered by this budget while it is in force.
    _regex: java_regex::MeterScope,
}

/// Installs a budget of `fuel` units, `memory` bytes and `stack` bytes below this call.
/// A nested install (a compile inside a check) keeps the outer stack base.
pub(crate) fn install(fuel: u64, memory: usize, stack: usize) -> Scope {
    let saved = (
        FUEL.get(),
        MEMORY.get(),
        STACK_BASE.get(),
        STACK_MAX.get(),
        TRIPPED.get(),
    );
    FUEL.set(fuel);
    MEMORY.set(memory as u64);
    if saved.2 == 0 {
        STACK_BASE.set(stack_here());
        STACK_MAX.set(stack);
    } else {
        STACK_MAX.set(stack.min(saved.3));
    }
    TRIPPED.set(NONE);
    // Regular-expression work left over from outside is not this budget's.
    java_regex::take_work();
    Scope {
        saved,
        _regex: java_regex::install_meter(&RegexMeter),
    }
}

impl Drop for Scope {
    fn drop(&mut self) {
        let (fuel, memory, base, max, tripped) = self.saved;
        FUEL.set(fuel);
        MEMORY.set(memory);
        STACK_BASE.set(base);
        STACK_MAX.set(max);
        TRIPPED.set(tripped);
    }
}

fn trip(what: Exhausted) -> bool {
    if TRIPPED.get() == NONE {
        TRIPPED.set(what as u8 + 1);
    }
    FUEL.set(0);
    MEMORY.set(0);
    false
}

/// Which budget ran out, if one did.
pub(crate) fn tripped() -> Option<Exhausted> {
    match TRIPPED.get() {
        1 => Some(Exhausted::Fuel),
        2 => Some(Exhausted::Memory),
        3 => Some(Exhausted::Stack),
        _ => None,
    }
}

/// Spends `units` of fuel; false (and the budget tripped) when there is not enough.
#[inline]
pub(crate) fn spend(units: u64) -> bool {
    let left = FUEL.get();
    if left < units {
        return trip(Exhausted::Fuel);
    }
    FUEL.set(left - units);
    true
}

/// Spends fuel for scanning `bytes` bytes (one unit per 64).
#[inline]
#[allow(dead_code)]
pub(crate) fn scan(bytes: usize) -> bool {
    spend(bytes as u64 / 64)
}

/// Reserves `bytes` of memory for a value about to be built; false when over budget.
#[inline]
pub(crate) fn alloc(bytes: usize) -> bool {
    let left = MEMORY.get();
    let bytes = bytes as u64;
    if left < bytes {
        return trip(Exhausted::Memory);
    }
    MEMORY.set(left - bytes);
    true
}

/// Reserves `bound` bytes, the most a result about to be built can take, and fuel for
/// writing them (one unit per 64 bytes); false when over budget. Once the result is built,
/// [`settle`] gives back what it did not use.
#[inline]
pub(crate) fn reserve(bound: usize) -> bool {
    alloc(bound) && spend(bound as u64 / 64)
}

/// Gives back the part of a [`reserve`]d `bound` that a result of `used` bytes did not take.
/// Nothing comes back once a budget has run out.
#[inline]
pub(crate) fn settle(bound: usize, used: usize) {
    if TRIPPED.get() == NONE {
        let back = bound.saturating_sub(used) as u64;
        MEMORY.set(MEMORY.get().saturating_add(back));
    }
}

/// Charges writing a whole number of `bits` bits in decimal: its text, and work that grows
/// like a Karatsuba multiplication (the 1.5th power of its 64-bit words; the conversion
/// splits the number in halves). False when over budget.
#[inline]
pub(crate) fn decimal(bits: u64) -> bool {
    let words = (bits / 64 + 1) as f64;
    spend((words * words.sqrt() / 4.0) as u64) && alloc((bits / 3) as usize + 2)
}

/// Fuel left.
pub(crate) fn fuel_left() -> u64 {
    FUEL.get()
}

/// Bytes of memory left.
pub(crate) fn memory_left() -> usize {
    usize::try_from(MEMORY.get()).unwrap_or(usize::MAX)
}

/// Whether the stack still has room; false (and the budget tripped) past the limit.
#[inline]
pub(crate) fn stack_ok() -> bool {
    let base = STACK_BASE.get();
    if base == 0 || base.abs_diff(stack_here()) <= STACK_MAX.get() {
        return true;
    }
    trip(Exhausted::Stack)
}

/// The stack bound in force: its base address (0 when none) and the bytes allowed below it.
pub(crate) fn stack_bounds() -> (usize, usize) {
    (STACK_BASE.get(), STACK_MAX.get())
}

/// Records that the stack ran past its bound (see [`stack_bounds`]).
pub(crate) fn trip_stack() {
    trip(Exhausted::Stack);
}

/// What a list entry costs, in bytes (a value, and room for the list to grow).
pub(crate) const ENTRY: usize = 32;
/// What a map entry costs, in bytes (key, value, hash, index, and room to grow).
pub(crate) const MAP_ENTRY: usize = 96;
/// What any new value costs beyond its contents (a reference count and header).
pub(crate) const OBJECT: usize = 32;

/// The budget in force on this thread, as the regex crate meters it.
struct RegexMeter;

impl java_regex::Meter for RegexMeter {
    fn steps_left(&self) -> u64 {
        fuel_left().saturating_mul(16).saturating_add(16)
    }

    fn alloc_part(&self) -> bool {
        // Each part becomes a list entry and a String.
        alloc(ENTRY + OBJECT)
    }

    fn alloc_text(&self, bytes: usize) -> bool {
        alloc(bytes)
    }
}
