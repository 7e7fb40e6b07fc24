//! The knowledge-base index: built at publish time, stored as a versioned binary blob, loaded
//! into the worker's isolate. Terms live in an FST (sorted, shared prefixes, searchable by
//! prefix and Levenshtein automaton); postings hold per-field term frequencies for BM25F, and
//! each alternate question has postings of its own, so an article can be found by the one
//! question that matches (`query`). Every text a snippet may be cut from keeps its words' places
//! and terms (`Span`), so snippets and highlights need no analysis at query time.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use fst::{Map, MapBuilder};
use serde::{Deserialize, Serialize};

use super::analyze::{carries_meaning, is_stop_word, Analyzer, Word};
use crate::domain::Locale;

/// Bumped whenever the serialized layout changes; an index of another version is refused.
pub const FORMAT_VERSION: u32 = 2;
const MAGIC: &[u8; 4] = b"TDKB";

/// Fields, in the order of the per-field arrays.
pub const TITLE: usize = 0;
pub const TAGS: usize = 1;
pub const BODY: usize = 2;
pub const FIELD_COUNT: usize = 3;

/// An article as the index takes it: plain text (the body without markup).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    pub id: String,
    pub locale: Locale,
    pub title: String,
    pub tags: Vec<String>,
    pub body: String,
    /// Other phrasings customers use for the same need.
    pub questions: Vec<String>,
    /// The article's category, if any: what a site's tickets teach search is per category.
    pub category: Option<String>,
    pub url: String,
}

/// One document's entry in a term's postings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Posting {
    pub doc: u32,
    /// Term frequency per field (saturating).
    pub tf: [u8; FIELD_COUNT],
}

/// One alternate question's entry in a term's question postings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct QuestionPosting {
    pub question: u32,
    pub tf: u8,
}

/// An alternate question: the article it belongs to, and its length in indexed terms.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Question {
    pub doc: u32,
    pub length: u16,
}

/// A word of a stored text that carries meaning (stop words and negations are never
/// highlighted, so they are not kept): its char range and its term.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Span {
    pub start: u32,
    pub end: u32,
    pub term: u32,
}

/// A text's spans as stored: each word as the gap since the previous word's end, its length
/// and its term, which postcard's variable-length integers keep to a few bytes a word.
fn pack(spans: &[Span]) -> Vec<[u32; 3]> {
    let mut at = 0;
    spans
        .iter()
        .map(|s| {
            let packed = [s.start.saturating_sub(at), s.end.saturating_sub(s.start), s.term];
            at = s.end;
            packed
        })
        .collect()
}

fn unpack(packed: &[[u32; 3]]) -> Vec<Span> {
    let mut at: u32 = 0;
    packed
        .iter()
        .map(|&[gap, len, term]| {
            let start = at.saturating_add(gap);
            at = start.saturating_add(len);
            Span { start, end: at, term }
        })
        .collect()
}

#[derive(Debug, Serialize, Deserialize)]
struct Stored {
    docs: Vec<Article>,
    lengths: Vec<[u16; FIELD_COUNT]>,
    terms: Vec<u8>,
    offsets: Vec<u32>,
    postings: Vec<Posting>,
    questions: Vec<Question>,
    question_offsets: Vec<u32>,
    question_postings: Vec<QuestionPosting>,
    /// The words of each document's body, then of each question (in question order), packed.
    spans: Vec<Vec<[u32; 3]>>,
}

/// A loaded index.
pub struct Index {
    pub(super) docs: Vec<Article>,
    pub(super) lengths: Vec<[u16; FIELD_COUNT]>,
    pub(super) terms: Map<Vec<u8>>,
    /// Postings of term `t` are `postings[offsets[t]..offsets[t + 1]]`, sorted by document
    /// (and documents by language, so one language's postings are one run).
    pub(super) offsets: Vec<u32>,
    pub(super) postings: Vec<Posting>,
    /// BM25F term-frequency part of each posting, parallel to `postings`: it depends only on
    /// the document and the posting, so it is computed once at load, not per query.
    pub(super) weights: Vec<f32>,
    /// Alternate questions, sorted by document; their postings as the documents' are.
    pub(super) questions: Vec<Question>,
    pub(super) question_offsets: Vec<u32>,
    pub(super) question_postings: Vec<QuestionPosting>,
    pub(super) question_weights: Vec<f32>,
    /// `spans[d]` is document `d`'s body; `spans[docs.len() + q]` is question `q`.
    pub(super) spans: Vec<Vec<Span>>,
    pub(super) analyzer: Analyzer,
}

// BM25F's and BM25's parameters, tuned with `cargo xtask bench search` on the tuning queries
// (never the untouched ones). Field weights: a word in the title says more than one in the
// body. A high K1 lets a word repeated in an article's phrasings count: it is what the article
// is about.
const FIELD_WEIGHTS: [f32; FIELD_COUNT] = [5.0, 2.0, 1.0];
const K1: f32 = 3.0;
const B: f32 = 0.9;
/// BM25 of one alternate question against the average question.
const QUESTION_K1: f32 = 2.0;
const QUESTION_B: f32 = 0.8;

/// BM25F's saturated, length-normalised term frequency of one posting.
fn bm25f(lengths: &[u16; FIELD_COUNT], average: &[f32; FIELD_COUNT], tf: &[u8; FIELD_COUNT]) -> f32 {
    let mut weighted = 0.0;
    for f in 0..FIELD_COUNT {
        let norm = 1.0 - B + B * f32::from(lengths[f]) / average[f];
        weighted += FIELD_WEIGHTS[f] * f32::from(tf[f]) / norm;
    }
    weighted / (K1 + weighted)
}

fn weights(postings: &[Posting], lengths: &[[u16; FIELD_COUNT]]) -> Vec<f32> {
    let average = average(lengths);
    postings.iter().map(|p| bm25f(&lengths[p.doc as usize], &average, &p.tf)).collect()
}

fn question_weights(postings: &[QuestionPosting], questions: &[Question]) -> Vec<f32> {
    let total: f32 = questions.iter().map(|q| f32::from(q.length)).sum();
    let average = (total / questions.len().max(1) as f32).max(1.0);
    postings
        .iter()
        .map(|p| {
            let length = questions.get(p.question as usize).map_or(0.0, |q| f32::from(q.length));
            let tf = f32::from(p.tf) / (1.0 - QUESTION_B + QUESTION_B * length / average);
            tf / (QUESTION_K1 + tf)
        })
        .collect()
}

#[derive(Debug, PartialEq)]
pub enum IndexError {
    NotAnIndex,
    Version(u32),
    Corrupt(String),
}

impl std::fmt::Display for IndexError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IndexError::NotAnIndex => write!(f, "not a Tabdesk index"),
            IndexError::Version(v) => write!(f, "index format {v}, expected {FORMAT_VERSION}"),
            IndexError::Corrupt(why) => write!(f, "corrupt index: {why}"),
        }
    }
}

fn average(lengths: &[[u16; FIELD_COUNT]]) -> [f32; FIELD_COUNT] {
    let mut sums = [0f32; FIELD_COUNT];
    for l in lengths {
        for f in 0..FIELD_COUNT {
            sums[f] += f32::from(l[f]);
        }
    }
    let n = lengths.len().max(1) as f32;
    sums.map(|s| (s / n).max(1.0))
}

/// A word of one text while building: its place, its stem unless it is a stop word, and
/// whether it may be highlighted.
struct Built {
    start: u32,
    end: u32,
    stem: Option<String>,
    meaningful: bool,
}

fn words_of(analyzer: &Analyzer, text: &str) -> Vec<Built> {
    let built = |w: Word| Built {
        start: w.start as u32,
        end: w.end as u32,
        meaningful: carries_meaning(&w.folded),
        stem: (!is_stop_word(&w.folded)).then_some(w.stem),
    };
    analyzer.words(text).into_iter().map(built).collect()
}

/// Postings of every term, in term order, flattened: the offsets and the list.
fn flatten<P>(by_term: BTreeMap<String, Vec<P>>, terms: usize) -> (Vec<u32>, Vec<P>) {
    let mut lists: Vec<Vec<P>> = (0..terms).map(|_| Vec::new()).collect();
    for (ord, (_, list)) in by_term.into_iter().enumerate() {
        lists[ord] = list;
    }
    let mut offsets = Vec::with_capacity(terms + 1);
    let mut flat = Vec::new();
    for list in lists {
        offsets.push(flat.len() as u32);
        flat.extend(list);
    }
    offsets.push(flat.len() as u32);
    (offsets, flat)
}

impl Index {
    /// Indexes `articles`. Deterministic: the same articles give the same bytes.
    pub fn build(articles: &[Article]) -> Index {
        let analyzer = Analyzer::default();
        let mut docs = articles.to_vec();
        docs.sort_by(|a, b| (a.locale, &a.id).cmp(&(b.locale, &b.id)));
        let mut by_term: BTreeMap<String, Vec<Posting>> = BTreeMap::new();
        let mut by_question: BTreeMap<String, Vec<QuestionPosting>> = BTreeMap::new();
        let mut lengths = Vec::with_capacity(docs.len());
        let mut questions = Vec::new();
        let mut bodies = Vec::with_capacity(docs.len());
        let mut asked = Vec::new();
        let stems = |words: &[Built]| words.iter().filter_map(|w| w.stem.clone()).collect::<Vec<_>>();
        for (n, doc) in docs.iter().enumerate() {
            let body = words_of(&analyzer, &doc.body);
            let first_question = asked.len();
            for text in &doc.questions {
                let words = words_of(&analyzer, text);
                let terms = stems(&words);
                let q = questions.len() as u32;
                questions.push(Question { doc: n as u32, length: terms.len().min(usize::from(u16::MAX)) as u16 });
                for term in terms {
                    let list = by_question.entry(term).or_default();
                    match list.last_mut() {
                        Some(p) if p.question == q => p.tf = p.tf.saturating_add(1),
                        _ => list.push(QuestionPosting { question: q, tf: 1 }),
                    }
                }
                asked.push(words);
            }
            // The questions are also more of the article's text: together they say what it
            // is about, as its body does.
            let mut text = stems(&body);
            text.extend(asked[first_question..].iter().flat_map(|words| stems(words)));
            let fields = [analyzer.index_terms(&doc.title), analyzer.index_terms(&doc.tags.join(" ")), text];
            lengths.push(fields.each_ref().map(|f| f.len().min(usize::from(u16::MAX)) as u16));
            for (field, terms) in fields.iter().enumerate() {
                for term in terms {
                    let list = by_term.entry(term.clone()).or_default();
                    if list.last().is_none_or(|p| p.doc != n as u32) {
                        list.push(Posting { doc: n as u32, tf: [0; FIELD_COUNT] });
                    }
                    if let Some(p) = list.last_mut() {
                        p.tf[field] = p.tf[field].saturating_add(1);
                    }
                }
            }
            bodies.push(body);
        }
        let ordinals: HashMap<&str, u32> = by_term.keys().enumerate().map(|(i, t)| (t.as_str(), i as u32)).collect();
        let spans: Vec<Vec<Span>> = bodies
            .iter()
            .chain(&asked)
            .map(|words| {
                let term =
                    |w: &Built| w.stem.as_deref().filter(|_| w.meaningful).and_then(|s| ordinals.get(s).copied());
                words.iter().filter_map(|w| Some(Span { start: w.start, end: w.end, term: term(w)? })).collect()
            })
            .collect();
        drop(ordinals);
        let mut builder = MapBuilder::memory();
        for (ord, term) in by_term.keys().enumerate() {
            // Keys arrive sorted and unique (BTreeMap), the only way insert can fail.
            let _ = builder.insert(term.as_bytes(), ord as u64);
        }
        let count = by_term.len();
        let question_lists: BTreeMap<String, Vec<QuestionPosting>> =
            by_term.keys().map(|t| (t.clone(), by_question.remove(t).unwrap_or_default())).collect();
        let (offsets, postings) = flatten(by_term, count);
        let (question_offsets, question_postings) = flatten(question_lists, count);
        let bytes = builder.into_inner().unwrap_or_default();
        let terms = Map::new(bytes).unwrap_or_default();
        Index::assemble(
            Stored {
                docs,
                lengths,
                terms: Vec::new(),
                offsets,
                postings,
                questions,
                question_offsets,
                question_postings,
                spans: Vec::new(),
            },
            terms,
            spans,
        )
    }

    /// The loaded form of stored parts (the dictionary and the spans taken out of them): weights
    /// are computed once here.
    fn assemble(stored: Stored, terms: Map<Vec<u8>>, spans: Vec<Vec<Span>>) -> Index {
        let weights = weights(&stored.postings, &stored.lengths);
        let question_weights = question_weights(&stored.question_postings, &stored.questions);
        Index {
            docs: stored.docs,
            lengths: stored.lengths,
            terms,
            offsets: stored.offsets,
            postings: stored.postings,
            weights,
            questions: stored.questions,
            question_offsets: stored.question_offsets,
            question_postings: stored.question_postings,
            question_weights,
            spans,
            analyzer: Analyzer::default(),
        }
    }

    /// The index as bytes: magic, format version, then the postcard body.
    pub fn to_bytes(&self) -> Vec<u8> {
        let stored = Stored {
            docs: self.docs.clone(),
            lengths: self.lengths.clone(),
            terms: self.terms.as_fst().as_bytes().to_vec(),
            offsets: self.offsets.clone(),
            postings: self.postings.clone(),
            questions: self.questions.clone(),
            question_offsets: self.question_offsets.clone(),
            question_postings: self.question_postings.clone(),
            spans: self.spans.iter().map(|s| pack(s)).collect(),
        };
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend(postcard::to_allocvec(&stored).unwrap_or_default());
        out
    }

    /// Loads bytes made by [`Index::to_bytes`], checking the format and the structure.
    pub fn from_bytes(bytes: &[u8]) -> Result<Index, IndexError> {
        let body = bytes.strip_prefix(MAGIC.as_slice()).ok_or(IndexError::NotAnIndex)?;
        let (version, body) = body.split_first_chunk::<4>().ok_or(IndexError::NotAnIndex)?;
        let version = u32::from_le_bytes(*version);
        if version != FORMAT_VERSION {
            return Err(IndexError::Version(version));
        }
        let mut stored: Stored = postcard::from_bytes(body).map_err(|e| IndexError::Corrupt(e.to_string()))?;
        let terms = Map::new(std::mem::take(&mut stored.terms)).map_err(|e| IndexError::Corrupt(e.to_string()))?;
        // A dictionary whose nodes are damaged could make a search panic: its checksum is checked.
        terms.as_fst().verify().map_err(|e| IndexError::Corrupt(e.to_string()))?;
        let fits = |offsets: &[u32], len: usize| {
            offsets.len() == terms.len() + 1
                && offsets.windows(2).all(|w| w[0] <= w[1])
                && offsets.last().is_some_and(|&l| l as usize == len)
        };
        let docs = stored.docs.len();
        let sane = fits(&stored.offsets, stored.postings.len())
            && fits(&stored.question_offsets, stored.question_postings.len())
            && stored.lengths.len() == docs
            && stored.postings.iter().all(|p| (p.doc as usize) < docs)
            && stored.questions.iter().all(|q| (q.doc as usize) < docs)
            && stored.questions.windows(2).all(|w| w[0].doc <= w[1].doc)
            && stored.question_postings.iter().all(|p| (p.question as usize) < stored.questions.len())
            && stored.spans.len() == docs + stored.questions.len();
        let spans: Vec<Vec<Span>> = stored.spans.iter().map(|s| unpack(s)).collect();
        let sane = sane && spans.iter().flatten().all(|s| (s.term as usize) < terms.len());
        if !sane {
            return Err(IndexError::Corrupt("offsets, lengths, postings or spans do not fit".into()));
        }
        stored.spans = Vec::new();
        Ok(Index::assemble(stored, terms, spans))
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Number of documents in `locale`: two binary searches, cheap on every query.
    pub fn count(&self, locale: Locale) -> usize {
        self.range(Some(locale)).len()
    }

    /// The documents of `locale` (all when `None`): a range, since documents are sorted by it.
    pub(super) fn range(&self, locale: Option<Locale>) -> Range<u32> {
        let Some(locale) = locale else {
            return 0..self.docs.len() as u32;
        };
        let start = self.docs.partition_point(|d| d.locale < locale);
        let end = self.docs.partition_point(|d| d.locale <= locale);
        start as u32..end as u32
    }

    /// A term's postings within the documents `docs`, and their BM25F weights.
    pub(super) fn postings(&self, term: u64, docs: &Range<u32>) -> (&[Posting], &[f32]) {
        let range = run(&self.offsets, &self.postings, term, |p| p.doc, docs);
        (&self.postings[range.clone()], &self.weights[range])
    }

    /// A term's question postings within the documents `docs`, and their BM25 weights.
    pub(super) fn question_postings(&self, term: u64, docs: &Range<u32>) -> (&[QuestionPosting], &[f32]) {
        let doc = |p: &QuestionPosting| self.questions[p.question as usize].doc;
        let range = run(&self.question_offsets, &self.question_postings, term, doc, docs);
        (&self.question_postings[range.clone()], &self.question_weights[range])
    }
}

/// The run of term `term`'s postings (`list[offsets[term]..offsets[term + 1]]`) whose documents
/// fall in `docs`: postings are sorted by document, so two binary searches.
fn run<P>(offsets: &[u32], list: &[P], term: u64, doc: impl Fn(&P) -> u32, docs: &Range<u32>) -> Range<usize> {
    let t = term as usize;
    let (Some(&a), Some(&b)) = (offsets.get(t), offsets.get(t + 1)) else {
        return 0..0;
    };
    let postings = &list[a as usize..b as usize];
    let first = |bound: u32| a as usize + postings.partition_point(|p| doc(p) < bound);
    first(docs.start)..first(docs.end)
}
