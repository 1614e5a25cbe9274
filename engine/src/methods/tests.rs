//! Methods against outputs Velocity 1.7 printed on JDK 17.

use super::*;
use crate::value::{Key, ListKind};

// Expected values come from Velocity 1.7 on JDK 17 (the oracle), rendering `$recv.m(args)`.

fn call(recv: &Value, name: &str, args: &[Value]) -> MethodResult {
    call_method(recv, name, args, &mut RegexCache::default())
}

/// An array result's elements, printed as a list would print them.
fn items(r: MethodResult) -> String {
    match r {
        MethodResult::Value(Value::List(l)) => {
            Value::list(ListKind::ArrayList, l.items.borrow().clone())
                .to_java_string()
                .unwrap_or_default()
        }
        other => show(other),
    }
}

fn show(r: MethodResult) -> String {
    match r {
        MethodResult::Value(v) => match v.to_java_string() {
            Some(s) => s,
            None => "<null>".to_string(),
        },
        MethodResult::NotFound => "<not found>".to_string(),
        MethodResult::Exception(e) => format!("!{e}"),
    }
}

fn s(x: &str) -> Value {
    Value::str(x)
}

fn i(x: i32) -> Value {
    Value::Int(x)
}

fn list(items: Vec<Value>) -> Value {
    Value::list(ListKind::ArrayList, items)
}

fn map(items: Vec<(&str, Value)>) -> Value {
    let m: crate::value::Entries = items.into_iter().map(|(k, v)| (Key::from(k), v)).collect();
    Value::map(m)
}

fn prop(recv: &Value, name: &str) -> String {
    show(get_property(recv, name, &mut RegexCache::default()))
}

#[test]
fn list_methods_and_overloads() {
    let l = list(vec![i(10), i(20), i(30)]);
    assert_eq!(show(call(&l, "remove", &[i(1)])), "20");
    assert_eq!(show(ok(l.clone())), "[10, 30]");
    let l = list(vec![i(10), Value::Long(5000000000)]);
    assert_eq!(show(call(&l, "remove", &[Value::Long(5000000000)])), "true");
    assert_eq!(show(ok(l.clone())), "[10]");
    let l = list(vec![s("a"), s("b")]);
    assert_eq!(show(call(&l, "clear", &[])), "");
    let l = list(vec![s("a"), s("b")]);
    assert_eq!(show(call(&l, "add", &[i(5)])), "true");
    assert_eq!(show(call(&l, "add", &[i(0), i(5)])), "");
    assert_eq!(show(ok(l.clone())), "[5, a, b, 5]");
    assert_eq!(show(call(&l, "set", &[i(0), s("z")])), "5");
    let l = list(vec![s("a"), s("b")]);
    assert_eq!(
        show(call(&l, "get", &[i(5)])),
        "!java.lang.IndexOutOfBoundsException: Index 5 out of bounds for length 2"
    );
    assert_eq!(
        show(call(&l, "get", &[i(-1)])),
        "!java.lang.IndexOutOfBoundsException: Index -1 out of bounds for length 2"
    );
    assert_eq!(show(call(&l, "get", &[Value::Long(1)])), "<not found>");
    assert_eq!(show(call(&l, "get", &[Value::Double(1.0)])), "<not found>");
    assert_eq!(show(call(&l, "get", &[s("0")])), "<not found>");
    assert_eq!(show(call(&l, "subList", &[i(0), i(1)])), "[a]");
    assert_eq!(
        show(call(&l, "subList", &[i(0), i(5)])),
        "!java.lang.IndexOutOfBoundsException: toIndex = 5"
    );
    let one = list(vec![i(10)]);
    assert_eq!(
        show(call(&one, "add", &[i(5), i(1)])),
        "!java.lang.IndexOutOfBoundsException: Index: 5, Size: 1"
    );
    assert_eq!(
        show(call(&one, "subList", &[i(1), i(0)])),
        "!java.lang.IllegalArgumentException: fromIndex(1) > toIndex(0)"
    );
    assert_eq!(
        show(call(&one, "subList", &[i(-1), i(0)])),
        "!java.lang.IndexOutOfBoundsException: fromIndex = -1"
    );
    assert_eq!(
            show(call(&one, "addAll", &[Value::Null])),
            "!java.lang.NullPointerException: Cannot invoke \"java.util.Collection.toArray()\" because \"c\" is null"
        );
    let l = list(vec![i(1), i(2), i(3), i(2)]);
    let o = list(vec![i(2), i(5)]);
    assert_eq!(
        show(call(&l, "removeAll", std::slice::from_ref(&o))),
        "true"
    );
    assert_eq!(show(ok(l.clone())), "[1, 3]");
    assert_eq!(
        show(call(&l, "retainAll", std::slice::from_ref(&o))),
        "true"
    );
    assert_eq!(show(ok(l.clone())), "[]");
    assert_eq!(show(call(&l, "containsAll", &[o])), "false");
    let l = list(vec![i(10), Value::Long(5000000000), i(10)]);
    assert_eq!(show(call(&l, "indexOf", &[i(10)])), "0");
    assert_eq!(show(call(&l, "lastIndexOf", &[i(10)])), "2");
    assert_eq!(show(call(&l, "indexOf", &[s("10")])), "-1");
    let l = list(vec![i(1), i(2)]);
    assert_eq!(show(call(&l, "hashCode", &[])), "994");
    assert_eq!(show(call(&l, "equals", &[list(vec![i(1), i(2)])])), "true");
    assert_eq!(prop(&l, "empty"), "false");
    assert_eq!(prop(&l, "class"), "class java.util.ArrayList");
    let l = list(vec![i(10)]);
    assert_eq!(show(call(&l, "addAll", std::slice::from_ref(&l))), "true");
    assert_eq!(show(ok(l)), "[10, 10]");
    let l = list(vec![i(1)]);
    assert_eq!(
        show(call(&l, "addAll", &[map(vec![("a", i(1))])])),
        "<not found>"
    );
}

#[test]
fn map_methods_and_properties() {
    let m = map(vec![("a", i(1)), ("class", s("x")), ("empty", s("e"))]);
    assert_eq!(prop(&m, "class"), "class java.util.LinkedHashMap");
    assert_eq!(prop(&m, "empty"), "e");
    assert_eq!(show(call(&m, "size", &[])), "3");
    let m = map(vec![("a", i(1)), ("b", list(vec![i(1), i(2)]))]);
    assert_eq!(show(call(&m, "keySet", &[])), "[a, b]");
    assert_eq!(show(call(&m, "values", &[])), "[1, [1, 2]]");
    assert_eq!(show(call(&m, "entrySet", &[])), "[a=1, b=[1, 2]]");
    assert_eq!(show(call(&m, "put", &[s("c"), i(3)])), "<null>");
    assert_eq!(show(call(&m, "put", &[s("a"), i(9)])), "1");
    assert_eq!(show(ok(m.clone())), "{a=9, b=[1, 2], c=3}");
    assert_eq!(show(call(&m, "remove", &[s("a")])), "9");
    assert_eq!(show(call(&m, "remove", &[s("zz")])), "<null>");
    assert_eq!(show(call(&m, "get", &[i(1)])), "<null>");
    assert_eq!(show(call(&m, "containsKey", &[s("b")])), "true");
    let m = map(vec![("1", s("s"))]);
    assert_eq!(show(call(&m, "put", &[i(1), i(2)])), "<null>");
    assert_eq!(show(call(&m, "get", &[i(1)])), "2");
    assert_eq!(show(call(&m, "get", &[s("1")])), "s");
    assert_eq!(show(ok(m)), "{1=s, 1=2}");
    let m = map(vec![("a", i(1)), ("n", Value::Null)]);
    assert_eq!(show(call(&m, "getOrDefault", &[s("x"), i(5)])), "5");
    assert_eq!(show(call(&m, "putIfAbsent", &[s("a"), i(9)])), "1");
    assert_eq!(show(call(&m, "putIfAbsent", &[s("n"), i(9)])), "<null>");
    assert_eq!(show(call(&m, "putIfAbsent", &[s("b"), i(7)])), "<null>");
    assert_eq!(show(ok(m.clone())), "{a=1, n=9, b=7}");
    assert_eq!(show(call(&m, "putAll", &[map(vec![("c", i(2))])])), "");
    assert_eq!(
            show(call(&m, "putAll", &[Value::Null])),
            "!java.lang.NullPointerException: Cannot invoke \"java.util.Map.size()\" because \"m\" is null"
        );
    assert_eq!(show(call(&map(vec![("a", i(1))]), "hashCode", &[])), "96");
    // Entries: properties, class, write-through setValue.
    let m = map(vec![("a", i(1))]);
    let entries = match call(&m, "entrySet", &[]) {
        MethodResult::Value(Value::List(l)) => l.items.borrow().clone(),
        _ => panic!("entrySet"),
    };
    let e = &entries[0];
    assert_eq!(prop(e, "class"), "class java.util.LinkedHashMap$Entry");
    assert_eq!(show(call(e, "getKey", &[])), "a");
    assert_eq!(show(call(e, "setValue", &[i(7)])), "1");
    assert_eq!(show(ok(m)), "{a=7}");
}

#[test]
fn string_methods() {
    let h = s("hello");
    assert_eq!(show(call(&h, "substring", &[i(1), i(3)])), "el");
    assert_eq!(
        show(call(&h, "substring", &[i(6)])),
        "!java.lang.StringIndexOutOfBoundsException: begin 6, end 5, length 5"
    );
    assert_eq!(
        show(call(&h, "substring", &[Value::Long(1)])),
        "<not found>"
    );
    assert_eq!(show(call(&h, "indexOf", &[i(108)])), "2");
    assert_eq!(show(call(&h, "compareTo", &[s("hellp")])), "-1");
    assert_eq!(
            show(call(&h, "compareTo", &[i(5)])),
            "!java.lang.ClassCastException: class java.lang.Integer cannot be cast to class java.lang.String (java.lang.Integer and java.lang.String are in module java.base of loader 'bootstrap')"
        );
    assert_eq!(show(call(&h, "equals", &[i(5)])), "false");
    assert_eq!(show(call(&h, "contains", &[i(5)])), "<not found>");
    assert_eq!(
            show(call(&h, "contains", &[Value::Null])),
            "!java.lang.NullPointerException: Cannot invoke \"java.lang.CharSequence.toString()\" because \"s\" is null"
        );
    assert_eq!(
        show(call(&h, "indexOf", &[Value::Null])),
        "!java.lang.NullPointerException: Cannot invoke \"String.coder()\" because \"str\" is null"
    );
    assert_eq!(show(call(&h, "equalsIgnoreCase", &[Value::Null])), "false");
    assert_eq!(show(call(&h, "compareToIgnoreCase", &[s("HELLZ")])), "-11");
    assert_eq!(show(call(&h, "startsWith", &[s("el"), i(1)])), "true");
    assert_eq!(show(call(&h, "concat", &[s("!")])), "hello!");
    assert_eq!(show(call(&h, "replace", &[s(""), s("-")])), "-h-e-l-l-o-");
    assert_eq!(
        show(call(&h, "replaceAll", &[s("(l)"), s("<$1>")])),
        "he<l><l>o"
    );
    assert_eq!(
        show(call(&h, "replaceAll", &[s("l"), s("$2")])),
        "!java.lang.IndexOutOfBoundsException: No group 2"
    );
    assert_eq!(
        show(call(&h, "replaceAll", &[s("z"), Value::Null])),
        "hello"
    );
    assert_eq!(
            show(call(&s("abc"), "replaceAll", &[s("b"), Value::Null])),
            "!java.lang.NullPointerException: Cannot invoke \"String.length()\" because \"replacement\" is null"
        );
    assert_eq!(
        show(call(&s("abc"), "replaceFirst", &[s("b"), Value::Null])),
        "!java.lang.NullPointerException: replacement"
    );
    assert_eq!(show(call(&h, "matches", &[s("h.*")])), "true");
    assert_eq!(
        items(call(&s("a,b,,c,,"), "split", &[s(",")])),
        "[a, b, , c]"
    );
    assert_eq!(
        items(call(&s("a,b,,c,,"), "split", &[s(","), i(-1)])),
        "[a, b, , c, , ]"
    );
    assert_eq!(
        show(call(&s("abc"), "split", &[s(","), Value::Long(1)])),
        "<not found>"
    );
    assert_eq!(show(call(&s(" ab "), "trim", &[])), "ab");
    assert_eq!(show(call(&s(" ab "), "isBlank", &[])), "<not found>");
    assert_eq!(show(call(&h, "charAt", &[i(1)])), "e");
    assert_eq!(show(call(&h, "hashCode", &[])), "99162322");
    assert_eq!(prop(&h, "empty"), "false");
    assert_eq!(prop(&h, "Empty"), "false");
    assert_eq!(prop(&h, "class"), "class java.lang.String");
    assert_eq!(prop(&h, "length"), "<not found>");
    assert_eq!(show(call(&h, "valueOf", &[Value::Null])), "null");
    assert_eq!(show(call(&h, "valueOf", &[list(vec![i(1)])])), "[1]");
    assert_eq!(show(call(&h, "valueOf", &[Value::Double(1.5)])), "1.5");
    assert_eq!(
        show(call(&h, "join", &[s(","), list(vec![s("a"), s("b")])])),
        "a,b"
    );
    assert_eq!(
        show(call(&h, "join", &[s(","), Value::Null])),
        "<not found>"
    );
    assert_eq!(
            show(call(&h, "join", &[s(","), list(vec![s("a"), Value::Null, i(1)])])),
            "!java.lang.ClassCastException: class java.lang.Integer cannot be cast to class java.lang.CharSequence (java.lang.Integer and java.lang.CharSequence are in module java.base of loader 'bootstrap')"
        );
    let abc = s("abc");
    assert_eq!(
        show(call(&abc, "regionMatches", &[i(1), s("xbc"), i(1), i(2)])),
        "true"
    );
    assert_eq!(
        show(call(
            &abc,
            "regionMatches",
            &[Value::Bool(true), i(0), s("ABC"), i(0), i(3)]
        )),
        "true"
    );
    assert_eq!(show(call(&abc, "codePointBefore", &[i(1)])), "97");
    assert_eq!(
        show(call(&abc, "codePointBefore", &[i(0)])),
        "!java.lang.StringIndexOutOfBoundsException: String index out of range: 0"
    );
    assert_eq!(show(call(&abc, "codePointCount", &[i(0), i(3)])), "3");
    assert_eq!(
        show(call(&abc, "codePointCount", &[i(2), i(1)])),
        "!java.lang.IndexOutOfBoundsException"
    );
    assert_eq!(show(call(&abc, "subSequence", &[i(0), i(2)])), "ab");
}

#[test]
fn number_methods() {
    let five = i(5);
    assert_eq!(show(call(&five, "doubleValue", &[])), "5.0");
    assert_eq!(show(call(&five, "compareTo", &[i(3)])), "1");
    assert_eq!(show(call(&five, "equals", &[i(5)])), "true");
    assert_eq!(show(call(&five, "equals", &[Value::Null])), "false");
    assert_eq!(show(call(&i(300), "byteValue", &[])), "44");
    assert_eq!(prop(&i(300), "class"), "class java.lang.Integer");
    assert_eq!(prop(&i(300), "intValue"), "<not found>");
    assert_eq!(
            show(call(&i(1), "compareTo", &[Value::Double(2.5)])),
            "!java.lang.ClassCastException: class java.lang.Double cannot be cast to class java.lang.Integer (java.lang.Double and java.lang.Integer are in module java.base of loader 'bootstrap')"
        );
    assert_eq!(
            show(call(&i(1), "compareTo", &[Value::Null])),
            "!java.lang.NullPointerException: Cannot read field \"value\" because \"anotherInteger\" is null"
        );
    let l = Value::Long(5000000000);
    assert_eq!(show(call(&l, "intValue", &[])), "705032704");
    assert_eq!(show(call(&l, "doubleValue", &[])), "5.0E9");
    assert_eq!(show(call(&l, "hashCode", &[])), "705032705");
    let d = Value::Double(2.5);
    assert_eq!(show(call(&d, "intValue", &[])), "2");
    assert_eq!(show(call(&d, "hashCode", &[])), "1074003968");
    assert_eq!(show(call(&d, "compareTo", &[Value::Double(1.0)])), "1");
    assert_eq!(prop(&d, "NaN"), "false");
    assert_eq!(prop(&d, "naN"), "false");
    assert_eq!(prop(&d, "infinite"), "false");
    let z = Value::Double(0.0);
    assert_eq!(show(call(&z, "compareTo", &[Value::Double(-0.0)])), "1");
    assert_eq!(
        show(call(&Value::Double(-0.0), "hashCode", &[])),
        "-2147483648"
    );
    let b = Value::BigInt(Rc::new("-50000000000000000000000".parse().unwrap()));
    assert_eq!(show(call(&b, "intValue", &[])), "-2067791872");
    assert_eq!(show(call(&b, "longValue", &[])), "9123183826594430976");
    assert_eq!(show(call(&b, "doubleValue", &[])), "-4.9999999999999996E22");
    assert_eq!(show(call(&b, "hashCode", &[])), "-646045969");
    assert_eq!(show(call(&b, "signum", &[])), "-1");
    assert_eq!(show(call(&b, "bitLength", &[])), "76");
    assert_eq!(show(call(&b, "add", &[i(1)])), "<not found>");
    let p = Value::BigInt(Rc::new("50000000000000000000001".parse().unwrap()));
    assert_eq!(show(call(&p, "intValue", &[])), "2067791873");
    assert_eq!(show(call(&p, "longValue", &[])), "-9123183826594430975");
    assert_eq!(show(call(&p, "hashCode", &[])), "646045970");
    assert_eq!(
        show(call(&p, "pow", &[i(-1)])),
        "!java.lang.ArithmeticException: Negative exponent"
    );
    let t = Value::Bool(true);
    assert_eq!(show(call(&t, "hashCode", &[])), "1231");
    assert_eq!(show(call(&t, "compareTo", &[Value::Bool(false)])), "1");
    assert_eq!(show(call(&t, "parseBoolean", &[s("TRUE")])), "true");
    assert_eq!(show(call(&t, "parseBoolean", &[Value::Null])), "false");
}

#[test]
fn float_values() {
    let f = call(&Value::Double(0.1), "floatValue", &[]);
    assert_eq!(show(call(&i(5), "floatValue", &[])), "5.0");
    assert_eq!(
        show(call(&Value::Long(3000000001), "floatValue", &[])),
        "3.0E9"
    );
    let b = Value::BigInt(Rc::new("12345678901234567890123".parse().unwrap()));
    assert_eq!(show(call(&b, "floatValue", &[])), "1.2345679E22");
    let MethodResult::Value(f) = f else {
        panic!("floatValue")
    };
    assert_eq!(show(ok(f.clone())), "0.1");
    assert_eq!(show(call(&f, "intValue", &[])), "0");
    assert_eq!(show(call(&f, "doubleValue", &[])), "0.10000000149011612");
    assert_eq!(show(call(&f, "hashCode", &[])), "1036831949");
    assert_eq!(prop(&f, "class"), "class java.lang.Float");
    assert_eq!(show(call(&f, "compareTo", std::slice::from_ref(&f))), "0");
    assert_eq!(show(call(&f, "equals", std::slice::from_ref(&f))), "true");
    assert_eq!(
            show(call(&f, "compareTo", &[i(1)])),
            "!java.lang.ClassCastException: class java.lang.Integer cannot be cast to class java.lang.Float (java.lang.Integer and java.lang.Float are in module java.base of loader 'bootstrap')"
        );
}

#[test]
fn static_wrapper_methods() {
    let one = i(1);
    assert_eq!(show(call(&one, "parseInt", &[s("+5")])), "5");
    assert_eq!(show(call(&one, "parseInt", &[s("-0")])), "0");
    assert_eq!(
        show(call(&one, "parseInt", &[s(" 5")])),
        "!java.lang.NumberFormatException: For input string: \" 5\""
    );
    assert_eq!(
        show(call(&one, "parseInt", &[s("2147483648")])),
        "!java.lang.NumberFormatException: For input string: \"2147483648\""
    );
    assert_eq!(
        show(call(&one, "parseInt", &[Value::Null])),
        "!java.lang.NumberFormatException: Cannot parse null string"
    );
    assert_eq!(show(call(&one, "toHexString", &[i(-1)])), "ffffffff");
    assert_eq!(show(call(&one, "toString", &[i(-5)])), "-5");
    let l = Value::Long(5000000000);
    assert_eq!(show(call(&l, "parseLong", &[s("123")])), "123");
    assert!(matches!(
        call(&l, "valueOf", &[i(9)]),
        MethodResult::Value(Value::Long(9))
    ));
    let d = Value::Double(1.5);
    assert_eq!(show(call(&d, "parseDouble", &[s(" 1.5d ")])), "1.5");
    assert_eq!(show(call(&d, "parseDouble", &[s("1e3")])), "1000.0");
    assert_eq!(show(call(&d, "parseDouble", &[s(".5")])), "0.5");
    assert_eq!(show(call(&d, "parseDouble", &[s("5.")])), "5.0");
    assert_eq!(
        show(call(&d, "parseDouble", &[s("-Infinity")])),
        "-Infinity"
    );
    assert_eq!(show(call(&d, "parseDouble", &[s("0x1p3")])), "8.0");
    assert_eq!(
        show(call(&d, "parseDouble", &[s("inf")])),
        "!java.lang.NumberFormatException: For input string: \"inf\""
    );
    assert_eq!(
        show(call(&d, "parseDouble", &[s("")])),
        "!java.lang.NumberFormatException: empty String"
    );
}

#[test]
fn velocity_quirks() {
    let wrong = "!java.lang.IllegalArgumentException: wrong number of arguments";
    assert_eq!(show(call(&list(vec![i(1)]), "size", &[i(5)])), wrong);
    assert_eq!(show(call(&map(vec![]), "clear", &[i(1)])), wrong);
    assert_eq!(show(call(&s("a"), "toUpperCase", &[i(1)])), wrong);
    assert_eq!(show(call(&s("a"), "trim", &[i(1), i(2)])), wrong);
    assert_eq!(show(call(&s("a"), "getClass", &[i(1)])), wrong);
    assert_eq!(show(call(&s("a"), "length", &[Value::Null])), wrong);
    assert_eq!(
        show(call(&Value::Bool(true), "booleanValue", &[i(1)])),
        wrong
    );
    assert_eq!(show(call(&i(1), "intValue", &[i(1)])), wrong);
    assert_eq!(show(call(&s("a"), "foo", &[i(1)])), "<not found>");
    assert_eq!(show(call(&i(1), "hashCode", &[i(7)])), "7");
    assert_eq!(show(call(&Value::Double(1.5), "isNaN", &[i(1)])), "false");
    let b = Value::BigInt(Rc::new("12345678901234567890123".parse().unwrap()));
    assert_eq!(show(call(&b, "toString", &[i(16)])), "29d42b64e76714244cb");
}

#[test]
fn sort_with_null_comparator() {
    let sorted = |items: Vec<Value>| {
        let l = list(items);
        let r = show(call(&l, "sort", &[Value::Null]));
        format!("[{r}]{}", show(ok(l)))
    };
    assert_eq!(sorted(vec![s("b"), s("a"), s("C")]), "[][C, a, b]");
    assert_eq!(sorted(vec![i(3), i(1), i(2)]), "[][1, 2, 3]");
    assert_eq!(
        sorted(vec![Value::Bool(true), Value::Bool(false)]),
        "[][false, true]"
    );
    assert_eq!(
            sorted(vec![i(1), s("a")]),
            "[!java.lang.ClassCastException: class java.lang.Integer cannot be cast to class java.lang.String (java.lang.Integer and java.lang.String are in module java.base of loader 'bootstrap')][1, a]"
        );
    assert_eq!(
            sorted(vec![Value::Double(2.5), i(1), i(3)]),
            "[!java.lang.ClassCastException: class java.lang.Double cannot be cast to class java.lang.Integer (java.lang.Double and java.lang.Integer are in module java.base of loader 'bootstrap')][2.5, 1, 3]"
        );
    assert_eq!(
            sorted(vec![i(2), Value::Null, i(1)]),
            "[!java.lang.NullPointerException: Cannot invoke \"java.lang.Comparable.compareTo(Object)\" because \"a[runHi]\" is null][2, null, 1]"
        );
    assert_eq!(
            sorted(vec![list(vec![i(1)]), list(vec![i(2)])]),
            "[!java.lang.ClassCastException: class java.util.ArrayList cannot be cast to class java.lang.Comparable (java.util.ArrayList and java.lang.Comparable are in module java.base of loader 'bootstrap')][[1], [2]]"
        );
    assert_eq!(
            sorted(vec![Value::Long(3000000000), i(1)]),
            "[!java.lang.ClassCastException: class java.lang.Long cannot be cast to class java.lang.Integer (java.lang.Long and java.lang.Integer are in module java.base of loader 'bootstrap')][3000000000, 1]"
        );
    let many: Vec<Value> = (0..40).rev().map(i).collect();
    let l = list(many);
    assert_eq!(show(call(&l, "sort", &[Value::Null])), "");
    assert_eq!(show(call(&l, "get", &[i(0)])), "0");
}

#[test]
fn arrays_and_iterators() {
    let t = s("hé😀");
    assert_eq!(items(call(&t, "toCharArray", &[])), "[h, é, ?, ?]");
    assert!(show(call(&t, "toCharArray", &[])).starts_with("[C@"));
    let bytes = |args: &[Value]| match call(&t, "getBytes", args) {
        MethodResult::Value(Value::List(l)) => l.items.borrow().clone(),
        other => panic!("{}", show(other)),
    };
    assert_eq!(bytes(&[]).len(), 7);
    assert_eq!(show(ok(bytes(&[])[1].clone())), "-61");
    assert_eq!(bytes(&[s("ISO-8859-1")]).len(), 3);
    assert_eq!(bytes(&[s("utf-16")]).len(), 10);
    assert_eq!(show(ok(bytes(&[s("US-ASCII")])[1].clone())), "63");
    assert_eq!(
        show(call(&s("a"), "getBytes", &[s("nope")])),
        "!java.io.UnsupportedEncodingException: nope"
    );
    assert_eq!(
        show(call(&s("a"), "getBytes", &[Value::Null])),
        "<not found>"
    );
    let l = list(vec![i(1), i(2)]);
    let MethodResult::Value(it) = call(&l, "iterator", &[]) else {
        panic!("iterator")
    };
    assert_eq!(show(call(&it, "hasNext", &[])), "true");
    assert_eq!(show(call(&it, "next", &[])), "1");
    assert_eq!(show(call(&it, "next", &[])), "2");
    assert_eq!(show(call(&it, "hasNext", &[])), "false");
    assert_eq!(
        show(call(&it, "next", &[])),
        "!java.util.NoSuchElementException"
    );
}

#[test]
fn classes() {
    let c = class_of(&s("x"));
    assert_eq!(show(call(&c, "getName", &[])), "java.lang.String");
    assert_eq!(prop(&c, "simpleName"), "String");
    assert_eq!(prop(&c, "canonicalName"), "java.lang.String");
    assert_eq!(prop(&c, "interface"), "false");
    assert_eq!(show(call(&c, "equals", &[class_of(&s("y"))])), "true");
}
