//! A storage fault on the intake path, alone in its test binary: holding the database's write
//! lock would fail any other test's write that happened to run at the same moment.

use tabdesk_tests::{ticket, unique, Api};

#[test]
fn a_storage_fault_on_intake_is_a_503_to_retry_and_loses_nothing() {
    let api = Api::from_env();
    let (site, token) = api.own_site("fault");
    let key = unique("k");
    let t = ticket("While the disk was busy");
    assert!(api.tickets(&site, &token).is_empty(), "the site's store exists, empty");
    let failed = {
        // Another writer holds the database: the worker's write cannot go through.
        let lock = api.lock_stored(&site);
        let reply = api.create_ticket(&site, &t, &key);
        drop(lock);
        reply
    };
    let problem = failed.problem(503);
    assert!(failed.header("retry-after").is_some(), "{problem}");
    assert!(!failed.body.contains("D1") && !failed.body.contains("SQL"), "no internals: {}", failed.body);
    let retried = api.create_ticket(&site, &t, &key);
    assert_eq!(retried.status, 201, "{}", retried.body);
    assert_eq!(api.tickets(&site, &token).len(), 1, "stored once");
}
