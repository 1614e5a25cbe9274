//! The TestInvokeMethod execution log: `Execution log for request ID`, then one line per step,
//! each prefixed with the time as Java's `Date.toString()` prints it in UTC
//! (`Thu Aug 31 01:07:25 UTC 2017 : `), maps printed as Java prints them (`{k=v, k2=v2}`),
//! and long values cut with ` [TRUNCATED]`.

use std::sync::Arc;

/// A clock: milliseconds since the Unix epoch. Inject a fixed one for repeatable logs.
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

/// How many characters of a map or body a log line shows before ` [TRUNCATED]` (AWS cuts
/// "at about 1000 characters" [SNAP]; LocalStack at 998). Chosen: 1000.
pub(crate) const LOG_TRUNCATE_AT: usize = 1000;

/// A log being written, or (when not wanted) a clock that drops every line: callers check
/// [`Log::on`] before formatting a costly line.
pub(crate) struct Log {
    on: bool,
    clock: Clock,
    lines: Vec<(i64, String)>,
}

impl Log {
    pub(crate) fn new(clock: Clock, on: bool) -> Log {
        Log {
            on,
            clock,
            lines: Vec::new(),
        }
    }

    /// Whether lines are kept.
    pub(crate) fn on(&self) -> bool {
        self.on
    }

    /// The clock's time now.
    pub(crate) fn now(&self) -> i64 {
        (self.clock)()
    }

    /// Adds a line.
    pub(crate) fn line(&mut self, text: impl Into<String>) {
        if !self.on {
            return;
        }
        let t = self.now();
        self.lines.push((t, text.into()));
    }

    /// Adds a line whose value is cut at [`LOG_TRUNCATE_AT`] characters.
    pub(crate) fn value(&mut self, label: &str, value: &str) {
        if !self.on {
            return;
        }
        self.line(format!("{label}{}", truncate(value)));
    }

    /// The whole log of request `request_id` (ending with a newline).
    pub(crate) fn text(&self, request_id: &str) -> String {
        let mut out = format!("Execution log for request {request_id}\n");
        for (t, line) in &self.lines {
            out.push_str(&java_date(*t));
            out.push_str(" : ");
            out.push_str(line);
            out.push('\n');
        }
        out
    }
}

/// `value`, cut to [`LOG_TRUNCATE_AT`] characters and marked ` [TRUNCATED]` when longer.
pub(crate) fn truncate(value: &str) -> String {
    match value.char_indices().nth(LOG_TRUNCATE_AT) {
        Some((i, _)) => format!("{} [TRUNCATED]", &value[..i]),
        None => value.to_string(),
    }
}

/// A map as Java's `AbstractMap.toString()` prints it: `{k=v, k2=v2}`; repeated names appear
/// once, their values joined with `,`.
pub fn java_map(pairs: &[(String, String)]) -> String {
    let mut merged: Vec<(&str, String)> = Vec::new();
    for (k, v) in pairs {
        match merged.iter_mut().find(|(n, _)| *n == k.as_str()) {
            Some((_, existing)) => {
                existing.push(',');
                existing.push_str(v);
            }
            None => merged.push((k, v.clone())),
        }
    }
    let body: Vec<String> = merged.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("{{{}}}", body.join(", "))
}

/// Java `Date.toString()` in UTC: `Thu Aug 31 01:07:25 UTC 2017`.
pub fn java_date(epoch_ms: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let secs = epoch_ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let tod = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{} {} {:02} {:02}:{:02}:{:02} UTC {}",
        DAYS[days.rem_euclid(7) as usize],
        MONTHS[(m - 1) as usize],
        d,
        tod / 3600,
        (tod % 3600) / 60,
        tod % 60,
        y
    )
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// An HTTP date (RFC 7231): `Thu, 31 Aug 2017 01:07:25 GMT`.
pub fn http_date(epoch_ms: i64) -> String {
    let java = java_date(epoch_ms);
    // "Thu Aug 31 01:07:25 UTC 2017" → "Thu, 31 Aug 2017 01:07:25 GMT"
    let parts: Vec<&str> = java.split(' ').collect();
    format!(
        "{}, {} {} {} {} GMT",
        parts[0], parts[2], parts[1], parts[5], parts[3]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_date_format() {
        // 2017-08-31T01:07:25Z, the docs' example.
        assert_eq!(java_date(1_504_141_645_000), "Thu Aug 31 01:07:25 UTC 2017");
        assert_eq!(java_date(0), "Thu Jan 01 00:00:00 UTC 1970");
        assert_eq!(java_date(1_704_067_200_000), "Mon Jan 01 00:00:00 UTC 2024");
    }

    #[test]
    fn java_maps() {
        assert_eq!(java_map(&[]), "{}");
        let p = vec![
            ("petId".to_string(), "123".to_string()),
            ("a".into(), "1".into()),
            ("a".into(), "2".into()),
        ];
        assert_eq!(java_map(&p), "{petId=123, a=1,2}");
    }

    #[test]
    fn long_values_are_truncated() {
        let long = "x".repeat(LOG_TRUNCATE_AT + 5);
        let t = truncate(&long);
        assert!(t.ends_with("x [TRUNCATED]"));
        assert_eq!(t.chars().filter(|c| *c == 'x').count(), LOG_TRUNCATE_AT);
        assert_eq!(truncate("short"), "short");
    }

    #[test]
    fn log_text_shape() {
        let mut log = Log::new(Arc::new(|| 1_504_141_645_000), true);
        log.line("Starting execution for request: r-1");
        assert_eq!(
            log.text("r-1"),
            "Execution log for request r-1\nThu Aug 31 01:07:25 UTC 2017 : Starting execution for request: r-1\n"
        );
        let mut off = Log::new(Arc::new(|| 0), false);
        off.line("dropped");
        assert_eq!(off.text("r-1"), "Execution log for request r-1\n");
    }
}
