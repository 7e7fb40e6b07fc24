//! The worker's own settings (wrangler vars and secrets), never a site's.

use tabdesk_core::url::OutboundPolicy;
use worker::Env;

use crate::http::ApiError;

/// `TABDESK_SECRET`: what customer access tokens and relay keys are derived from. Without it
/// nothing that needs one can be answered (fail closed), and that is logged.
pub fn secret(env: &Env) -> Result<String, ApiError> {
    env.secret("TABDESK_SECRET")
        .map(|s| s.to_string())
        .ok()
        .filter(|s| s.len() >= 32)
        .ok_or_else(|| ApiError::internal("TABDESK_SECRET is not set (or shorter than 32 characters)"))
}

/// Where outbound requests may go: public https hosts, and loopback too when the deployment sets
/// `OUTBOUND_ALLOW_LOOPBACK = "true"` (local development and tests only).
pub fn outbound(env: &Env) -> OutboundPolicy {
    let allow_loopback = env.var("OUTBOUND_ALLOW_LOOPBACK").map(|v| v.to_string() == "true").unwrap_or(false);
    OutboundPolicy { allow_loopback }
}

/// The base URL of a channel's platform API (`vk` or `telegram`): `VK_API_BASE` or
/// `TELEGRAM_API_BASE` when the deployment sets one (tests point them at a local stub), else the
/// platform's own. A worker setting, never a site's: a site cannot send its replies elsewhere.
pub fn platform_api(env: &Env, channel: &str) -> String {
    let (var, default) = match channel {
        "telegram" => ("TELEGRAM_API_BASE", "https://api.telegram.org"),
        _ => ("VK_API_BASE", "https://api.vk.com"),
    };
    env.var(var).map(|v| v.to_string()).ok().filter(|v| !v.is_empty()).unwrap_or_else(|| default.to_owned())
}
