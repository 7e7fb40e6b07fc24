//! `/openapi.json`: OpenAPI 3.1 of the HTTP API. The schemas are generated from the wire types
//! of tabdesk-core (utoipa derives), and every reference to them goes through the type, so the
//! document cannot drift from what the worker parses and returns.

use serde_json::{json, Map, Value};
use tabdesk_core::config::{PublicConfig, SiteConfig};
use tabdesk_core::domain::limits::{MAX_HITS, MAX_KEY_CHARS, MAX_PAGE, MAX_QUERY_CHARS, MAX_URL_CHARS};
use tabdesk_core::wire::{
    Agent, AgentCreated, ChannelsUpdate, ChannelsView, CustomerTicket, KbArticle, KbFeedback, KbPublish, KbPublished,
    Me, Message, Mine, MineRequest, NewAgent, NewMessage, NewSite, NewTicket, Problem, QueueCounts, Recorded, RelayKey,
    RelayKeyRequest, SearchResults, SiteCreated, SiteOverview, Stats, Summaries, SummariesRequest, TicketCreated,
    TicketDetail, TicketPage, TicketSummary, TicketUpdate, Upkeep, WidgetEvent,
};
use utoipa::openapi::schema::Schema;
use utoipa::openapi::RefOr;
use utoipa::ToSchema;

use crate::Result;

/// Registers `T` and every schema it refers to.
fn register<T: ToSchema>(schemas: &mut Vec<(String, RefOr<Schema>)>) {
    schemas.push((T::name().into_owned(), T::schema()));
    T::schemas(schemas);
}

fn schema_ref<T: ToSchema>() -> Value {
    json!({ "$ref": format!("#/components/schemas/{}", T::name()) })
}

fn body<T: ToSchema>(description: &str) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": schema_ref::<T>() } } })
}

/// Problem answers, by status.
fn problems(statuses: &[(u16, &str)]) -> Map<String, Value> {
    statuses
        .iter()
        .map(|(status, why)| {
            let content = json!({ "application/problem+json": { "schema": schema_ref::<Problem>() } });
            (status.to_string(), json!({ "description": why, "content": content }))
        })
        .collect()
}

fn responses(ok: (u16, Value), errors: &[(u16, &str)]) -> Value {
    let mut all = problems(errors);
    all.insert(ok.0.to_string(), ok.1);
    Value::Object(all)
}

/// A response with OpenAPI links to the operations its values lead to.
fn linked(mut response: Value, links: Value) -> Value {
    response["links"] = links;
    response
}

fn path_param(name: &str, description: &str) -> Value {
    json!({ "name": name, "in": "path", "required": true, "description": description,
            "schema": { "type": "string" } })
}

fn query(name: &str, schema: Value, description: &str) -> Value {
    json!({ "name": name, "in": "query", "required": false, "description": description, "schema": schema })
}

fn request<T: ToSchema>() -> Value {
    json!({ "required": true, "content": { "application/json": { "schema": schema_ref::<T>() } } })
}

/// The whole document.
pub fn document() -> Value {
    let mut schemas = Vec::new();
    register::<PublicConfig>(&mut schemas);
    register::<SiteConfig>(&mut schemas);
    register::<SearchResults>(&mut schemas);
    register::<NewTicket>(&mut schemas);
    register::<TicketCreated>(&mut schemas);
    register::<TicketPage>(&mut schemas);
    register::<TicketUpdate>(&mut schemas);
    register::<KbArticle>(&mut schemas);
    register::<KbFeedback>(&mut schemas);
    register::<KbPublish>(&mut schemas);
    register::<KbPublished>(&mut schemas);
    register::<WidgetEvent>(&mut schemas);
    register::<NewSite>(&mut schemas);
    register::<SiteCreated>(&mut schemas);
    register::<RelayKeyRequest>(&mut schemas);
    register::<CustomerTicket>(&mut schemas);
    register::<NewAgent>(&mut schemas);
    register::<SiteOverview>(&mut schemas);
    register::<Upkeep>(&mut schemas);
    register::<Recorded>(&mut schemas);
    register::<Agent>(&mut schemas);
    register::<AgentCreated>(&mut schemas);
    register::<SummariesRequest>(&mut schemas);
    register::<Summaries>(&mut schemas);
    register::<MineRequest>(&mut schemas);
    register::<Mine>(&mut schemas);
    register::<TicketDetail>(&mut schemas);
    register::<NewMessage>(&mut schemas);
    register::<Message>(&mut schemas);
    register::<RelayKey>(&mut schemas);
    register::<Me>(&mut schemas);
    register::<QueueCounts>(&mut schemas);
    register::<Stats>(&mut schemas);
    register::<ChannelsUpdate>(&mut schemas);
    register::<ChannelsView>(&mut schemas);
    register::<Problem>(&mut schemas);
    let schemas: Map<String, Value> =
        schemas.into_iter().map(|(name, schema)| (name, serde_json::to_value(schema).unwrap_or(Value::Null))).collect();

    let site = path_param("site", "The site id, such as `demo`.");
    let agent = json!([{ "siteAdmin": [] }]);
    let bad_body: &[(u16, &str)] =
        &[(400, "Unreadable JSON"), (413, "Body over 64 KB"), (415, "Not application/json"), (422, "Invalid fields")];
    let with = |base: &[(u16, &'static str)], more: &[(u16, &'static str)]| {
        let mut all = base.to_vec();
        all.extend_from_slice(more);
        all
    };
    let mut document = json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Tabdesk API",
            "version": "1",
            "description": "The Support tab's API. Errors are RFC 9457 problem documents."
        },
        "paths": {
            "/healthz": { "get": {
                "operationId": "healthz", "summary": "Liveness",
                "responses": { "200": { "description": "Up", "content": { "application/json": {
                    "schema": { "type": "object", "properties": { "status": { "const": "ok" } } } } } } }
            } },
            "/v1/sites/{site}/config": { "get": {
                "operationId": "publicConfig", "summary": "What the widget needs of a site",
                "parameters": [site],
                "responses": responses((200, body::<PublicConfig>("The public config")), &[(404, "No such site")])
            } },
            "/v1/sites/{site}/kb/search": { "get": {
                "operationId": "searchKb", "summary": "Search the knowledge base",
                "parameters": [
                    site,
                    query("q", json!({ "type": "string", "maxLength": MAX_QUERY_CHARS }), "What the customer typed"),
                    query("locale", json!({ "type": "string" }), "ru or en; the site's default otherwise"),
                    query("limit", json!({ "type": "integer", "minimum": 1, "maximum": MAX_HITS }), "At most this many hits"),
                ],
                "responses": responses((200, body::<SearchResults>("Hits")), &[(404, "No such site"), (422, "Bad parameter")])
            } },
            "/v1/sites/{site}/kb/articles/{id}": { "get": {
                "operationId": "getArticle", "summary": "An article, its HTML sanitized at publish time",
                "parameters": [site.clone(), path_param("id", "The article id"),
                    query("locale", json!({ "type": "string" }), "Preferred language")],
                "responses": responses((200, body::<KbArticle>("The article")), &[(404, "No such site or article")])
            } },
            "/v1/sites/{site}/kb/articles/{id}/feedback": { "post": {
                "operationId": "articleFeedback", "summary": "Was this article helpful?",
                "parameters": [site.clone(), path_param("id", "The article id")],
                "requestBody": request::<KbFeedback>(),
                "responses": responses((202, body::<Recorded>("Recorded")),
                    &with(bad_body, &[(403, "Foreign origin"), (404, "No such site or article"), (429, "Too many requests")]))
            } },
            "/v1/sites/{site}/events": { "post": {
                "operationId": "widgetEvent", "summary": "A search or an opened form, for deflection statistics",
                "parameters": [site.clone()],
                "requestBody": request::<WidgetEvent>(),
                "responses": responses((202, body::<Recorded>("Recorded")),
                    &with(bad_body, &[(403, "Foreign origin"), (404, "No such site"), (429, "Too many requests")]))
            } },
            "/v1/admin/sites/{site}/kb": { "put": {
                "operationId": "publishKb", "summary": "Replace the site's knowledge base and rebuild its index",
                "security": agent,
                "parameters": [site.clone(), {
                    "name": "If-Match", "in": "header", "required": false,
                    "description": "Publish only if the current version is this one (`version` of the last publish)",
                    "schema": { "type": "string" }
                }],
                "requestBody": request::<KbPublish>(),
                "responses": responses((200, body::<KbPublished>("Published; served at once")),
                    &with(bad_body, &[(401, "No token"), (404, "No such site"),
                        (409, "Another publish landed meanwhile"), (412, "Not at the If-Match version")]))
            } },
            "/v1/sites/{site}/tickets": { "post": {
                "operationId": "createTicket", "summary": "File a request (exactly once per Idempotency-Key)",
                "parameters": [site, {
                    "name": "Idempotency-Key", "in": "header", "required": true,
                    "description": "Made by the client before the first attempt and kept across retries",
                    "schema": { "type": "string", "minLength": 1, "maxLength": MAX_KEY_CHARS, "pattern": "^[A-Za-z0-9_-]+$" }
                }],
                "requestBody": request::<NewTicket>(),
                "responses": responses(
                    (201, linked(body::<TicketCreated>("Stored (or the replay of the first answer to this key)"), json!({
                        "GetTicket": { "operationId": "getTicket", "parameters": { "id": "$response.body#/id" } },
                    "AgentMessage": { "operationId": "agentMessage", "parameters": { "id": "$response.body#/id" } },
                        "UpdateTicket": { "operationId": "updateTicket", "parameters": { "id": "$response.body#/id" } }
                    }))),
                    &with(bad_body, &[(403, "Foreign origin or failed anti-bot check"), (404, "No such site"),
                        (429, "Too many requests"), (503, "Storage unavailable: retry with the same key after Retry-After")])
                )
            } },
            "/v1/admin/tickets/{id}/messages": { "post": {
                "operationId": "agentMessage", "summary": "A public reply or an internal note",
                "security": agent,
                "parameters": [path_param("id", "The ticket id"), {
                    "name": "Idempotency-Key", "in": "header", "required": false,
                    "description": "Optional: a retry with the same key stores the message once",
                    "schema": { "type": "string", "minLength": 1, "maxLength": MAX_KEY_CHARS, "pattern": "^[A-Za-z0-9_-]+$" }
                }],
                "requestBody": request::<NewMessage>(),
                "responses": responses((201, body::<Message>("Stored")),
                    &with(bad_body, &[(401, "No token"), (404, "No such ticket, or a token of another site")]))
            } },
            "/v1/tickets/summaries": { "post": {
                "operationId": "customerSummaries", "summary": "The browser's requests at a glance (for unread markers)",
                "requestBody": request::<SummariesRequest>(),
                "responses": responses((200, body::<Summaries>("The requests whose tokens open them")), bad_body)
            } },
            "/v1/tickets/{id}": { "get": {
                "operationId": "customerTicket", "summary": "A request's public thread, for its customer",
                "security": [{ "accessToken": [] }],
                "parameters": [path_param("id", "The ticket id")],
                "responses": responses((200, body::<CustomerTicket>("The public thread (304 for a matching If-None-Match)")),
                    &[(404, "No such ticket, or not this ticket's access token")])
            } },
            "/v1/tickets/{id}/messages": { "post": {
                "operationId": "customerReply", "summary": "The customer's reply (reopens a solved ticket)",
                "security": [{ "accessToken": [] }],
                "parameters": [path_param("id", "The ticket id"), {
                    "name": "Idempotency-Key", "in": "header", "required": true,
                    "description": "Made by the client before the first attempt and kept across retries",
                    "schema": { "type": "string", "minLength": 1, "maxLength": MAX_KEY_CHARS, "pattern": "^[A-Za-z0-9_-]+$" }
                }],
                "requestBody": request::<NewMessage>(),
                "responses": responses((201, body::<Message>("Stored (or the first answer to this key)")),
                    &with(bad_body, &[(403, "Foreign origin"), (404, "No such ticket, or not its token"), (429, "Too many requests")]))
            } },
            "/v1/relay-key": { "post": {
                "operationId": "relayKey", "summary": "The widget's key for what it keeps in the host page's storage",
                "requestBody": request::<RelayKeyRequest>(),
                "responses": responses((200, body::<RelayKey>("The key (readable by the widget's origin only)")),
                    &with(bad_body, &[(403, "Not the widget's own origin")]))
            } },
            "/v1/admin/sites/{site}/tickets": { "get": {
                "operationId": "listTickets", "summary": "The agents' queue, newest first",
                "security": agent,
                "parameters": [
                    site,
                    query("status", json!({ "enum": ["new", "open", "pending", "solved", "closed", "unsolved"] }),
                        "Only this status (`unsolved`: new, open or pending)"),
                    query("breached", json!({ "type": "boolean" }), "Only tickets past a due time (or only others)"),
                    query("priority", json!({ "enum": ["low", "normal", "high", "urgent"] }), "Only this priority"),
                    query("needs_response", json!({ "type": "boolean" }), "Only tickets that do (or do not) need a response"),
                    query("category", json!({ "type": "string" }), "Only this category"),
                    query("q", json!({ "type": "string", "maxLength": MAX_QUERY_CHARS }), "Text in subject, message or email"),
                    query("cursor", json!({ "type": "string" }), "`next_cursor` of the previous page"),
                    query("limit", json!({ "type": "integer", "minimum": 1, "maximum": MAX_PAGE }), "Page size"),
                    query("spam", json!({ "type": "boolean" }), "true: honeypot catches instead of the queue"),
                    query("channel", json!({ "type": "string" }), "Only requests from this channel"),
                    query("locale", json!({ "enum": ["ru", "en"] }), "Only requests in this language"),
                    query("assignee", json!({ "type": "string" }), "Only tickets assigned so (`none`: unassigned)"),
                    query("sales_lead", json!({ "type": "boolean" }), "Only sales leads (or only others)"),
                ],
                "responses": responses((200, body::<TicketPage>("A page of tickets")),
                    &[(401, "No token"), (404, "No such site, or a token of another site"), (422, "Bad parameter")])
            } },
            "/v1/admin/me": { "get": {
                "operationId": "me", "summary": "The site and role of the token",
                "security": agent,
                "responses": responses((200, body::<Me>("Whose token this is")), &[(401, "No token"), (404, "Unknown or revoked token")])
            } },
            "/v1/admin/sites/{site}/counts": { "get": {
                "operationId": "countViews", "summary": "How many tickets each of the console's views holds",
                "security": agent, "parameters": [site.clone()],
                "responses": responses((200, body::<QueueCounts>("The counts")), &[(401, "No token"), (404, "No such site")])
            } },
            "/v1/admin/sites/{site}/stats": { "get": {
                "operationId": "siteStats", "summary": "Volumes, response times, breaches, backlog, leads and deflection",
                "security": agent,
                "parameters": [
                    site.clone(),
                    query("from", json!({ "type": "string" }), "First UTC day (2026-11-01) or RFC 3339 time"),
                    query("to", json!({ "type": "string" }), "Last UTC day (included) or RFC 3339 time (excluded)"),
                ],
                "responses": responses((200, body::<Stats>("The statistics")),
                    &[(401, "No token"), (404, "No such site"), (422, "Bad range")])
            } },
            "/v1/admin/sites/{site}/config": {
                "get": {
                    "operationId": "getConfig", "summary": "The site's whole configuration",
                    "security": agent, "parameters": [site.clone()],
                    "responses": responses((200, body::<SiteConfig>("The configuration")), &[(401, "No token"), (404, "No such site")])
                },
                "put": {
                    "operationId": "putConfig", "summary": "Replace the site's configuration",
                    "security": agent, "parameters": [site.clone()],
                    "requestBody": request::<SiteConfig>(),
                    "responses": responses((200, body::<SiteConfig>("Saved")), &with(bad_body, &[(401, "No token"), (404, "No such site")]))
                }
            },
            "/v1/admin/tickets/{id}": {
                "get": {
                    "operationId": "getTicket", "summary": "One ticket, with its triage",
                    "security": agent, "parameters": [path_param("id", "The ticket id")],
                    "responses": responses((200, body::<TicketDetail>("The ticket with its whole thread")),
                        &[(401, "No token"), (404, "No such ticket, or a token of another site")])
                },
                "patch": {
                    "operationId": "updateTicket", "summary": "Change status, priority, tags or assignee",
                    "security": agent, "parameters": [path_param("id", "The ticket id")],
                    "requestBody": request::<TicketUpdate>(),
                    "responses": responses((200, body::<TicketSummary>("The updated ticket")),
                        &with(bad_body, &[(401, "No token"), (404, "No such ticket, or a token of another site")]))
                }
            },
            "/v1/admin/sites/{site}/agents": {
                "get": {
                    "operationId": "listAgents", "summary": "The site's agents (admins only)",
                    "security": agent, "parameters": [site.clone()],
                    "responses": responses((200, json!({ "description": "The agents", "content": { "application/json": {
                        "schema": { "type": "array", "items": schema_ref::<Agent>() } } } })),
                        &[(401, "No token"), (403, "Not an admin"), (404, "No such site")])
                },
                "post": {
                    "operationId": "inviteAgent", "summary": "Invite an agent; its token is shown only here",
                    "security": agent, "parameters": [site.clone()],
                    "requestBody": request::<NewAgent>(),
                    "responses": responses((201, body::<AgentCreated>("Invited")),
                        &with(bad_body, &[(401, "No token"), (403, "Not an admin"), (404, "No such site")]))
                }
            },
            "/v1/admin/sites/{site}/agents/{agent}": { "delete": {
                "operationId": "revokeAgent", "summary": "Revoke an agent (its token opens nothing any more)",
                "security": agent, "parameters": [site.clone(), path_param("agent", "The agent id")],
                "responses": responses((204, json!({ "description": "Revoked" })),
                    &[(401, "No token"), (403, "Not an admin"), (404, "No such site or agent")])
            } },
            "/v1/operator/sites": {
                "post": {
                    "operationId": "createSite", "summary": "Create a site (operator)",
                    "security": [{ "operator": [] }],
                    "requestBody": request::<NewSite>(),
                    "responses": responses((201, body::<SiteCreated>("Created; the admin token is shown only here")),
                        &with(bad_body, &[(401, "Not the operator"), (409, "The site exists")]))
                },
                "get": {
                    "operationId": "operatorSites", "summary": "Every site with the counts its store pushed (operator)",
                    "security": [{ "operator": [] }],
                    "responses": responses((200, json!({ "description": "The sites", "content": { "application/json": {
                        "schema": { "type": "array", "items": schema_ref::<SiteOverview>() } } } })),
                        &[(401, "Not the operator")])
                }
            },
            "/v1/operator/sites/{site}/upkeep": { "post": {
                "operationId": "siteUpkeep", "summary": "Run a site store's upkeep now (operator)",
                "security": [{ "operator": [] }], "parameters": [site.clone()],
                "responses": responses((200, body::<Upkeep>("What the upkeep did")),
                    &[(401, "Not the operator"), (404, "No such site")])
            } },
            "/embed": { "get": {
                "operationId": "embed", "summary": "The widget page for the loader's iframe",
                "parameters": [
                    query("site", json!({ "type": "string" }), "Site id"),
                    query("locale", json!({ "type": "string" }), "ru or en"),
                    query("mode", json!({ "enum": ["frame", "page"] }), "page: full-size, for social networks"),
                    query("origin", json!({ "type": "string" }), "The host page's origin"),
                ],
                "responses": {
                    "200": { "description": "The widget", "content": { "text/html": { "schema": { "type": "string" } } } },
                    "404": { "description": "No such site", "content": { "text/html": { "schema": { "type": "string" } } } }
                }
            } }
        },
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "siteAdmin": { "type": "http", "scheme": "bearer", "description": "A site's admin token" },
                "operator": { "type": "http", "scheme": "bearer", "description": "The OPERATOR_TOKEN secret" },
                "accessToken": { "type": "http", "scheme": "bearer", "description": "A ticket's access token (from its 201)" }
            }
        }
    });
    // Added apart: one `json!` this size reaches the macro recursion limit.
    document["paths"]["/v1/sites/{site}/kb/suggested"] = json!({ "get": {
        "operationId": "suggestedArticles", "summary": "What the home screen suggests before anything is typed",
        "parameters": [
            site.clone(),
            query("page_url", json!({ "type": "string", "maxLength": MAX_URL_CHARS }), "The page the visitor is on"),
            query("locale", json!({ "type": "string" }), "ru or en; the site's default otherwise"),
            query("limit", json!({ "type": "integer", "minimum": 1, "maximum": MAX_HITS }), "At most this many"),
        ],
        "responses": responses((200, body::<SearchResults>("The page's articles, then the most helpful, then the rest")), &[(404, "No such site"), (422, "Bad parameter")])
    } });
    document["paths"]["/v1/sites/{site}/tickets/mine"] = json!({ "post": {
        "operationId": "signedInTickets", "summary": "A signed-in customer's requests, from any device",
        "parameters": [site.clone()],
        "requestBody": request::<MineRequest>(),
        "responses": responses((200, body::<Mine>("What opens each request, newest first")),
            &with(bad_body, &[(403, "Foreign origin"), (404, "No such site"), (429, "Too many requests")]))
    } });
    let platform_ok = |what: &str| {
        json!({ "description": what, "content": {
        "text/plain": { "schema": { "type": "string" } }, "application/json": { "schema": { "type": "object" } } } })
    };
    document["paths"]["/v1/admin/sites/{site}/channels"] = json!({
        "get": {
            "operationId": "channels", "summary": "The site's VK community and Telegram bot: connected or not, secrets never shown",
            "security": agent.clone(), "parameters": [site.clone()],
            "responses": responses((200, body::<ChannelsView>("The connections")),
                &[(401, "No token"), (403, "Not an admin"), (404, "No such site")])
        },
        "put": {
            "operationId": "connectChannels", "summary": "Connect channels (a channel left out is disconnected; a secret left out is kept)",
            "security": agent.clone(), "parameters": [site.clone()],
            "requestBody": request::<ChannelsUpdate>(),
            "responses": responses((200, body::<ChannelsView>("The connections now")),
                &with(bad_body, &[(401, "No token"), (403, "Not an admin"), (404, "No such site")]))
        }
    });
    let platform_body =
        json!({ "required": true, "content": { "application/json": { "schema": { "type": "object" } } } });
    document["paths"]["/v1/channels/vk/{site}"] = json!({ "post": {
        "operationId": "vkCallback", "summary": "VK's Callback API: `confirmation` answers the community's string; other events need its secret",
        "parameters": [site.clone()], "requestBody": platform_body.clone(),
        "responses": responses((200, platform_ok("The confirmation string, or `ok`")),
            &with(bad_body, &[(403, "Wrong secret or community"), (404, "No such site, or no community connected")]))
    } });
    document["paths"]["/v1/channels/telegram/{site}"] = json!({ "post": {
        "operationId": "telegramWebhook", "summary": "A Telegram bot's webhook (`X-Telegram-Bot-Api-Secret-Token` must match)",
        "parameters": [site.clone()], "requestBody": platform_body,
        "responses": responses((200, platform_ok("Nothing, or the greeting of `/start` as a method to run")),
            &with(bad_body, &[(403, "Wrong secret"), (404, "No such site, or no bot connected")]))
    } });
    document
}

pub fn write(path: &std::path::Path) -> Result {
    std::fs::write(path, serde_json::to_string_pretty(&document())?)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reference_resolves() {
        let doc = document();
        let text = doc.to_string();
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        for part in text.split("#/components/schemas/").skip(1) {
            let name: String = part.chars().take_while(|c| *c != '"').collect();
            assert!(schemas.contains_key(&name), "unresolved {name}");
        }
        assert!(schemas.contains_key("NewTicket") && schemas.contains_key("Problem"));
        assert_eq!(doc["openapi"], "3.1.0");
    }
}
