//! Learning from a site's own traffic: a search followed by a "helpful: yes" on an article it
//! led to (and, more weakly, a search followed by a ticket in an article's category) is evidence
//! that the article answers those words. [`Boosts`] turns that evidence into bounded re-ranking
//! weights per stem and article, built away from the query path (the site's upkeep) and applied
//! by `Index::search_learned`.
//!
//! It cannot be gamed by a few votes: evidence decays with age, nothing counts until
//! [`MIN_EVIDENCE`] has gathered for one stem and article, a boost only multiplies the score of
//! an article that already matches the query, and never by more than `1 + MAX_BOOST`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::analyze::Analyzer;

/// What one piece of evidence weighs, when new.
pub const HELPFUL: f32 = 1.0;
pub const FILED_IN_CATEGORY: f32 = 0.25;
/// Evidence loses half its weight in this many days.
const HALF_LIFE_DAYS: f32 = 30.0;
/// Decayed weight a stem and an article need before they affect ranking at all.
pub const MIN_EVIDENCE: f32 = 3.0;
/// Decayed weight at which a boost stops growing, and the largest boost.
const SATURATION: f32 = 10.0;
pub const MAX_BOOST: f32 = 0.5;
/// Articles kept per stem, the best first; stems kept at most.
const PER_STEM: usize = 8;
const MAX_STEMS: usize = 20_000;

/// Evidence older than this many days is not read: it has decayed to under 2% of its weight.
pub const WINDOW_DAYS: i64 = 180;
const DAY_MS: i64 = 86_400_000;

/// A "helpful: yes" on `article` after the search `query`, at `at_ms`.
pub struct Vote {
    pub query: String,
    pub article: String,
    pub at_ms: i64,
}

/// A ticket filed in `category` after the searches `searches`, at `at_ms`.
pub struct Filed {
    pub searches: Vec<String>,
    pub category: String,
    pub at_ms: i64,
}

/// The evidence in a site's traffic at `now_ms`: each vote for its article; each ticket's
/// searches, weakly, for every article in the ticket's category (`categories`: article id and
/// category).
pub fn evidence(votes: &[Vote], filed: &[Filed], categories: &[(String, String)], now_ms: i64) -> Vec<Evidence> {
    let age = |at: i64| (now_ms - at).max(0) as f32 / DAY_MS as f32;
    let mut evidence: Vec<Evidence> = votes
        .iter()
        .map(|v| Evidence {
            query: v.query.clone(),
            article: v.article.clone(),
            weight: HELPFUL,
            age_days: age(v.at_ms),
        })
        .collect();
    for ticket in filed {
        for (article, _) in categories.iter().filter(|(_, c)| *c == ticket.category) {
            evidence.extend(ticket.searches.iter().map(|q| Evidence {
                query: q.clone(),
                article: article.clone(),
                weight: FILED_IN_CATEGORY,
                age_days: age(ticket.at_ms),
            }));
        }
    }
    evidence
}

/// A search that led somewhere: its words, the article it is evidence for, the evidence's
/// weight when new, and how old it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    pub query: String,
    pub article: String,
    pub weight: f32,
    pub age_days: f32,
}

/// Re-ranking weights: per stem, the articles it has led to and their boosts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Boosts {
    terms: BTreeMap<String, Vec<(String, f32)>>,
}

/// The boost of a decayed evidence weight: none under the minimum, then growing to the cap.
fn boost(weight: f32) -> f32 {
    if weight < MIN_EVIDENCE {
        0.0
    } else {
        MAX_BOOST * (weight / SATURATION).min(1.0)
    }
}

impl Boosts {
    pub fn learn(evidence: &[Evidence]) -> Boosts {
        let analyzer = Analyzer::default();
        let mut sums: BTreeMap<String, BTreeMap<String, f32>> = BTreeMap::new();
        for e in evidence {
            let decayed = e.weight * 0.5f32.powf(e.age_days.max(0.0) / HALF_LIFE_DAYS);
            let mut stems = analyzer.index_terms(&e.query);
            stems.sort();
            stems.dedup();
            for stem in stems {
                *sums.entry(stem).or_default().entry(e.article.clone()).or_default() += decayed;
            }
        }
        let mut terms: BTreeMap<String, Vec<(String, f32)>> = sums
            .into_iter()
            .filter_map(|(stem, articles)| {
                let mut list: Vec<(String, f32)> =
                    articles.into_iter().map(|(a, w)| (a, boost(w))).filter(|(_, b)| *b > 0.0).collect();
                list.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                list.truncate(PER_STEM);
                (!list.is_empty()).then_some((stem, list))
            })
            .collect();
        while terms.len() > MAX_STEMS {
            terms.pop_last();
        }
        Boosts { terms }
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Stems that re-rank something.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// The articles `stem` has led to, and their boosts.
    pub fn of(&self, stem: &str) -> &[(String, f32)] {
        self.terms.get(stem).map_or(&[], Vec::as_slice)
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        postcard::to_allocvec(self).unwrap_or_default()
    }

    /// Boosts stored by [`Boosts::to_bytes`]; anything unreadable is no boosts at all.
    pub fn from_bytes(bytes: &[u8]) -> Boosts {
        postcard::from_bytes(bytes).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vote(query: &str, article: &str, age_days: f32) -> Evidence {
        Evidence { query: query.into(), article: article.into(), weight: HELPFUL, age_days }
    }

    #[test]
    fn one_vote_does_nothing_many_do_and_old_ones_fade() {
        assert!(Boosts::learn(&[vote("reset the router", "wifi", 0.0)]).is_empty(), "one vote is not enough");
        let many: Vec<Evidence> = (0..5).map(|_| vote("reset the router", "wifi", 0.0)).collect();
        let boosts = Boosts::learn(&many);
        let stem = Analyzer::default().stem("router");
        assert_eq!(boosts.of(&stem), [("wifi".to_owned(), MAX_BOOST * 0.5)]);
        assert!(boosts.of("the").is_empty(), "stop words learn nothing");
        let old: Vec<Evidence> = (0..5).map(|_| vote("reset the router", "wifi", 90.0)).collect();
        assert!(Boosts::learn(&old).is_empty(), "five votes three half-lives old weigh less than one");
        let flood: Vec<Evidence> = (0..1000).map(|_| vote("router", "wifi", 0.0)).collect();
        assert_eq!(Boosts::learn(&flood).of(&stem)[0].1, MAX_BOOST, "capped");
        assert_eq!(Boosts::from_bytes(&boosts.to_bytes()), boosts);
        assert!(Boosts::from_bytes(b"\xff\xff").is_empty());
    }

    #[test]
    fn tickets_are_weak_evidence_for_their_category() {
        let now = 100 * DAY_MS;
        let filed = [Filed { searches: vec!["wifi drops".into()], category: "internet".into(), at_ms: now - DAY_MS }];
        let categories = [("wifi".to_owned(), "internet".to_owned()), ("tv".to_owned(), "tv".to_owned())];
        let votes = [Vote { query: "wifi".into(), article: "wifi".into(), at_ms: now }];
        let found = evidence(&votes, &filed, &categories, now);
        assert_eq!(found.len(), 2);
        assert_eq!((found[0].weight, found[0].age_days), (HELPFUL, 0.0));
        assert_eq!((found[1].article.as_str(), found[1].weight, found[1].age_days), ("wifi", FILED_IN_CATEGORY, 1.0));
        // Four tickets weigh as one vote: twelve are needed before they count.
        let many: Vec<Filed> =
            (0..11).map(|_| Filed { searches: vec!["wifi".into()], category: "internet".into(), at_ms: now }).collect();
        assert!(Boosts::learn(&evidence(&[], &many, &categories, now)).is_empty());
    }
}
