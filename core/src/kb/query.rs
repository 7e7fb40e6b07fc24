//! Search: BM25F over title, tags and body, plus each article's best-matching alternate
//! question, with the last word matched as a prefix (search as you type) and typos forgiven by
//! Levenshtein automata run over the term dictionary. Only articles that match the query well
//! enough are listed (`CUTOFF`), and snippets come from stored word places (`index::Span`).

use std::ops::Range;
use std::sync::OnceLock;

use fst::automaton::{Automaton, Str};
use fst::{IntoStreamer, Streamer};
use levenshtein_automata::{Distance, LevenshteinAutomatonBuilder, DFA, SINK_STATE};

use super::analyze::{carries_meaning, is_stop_word};
use super::index::Index;
use super::learn::{Boosts, Target, MAX_BOOST};
use super::snippet::snippet;
use crate::domain::Locale;
use crate::text::tokenize;
use crate::wire::SearchHit;

/// How much a prefix match counts next to the word itself, when the typed part is all but the
/// whole term; less the more of the term is still untyped.
const PREFIX: f32 = 0.5;
/// How much a match one and two edits away counts.
const TYPOS: [f32; 2] = [0.6, 0.35];
/// At most this many dictionary terms per prefix or typo expansion; of a prefix's terms, the
/// closest to what was typed (shortest) are kept, of the first `PREFIX_SCAN` in the dictionary.
const MAX_EXPANSIONS: usize = 40;
const PREFIX_SCAN: usize = 2_000;
const MAX_QUERY_TERMS: usize = 12;
/// The best-matching alternate question counts this much next to the article's own text.
const QUESTION_WEIGHT: f32 = 0.6;
/// How much of an article's score depends on the share of the query's words it has: the rest
/// is its BM25F score alone.
const COVERAGE: f32 = 0.2;
/// Articles scoring under this share of the best one are not listed: they share a word or two
/// with the query, not its meaning.
const CUTOFF: f32 = 0.4;

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
    stem: String,
    expansions: Vec<(u64, f32)>,
    /// Not a negation: an article that matches only «не» or "not" does not match the query.
    meaningful: bool,
}

/// Per-document (or per-question) sums over the query's words, reused across words: a word
/// scores each item once, by its best expansion.
struct Tally {
    best: Vec<f32>,
    touched: Vec<u32>,
    scores: Vec<f32>,
    matched: Vec<u8>,
    /// How many of the matched words carry meaning.
    meant: Vec<u8>,
}

impl Tally {
    fn new(len: usize) -> Tally {
        Tally {
            best: vec![0.0; len],
            touched: Vec::new(),
            scores: vec![0.0; len],
            matched: vec![0; len],
            meant: vec![0; len],
        }
    }

    fn offer(&mut self, item: u32, score: f32) {
        // A posting that scores nothing (a stored index may carry one) matches nothing.
        if score <= 0.0 {
            return;
        }
        let slot = &mut self.best[item as usize];
        if *slot == 0.0 {
            self.touched.push(item);
        }
        *slot = slot.max(score);
    }

    /// Ends one query word: its best scores join the sums.
    fn close_word(&mut self, meaningful: bool) {
        for &item in &self.touched {
            let i = item as usize;
            self.scores[i] += self.best[i];
            self.matched[i] = self.matched[i].saturating_add(1);
            self.meant[i] = self.meant[i].saturating_add(u8::from(meaningful));
            self.best[i] = 0.0;
        }
        self.touched.clear();
    }
}

impl Index {
    fn add(expansions: &mut Vec<(u64, f32)>, term: u64, weight: f32) {
        match expansions.iter_mut().find(|(t, _)| *t == term) {
            Some(e) => e.1 = e.1.max(weight),
            None => expansions.push((term, weight)),
        }
    }

    /// Terms that start with what was typed, closest first, weighted by how much of each was
    /// typed.
    fn prefixed(&self, typed: &str, expansions: &mut Vec<(u64, f32)>) {
        let typed_chars = typed.chars().count() as f32;
        let mut found: Vec<(usize, Vec<u8>, u64)> = Vec::new();
        let mut stream = self.terms.search(Str::new(typed).starts_with()).into_stream();
        while let (true, Some((key, t))) = (found.len() < PREFIX_SCAN, stream.next()) {
            let chars = String::from_utf8_lossy(key).chars().count();
            found.push((chars, key.to_vec(), t));
        }
        if found.len() > MAX_EXPANSIONS {
            found.select_nth_unstable(MAX_EXPANSIONS - 1);
            found.truncate(MAX_EXPANSIONS);
        }
        for (chars, _, t) in found {
            let typed_share = (typed_chars / chars.max(1) as f32).min(1.0);
            Index::add(expansions, t, PREFIX * typed_share.sqrt());
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
            self.prefixed(folded, &mut expansions);
        }
        // Typos are forgiven only for words the dictionary does not know: a known word is
        // taken as meant, which keeps well-spelled queries fast and their results precise.
        let budget = if known.is_none() { typo_budget(chars) } else { 0 };
        if budget > 0 {
            let builder = &builders()[usize::from(budget) - 1];
            let dfa = if last { builder.build_prefix_dfa(&stem) } else { builder.build_dfa(&stem) };
            let mut stream = self.terms.search(Fuzzy(&dfa)).into_stream();
            let mut n = 0;
            // A word being typed may be misspelled too, but such a guess never outweighs a term
            // that starts with what was typed (`prefixed` found those).
            let scale = if last { PREFIX } else { 1.0 };
            while let (Some((key, t)), true) = (stream.next(), n < MAX_EXPANSIONS) {
                // The weight follows the edits this term is away, not the most forgiven.
                let weight = match dfa.eval(key) {
                    Distance::Exact(0) => continue,
                    Distance::Exact(1) => TYPOS[0],
                    _ => TYPOS[1],
                };
                Index::add(&mut expansions, t, scale * weight);
                n += 1;
            }
        }
        // A word still being typed may become one that carries meaning («не» → «недоступен»).
        QueryTerm { stem, expansions, meaningful: last || carries_meaning(folded) }
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

    /// The best `limit` articles for `query` (in `locale` when given) and how many matched it
    /// well enough to be listed.
    pub fn search(&self, query: &str, locale: Option<Locale>, limit: usize) -> (Vec<SearchHit>, usize) {
        self.search_learned(query, locale, limit, &Boosts::default())
    }

    /// What the site's traffic taught (`learn`) for the query's words, per document of `docs`:
    /// the mean of the words' boosts, at most `learn::MAX_BOOST`.
    fn learned(&self, terms: &[QueryTerm], docs: &Range<u32>, boosts: &Boosts) -> Vec<(u32, f32)> {
        let mut found: Vec<(u32, f32)> = Vec::new();
        for term in terms {
            for (target, boost) in boosts.of(&term.stem) {
                let taught = match target {
                    Target::Article(id) => self.with_id(docs, id),
                    Target::Category(c) => {
                        docs.clone().filter(|&d| self.docs[d as usize].category.as_ref() == Some(c)).collect()
                    }
                };
                for d in taught {
                    match found.iter_mut().find(|(f, _)| *f == d) {
                        Some(f) => f.1 += boost,
                        None => found.push((d, *boost)),
                    }
                }
            }
        }
        let words = terms.len().max(1) as f32;
        found.iter().map(|&(d, b)| (d, (b / words).min(MAX_BOOST))).collect()
    }

    /// The documents of `docs` with id `id` (one per language): documents are sorted by
    /// language, then id, so a binary search in each language's run.
    fn with_id(&self, docs: &Range<u32>, id: &str) -> Vec<u32> {
        let mut found = Vec::new();
        let mut start = docs.start as usize;
        let end = docs.end as usize;
        while let Some(first) = self.docs.get(start).filter(|_| start < end) {
            let run = &self.docs[start..end];
            let len = run.partition_point(|d| d.locale == first.locale);
            if let Ok(i) = run[..len].binary_search_by(|d| d.id.as_str().cmp(id)) {
                found.push((start + i) as u32);
            }
            start += len;
        }
        found
    }

    /// [`Index::search`], re-ranked by what the site's traffic taught: an article that matches
    /// the query scores up to `1 + MAX_BOOST` times higher; nothing unmatched is added.
    pub fn search_learned(
        &self,
        query: &str,
        locale: Option<Locale>,
        limit: usize,
        boosts: &Boosts,
    ) -> (Vec<SearchHit>, usize) {
        let terms = self.parse(query);
        if terms.iter().all(|t| t.expansions.is_empty()) {
            return (Vec::new(), 0);
        }
        // Rarity is counted among the documents of the language searched: a word common in
        // the Russian articles is not made rare by the English ones.
        let docs = self.range(locale);
        let n = docs.len() as f32;
        let idf = |df: usize| ((n - df as f32 + 0.5) / (df as f32 + 0.5) + 1.0).ln();
        let mut own = Tally::new(self.docs.len());
        let mut asked = Tally::new(self.questions.len());
        for term in &terms {
            for &(t, weight) in &term.expansions {
                let (postings, tf_weights) = self.postings(t, &docs);
                let idf = idf(postings.len()) * weight;
                for (p, w) in postings.iter().zip(tf_weights) {
                    own.offer(p.doc, idf * w);
                }
                let (postings, tf_weights) = self.question_postings(t, &docs);
                for (p, w) in postings.iter().zip(tf_weights) {
                    asked.offer(p.question, idf * w);
                }
            }
            own.close_word(term.meaningful);
            asked.close_word(term.meaningful);
        }
        // Each article's best question, and which it was.
        let mut question: Vec<Option<(f32, u32)>> = vec![None; self.docs.len()];
        for (q, &score) in asked.scores.iter().enumerate().filter(|(_, s)| **s > 0.0) {
            let slot = &mut question[self.questions[q].doc as usize];
            if slot.is_none_or(|(best, _)| score > best) {
                *slot = Some((score, q as u32));
            }
        }
        let learned = if boosts.is_empty() { Vec::new() } else { self.learned(&terms, &docs, boosts) };
        let words = terms.len() as f32;
        let mut ranked: Vec<(f32, u32)> = own
            .scores
            .iter()
            .enumerate()
            .filter(|&(d, s)| *s > 0.0 && own.meant[d] > 0)
            .map(|(d, s)| {
                let q = question[d].map_or(0.0, |(score, _)| score);
                // Documents that match more of the query's words come first.
                let coverage = 1.0 - COVERAGE + COVERAGE * f32::from(own.matched[d]) / words;
                let taught = learned.iter().find(|(l, _)| *l as usize == d).map_or(0.0, |l| l.1);
                ((s + QUESTION_WEIGHT * q) * coverage * (1.0 + taught), d as u32)
            })
            .collect();
        let best = ranked.iter().map(|r| r.0).fold(0.0, f32::max);
        ranked.retain(|r| r.0 >= CUTOFF * best);
        let total = ranked.len();
        let order = |a: &(f32, u32), b: &(f32, u32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        if ranked.len() > limit && limit > 0 {
            ranked.select_nth_unstable_by(limit - 1, order);
            ranked.truncate(limit);
        }
        ranked.sort_unstable_by(order);
        ranked.truncate(limit);
        let expanded: Vec<u32> = terms.iter().flat_map(|t| t.expansions.iter().map(|e| e.0 as u32)).collect();
        let hits = ranked
            .into_iter()
            .map(|(score, d)| self.hit(d, score, question[d as usize], own.scores[d as usize], &expanded))
            .collect();
        (hits, total)
    }

    /// What the home screen suggests before anything is typed, in `locale`: the articles the site
    /// chose for the page (`featured`), then the most helpful (`popular`, from `learn`), then the
    /// rest in the index's order, each once, at most `limit`. Ids without an article in `locale`
    /// are passed over.
    pub fn suggested(&self, featured: &[String], popular: &[String], locale: Locale, limit: usize) -> Vec<SearchHit> {
        let docs = self.range(Some(locale));
        let chosen = featured.iter().chain(popular).filter_map(|id| self.with_id(&docs, id).first().copied());
        let mut picked: Vec<u32> = Vec::new();
        for d in chosen.chain(docs.clone()) {
            if picked.len() >= limit {
                break;
            }
            if !picked.contains(&d) {
                picked.push(d);
            }
        }
        picked.into_iter().map(|d| self.hit(d, 0.0, None, 0.0, &[])).collect()
    }

    /// A listed article, its snippet cut from its body, or from its best question when that
    /// matched the query better than the body did.
    fn hit(&self, d: u32, score: f32, question: Option<(f32, u32)>, own: f32, expanded: &[u32]) -> SearchHit {
        let doc = &self.docs[d as usize];
        let hit = |term: u32| expanded.contains(&term);
        let (text, spans) = match question {
            Some((q_score, q)) if q_score > own => {
                let text = doc.questions.get((q - self.first_question(d)) as usize).map_or("", String::as_str);
                (text, &self.spans[self.docs.len() + q as usize])
            }
            _ => (doc.body.as_str(), &self.spans[d as usize]),
        };
        let (snippet, highlights) = snippet(text, spans, hit);
        SearchHit { id: doc.id.clone(), title: doc.title.clone(), snippet, highlights, url: doc.url.clone(), score }
    }

    /// The number of document `d`'s first question (questions are numbered in document order).
    fn first_question(&self, d: u32) -> u32 {
        self.questions.partition_point(|q| q.doc < d) as u32
    }
}
