//! Conformance case runner.
