//! Statistics of a site over a range of days: the store hands over the facts of each ticket
//! created in the range and counts of the widget's events; everything computed from them
//! (volumes, percentiles, breaches) is here, pure and tested.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::config::Sla;
use crate::domain::{FieldError, Locale, Priority, TicketStatus};
use crate::sla::{due_times, first_response_stop, format_time, late, parse_time};
use crate::text::fold;
use crate::wire::{DayVolume, Deflection, QueryCount, Stats};

const DAY_MS: i64 = 86_400_000;
/// The default range: the last 30 days, today included.
const DEFAULT_DAYS: i64 = 30;
/// The longest range one request may ask for.
pub const MAX_DAYS: i64 = 366;

/// What statistics need of one ticket (one row of the store's query).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketFacts {
    pub created_at: String,
    pub category: Option<String>,
    pub topic: String,
    pub channel: Option<String>,
    pub locale: Locale,
    pub priority: Priority,
    pub status: TicketStatus,
    pub sales_lead: bool,
    pub first_response_at: Option<String>,
    pub solved_at: Option<String>,
    /// The customer searched the knowledge base before writing.
    pub searched: bool,
}

/// The range `[from, to)` in ms of `?from=&to=`: UTC days (`YYYY-MM-DD`, `to` included) or
/// RFC 3339 times (`to` excluded); by default the last 30 days up to `now`.
pub fn range(from: Option<&str>, to: Option<&str>, now: i64) -> Result<(i64, i64), Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut read = |name: &str, value: Option<&str>, end: bool| -> Option<i64> {
        let value = value.map(str::trim).filter(|v| !v.is_empty())?;
        // A day is exactly `YYYY-MM-DD`; anything else must be a whole UTC time.
        let parsed = if value.len() == 10 && !value.contains('T') {
            parse_time(&format!("{value}T00:00:00Z")).map(|day| if end { day + DAY_MS } else { day })
        } else {
            parse_time(value)
        };
        if parsed.is_none() {
            errors.push(FieldError::new(name, "invalid", "A day (2026-11-30) or a UTC time (2026-11-30T09:00:00Z)."));
        }
        parsed
    };
    let to_ms = read("to", to, true);
    let from_ms = read("from", from, false);
    if !errors.is_empty() {
        return Err(errors);
    }
    let to_ms = to_ms.unwrap_or((now.div_euclid(DAY_MS) + 1) * DAY_MS);
    let from_ms = from_ms.unwrap_or(to_ms - DEFAULT_DAYS * DAY_MS);
    if from_ms >= to_ms {
        return Err(vec![FieldError::new("from", "invalid", "`from` comes before `to`.")]);
    }
    if to_ms - from_ms > MAX_DAYS * DAY_MS {
        return Err(vec![FieldError::new("from", "too_long", format!("At most {MAX_DAYS} days at once."))]);
    }
    Ok((from_ms, to_ms))
}

/// The `n` most frequent of `counted` queries, each merged under its folded form (any case and
/// script, `ё` as `е`, spaces trimmed), most frequent first.
pub fn top_queries(counted: Vec<QueryCount>, n: usize) -> Vec<QueryCount> {
    let mut merged: BTreeMap<String, u64> = BTreeMap::new();
    for q in counted {
        let folded = fold(q.query.trim());
        if !folded.is_empty() {
            *merged.entry(folded).or_default() += q.count;
        }
    }
    let mut top: Vec<QueryCount> = merged.into_iter().map(|(query, count)| QueryCount { query, count }).collect();
    top.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.query.cmp(&b.query)));
    top.truncate(n);
    top
}

/// The value at nearest rank `p` (0-1) of sorted `values`.
fn percentile(sorted: &[u64], p: f64) -> Option<u64> {
    let rank = (p * sorted.len() as f64).ceil() as usize;
    sorted.get(rank.max(1) - 1).copied()
}

/// Seconds from `start` to `end` (RFC 3339), when both read and `end` is not earlier.
fn seconds(start: i64, end: Option<&str>) -> Option<u64> {
    let end = parse_time(end?)?;
    u64::try_from(end - start).ok().map(|ms| ms / 1000)
}

/// The statistics of `tickets` (created in `[from, to)`), with the `deflection` counts of the
/// events in the range (its `tickets_after_search` is counted here) and the site's `backlog`,
/// judged against `sla` at `now` (all ms).
pub fn aggregate(
    tickets: &[TicketFacts],
    mut deflection: Deflection,
    backlog: u64,
    sla: &Sla,
    (from, to): (i64, i64),
    now: i64,
) -> Stats {
    let mut per_day: BTreeMap<String, u64> = (from.div_euclid(DAY_MS)..=(to - 1).div_euclid(DAY_MS))
        .map(|day| (format_time(day * DAY_MS)[..10].to_owned(), 0))
        .collect();
    let mut stats = Stats { from: format_time(from), to: format_time(to), backlog, ..Stats::default() };
    let (mut first, mut resolution) = (Vec::new(), Vec::new());
    let (mut breached, mut count) = (0u64, 0u64);
    let bump = |map: &mut BTreeMap<String, u64>, key: &str| *map.entry(key.to_owned()).or_default() += 1;
    for t in tickets {
        let Some(created) = parse_time(&t.created_at) else { continue };
        count += 1;
        if let Some(day) = per_day.get_mut(t.created_at.get(..10).unwrap_or_default()) {
            *day += 1;
        }
        bump(&mut stats.by_category, t.category.as_deref().unwrap_or("none"));
        bump(&mut stats.by_topic, &t.topic);
        bump(&mut stats.by_channel, t.channel.as_deref().unwrap_or("site"));
        bump(&mut stats.by_language, t.locale.tag());
        bump(&mut stats.by_priority, t.priority.as_str());
        stats.leads += u64::from(t.sales_lead);
        deflection.tickets_after_search += u64::from(t.searched);
        first.extend(seconds(created, t.first_response_at.as_deref()));
        let solved = t.solved_at.as_deref().filter(|_| matches!(t.status, TicketStatus::Solved | TicketStatus::Closed));
        resolution.extend(seconds(created, solved));
        let (first_due, resolution_due) = due_times(created, t.priority, sla);
        let first_late = late(first_response_stop(t.first_response_at.as_deref(), solved), first_due, now);
        let resolution_late = late(solved, resolution_due, now);
        stats.first_response_breaches += u64::from(first_late);
        stats.resolution_breaches += u64::from(resolution_late);
        breached += u64::from(first_late || resolution_late);
    }
    first.sort_unstable();
    resolution.sort_unstable();
    stats.tickets = count;
    stats.per_day = per_day.into_iter().map(|(day, tickets)| DayVolume { day, tickets }).collect();
    stats.answered = first.len() as u64;
    stats.first_response_median_s = percentile(&first, 0.5);
    stats.first_response_p90_s = percentile(&first, 0.9);
    stats.resolved = resolution.len() as u64;
    stats.resolution_median_s = percentile(&resolution, 0.5);
    stats.sla_breach_rate = (count > 0).then(|| breached as f64 / count as f64);
    stats.deflection = deflection;
    stats
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> i64 {
        parse_time(s).unwrap()
    }

    #[test]
    fn ranges_are_days_or_times_and_bounded() {
        let now = at("2026-11-30T10:00:00Z");
        let (from, to) = range(None, None, now).unwrap();
        assert_eq!(
            (format_time(from).as_str(), format_time(to).as_str()),
            ("2026-11-01T00:00:00.000Z", "2026-12-01T00:00:00.000Z")
        );
        let (from, to) = range(Some("2026-11-02"), Some("2026-11-03"), now).unwrap();
        assert_eq!((from, to), (at("2026-11-02T00:00:00Z"), at("2026-11-04T00:00:00Z")), "`to` is a whole day");
        let (from, to) = range(Some("2026-11-02T09:30:00Z"), Some("2026-11-02T10:00:00Z"), now).unwrap();
        assert_eq!(to - from, 30 * 60_000);
        let code = |from, to| range(from, to, now).unwrap_err()[0].code.clone();
        assert_eq!(code(Some("yesterday"), None), "invalid");
        assert_eq!(code(None, Some("2026-11-30T10:00:00+03:00")), "invalid", "an offset is not UTC");
        assert_eq!(code(Some("2026-11-05"), Some("2026-11-04")), "invalid");
        assert_eq!(code(Some("2024-01-01"), Some("2026-01-01")), "too_long");
    }

    #[test]
    fn failed_searches_are_merged_by_their_folded_text() {
        let q = |query: &str, count| QueryCount { query: query.into(), count };
        let top = top_queries(vec![q("Возврат", 2), q(" возврат ", 1), q("ЁЛКА", 1), q("refund", 1), q("  ", 4)], 3);
        assert_eq!(top, [q("возврат", 3), q("refund", 1), q("елка", 1)], "ties in text order");
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let v: Vec<u64> = (1..=10).map(|n| n * 60).collect();
        assert_eq!((percentile(&v, 0.5), percentile(&v, 0.9)), (Some(300), Some(540)));
        assert_eq!(percentile(&[7], 0.9), Some(7));
        assert_eq!(percentile(&[], 0.5), None);
    }

    fn ticket(created_at: &str, first: Option<&str>, solved: Option<&str>) -> TicketFacts {
        TicketFacts {
            created_at: created_at.into(),
            category: Some("billing".into()),
            topic: "billing".into(),
            channel: None,
            locale: Locale::En,
            priority: Priority::Urgent,
            status: if solved.is_some() { TicketStatus::Solved } else { TicketStatus::Open },
            sales_lead: false,
            first_response_at: first.map(str::to_owned),
            solved_at: solved.map(str::to_owned),
            searched: false,
        }
    }

    #[test]
    fn a_day_of_tickets_gives_exact_figures() {
        // Urgent: an hour to answer, four to resolve (the default targets).
        let tickets = vec![
            // Answered in 10 minutes, solved in 2 hours.
            ticket("2026-11-02T09:00:00.000Z", Some("2026-11-02T09:10:00.000Z"), Some("2026-11-02T11:00:00.000Z")),
            // Answered in 30 minutes, solved in 5 hours: resolution late.
            ticket("2026-11-02T10:00:00.000Z", Some("2026-11-02T10:30:00.000Z"), Some("2026-11-02T15:00:00.000Z")),
            // Answered in 90 minutes: first response late.
            TicketFacts {
                locale: Locale::Ru,
                channel: Some("vk".into()),
                sales_lead: true,
                searched: true,
                ..ticket("2026-11-03T08:00:00.000Z", Some("2026-11-03T09:30:00.000Z"), None)
            },
            // Never answered, and past due now.
            TicketFacts { category: None, topic: "general".into(), ..ticket("2026-11-03T09:00:00.000Z", None, None) },
        ];
        let events =
            Deflection { searches: 12, searches_without_results: 3, article_views: 9, ..Deflection::default() };
        let range = (at("2026-11-01T00:00:00Z"), at("2026-11-04T00:00:00Z"));
        let stats = aggregate(&tickets, events, 5, &Sla::default(), range, at("2026-11-03T12:00:00Z"));
        assert_eq!(stats.tickets, 4);
        let days: Vec<(&str, u64)> = stats.per_day.iter().map(|d| (d.day.as_str(), d.tickets)).collect();
        assert_eq!(days, [("2026-11-01", 0), ("2026-11-02", 2), ("2026-11-03", 2)]);
        assert_eq!(stats.by_category, BTreeMap::from([("billing".into(), 3), ("none".into(), 1)]));
        assert_eq!(stats.by_channel, BTreeMap::from([("site".into(), 3), ("vk".into(), 1)]));
        assert_eq!(stats.by_language, BTreeMap::from([("en".into(), 3), ("ru".into(), 1)]));
        assert_eq!(stats.answered, 3);
        assert_eq!((stats.first_response_median_s, stats.first_response_p90_s), (Some(1800), Some(5400)));
        assert_eq!((stats.resolved, stats.resolution_median_s), (2, Some(7200)));
        // Late: the 90-minute answer and the unanswered one (first response), the 5-hour solve
        // (resolution); the two open ones are not past their four hours yet.
        assert_eq!((stats.first_response_breaches, stats.resolution_breaches), (2, 1));
        assert_eq!(stats.sla_breach_rate, Some(0.75));
        assert_eq!((stats.backlog, stats.leads), (5, 1));
        assert_eq!(stats.deflection.tickets_after_search, 1);
        assert_eq!(stats.deflection.searches_without_results, 3);
    }
}
