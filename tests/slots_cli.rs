//! The server binary's `slots` command, as support staff run it.
use std::{
    io::Write,
    path::Path,
    process::{Command, Stdio},
};

fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_session-booking"))
}

#[test]
fn answers_a_case_file_with_the_contract_result() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/slot_cases");
    let out = binary().args(["slots", "--case"]).arg(dir.join("contract_example.case.json")).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let want: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("contract_example.expected.json")).unwrap()).unwrap();
    assert_eq!(got, want);
}

#[test]
fn reads_standard_input_and_refuses_a_malformed_case_naming_the_field() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/slot_cases");
    let mut case: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("contract_example.case.json")).unwrap()).unwrap();
    case["tutor"]["rules"][0]["timezone"] = "Mars/Olympus_Mons".into();
    let mut child =
        binary().args(["slots", "--case", "-"]).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(case.to_string().as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("tutor.rules[0].timezone"), "{stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn a_missing_file_is_an_error_not_a_panic() {
    let out = binary().args(["slots", "--case", "/nonexistent/case.json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read /nonexistent/case.json"));
}
