//! Runtime behaviour that wrangler dev's proxy hides, tested in workerd
//! through Miniflare's API (`tests/runtime_js/*.test.mjs`, node's test
//! runner): the contact form's streamed body cap.

#[path = "support/mod.rs"]
mod support;

#[test]
fn a_chunked_body_is_capped_while_it_arrives() {
    support::node_tests("tests/runtime_js/body-cap.test.mjs", 1);
}
