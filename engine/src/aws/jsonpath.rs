//! Jayway JsonPath (2.0, json-smart provider) evaluated over values.
