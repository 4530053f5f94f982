//! src/entry.mjs, the Worker's entry module, against stand-ins for
//! worker-build's output (`tests/entry/entry.test.mjs`, node's test runner).

#[test]
fn entry_module_forwards_handlers_and_answers_for_a_trapped_instance() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new("node")
        .arg("--test")
        .arg(root.join("tests/entry/entry.test.mjs"))
        .output()
        .expect("node runs (make test installs the toolchain)");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("# fail 0") && text.contains("# pass 6"),
        "{text}"
    );
}
