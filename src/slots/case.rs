//! The contract's JSON case format: parse, validate, compute, print.
//!
//! The case is walked as a `serde_json::Value` rather than derived, so that every refusal
//! names the exact field (`tutor.rules[0].end: …`). Extra fields are ignored; every field the
//! contract lists is required, except the lists of intervals (existing sessions, time off and
//! extra hours): a calendar without any may leave them out.

use std::fmt::Display;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde_json::{Map, Value};

use super::{compute_slots, Interval, LocalTime, Policy, SlotQuery, WeeklyRule};

/// Why a case was refused.
#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    /// Not JSON at all; serde_json's message says where (line and column).
    #[error("invalid JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// JSON, but a field is missing or wrong.
    #[error("{field}: {problem}")]
    Field { field: String, problem: String },
}

/// Runs one case and returns the result as pretty-printed JSON in the contract's shape.
pub fn run_case(json: &str) -> Result<String, CaseError> {
    let value: Value = serde_json::from_str(json)?;
    let case = Case::parse(&Node { path: String::new(), value: &value })?;
    let result = compute_slots(&SlotQuery {
        now: case.now,
        viewer_timezone: case.viewer_timezone,
        from: case.from,
        to: case.to,
        policy: &case.policy,
        rules: &case.rules,
        time_off: &case.time_off,
        extra: &case.extra,
        busy: &case.busy,
        student_busy: &case.student_busy,
    });
    Ok(serde_json::to_string_pretty(&result).expect("a SlotResult always serializes"))
}

/// A validated case: the owned inputs of a [`SlotQuery`].
struct Case {
    now: DateTime<Utc>,
    viewer_timezone: Tz,
    from: NaiveDate,
    to: NaiveDate,
    policy: Policy,
    rules: Vec<WeeklyRule>,
    time_off: Vec<Interval>,
    extra: Vec<Interval>,
    busy: Vec<Interval>,
    student_busy: Vec<Interval>,
}

impl Case {
    /// Fields are checked in the order the contract lists them, so the first problem in the
    /// file is the one reported.
    fn parse(root: &Node) -> Result<Case, CaseError> {
        let now = root.get("now")?.instant()?;
        let viewer_timezone = root.get("viewer_timezone")?.timezone()?;
        let range = root.get("range")?;
        let (from, to) = (range.get("from")?.date()?, range.get("to")?.date()?);
        if from > to {
            return Err(range.error("from must not be after to"));
        }
        let policy = root.get("policy")?;
        let minutes = |key: &str| policy.get(key)?.integer();
        let policy = Policy {
            duration_minutes: minutes("duration_minutes")?,
            step_minutes: minutes("step_minutes")?,
            buffer_minutes: minutes("buffer_minutes")?,
            minimum_notice_minutes: minutes("minimum_notice_minutes")?,
            horizon_days: minutes("horizon_days")?,
        };
        policy.validate().map_err(|e| CaseError::Field { field: format!("policy.{}", e.field), problem: e.problem })?;
        let tutor = root.get("tutor")?;
        let rules = tutor.get("rules")?.items()?.map(|r| rule(&r)).collect::<Result<_, _>>()?;
        Ok(Case {
            now,
            viewer_timezone,
            from,
            to,
            policy,
            rules,
            time_off: optional_intervals(&tutor, "time_off", Span::Hours)?,
            extra: optional_intervals(&tutor, "extra", Span::Hours)?,
            busy: optional_intervals(&tutor, "busy", Span::Session)?,
            student_busy: optional_intervals(root, "student_busy", Span::Session)?,
        })
    }
}

fn rule(node: &Node) -> Result<WeeklyRule, CaseError> {
    let day = node.get("day_of_week")?;
    let day_of_week = match day.integer()? {
        d @ 1..=7 => d as u8,
        _ => return Err(day.error("must be 1..7")),
    };
    let start: LocalTime = node.get("start")?.parsed()?;
    let end_node = node.get("end")?;
    let end: LocalTime = end_node.parsed()?;
    if end <= start {
        return Err(end_node.error("must be later than start"));
    }
    let timezone = node.get("timezone")?.timezone()?;
    Ok(WeeklyRule { day_of_week, start, end, timezone })
}

/// What a list of intervals holds, which decides the empty ones' fate.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Span {
    /// Existing sessions: an empty one is odd but harmless.
    Session,
    /// Time off or extra hours: an empty one is a mistake.
    Hours,
}

/// A list of intervals that may be absent (or `null`), meaning none.
fn optional_intervals(parent: &Node, key: &str, span: Span) -> Result<Vec<Interval>, CaseError> {
    match parent.object()?.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(_) => intervals(&parent.get(key)?, span),
    }
}

fn intervals(node: &Node, span: Span) -> Result<Vec<Interval>, CaseError> {
    node.items()?
        .map(|item| {
            let start = item.get("start")?.instant()?;
            let end_node = item.get("end")?;
            let end = end_node.instant()?;
            match span {
                Span::Session if end < start => Err(end_node.error("must not be before start")),
                Span::Hours if end <= start => Err(end_node.error("must be later than start")),
                _ => Ok(Interval { start, end }),
            }
        })
        .collect()
}

/// A JSON value together with its path from the root, for messages.
struct Node<'v> {
    path: String,
    value: &'v Value,
}

impl<'v> Node<'v> {
    fn error(&self, problem: impl Display) -> CaseError {
        let field = if self.path.is_empty() { "case".to_owned() } else { self.path.clone() };
        CaseError::Field { field, problem: problem.to_string() }
    }

    fn object(&self) -> Result<&'v Map<String, Value>, CaseError> {
        self.value.as_object().ok_or_else(|| self.error("must be an object"))
    }

    /// A required member; `null` counts as missing.
    fn get(&self, key: &str) -> Result<Node<'v>, CaseError> {
        let path = if self.path.is_empty() { key.to_owned() } else { format!("{}.{key}", self.path) };
        match self.object()?.get(key) {
            Some(value) if !value.is_null() => Ok(Node { path, value }),
            _ => Err(Node { path, value: &Value::Null }.error("missing")),
        }
    }

    fn items(&self) -> Result<impl Iterator<Item = Node<'v>> + '_, CaseError> {
        let items = self.value.as_array().ok_or_else(|| self.error("must be an array"))?;
        Ok(items.iter().enumerate().map(|(i, value)| Node { path: format!("{}[{i}]", self.path), value }))
    }

    fn string(&self) -> Result<&'v str, CaseError> {
        self.value.as_str().ok_or_else(|| self.error("must be a string"))
    }

    fn integer(&self) -> Result<i64, CaseError> {
        self.value.as_i64().ok_or_else(|| self.error("must be an integer"))
    }

    fn parsed<T: FromStr<Err: Display>>(&self) -> Result<T, CaseError> {
        self.string()?.parse().map_err(|e| self.error(e))
    }

    fn timezone(&self) -> Result<Tz, CaseError> {
        let name = self.string()?;
        name.parse().map_err(|_| self.error(format_args!("unknown timezone {name:?}")))
    }

    fn date(&self) -> Result<NaiveDate, CaseError> {
        let text = self.string()?;
        NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| self.error(format_args!("must be a date YYYY-MM-DD, got {text:?}")))
    }

    /// An RFC 3339 instant with any offset, e.g. `2026-03-06T15:00:00Z`.
    fn instant(&self) -> Result<DateTime<Utc>, CaseError> {
        let text = self.string()?;
        DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| self.error(format_args!("must be an RFC 3339 instant such as 2026-03-06T15:00:00Z, got {text:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::run_case;

    const CASE: &str = r#"{
        "now": "2026-03-06T15:00:00Z", "viewer_timezone": "America/New_York",
        "range": { "from": "2026-03-09", "to": "2026-03-09" },
        "policy": { "duration_minutes": 60, "step_minutes": 60, "buffer_minutes": 0,
                    "minimum_notice_minutes": 0, "horizon_days": 30 },
        "tutor": { "rules": [ { "day_of_week": 1, "start": "09:00", "end": "11:00", "timezone": "America/New_York" } ]
                   BUSY },
        STUDENT
        "extra": true
    }"#;

    fn case(busy: &str, student: &str) -> String {
        CASE.replace("BUSY", busy).replace("STUDENT", student)
    }

    #[test]
    fn omitted_or_null_session_lists_mean_no_sessions() {
        let empty = run_case(&case(r#", "busy": []"#, r#""student_busy": [],"#)).unwrap();
        assert!(empty.contains("\"2026-03-09T13:00:00Z\"") && empty.contains("\"2026-03-09T14:00:00Z\""), "{empty}");
        assert_eq!(run_case(&case("", "")).unwrap(), empty);
        assert_eq!(run_case(&case(r#", "busy": null"#, r#""student_busy": null,"#)).unwrap(), empty);
    }

    #[test]
    fn a_session_list_of_the_wrong_type_is_still_refused() {
        let err = run_case(&case(r#", "busy": {}"#, "")).unwrap_err();
        assert_eq!(err.to_string(), "tutor.busy: must be an array");
        let err = run_case(&case("", r#""student_busy": "none","#)).unwrap_err();
        assert_eq!(err.to_string(), "student_busy: must be an array");
    }
}
