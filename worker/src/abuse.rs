//! Abuse controls of the public API: Origin checks, the per-site-and-address rate limit, and
//! Cloudflare Turnstile for sites that turn it on.

use serde::Deserialize;
use tabdesk_core::problem;
use tabdesk_core::site::Site;
use worker::{Env, Fetch, Headers, Method, Request, RequestInit};

use crate::http::{header, ApiError};

/// The limiters' window (wrangler.toml `ratelimits`): a refused client waits this long at most.
const RATE_PERIOD_SECONDS: u32 = 60;

/// The rate limits of public writes (wrangler.toml `ratelimits`), per site and client address.
#[derive(Debug, Clone, Copy)]
pub enum Limit {
    /// New requests and (later) customer replies.
    Intake,
    /// Statistics: article views, "Was this helpful?", searches, opened forms.
    Events,
}

impl Limit {
    fn binding(self) -> &'static str {
        match self {
            Limit::Intake => "INTAKE_LIMITER",
            Limit::Events => "EVENTS_LIMITER",
        }
    }
}
const SITEVERIFY_URL: &str = "https://challenges.cloudflare.com/turnstile/v0/siteverify";

/// Browsers send `Origin` on every cross-origin request and on same-origin POSTs; when one is
/// sent it must be the worker's own or one the site allows. Clients without it (servers,
/// scripts) are not browsers acting for a visitor of another site, so there is nothing to check.
pub fn check_origin(req: &Request, site: &Site) -> Result<(), ApiError> {
    let Some(origin) = header(req, "Origin") else {
        return Ok(());
    };
    let own = req.url().map(|u| u.origin().ascii_serialization()).unwrap_or_default();
    if site.allows_origin(&origin, &own) {
        Ok(())
    } else {
        Err(problem::forbidden("This origin may not use this site's API.").into())
    }
}

/// The client's address: Cloudflare's `CF-Connecting-IP`, trusted only on a request that came
/// through Cloudflare's edge (it carries `cf` properties, and Cloudflare overwrites the header
/// there, so clients cannot forge it; X-Forwarded-For they can). Anything else — a runtime
/// without Cloudflare in front, or no header — shares one strict bucket per site.
pub fn client_ip(req: &Request) -> String {
    req.cf().and_then(|_| header(req, "CF-Connecting-IP")).unwrap_or_else(|| "untrusted".into())
}

/// 429 when this address sent too many requests of this kind to this site in the window.
/// Without the binding (a deployment that left it out) nothing is limited, and it is logged.
pub async fn rate_limit(env: &Env, req: &Request, site: &Site, limit: Limit) -> Result<(), ApiError> {
    let limiter = match env.rate_limiter(limit.binding()) {
        Ok(limiter) => limiter,
        Err(e) => {
            worker::console_warn!("rate limiting is off: {e}");
            return Ok(());
        }
    };
    let outcome = limiter.limit(format!("{}|{}", site.id, client_ip(req))).await?;
    if outcome.success {
        Ok(())
    } else {
        Err(problem::too_many_requests(RATE_PERIOD_SECONDS).into())
    }
}

#[derive(Deserialize)]
struct Siteverify {
    success: bool,
}

/// Verifies a Turnstile token when the site requires one. Fails closed: no token, a refused
/// token, or no answer from Cloudflare all refuse the request. Tests bind `TURNSTILE` to a stub
/// service; deployments call Cloudflare.
pub async fn check_turnstile(env: &Env, req: &Request, site: &Site, token: Option<&str>) -> Result<(), ApiError> {
    let Some((_, secret)) = site.config.turnstile() else {
        return Ok(());
    };
    let refused = || ApiError::from(problem::forbidden("The anti-bot check failed; reload the page and try again."));
    let token = token.filter(|t| !t.is_empty() && t.len() <= 2048).ok_or_else(refused)?;
    let body = serde_json::json!({ "secret": secret, "response": token, "remoteip": client_ip(req) }).to_string();
    let headers = Headers::new();
    headers.set("Content-Type", "application/json")?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_headers(headers).with_body(Some(body.into()));
    let request = Request::new_with_init(SITEVERIFY_URL, &init)?;
    let answer = match env.service("TURNSTILE") {
        Ok(stub) => stub.fetch_request(request).await,
        Err(_) => Fetch::Request(request).send().await,
    };
    let verdict = match answer {
        Ok(mut response) => response.json::<Siteverify>().await.map(|v| v.success).unwrap_or(false),
        Err(e) => {
            worker::console_error!("turnstile siteverify failed: {e}");
            false
        }
    };
    if verdict {
        Ok(())
    } else {
        Err(refused())
    }
}
