//! Learning from a site's own traffic: a search followed by a "helpful: yes" on an article it
//! led to is evidence that the article answers those words, and a search followed by a ticket in
//! a category is weaker evidence that the category's articles do. [`Boosts`] turns that evidence
//! into bounded re-ranking weights per stem and article (or category), built away from the query
//! path (the site's upkeep) and applied by `Index::search_learned`.
//!
//! A few votes cannot game it: each voter counts once per word and article, evidence decays
//! with age, nothing counts until [`MIN_EVIDENCE`] has gathered for one word and one article or
//! category, a boost only multiplies the score of an article that already matches the query, and
//! never by more than `1 + MAX_BOOST`.
//!
//! The same votes, whatever was searched before them, rank the site's most helpful articles
//! ([`Boosts::popular`]), which the widget's home screen suggests when the site chose none for
//! the page.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::analyze::Analyzer;

/// What one piece of evidence weighs, when new.
pub const HELPFUL: f32 = 1.0;
pub const FILED_IN_CATEGORY: f32 = 0.25;
/// Evidence loses half its weight in this many days.
const HALF_LIFE_DAYS: f32 = 30.0;
/// Decayed weight a word and an article (or category) need before they affect ranking at all.
pub const MIN_EVIDENCE: f32 = 3.0;
/// Decayed weight at which a boost stops growing, and the largest boost.
const SATURATION: f32 = 10.0;
pub const MAX_BOOST: f32 = 0.5;
/// Articles and categories kept per word, the strongest first; words kept at most, likewise.
const PER_STEM: usize = 8;
const MAX_STEMS: usize = 20_000;
/// The most helpful articles kept, the most helpful first.
pub const MAX_POPULAR: usize = 10;

/// Evidence older than this many days is not read: it has decayed to under 2% of its weight.
pub const WINDOW_DAYS: i64 = 180;
pub const DAY_MS: i64 = 86_400_000;

/// What a piece of evidence speaks for.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Target {
    Article(String),
    /// Every article of the category.
    Category(String),
}

/// A "helpful: yes" on `article` after the search `query` (empty when it was not opened from a
/// search), at `at_ms`, from `voter` (an opaque key of the client; votes without one count as one
/// voter each).
pub struct Vote {
    pub query: String,
    pub article: String,
    pub voter: Option<String>,
    pub at_ms: i64,
}

/// A ticket filed in `category` after the searches `searches`, at `at_ms`.
pub struct Filed {
    pub searches: Vec<String>,
    pub category: String,
    pub at_ms: i64,
}

/// A search that led somewhere: its words, what it is evidence for, from whom (if known), the
/// evidence's weight when new, and how old it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    pub query: String,
    pub target: Target,
    pub voter: Option<String>,
    pub weight: f32,
    pub age_days: f32,
}

/// The evidence in a site's traffic at `now_ms`: each vote for its article, each ticket's
/// searches for its category. Ages are counted from the start of the day (UTC), so relearning
/// again the same day gives the same boosts unless something new happened: the store writes
/// them only then.
pub fn evidence(votes: &[Vote], filed: &[Filed], now_ms: i64) -> Vec<Evidence> {
    let today = now_ms - now_ms.rem_euclid(DAY_MS);
    let age = |at: i64| (today - at).max(0) as f32 / DAY_MS as f32;
    let votes = votes.iter().map(|v| Evidence {
        query: v.query.clone(),
        target: Target::Article(v.article.clone()),
        voter: v.voter.clone(),
        weight: HELPFUL,
        age_days: age(v.at_ms),
    });
    let tickets = filed.iter().flat_map(|t| {
        t.searches.iter().map(|q| Evidence {
            query: q.clone(),
            target: Target::Category(t.category.clone()),
            voter: None,
            weight: FILED_IN_CATEGORY,
            age_days: age(t.at_ms),
        })
    });
    votes.chain(tickets).collect()
}

/// Re-ranking weights: per stem, the articles and categories it has led to and their boosts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Boosts {
    terms: BTreeMap<String, Vec<(Target, f32)>>,
    popular: Vec<String>,
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
        let mut sums: BTreeMap<String, BTreeMap<Target, f32>> = BTreeMap::new();
        // A voter's newest vote for a word and a target is the one that counts.
        let mut counted: BTreeSet<(String, &Target, &str)> = BTreeSet::new();
        let mut newest_first: Vec<&Evidence> = evidence.iter().collect();
        newest_first.sort_by(|a, b| a.age_days.total_cmp(&b.age_days));
        let mut helpful: BTreeMap<&str, f32> = BTreeMap::new();
        let mut thanked: BTreeSet<(&str, &str)> = BTreeSet::new();
        for e in newest_first {
            let decayed = e.weight * 0.5f32.powf(e.age_days.max(0.0) / HALF_LIFE_DAYS);
            if let Target::Article(article) = &e.target {
                if e.voter.as_deref().is_none_or(|voter| thanked.insert((article, voter))) {
                    *helpful.entry(article).or_default() += decayed;
                }
            }
            let stems: BTreeSet<String> = analyzer.index_terms(&e.query).into_iter().collect();
            for stem in stems {
                if let Some(voter) = e.voter.as_deref() {
                    if !counted.insert((stem.clone(), &e.target, voter)) {
                        continue;
                    }
                }
                *sums.entry(stem).or_default().entry(e.target.clone()).or_default() += decayed;
            }
        }
        let mut terms: Vec<(String, Vec<(Target, f32)>)> = sums
            .into_iter()
            .filter_map(|(stem, targets)| {
                let mut list: Vec<(Target, f32)> =
                    targets.into_iter().map(|(t, w)| (t, boost(w))).filter(|(_, b)| *b > 0.0).collect();
                list.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                list.truncate(PER_STEM);
                (!list.is_empty()).then_some((stem, list))
            })
            .collect();
        if terms.len() > MAX_STEMS {
            let strongest = |list: &[(Target, f32)]| list.first().map_or(0.0, |t| t.1);
            terms.sort_by(|a, b| strongest(&b.1).total_cmp(&strongest(&a.1)).then_with(|| a.0.cmp(&b.0)));
            terms.truncate(MAX_STEMS);
        }
        let mut popular: Vec<(&str, f32)> = helpful.into_iter().collect();
        popular.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        let popular = popular.into_iter().take(MAX_POPULAR).map(|(article, _)| article.to_owned()).collect();
        Boosts { terms: terms.into_iter().collect(), popular }
    }

    /// Nothing learned: no stem re-ranks anything and no article was found helpful.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.popular.is_empty()
    }

    /// The site's most helpful articles, the most helpful first (at most [`MAX_POPULAR`]).
    pub fn popular(&self) -> &[String] {
        &self.popular
    }

    /// Stems that re-rank something.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// The articles and categories `stem` has led to, and their boosts.
    pub fn of(&self, stem: &str) -> &[(Target, f32)] {
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

    fn vote(query: &str, article: &str, voter: Option<&str>, age_days: f32) -> Evidence {
        let target = Target::Article(article.into());
        Evidence { query: query.into(), target, voter: voter.map(str::to_owned), weight: HELPFUL, age_days }
    }

    #[test]
    fn the_most_helpful_articles_are_counted_once_per_voter_newest_weighing_most() {
        let mut votes: Vec<Evidence> = (0..3).map(|i| vote("", "fees", Some(&i.to_string()), 0.0)).collect();
        votes.extend((0..9).map(|_| vote("router", "wifi", Some("one-client"), 0.0)));
        votes.extend((0..4).map(|i| vote("refund", "refunds", Some(&format!("r{i}")), 120.0)));
        votes.push(vote("", "cards", None, 0.0));
        let boosts = Boosts::learn(&votes);
        assert_eq!(boosts.popular(), ["fees", "cards", "wifi", "refunds"]);
        assert_eq!(boosts.len(), 0, "a vote after no search re-ranks nothing, and one vote is not enough");
        assert!(!boosts.is_empty());
    }

    #[test]
    fn one_vote_does_nothing_many_do_and_old_ones_fade() {
        assert_eq!(Boosts::learn(&[vote("reset the router", "wifi", None, 0.0)]).len(), 0, "one vote is not enough");
        let many: Vec<Evidence> = (0..5).map(|_| vote("reset the router", "wifi", None, 0.0)).collect();
        let boosts = Boosts::learn(&many);
        let stem = Analyzer::default().stem("router");
        assert_eq!(boosts.of(&stem), [(Target::Article("wifi".into()), MAX_BOOST * 0.5)]);
        assert!(boosts.of("the").is_empty(), "stop words learn nothing");
        let old: Vec<Evidence> = (0..5).map(|_| vote("reset the router", "wifi", None, 90.0)).collect();
        assert_eq!(Boosts::learn(&old).len(), 0, "five votes three half-lives old weigh less than one");
        let flood: Vec<Evidence> = (0..1000).map(|i| vote("router", "wifi", Some(&i.to_string()), 0.0)).collect();
        assert_eq!(Boosts::learn(&flood).of(&stem)[0].1, MAX_BOOST, "capped");
        assert_eq!(Boosts::from_bytes(&boosts.to_bytes()), boosts);
        assert!(Boosts::from_bytes(b"\xff\xff").is_empty());
    }

    #[test]
    fn a_voter_counts_once_and_relearning_the_same_day_changes_nothing() {
        let same: Vec<Evidence> = (0..50).map(|_| vote("router", "wifi", Some("client-1"), 0.0)).collect();
        assert_eq!(Boosts::learn(&same).len(), 0, "fifty votes of one client are one vote");
        let now = 100 * DAY_MS + 3_600_000;
        let votes: Vec<Vote> = (0..6)
            .map(|i| Vote {
                query: "router".into(),
                article: "wifi".into(),
                voter: Some(i.to_string()),
                at_ms: now - DAY_MS,
            })
            .collect();
        let at = |ms: i64| Boosts::learn(&evidence(&votes, &[], ms));
        assert!(!at(now).is_empty());
        assert_eq!(at(now), at(now + 12 * 3_600_000), "stored again only when something changed");
        assert_ne!(at(now), at(now + DAY_MS), "a day later it has decayed");
    }

    #[test]
    fn tickets_are_weak_evidence_for_their_category() {
        let now = 100 * DAY_MS;
        let filed = [Filed { searches: vec!["wifi drops".into()], category: "internet".into(), at_ms: now - DAY_MS }];
        let votes = [Vote { query: "wifi".into(), article: "wifi".into(), voter: None, at_ms: now }];
        let found = evidence(&votes, &filed, now);
        assert_eq!(found.len(), 2);
        assert_eq!(
            (&found[0].target, found[0].weight, found[0].age_days),
            (&Target::Article("wifi".into()), HELPFUL, 0.0)
        );
        let internet = Target::Category("internet".into());
        assert_eq!((&found[1].target, found[1].weight, found[1].age_days), (&internet, FILED_IN_CATEGORY, 1.0));
        // Four tickets weigh as one vote: twelve are needed before they count.
        let tickets = |n: usize| -> Vec<Filed> {
            (0..n).map(|_| Filed { searches: vec!["wifi".into()], category: "internet".into(), at_ms: now }).collect()
        };
        assert!(Boosts::learn(&evidence(&[], &tickets(11), now)).is_empty());
        let stem = Analyzer::default().stem("wifi");
        assert_eq!(Boosts::learn(&evidence(&[], &tickets(12), now)).of(&stem)[0].0, internet);
    }
}
