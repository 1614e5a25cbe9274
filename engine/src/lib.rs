//! `vtl`: AWS API Gateway mapping templates (Velocity Template Language), rendered the way
//! AWS renders them.

pub mod aws;
pub mod java;
pub mod json;
pub mod methods;
pub mod value;

pub use value::Value;
