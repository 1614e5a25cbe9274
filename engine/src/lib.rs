//! `vtl`: AWS API Gateway mapping templates (Velocity Template Language), rendered the way
//! AWS renders them.

pub mod java;
pub mod json;
pub mod value;

pub use value::Value;
