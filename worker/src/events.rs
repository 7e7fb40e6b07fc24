//! Deflection statistics from the widget: "Was this helpful?" votes, searches, opened forms and
//! article views. They are written after the answer is sent (`ctx.wait_until`), so a visitor
//! never waits for statistics, and a failed write is logged, never shown.

use tabdesk_core::domain::ids::new_id;
use tabdesk_core::problem;
use tabdesk_core::token::voter_key;
use tabdesk_core::validate::{check_query, validate_event};
use tabdesk_core::wire::{KbFeedback, Recorded, WidgetEvent};
use worker::{Context, Env, Request};

use crate::abuse::{check_origin, client_ip, rate_limit, Limit};
use crate::http::{json, read_json, ApiResult};
use crate::platform::{now_iso, now_ms, random};
use crate::store::protocol::Event;
use crate::{cache, settings, store};

/// Records an event of `site` once the answer is on its way.
pub fn record_later(env: &Env, ctx: &Context, site: &str, kind: &str, article_id: Option<&str>, data: Option<String>) {
    let (env, site, kind, article_id) = (env.clone(), site.to_owned(), kind.to_owned(), article_id.map(str::to_owned));
    ctx.wait_until(async move {
        let written = async {
            let event = Event { id: new_id(now_ms(), random()?), kind: kind.clone(), article_id, data, at: now_iso() };
            store::site::open(&env, &site)?.record_event(event).await
        };
        if let Err(e) = written.await {
            worker::console_error!("event {kind} of {site} not recorded: {e:?}");
        }
    });
}

/// `POST /v1/sites/{site}/kb/articles/{id}/feedback`: "Was this helpful?".
pub async fn feedback(req: &mut Request, env: &Env, ctx: &Context, site_id: &str, id: &str) -> ApiResult {
    let site = cache::site(env, site_id).await?;
    check_origin(req, &site)?;
    rate_limit(env, req, &site, Limit::Events).await?;
    let answer: KbFeedback = read_json(req).await?;
    if let Some(error) = answer.query.as_deref().and_then(|q| check_query("query", q)) {
        return Err(problem::validation(vec![error]).into());
    }
    if !store::site::open(env, &site.id)?.article_exists(id).await? {
        return Err(problem::not_found("No such article.").into());
    }
    let kind = if answer.helpful { "kb.helpful" } else { "kb.unhelpful" };
    // The search that led here is what the site's upkeep learns from (`kb::learn`), counting
    // each voter once.
    let voter = voter_key(&settings::secret(env)?, &site.id, &client_ip(req));
    let data = answer.query.map(|query| serde_json::json!({ "query": query, "voter": voter }).to_string());
    record_later(env, ctx, &site.id, kind, Some(id), data);
    json(202, &Recorded { recorded: kind.to_owned() })
}

/// `POST /v1/sites/{site}/events`: searches and opened forms.
pub async fn widget_event(req: &mut Request, env: &Env, ctx: &Context, site_id: &str) -> ApiResult {
    let site = cache::site(env, site_id).await?;
    check_origin(req, &site)?;
    rate_limit(env, req, &site, Limit::Events).await?;
    let event: WidgetEvent = read_json(req).await?;
    let errors = validate_event(&event);
    if !errors.is_empty() {
        return Err(problem::validation(errors).into());
    }
    let data = serde_json::json!({ "query": event.query, "results": event.results }).to_string();
    record_later(env, ctx, &site.id, event.kind.as_str(), event.article_id.as_deref(), Some(data));
    json(202, &Recorded { recorded: event.kind.as_str().to_owned() })
}
