//! `GET /console`: the page that boots the agent console (a Leptos app under `/console/`, built
//! by `cargo xtask build`). Strict: everything from our origin, no inline script, never framed.

use tabdesk_core::domain::Locale;
use tabdesk_core::i18n::console::console_strings;
use worker::Request;

use crate::http::{header, respond, ApiResult};

const POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
     img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; object-src 'none'; \
     frame-ancestors 'none'";

pub fn page(req: &Request) -> ApiResult {
    let locale = Locale::asked(None, header(req, "Accept-Language").as_deref()).unwrap_or_default();
    let body = format!(
        "<!doctype html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"color-scheme\" content=\"light dark\"><title>{title}</title>\
         <link rel=\"stylesheet\" href=\"/console/console.css\">\
         <link rel=\"modulepreload\" href=\"/console/tabdesk_console.js\">\
         <link rel=\"modulepreload\" href=\"/console/__wasm_split.js\">\
         <link rel=\"preload\" href=\"/console/tabdesk_console_bg.wasm\" as=\"fetch\" type=\"application/wasm\" crossorigin>\
         <script type=\"module\" src=\"/console/boot.js\"></script></head><body></body></html>\n",
        lang = locale.tag(),
        title = console_strings(locale).title,
    );
    let response = respond(body, 200, "text/html; charset=utf-8");
    let headers = response.headers();
    headers.set("Content-Security-Policy", POLICY)?;
    // Links to customers' pages must not tell them where agents work.
    headers.set("Referrer-Policy", "no-referrer")?;
    headers.set("Cache-Control", "no-store")?;
    Ok(response)
}
