//! What the customer is told the moment a request becomes a ticket: in the thread, that it
//! arrived and when to expect an answer (and, for a sales lead, the site's offer). Who gets the
//! ticket is `ticket::route`.

use crate::config::{localized, SiteConfig};
use crate::i18n::{acknowledgement, reply_time};
use crate::wire::{Author, AuthorKind, Message, TicketSummary, Visibility};

/// The automatic public messages of a new ticket, in the customer's language: the
/// acknowledgement with the expected reply time for the ticket's priority, then, for a sales
/// lead, the site's offer. `ids` name them in order (they must sort after the ticket's id).
pub fn first_messages(config: &SiteConfig, ticket: &TicketSummary, ids: [String; 2]) -> Vec<Message> {
    let auto = &config.auto_reply;
    let sla = &config.sla;
    let mut texts = Vec::new();
    if auto.acknowledge {
        let template = match auto.acknowledgement.get(&ticket.locale) {
            Some(own) => own.as_str(),
            None => acknowledgement(ticket.locale, sla.business_hours.is_some()),
        };
        let name = ticket.name.as_deref().unwrap_or_default();
        texts.push(
            template
                .replace("{reply_time}", &reply_time(ticket.locale, sla.minutes(ticket.priority)))
                .replace("{name}", name),
        );
    }
    if ticket.sales_lead && !auto.lead_offer.is_empty() {
        texts.push(localized(&auto.lead_offer, ticket.locale).to_owned());
    }
    texts
        .into_iter()
        .zip(ids)
        .map(|(body, id)| Message {
            id,
            author: Author { kind: AuthorKind::System, name: Some(config.name.clone()), agent_id: None },
            body,
            visibility: Visibility::Public,
            created_at: ticket.created_at.clone(),
            delivery: None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Sla;
    use crate::domain::{Locale, Priority};

    #[test]
    fn the_customer_hears_when_to_expect_an_answer_and_a_lead_gets_the_offer() {
        let mut config =
            SiteConfig { name: "Shop".into(), sla: Sla { high: 4 * 60, ..Sla::default() }, ..SiteConfig::default() };
        let ticket = TicketSummary {
            name: Some("Анна".into()),
            locale: Locale::Ru,
            priority: Priority::High,
            sales_lead: true,
            ..crate::ticket::sample()
        };
        let ids = || ["a".to_owned(), "b".to_owned()];
        let messages = first_messages(&config, &ticket, ids());
        assert_eq!(messages.len(), 1, "no offer configured");
        assert!(messages[0].body.contains("за 4 часа;"), "{}", messages[0].body);
        assert_eq!((messages[0].author.kind, messages[0].author.name.as_deref()), (AuthorKind::System, Some("Shop")));
        assert_eq!(messages[0].visibility, Visibility::Public);

        config.auto_reply.acknowledgement.insert(Locale::Ru, "{name}, ответим за {reply_time}.".into());
        config.auto_reply.lead_offer.insert(Locale::En, "Our sales team will call you.".into());
        let messages = first_messages(&config, &ticket, ids());
        let bodies: Vec<&str> = messages.iter().map(|m| m.body.as_str()).collect();
        assert_eq!(bodies, ["Анна, ответим за 4 часа.", "Our sales team will call you."]);
        assert_eq!(messages[1].id, "b");

        config.auto_reply.acknowledge = false;
        let quiet = TicketSummary { sales_lead: false, ..ticket };
        assert!(first_messages(&config, &quiet, ids()).is_empty());
    }
}
