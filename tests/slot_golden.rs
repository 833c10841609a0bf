//! Golden cases for the slot engine (docs/slot-rules.md): every
//! `tests/slot_cases/NAME.case.json` must produce `NAME.expected.json`, and every malformed
//! `tests/slot_cases/invalid/NAME.json` must be refused with the message in `NAME.error`.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
use session_booking::slots::run_case;

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/slot_cases")
}

/// The files in `dir` whose names end with `suffix`, sorted, with that suffix cut off.
fn files_ending(dir: &Path, suffix: &str) -> Vec<(String, PathBuf)> {
    let mut found: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter_map(|path| {
            let name = path.file_name()?.to_str()?.strip_suffix(suffix)?.to_owned();
            Some((name, path))
        })
        .collect();
    found.sort();
    found
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn golden_cases_produce_their_expected_results() {
    let cases = files_ending(&cases_dir(), ".case.json");
    assert!(cases.len() >= 20, "only {} golden cases found", cases.len());
    let mut failures = Vec::new();
    for (name, case_path) in &cases {
        let expected_path = case_path.with_file_name(format!("{name}.expected.json"));
        let expected: Value = serde_json::from_str(&read(&expected_path)).unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
        match run_case(&read(case_path)) {
            Ok(actual) => {
                let actual: Value = serde_json::from_str(&actual).unwrap();
                if actual != expected {
                    failures.push(format!(
                        "{name}: expected\n{}\ngot\n{}",
                        serde_json::to_string_pretty(&expected).unwrap(),
                        serde_json::to_string_pretty(&actual).unwrap()
                    ));
                }
            }
            Err(e) => failures.push(format!("{name}: refused: {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn malformed_cases_are_refused_naming_the_field() {
    let dir = cases_dir().join("invalid");
    let cases = files_ending(&dir, ".json");
    assert!(cases.len() >= 10, "only {} malformed cases found", cases.len());
    let mut failures = Vec::new();
    for (name, case_path) in &cases {
        let expected = read(&dir.join(format!("{name}.error")));
        let expected = expected.trim_end();
        match run_case(&read(case_path)) {
            Ok(_) => failures.push(format!("{name}: accepted, expected refusal {expected:?}")),
            Err(e) if e.to_string() != expected => {
                failures.push(format!("{name}: refused with {:?}, expected {expected:?}", e.to_string()))
            }
            Err(_) => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
