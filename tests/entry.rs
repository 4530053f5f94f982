//! src/entry.mjs, the Worker's entry module, against stand-ins for
//! worker-build's output (`tests/entry/entry.test.mjs`, node's test runner).

#[path = "support/mod.rs"]
mod support;

#[test]
fn entry_module_forwards_handlers_and_answers_for_a_trapped_instance() {
    support::node_tests("tests/entry/entry.test.mjs", 6);
}
