//! Tests of Velocity 1.7 arithmetic and numeric comparison on values.

use super::*;
use crate::java::decimal::parse_decimal;

#[test]
fn long_decimals_parse_exactly() {
    // Digits from a simple generator, with runs of zeros where the halves meet.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut digits = String::new();
    for i in 0..30_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        digits.push(if i % 4096 < 40 {
            '0'
        } else {
            char::from(b'0' + (x % 10) as u8)
        });
    }
    for len in [1, 19, 4096, 4097, 8193, 12_345, 30_000] {
        let d = &digits[..len];
        let plain: BigInt = d.parse().unwrap();
        assert_eq!(parse_decimal(d), Some(plain.clone()), "{len} digits");
        assert_eq!(
            parse_decimal(&format!("-{d}")),
            Some(-plain),
            "-{len} digits"
        );
    }
    assert_eq!(parse_decimal("-"), None);
    assert_eq!(parse_decimal("12a"), None);
}

// Every expected value below was printed by Velocity 1.7 (the oracle) on JDK 17, as
// `$a $a.class.name` after `#set($a = …)`.

fn show(v: &Value) -> String {
    match v {
        Value::Null => "null".to_string(),
        v => format!(
            "{} {}",
            v.to_java_string().unwrap_or_default(),
            v.class_name()
        ),
    }
}

fn big(s: &str) -> Value {
    Value::BigInt(Rc::new(s.parse().expect("bigint")))
}

#[test]
fn integer_promotion() {
    let i = Value::Int;
    assert_eq!(
        show(&add(&i(2147483647), &i(1))),
        "2147483648 java.lang.Long"
    );
    assert_eq!(
        show(&multiply(&i(2147483647), &i(2))),
        "4294967294 java.lang.Long"
    );
    assert_eq!(
        show(&subtract(&i(-2147483648), &i(1))),
        "-2147483649 java.lang.Long"
    );
    assert_eq!(show(&subtract(&i(3), &i(5))), "-2 java.lang.Integer");
    assert_eq!(
        show(&add(&Value::Long(9223372036854775807), &i(1))),
        "9223372036854775808 java.math.BigInteger"
    );
    assert_eq!(
        show(&multiply(&Value::Long(9223372036854775807), &i(3))),
        "27670116110564327421 java.math.BigInteger"
    );
    assert_eq!(
        show(&subtract(
            &Value::Long(5000000000),
            &Value::Long(4999999999)
        )),
        "1 java.lang.Long"
    );
    assert_eq!(
        show(&add(&Value::Long(5000000000), &i(1))),
        "5000000001 java.lang.Long"
    );
    let m = i(1500000000);
    assert_eq!(show(&add(&m, &m)), "3000000000 java.lang.Long");
    let sq = multiply(&m, &m);
    assert_eq!(show(&sq), "2250000000000000000 java.lang.Long");
    assert_eq!(
        show(&multiply(&multiply(&sq, &m), &m)),
        "5062500000000000000000000000000000000 java.math.BigInteger"
    );
    assert_eq!(
        show(&multiply(
            &Value::Long(3000000000),
            &Value::Long(3000000000)
        )),
        "9000000000000000000 java.lang.Long"
    );
}

#[test]
fn long_edge_cases() {
    let min = Value::Long(i64::MIN);
    let m1 = Value::Int(-1);
    assert_eq!(
        show(&multiply(&min, &m1)),
        "-9223372036854775808 java.lang.Long"
    );
    assert_eq!(
        show(&divide(&min, &m1)),
        "-9223372036854775808 java.lang.Long"
    );
    assert_eq!(show(&modulo(&min, &m1)), "0 java.lang.Long");
    assert_eq!(
        show(&subtract(&min, &Value::Int(1))),
        "-9223372036854775809 java.math.BigInteger"
    );
    assert_eq!(
        show(&divide(&Value::Int(i32::MIN), &m1)),
        "2147483648 java.lang.Long"
    );
    assert_eq!(
        show(&modulo(&Value::Int(i32::MIN), &m1)),
        "0 java.lang.Integer"
    );
}

#[test]
fn division_and_modulo() {
    let i = Value::Int;
    assert_eq!(show(&divide(&i(7), &i(2))), "3 java.lang.Integer");
    assert_eq!(show(&divide(&i(-7), &i(2))), "-3 java.lang.Integer");
    assert_eq!(show(&modulo(&i(-7), &i(3))), "-1 java.lang.Integer");
    assert_eq!(
        show(&divide(&Value::Double(7.0), &i(2))),
        "3.5 java.lang.Double"
    );
    assert_eq!(
        show(&divide(&i(6), &Value::Double(0.5))),
        "12.0 java.lang.Double"
    );
    assert_eq!(
        show(&modulo(&i(7), &Value::Double(2.5))),
        "2.0 java.lang.Double"
    );
    assert!(divide(&i(5), &i(0)).is_null());
    assert!(modulo(&i(5), &i(0)).is_null());
    assert!(divide(&Value::Double(5.0), &i(0)).is_null());
    assert!(divide(&i(5), &Value::Double(0.0)).is_null());
    assert!(divide(&Value::Double(-0.0), &i(0)).is_null());
    assert!(modulo(&Value::Double(5.5), &i(0)).is_null());
}

#[test]
fn doubles_and_non_numbers() {
    let i = Value::Int;
    assert_eq!(
        show(&add(&Value::Double(1.5), &i(1))),
        "2.5 java.lang.Double"
    );
    assert_eq!(
        show(&add(&Value::Double(0.1), &Value::Double(0.2))),
        "0.30000000000000004 java.lang.Double"
    );
    assert_eq!(
        show(&multiply(&Value::Double(1.0), &i(2))),
        "2.0 java.lang.Double"
    );
    assert!(add(&i(1), &Value::Bool(true)).is_null());
    assert!(subtract(&Value::str("a"), &i(1)).is_null());
    let list = Value::list(crate::value::ListKind::ArrayList, vec![i(1), i(2)]);
    assert!(add(&i(1), &list).is_null());
    assert_eq!(show(&add(&i(1), &Value::str("a"))), "1a java.lang.String");
    assert_eq!(show(&add(&Value::str("a"), &i(1))), "a1 java.lang.String");
    assert_eq!(
        show(&add(&Value::str("a"), &list)),
        "a[1, 2] java.lang.String"
    );
    assert_eq!(
        show(&add(&Value::Bool(true), &Value::str("a"))),
        "truea java.lang.String"
    );
    let inf = multiply(&Value::Double(1e308), &i(10));
    assert_eq!(show(&inf), "Infinity java.lang.Double");
    let nan = subtract(&inf, &inf);
    assert_eq!(show(&nan), "NaN java.lang.Double");
    assert_eq!(numbers_equal(&nan, &i(1)), Some(true));
    assert_eq!(numbers_equal(&i(1), &Value::Double(1.0)), Some(true));
    assert_eq!(
        compare_numbers(&i(2), &Value::Double(1.5)),
        Some(Ordering::Greater)
    );
    assert_eq!(compare_numbers(&i(1), &Value::str("a")), None);
}

#[test]
fn big_integers_and_decimals() {
    let b = big("50000000000000000000000");
    assert_eq!(show(&subtract(&b, &b)), "0 java.math.BigInteger");
    assert_eq!(
        show(&divide(&b, &Value::Int(3))),
        "16666666666666666666666 java.math.BigInteger"
    );
    assert_eq!(show(&modulo(&b, &Value::Int(7))), "6 java.math.BigInteger");
    let nb = big("-50000000000000000000000");
    assert_eq!(show(&modulo(&nb, &Value::Int(7))), "1 java.math.BigInteger");
    assert_eq!(
        show(&divide(&nb, &Value::Int(-7))),
        "7142857142857142857142 java.math.BigInteger"
    );
    assert_eq!(
        arithmetic(MathOp::Modulo, &nb, &Value::Int(-7))
            .unwrap_err()
            .to_string(),
        "java.lang.ArithmeticException: BigInteger: modulus not positive"
    );
    assert_eq!(
        show(&add(&b, &Value::Double(1.5))),
        "50000000000000000000001.5 java.math.BigDecimal"
    );
    assert_eq!(
            show(&multiply(&b, &Value::Double(0.1))),
            "5000000000000000277555.7561562891351059079170227050781250000000000000000000000 java.math.BigDecimal"
        );
    assert_eq!(
        show(&divide(&b, &Value::Double(0.1))),
        "499999999999999972244424 java.math.BigDecimal"
    );
    assert_eq!(
        arithmetic(MathOp::Modulo, &b, &Value::Double(7.5))
            .unwrap_err()
            .to_string(),
        "java.lang.ArithmeticException: Cannot calculate the modulo of BigDecimals."
    );
    let t = big("10000000000000000000");
    let c = add(&t, &Value::Double(0.5));
    assert_eq!(show(&c), "10000000000000000000.5 java.math.BigDecimal");
    assert_eq!(
        show(&add(&c, &Value::Int(1))),
        "10000000000000000001.5 java.math.BigDecimal"
    );
    assert_eq!(
        show(&divide(&c, &Value::Int(3))),
        "3333333333333333333.5 java.math.BigDecimal"
    );
    assert_eq!(
        show(&divide(&c, &Value::Int(4))),
        "2500000000000000000.1 java.math.BigDecimal"
    );
    assert_eq!(
        show(&multiply(&c, &Value::Double(0.5))),
        "5000000000000000000.25 java.math.BigDecimal"
    );
    let zero = subtract(&t, &t);
    assert_eq!(
        show(&add(&zero, &Value::Double(0.001))),
        "0.001000000000000000020816681711721685132943093776702880859375 java.math.BigDecimal"
    );
    assert_eq!(
        add(&zero, &Value::Double(0.0000001))
            .to_java_string()
            .unwrap(),
        "9.99999999999999954748111825886258685613938723690807819366455078125E-8"
    );
    assert_eq!(
        subtract(&zero, &Value::Double(0.0000001))
            .to_java_string()
            .unwrap(),
        "-9.99999999999999954748111825886258685613938723690807819366455078125E-8"
    );
    assert_eq!(
        add(&zero, &Value::Double(1e20)).to_java_string().unwrap(),
        "100000000000000000000"
    );
    assert_eq!(
        multiply(&t, &Value::Double(0.0000001))
            .to_java_string()
            .unwrap(),
        "999999999999.9999547481118258862586856139387236908078193664550781250000000000000000000"
    );
    let z = subtract(&c, &c);
    assert_eq!(z.to_java_string().unwrap(), "0.0");
    assert!(divide(&Value::Int(5), &z).is_null());
    assert!(divide(&Value::Int(5), &zero).is_null());
    assert_eq!(
        compare_numbers(&add(&t, &Value::Double(1.5)), &t),
        Some(Ordering::Greater)
    );
}

#[test]
fn floats() {
    let f = float_value(0.1f64 as f32);
    assert_eq!(show(&add(&f, &Value::Int(1))), "1.1 java.lang.Float");
    assert_eq!(
        show(&add(&f, &Value::Double(0.5))),
        "0.6000000014901161 java.lang.Double"
    );
    assert_eq!(show(&multiply(&f, &f)), "0.010000001 java.lang.Float");
    assert_eq!(
        show(&divide(&f, &Value::Int(3))),
        "0.033333335 java.lang.Float"
    );
    assert_eq!(show(&multiply(&f, &Value::Int(3))), "0.3 java.lang.Float");
    assert_eq!(
        show(&modulo(&f, &Value::Double(0.03))),
        "0.010000001490116123 java.lang.Double"
    );
    assert!(divide(&f, &Value::Int(0)).is_null());
    let b = big("12345678901234567890123");
    assert_eq!(
        show(&add(&b, &f)),
        "12345678901234567890123.100000001490116119384765625 java.math.BigDecimal"
    );
    assert_eq!(numbers_equal(&f, &Value::Double(0.1)), Some(false));
    assert_eq!(
        compare_numbers(&f, &Value::Double(0.1)),
        Some(Ordering::Greater)
    );
    assert_eq!(numbers_equal(&f, &f), Some(true));
}
