//! `java.lang.String` methods with Java's UTF-16 indexing.
