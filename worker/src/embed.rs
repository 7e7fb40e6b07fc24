//! `GET /embed`: the page inside the loader's iframe (or opened full-size by a social network),
//! which boots the Leptos widget with the site's public config inline.

use tabdesk_core::channel::launched;
use tabdesk_core::domain::Locale;
use tabdesk_core::i18n::{page_strings, reply_note};
use tabdesk_core::origin::frame_ancestors;
use tabdesk_core::site::Site;
use tabdesk_core::text::escape_html;
use tabdesk_core::wire::{EmbedBoot, EmbedMode, LaunchedVisitor};
use worker::{Env, Request, Response, Url};

use crate::cache;
use crate::http::{header, param, respond, to_json, ApiError, ApiResult};
use crate::platform::now_ms;

/// Where Cloudflare Turnstile's script and frame come from, for sites that turn it on.
const TURNSTILE_ORIGIN: &str = "https://challenges.cloudflare.com";

/// Everything the widget loads comes from our origin (and Turnstile's, for sites that use it);
/// only the site's own pages may frame it.
fn policy(site: &Site) -> String {
    let turnstile = if site.config.turnstile().is_some() { format!(" {TURNSTILE_ORIGIN}") } else { String::new() };
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{turnstile}; style-src 'self'; \
         img-src 'self' data: https:; connect-src 'self'; frame-src 'self'{turnstile}; base-uri 'none'; \
         form-action 'none'; object-src 'none'; {}",
        frame_ancestors(&site.config.origin_patterns())
    )
}

pub fn html(body: String, status: u16, csp: &str) -> ApiResult {
    let response: Response = respond(body, status, "text/html; charset=utf-8");
    response.headers().set("Content-Security-Policy", csp)?;
    response.headers().set("Referrer-Policy", "strict-origin-when-cross-origin")?;
    Ok(response)
}

fn boot_json(boot: &EmbedBoot) -> Result<String, ApiError> {
    // `<` never appears outside strings in JSON, so escaping it keeps `</script>` out of the page.
    Ok(to_json(boot)?.replace('<', "\\u003c"))
}

pub fn page(locale: Locale, title: &str, head: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"/widget/widget.css\">{head}</head>\
         <body>{body}</body></html>\n",
        lang = locale.tag(),
        title = escape_html(title),
    )
}

/// The language the visitor asks for: `?locale=`, else the browser's.
fn asked_locale(req: &Request, url: &Url) -> Option<Locale> {
    let explicit = param(url, "locale").and_then(|l| Locale::from_tag(&l));
    Locale::asked(explicit, header(req, "Accept-Language").as_deref())
}

/// A clear page for a site that does not exist, in the visitor's language.
fn unknown_site(req: &Request, url: &Url) -> ApiResult {
    let locale = asked_locale(req, url).unwrap_or_default();
    let s = page_strings(locale);
    let body = format!(
        "<main class=\"notice\"><h1>{}</h1><p>{}</p></main>",
        escape_html(s.unknown_site),
        escape_html(s.unknown_site_detail)
    );
    html(page(locale, s.unknown_site, "", &body), 404, "default-src 'self'; style-src 'self'")
}

/// `GET /embed?site=&locale=&mode=&origin=&channel=`.
pub async fn embed(req: &Request, env: &Env, url: &Url) -> ApiResult {
    let site_id = param(url, "site").unwrap_or_default();
    let site = match cache::load_site(env, &site_id).await {
        Ok(site) => site,
        Err(ApiError::Problem(_)) => return unknown_site(req, url),
        Err(e) => return Err(e),
    };
    let locale = site.config.pick_locale(asked_locale(req, url));
    let mode = match param(url, "mode").as_deref() {
        Some("page") => EmbedMode::Page,
        _ => EmbedMode::Frame,
    };
    let patterns = site.config.origin_patterns();
    let parent_origin = param(url, "origin").filter(|o| patterns.iter().any(|p| p.matches(o)));
    let channel = param(url, "channel").filter(|c| site.config.channels.contains(c));
    // A VK Mini App's or an OK app's page carries the platform's signed launch parameters in its
    // query: the widget then asks no email (the worker checks them again with the request).
    // Telegram's are in the fragment, which only the widget sees (`telegram_app`).
    let launched = match (mode, url.query()) {
        (EmbedMode::Page, Some(query)) => launched(&site.channels, query, (now_ms() / 1000) as i64)
            .and_then(Result::ok)
            .map(|who| LaunchedVisitor { platform: who.platform.to_owned(), name: who.name }),
        _ => None,
    };
    let telegram_app =
        mode == EmbedMode::Page && (site.channels.telegram.is_some() || site.channels.telegram_app.is_some());
    let config = site.config.public(&site.id);
    let boot = EmbedBoot {
        reply_note: reply_note(locale, &config),
        config: config.for_widget(),
        locale,
        mode,
        parent_origin,
        channel,
        launched,
        telegram_app,
    };
    let head = format!(
        "<link rel=\"modulepreload\" href=\"/widget/tabdesk_widget.js\">\
         <link rel=\"modulepreload\" href=\"/widget/__wasm_split.js\">\
         <link rel=\"preload\" href=\"/widget/tabdesk_widget_bg.wasm\" as=\"fetch\" type=\"application/wasm\" crossorigin>\
         <script id=\"tabdesk-boot\" type=\"application/json\">{}</script>\
         <script type=\"module\" src=\"/widget/boot.js\"></script>",
        boot_json(&boot)?
    );
    let title = format!("{} — {}", page_strings(locale).launcher, site.config.name);
    let body = "<div id=\"app\"></div>";
    html(page(locale, &title, &head, body), 200, &policy(&site))
}
