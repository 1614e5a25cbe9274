//! API Gateway host objects: `$input`, `$util`, `$context`, `$stageVariables`.

pub mod jsonpath;
pub mod util;
