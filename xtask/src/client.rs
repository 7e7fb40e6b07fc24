//! What xtask asks of a running worker over HTTP: sites for tests and benchmarks, and every
//! ticket of a site (to check what was stored).

use std::time::Duration;

use serde_json::{json, Value};

use crate::Result;

/// An HTTP client that reads error statuses as answers, with a generous timeout.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

/// Creates site `id` through the operator API with no minimum fill time (generated and
/// scripted requests are sent at once); returns its admin token.
pub fn create_site(base: &str, operator: &str, id: &str) -> Result<String> {
    let body = json!({ "id": id, "name": id, "allowed_origins": [], "locales": ["en", "ru"] });
    let created: Value = agent()
        .post(format!("{base}/v1/operator/sites"))
        .header("Authorization", &format!("Bearer {operator}"))
        .header("Content-Type", "application/json")
        .send(body.to_string().as_bytes())?
        .body_mut()
        .read_json()?;
    let token = created["admin_token"].as_str().ok_or_else(|| format!("creating {id}: {created}"))?.to_owned();
    let config_url = format!("{base}/v1/admin/sites/{id}/config");
    let auth = format!("Bearer {token}");
    let mut config: Value = agent().get(&config_url).header("Authorization", &auth).call()?.body_mut().read_json()?;
    config["abuse"]["min_fill_ms"] = json!(0);
    let saved = agent()
        .put(&config_url)
        .header("Authorization", &auth)
        .header("Content-Type", "application/json")
        .send(config.to_string().as_bytes())?;
    if saved.status() != 200 {
        return Err(format!("configuring {id}: {}", saved.status()).into());
    }
    Ok(token)
}

/// Every ticket of `site`, newest first, through the agents' queue.
pub fn all_tickets(base: &str, site: &str, token: &str) -> Result<Vec<Value>> {
    let mut tickets = Vec::new();
    let mut cursor = String::new();
    loop {
        let page: Value = agent()
            .get(format!("{base}/v1/admin/sites/{site}/tickets?limit=200{cursor}"))
            .header("Authorization", &format!("Bearer {token}"))
            .call()?
            .body_mut()
            .read_json()?;
        tickets.extend(page["tickets"].as_array().into_iter().flatten().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = format!("&cursor={next}"),
            None => return Ok(tickets),
        }
    }
}
