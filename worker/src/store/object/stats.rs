//! The statistics of a site's store over a range: three queries (the tickets created in it,
//! the widget's events in it by kind, the open backlog), then core's `stats::aggregate` here in
//! the object, so only the figures travel back to the worker, never ten thousand rows.

use serde::Deserialize;
use tabdesk_core::config::Sla;
use tabdesk_core::domain::{Locale, Priority, TicketStatus};
use tabdesk_core::sla::format_time;
use tabdesk_core::stats::{aggregate, top_queries, TicketFacts};
use tabdesk_core::wire::{Deflection, QueryCount, Stats};
use worker::{Error, Result};

use super::Db;

#[derive(Deserialize)]
struct FactsRow {
    created_at: String,
    category: Option<String>,
    topic: String,
    channel: Option<String>,
    locale: String,
    priority: String,
    status: String,
    sales_lead: i64,
    first_response_at: Option<String>,
    solved_at: Option<String>,
    searched: i64,
}

impl FactsRow {
    fn into_facts(self) -> Result<TicketFacts> {
        let bad = |what: &str| Error::RustError(format!("stored {what} is not one we know"));
        Ok(TicketFacts {
            locale: Locale::from_tag(&self.locale).unwrap_or_default(),
            priority: Priority::parse(&self.priority).ok_or_else(|| bad("priority"))?,
            status: TicketStatus::parse(&self.status).ok_or_else(|| bad("status"))?,
            sales_lead: self.sales_lead != 0,
            searched: self.searched != 0,
            created_at: self.created_at,
            category: self.category,
            topic: self.topic,
            channel: self.channel,
            first_response_at: self.first_response_at,
            solved_at: self.solved_at,
        })
    }
}

/// How many of the searches that found nothing are listed, out of how many distinct spellings.
const TOP_QUERIES: usize = 10;
const TYPED_QUERIES: i64 = 500;

#[derive(Deserialize)]
struct KindCount {
    kind: String,
    n: u64,
    empty: u64,
}

/// The statistics of tickets created and events recorded in `[from, to)` (ms), at `now`.
pub fn compute(db: &Db, from: i64, to: i64, sla: &Sla, now: i64) -> Result<Stats> {
    let (start, end) = (format_time(from), format_time(to));
    let tickets = db
        .rows::<FactsRow>(
            "SELECT t.created_at, t.category, t.topic, json_extract(t.context, '$.channel') AS channel, t.locale,
                    t.priority, t.status, t.sales_lead, f.first_response_at, f.solved_at,
                    coalesce(f.searches, '[]') != '[]' AS searched
             FROM tickets t LEFT JOIN ticket_facts f ON f.ticket_id = t.id
             WHERE t.spam = 0 AND t.created_at >= ? AND t.created_at < ?",
            vec![start.as_str().into(), end.as_str().into()],
        )?
        .into_iter()
        .map(FactsRow::into_facts)
        .collect::<Result<Vec<_>>>()?;
    let mut deflection = Deflection::default();
    let counts: Vec<KindCount> = db.rows(
        "SELECT kind, count(*) AS n,
                sum(CASE WHEN kind = 'search' AND json_extract(data, '$.results') = 0 THEN 1 ELSE 0 END) AS empty
         FROM events
         WHERE kind IN ('search', 'article_view', 'kb.helpful', 'kb.unhelpful', 'form_opened')
           AND created_at >= ? AND created_at < ?
         GROUP BY kind",
        vec![start.as_str().into(), end.as_str().into()],
    )?;
    for count in counts {
        match count.kind.as_str() {
            "search" => (deflection.searches, deflection.searches_without_results) = (count.n, count.empty),
            "article_view" => deflection.article_views = count.n,
            "kb.helpful" => deflection.helpful = count.n,
            "kb.unhelpful" => deflection.unhelpful = count.n,
            _ => deflection.forms_opened = count.n,
        }
    }
    // The searches that found nothing, most often first: counted per query as typed in SQL, then
    // merged by core's fold (SQLite's `lower` knows no Cyrillic).
    let typed: Vec<QueryCount> = db.rows(
        "SELECT json_extract(data, '$.query') AS query, count(*) AS count FROM events
         WHERE kind = 'search' AND json_extract(data, '$.results') = 0 AND created_at >= ? AND created_at < ?
         GROUP BY 1 HAVING query IS NOT NULL ORDER BY count DESC LIMIT ?",
        vec![start.as_str().into(), end.as_str().into(), TYPED_QUERIES.into()],
    )?;
    deflection.searches_without_results_top = top_queries(typed, TOP_QUERIES);
    #[derive(Deserialize)]
    struct Backlog {
        n: u64,
    }
    let backlog = db
        .first::<Backlog>(
            "SELECT count(*) AS n FROM tickets WHERE spam = 0 AND status IN ('new', 'open', 'pending')",
            vec![],
        )?
        .map_or(0, |b| b.n);
    Ok(aggregate(&tickets, deflection, backlog, sla, (from, to), now))
}
