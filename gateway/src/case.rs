//! Method-level test cases (placeholder while the crate is assembled).
