//! Search: BM25F over title, tags and body, with the last word matched as a prefix (search as
//! you type) and typos forgiven by Levenshtein automata run over the term dictionary.

use std::sync::OnceLock;

use fst::automaton::{Automaton, Str};
use fst::{IntoStreamer, Streamer};
use levenshtein_automata::{Distance, LevenshteinAutomatonBuilder, DFA, SINK_STATE};

use super::analyze::is_stop_word;
use super::index::Index;
use super::snippet::snippet;
use crate::domain::Locale;
use crate::text::tokenize;
use crate::wire::SearchHit;

/// How much a looser match counts next to the word itself.
const PREFIX: f32 = 0.8;
const TYPO_1: f32 = 0.6;
const TYPO_2: f32 = 0.4;
/// At most this many dictionary terms per prefix or typo expansion.
const MAX_EXPANSIONS: usize = 40;
const MAX_QUERY_TERMS: usize = 12;

/// Levenshtein DFA builders for distances 1 and 2 (transpositions count as one edit). Building
/// them takes milliseconds, so it happens once per isolate; each query then builds its DFA
/// in microseconds.
fn builders() -> &'static [LevenshteinAutomatonBuilder; 2] {
    static BUILDERS: OnceLock<[LevenshteinAutomatonBuilder; 2]> = OnceLock::new();
    BUILDERS.get_or_init(|| [LevenshteinAutomatonBuilder::new(1, true), LevenshteinAutomatonBuilder::new(2, true)])
}

/// A Levenshtein DFA as an FST automaton.
struct Fuzzy<'a>(&'a DFA);

impl Automaton for Fuzzy<'_> {
    type State = u32;

    fn start(&self) -> u32 {
        self.0.initial_state()
    }

    fn is_match(&self, state: &u32) -> bool {
        matches!(self.0.distance(*state), Distance::Exact(_))
    }

    fn can_match(&self, state: &u32) -> bool {
        *state != SINK_STATE
    }

    fn accept(&self, state: &u32, byte: u8) -> u32 {
        self.0.transition(*state, byte)
    }
}

/// Edits forgiven in a word of `chars` characters.
fn typo_budget(chars: usize) -> u8 {
    match chars {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// A query word and the dictionary terms it stands for, each with a weight.
struct QueryTerm {
    expansions: Vec<(u64, f32)>,
}

impl Index {
    fn add(expansions: &mut Vec<(u64, f32)>, term: u64, weight: f32) {
        match expansions.iter_mut().find(|(t, _)| *t == term) {
            Some(e) => e.1 = e.1.max(weight),
            None => expansions.push((term, weight)),
        }
    }

    fn expand(&self, folded: &str, last: bool) -> QueryTerm {
        let stem = self.analyzer.stem(folded);
        let mut expansions = Vec::new();
        let known = self.terms.get(&stem);
        if let Some(t) = known {
            expansions.push((t, 1.0));
        }
        let chars = folded.chars().count();
        if last && chars >= 2 {
            let mut stream = self.terms.search(Str::new(folded).starts_with()).into_stream();
            let mut n = 0;
            while let (Some((_, t)), true) = (stream.next(), n < MAX_EXPANSIONS) {
                Index::add(&mut expansions, t, PREFIX);
                n += 1;
            }
        }
        // Typos are forgiven only for words the dictionary does not know: a known word is
        // taken as meant, which keeps well-spelled queries fast and their results precise.
        let budget = if known.is_none() { typo_budget(chars) } else { 0 };
        if budget > 0 {
            let builder = &builders()[usize::from(budget) - 1];
            let dfa = if last { builder.build_prefix_dfa(&stem) } else { builder.build_dfa(&stem) };
            let mut stream = self.terms.search(Fuzzy(&dfa)).into_stream();
            let mut n = 0;
            while let (Some((_, t)), true) = (stream.next(), n < MAX_EXPANSIONS) {
                let weight = if budget == 1 { TYPO_1 } else { TYPO_2 };
                Index::add(&mut expansions, t, weight);
                n += 1;
            }
        }
        QueryTerm { expansions }
    }

    /// The query's words: folded, stop words dropped (unless that leaves nothing), at most
    /// [`MAX_QUERY_TERMS`]. The last one counts as a prefix unless the query ends with a space.
    fn parse(&self, query: &str) -> Vec<QueryTerm> {
        let words: Vec<String> = tokenize(query).into_iter().map(|t| t.term).collect();
        let content: Vec<&String> = words.iter().filter(|w| !is_stop_word(w)).collect();
        let chosen: Vec<&String> = if content.is_empty() { words.iter().collect() } else { content };
        let typing = !query.ends_with(|c: char| c.is_whitespace() || c.is_ascii_punctuation());
        let n = chosen.len().min(MAX_QUERY_TERMS);
        chosen.into_iter().take(n).enumerate().map(|(i, w)| self.expand(w, typing && i + 1 == n)).collect()
    }

    fn idf(&self, df: usize) -> f32 {
        let n = self.docs.len() as f32;
        ((n - df as f32 + 0.5) / (df as f32 + 0.5) + 1.0).ln()
    }

    /// The best `limit` articles for `query` (in `locale` when given) and how many matched.
    pub fn search(&self, query: &str, locale: Option<Locale>, limit: usize) -> (Vec<SearchHit>, usize) {
        let terms = self.parse(query);
        if terms.iter().all(|t| t.expansions.is_empty()) {
            return (Vec::new(), 0);
        }
        let mut scores = vec![0f32; self.docs.len()];
        let mut matched = vec![0u8; self.docs.len()];
        let mut best = vec![0f32; self.docs.len()];
        let mut touched: Vec<u32> = Vec::new();
        let allowed = |doc: u32| locale.is_none_or(|l| self.docs[doc as usize].locale == l);
        for term in &terms {
            // A query word scores each document once, by its best expansion.
            for &(t, weight) in &term.expansions {
                let (postings, tf_weights) = self.postings(t);
                let idf = self.idf(postings.len()) * weight;
                for (p, w) in postings.iter().zip(tf_weights).filter(|(p, _)| allowed(p.doc)) {
                    let s = idf * w;
                    let slot = &mut best[p.doc as usize];
                    if *slot == 0.0 {
                        touched.push(p.doc);
                    }
                    *slot = slot.max(s);
                }
            }
            for &doc in &touched {
                let d = doc as usize;
                scores[d] += best[d];
                matched[d] += 1;
                best[d] = 0.0;
            }
            touched.clear();
        }
        let n = terms.len() as f32;
        let mut ranked: Vec<(f32, u32)> = scores
            .iter()
            .enumerate()
            .filter(|(_, s)| **s > 0.0)
            // Documents that match more of the query's words come first.
            .map(|(d, s)| (s * (0.5 + 0.5 * f32::from(matched[d]) / n), d as u32))
            .collect();
        let total = ranked.len();
        let order = |a: &(f32, u32), b: &(f32, u32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        if ranked.len() > limit && limit > 0 {
            ranked.select_nth_unstable_by(limit - 1, order);
            ranked.truncate(limit);
        }
        ranked.sort_unstable_by(order);
        ranked.truncate(limit);
        let expanded: Vec<u64> = terms.iter().flat_map(|t| t.expansions.iter().map(|e| e.0)).collect();
        let hits = ranked
            .into_iter()
            .map(|(score, d)| {
                let doc = &self.docs[d as usize];
                let (text, highlights) = snippet(&self.analyzer, &doc.body, |stem| {
                    self.terms.get(stem).is_some_and(|t| expanded.contains(&t))
                });
                SearchHit {
                    id: doc.id.clone(),
                    title: doc.title.clone(),
                    snippet: text,
                    highlights,
                    url: doc.url.clone(),
                    score,
                }
            })
            .collect();
        (hits, total)
    }
}
