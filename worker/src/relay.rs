//! `POST /v1/relay-key`: the key of a widget's relay. When the iframe has no storage of its own,
//! the widget keeps drafts and queued requests in the host page's storage, encrypted with this
//! key. Only the worker's own origin (the widget) may ask for it; the answer carries no CORS
//! headers, so a host page cannot read it either way.

use tabdesk_core::problem;
use tabdesk_core::token::{is_relay_id, relay_key};
use tabdesk_core::wire::{RelayKey, RelayKeyRequest};
use worker::{Env, Request};

use crate::http::{header, invalid_param, json, read_json, ApiResult};
use crate::settings;

pub async fn key(req: &mut Request, env: &Env) -> ApiResult {
    let own = req.url()?.origin().ascii_serialization();
    if header(req, "Origin").as_deref() != Some(own.as_str()) {
        return Err(problem::forbidden("Only the widget may ask for its relay key.").into());
    }
    let asked: RelayKeyRequest = read_json(req).await?;
    if !is_relay_id(&asked.id) {
        return Err(invalid_param("id", "22-64 letters, digits, '-' or '_'."));
    }
    json(200, &RelayKey { key: relay_key(&settings::secret(env)?, &asked.id) })
}
