//! Service levels: when a ticket's first response and resolution are due (in the site's
//! business hours, if it has them), and whether they were (or are being) missed. Pure: the
//! caller passes the time.
//!
//! Timestamps are the API's RFC 3339 UTC form (`2026-11-30T07:10:00.000Z`, what the worker
//! writes); the few lines that read and write it are here rather than a date crate, which would
//! bring time zone tables this needs none of (business hours use a fixed UTC offset).

use crate::config::{BusinessHours, Sla};
use crate::domain::{Priority, TicketStatus};
use crate::wire::{AuthorKind, Message, SlaStatus, TicketSummary, Visibility};

const MINUTE_MS: i64 = 60_000;
const DAY_MINUTES: i64 = 24 * 60;

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Milliseconds since the epoch of `2026-11-30T07:10:00.000Z` (seconds and milliseconds may be
/// left out); `None` for anything else.
pub fn parse_time(s: &str) -> Option<i64> {
    let s = s.strip_suffix('Z')?;
    let (date, time) = s.split_once('T')?;
    let mut d = date.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (y, mo, da) = (d.next()??, d.next()??, d.next()??);
    let (hms, ms) = time.split_once('.').unwrap_or((time, "0"));
    let mut t = hms.splitn(3, ':').map(|p| p.parse::<i64>().ok());
    let (h, mi, se) = (t.next()??, t.next()??, t.next().flatten().unwrap_or(0));
    let ms: i64 = format!("{ms:0<3}").get(..3)?.parse().ok()?;
    let valid =
        (1970..=9999).contains(&y) && (1..=12).contains(&mo) && (1..=31).contains(&da) && h < 24 && mi < 60 && se < 61;
    valid.then(|| ((days_from_civil(y, mo, da) * 24 + h) * 60 + mi) * MINUTE_MS + se * 1000 + ms)
}

/// The RFC 3339 UTC form of `ms` since the epoch, as the API writes times.
pub fn format_time(ms: i64) -> String {
    let (days, rest) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000));
    let (y, m, d) = civil_from_days(days);
    let (h, mi, s, milli) = (rest / 3_600_000, rest / 60_000 % 60, rest / 1000 % 60, rest % 1000);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}Z")
}

/// When `minutes` of service time have passed since `start` (ms): wall time without business
/// hours; within them, counting only open minutes.
pub fn due(start: i64, minutes: u32, hours: Option<&BusinessHours>) -> i64 {
    let Some(hours) = hours else {
        return start + i64::from(minutes) * MINUTE_MS;
    };
    let offset = i64::from(hours.utc_offset_minutes);
    let mut left = i64::from(minutes);
    // Walk in local minutes from `start`, a day at a time (a year at most: a site open a
    // minute a week still gets a due time).
    let mut local = start.div_euclid(MINUTE_MS) + offset;
    for _ in 0..370 {
        let day = local.div_euclid(DAY_MINUTES);
        let weekday = (day + 3).rem_euclid(7) + 1; // 1970-01-01 was a Thursday (4).
        let now_in_day = local - day * DAY_MINUTES;
        for (from, to) in hours.days.iter().filter(|d| i64::from(d.day) == weekday).filter_map(|d| d.minutes()) {
            let open = i64::from(from).max(now_in_day);
            let available = i64::from(to) - open;
            if available <= 0 {
                continue;
            }
            if left <= available {
                return (day * DAY_MINUTES + open + left - offset) * MINUTE_MS;
            }
            left -= available;
        }
        local = (day + 1) * DAY_MINUTES;
    }
    start + i64::from(minutes) * MINUTE_MS
}

/// Whether `message` is a first response: a public reply by an agent (not an internal note, not
/// the site's automatic acknowledgement).
pub fn answers(message: &Message) -> bool {
    message.author.kind == AuthorKind::Agent && message.visibility == Visibility::Public
}

/// When a ticket is solved, if a change to `status` at `at` leaves it solved: the time it was
/// solved stays while it stays solved (closing a solved ticket does not move it), and a reopened
/// ticket is not solved.
pub fn solved_at(before: Option<&str>, status: TicketStatus, at: &str) -> Option<String> {
    match status {
        TicketStatus::Solved | TicketStatus::Closed => Some(before.unwrap_or(at).to_owned()),
        _ => None,
    }
}

/// When the first response and the resolution of a ticket created at `created` (ms) with
/// `priority` are due (ms).
pub fn due_times(created: i64, priority: Priority, sla: &Sla) -> (i64, i64) {
    let hours = sla.business_hours.as_ref();
    (due(created, sla.minutes(priority), hours), due(created, sla.resolution.minutes(priority), hours))
}

/// When the first-response clock stopped: at the first public agent reply, else when the ticket
/// was solved without one (a request solved unanswered in time was not missed).
pub fn first_response_stop<'a>(answered: Option<&'a str>, solved: Option<&'a str>) -> Option<&'a str> {
    answered.or(solved)
}

/// Whether what was done at `done` — or is not done yet, at `now` — missed `due` (all ms).
pub fn late(done: Option<&str>, due: i64, now: i64) -> bool {
    done.and_then(parse_time).unwrap_or(now) > due
}

/// The service level of `ticket` under `sla`, at `now` (ms).
pub fn status(ticket: &TicketSummary, sla: &Sla, now: i64) -> SlaStatus {
    let created = parse_time(&ticket.created_at).unwrap_or(now);
    let (first_due, resolution_due) = due_times(created, ticket.priority, sla);
    let first_response = ticket.first_response_at.clone();
    let resolved = ticket.solved_at.clone();
    SlaStatus {
        first_response_breached: late(
            first_response_stop(first_response.as_deref(), resolved.as_deref()),
            first_due,
            now,
        ),
        first_response_due: format_time(first_due),
        first_response_at: first_response,
        resolution_breached: late(resolved.as_deref(), resolution_due, now),
        resolution_due: format_time(resolution_due),
        resolved_at: resolved,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::OpenHours;

    #[test]
    fn times_read_and_write_the_api_form() {
        let t = parse_time("2026-11-30T07:10:05.250Z").unwrap();
        assert_eq!(format_time(t), "2026-11-30T07:10:05.250Z");
        assert_eq!(parse_time("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(format_time(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(format_time(parse_time("2024-02-29T23:59:59.999Z").unwrap() + 1), "2024-03-01T00:00:00.000Z");
        for bad in [
            "", "2026-11-30", "2026-13-01T00:00:00Z", "2026-11-30T07:10:00+03:00", "yesterday",
            "99999999999-01-01T00:00:00Z",
        ] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
    }

    fn weekdays_nine_to_six_in_moscow() -> BusinessHours {
        BusinessHours {
            utc_offset_minutes: 180,
            days: (1..=5).map(|day| OpenHours { day, from: "09:00".into(), to: "18:00".into() }).collect(),
        }
    }

    #[test]
    fn due_times_count_business_minutes_only() {
        let at = |s: &str| parse_time(s).unwrap();
        // Without business hours every minute counts.
        assert_eq!(format_time(due(at("2026-11-27T16:00:00Z"), 60, None)), "2026-11-27T17:00:00.000Z");
        let hours = weekdays_nine_to_six_in_moscow();
        // Friday 2026-11-27 17:30 in Moscow (14:30 UTC): 30 minutes left that day, the other 30
        // on Monday from 09:00 (06:00 UTC).
        assert_eq!(format_time(due(at("2026-11-27T14:30:00Z"), 60, Some(&hours))), "2026-11-30T06:30:00.000Z");
        // Saturday night: the clock starts on Monday morning.
        assert_eq!(format_time(due(at("2026-11-28T20:00:00Z"), 90, Some(&hours))), "2026-11-30T07:30:00.000Z");
        // Within the day.
        assert_eq!(format_time(due(at("2026-11-30T07:00:00Z"), 120, Some(&hours))), "2026-11-30T09:00:00.000Z");
    }

    #[test]
    fn the_first_public_agent_reply_is_the_first_response() {
        use crate::wire::Author;
        let message = |kind, visibility| Message {
            id: "m".into(),
            author: Author { kind, name: None, agent_id: None },
            body: "b".into(),
            visibility,
            created_at: "2026-11-30T07:10:00.000Z".into(),
            delivery: None,
        };
        assert!(answers(&message(AuthorKind::Agent, Visibility::Public)));
        assert!(!answers(&message(AuthorKind::Agent, Visibility::Internal)), "a note");
        assert!(!answers(&message(AuthorKind::System, Visibility::Public)), "the acknowledgement");
        assert!(!answers(&message(AuthorKind::Customer, Visibility::Public)));

        let ticket = TicketSummary {
            status: TicketStatus::Open,
            priority: crate::domain::Priority::Urgent,
            created_at: "2026-11-30T07:00:00.000Z".into(),
            updated_at: "2026-11-30T07:00:00.000Z".into(),
            ..crate::ticket::sample()
        };
        let sla = Sla::default(); // urgent: an hour to answer, four to resolve
        let now = parse_time("2026-11-30T07:30:00Z").unwrap();
        let waiting = status(&ticket, &sla, now);
        assert_eq!((waiting.first_response_at.as_deref(), waiting.first_response_breached), (None, false));
        assert_eq!(waiting.first_response_due, "2026-11-30T08:00:00.000Z");
        let later = parse_time("2026-11-30T09:00:00Z").unwrap();
        assert!(status(&ticket, &sla, later).first_response_breached, "unanswered past due");
        let solved_in_time = TicketSummary {
            status: TicketStatus::Solved,
            solved_at: Some("2026-11-30T07:20:00.000Z".into()),
            ..ticket.clone()
        };
        assert!(!status(&solved_in_time, &sla, later).first_response_breached, "solved unanswered, in time");
        let answered = TicketSummary { first_response_at: Some("2026-11-30T08:30:00.000Z".into()), ..ticket.clone() };
        let answered = status(&answered, &sla, later);
        assert!(answered.first_response_breached, "answered half an hour late");
        assert_eq!(
            (answered.resolution_due.as_str(), answered.resolution_breached),
            ("2026-11-30T11:00:00.000Z", false)
        );
    }

    #[test]
    fn solved_time_stays_while_solved_and_goes_on_reopening() {
        let at = "2026-11-30T09:00:00.000Z";
        assert_eq!(solved_at(None, TicketStatus::Solved, at).as_deref(), Some(at));
        assert_eq!(solved_at(Some("early"), TicketStatus::Closed, at).as_deref(), Some("early"));
        assert_eq!(solved_at(Some("early"), TicketStatus::Open, at), None);
        assert_eq!(solved_at(None, TicketStatus::Pending, at), None);
    }
}
