//! Java methods and properties that templates call on values (String, List, Map, numbers).
