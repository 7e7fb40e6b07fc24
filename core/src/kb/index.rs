//! The knowledge-base index: built at publish time, stored as a versioned binary blob, loaded
//! into the worker's isolate. Terms live in an FST (sorted, shared prefixes, searchable by
//! prefix and Levenshtein automaton); postings hold per-field term frequencies for BM25F.

use fst::{Map, MapBuilder};
use serde::{Deserialize, Serialize};

use super::analyze::Analyzer;
use crate::domain::Locale;

/// Bumped whenever the serialized layout changes; an index of another version is refused.
pub const FORMAT_VERSION: u32 = 1;
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
    pub url: String,
}

/// One document's entry in a term's postings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Posting {
    pub doc: u32,
    /// Term frequency per field (saturating).
    pub tf: [u8; FIELD_COUNT],
}

#[derive(Debug, Serialize, Deserialize)]
struct Stored {
    docs: Vec<Article>,
    lengths: Vec<[u16; FIELD_COUNT]>,
    terms: Vec<u8>,
    offsets: Vec<u32>,
    postings: Vec<Posting>,
}

/// A loaded index.
pub struct Index {
    pub(super) docs: Vec<Article>,
    pub(super) lengths: Vec<[u16; FIELD_COUNT]>,
    pub(super) terms: Map<Vec<u8>>,
    /// Postings of term `t` are `postings[offsets[t]..offsets[t + 1]]`.
    pub(super) offsets: Vec<u32>,
    pub(super) postings: Vec<Posting>,
    /// BM25F term-frequency part of each posting, parallel to `postings`: it depends only on
    /// the document and the posting, so it is computed once at load, not per query.
    pub(super) weights: Vec<f32>,
    pub(super) analyzer: Analyzer,
}

/// Field weights of BM25F: a word in the title says more than one in the body.
const FIELD_WEIGHTS: [f32; FIELD_COUNT] = [3.0, 2.0, 1.0];
const K1: f32 = 1.2;
const B: f32 = 0.75;

/// BM25F's saturated, length-normalised term frequency of one posting.
fn bm25f(lengths: &[u16; FIELD_COUNT], average: &[f32; FIELD_COUNT], tf: &[u8; FIELD_COUNT]) -> f32 {
    let mut weighted = 0.0;
    for f in 0..FIELD_COUNT {
        let norm = 1.0 - B + B * f32::from(lengths[f]) / average[f];
        weighted += FIELD_WEIGHTS[f] * f32::from(tf[f]) / norm;
    }
    weighted / (K1 + weighted)
}

fn weights(postings: &[Posting], lengths: &[[u16; FIELD_COUNT]], average: &[f32; FIELD_COUNT]) -> Vec<f32> {
    postings.iter().map(|p| bm25f(&lengths[p.doc as usize], average, &p.tf)).collect()
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

impl Index {
    /// Indexes `articles`. Deterministic: the same articles give the same bytes.
    pub fn build(articles: &[Article]) -> Index {
        let analyzer = Analyzer::default();
        let mut docs = articles.to_vec();
        docs.sort_by(|a, b| (a.locale, &a.id).cmp(&(b.locale, &b.id)));
        let mut by_term: std::collections::BTreeMap<String, Vec<Posting>> = std::collections::BTreeMap::new();
        let mut lengths = Vec::with_capacity(docs.len());
        for (n, doc) in docs.iter().enumerate() {
            let fields = [
                analyzer.index_terms(&doc.title),
                analyzer.index_terms(&doc.tags.join(" ")),
                analyzer.index_terms(&doc.body),
            ];
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
        }
        let mut builder = MapBuilder::memory();
        let mut offsets = Vec::with_capacity(by_term.len() + 1);
        let mut postings = Vec::new();
        for (ord, (term, list)) in by_term.into_iter().enumerate() {
            // Keys arrive sorted and unique (BTreeMap), the only way insert can fail.
            let _ = builder.insert(term.as_bytes(), ord as u64);
            offsets.push(postings.len() as u32);
            postings.extend(list);
        }
        offsets.push(postings.len() as u32);
        let bytes = builder.into_inner().unwrap_or_default();
        let terms = Map::new(bytes).unwrap_or_default();
        let average = average(&lengths);
        let weights = weights(&postings, &lengths, &average);
        Index { docs, lengths, terms, offsets, postings, weights, analyzer }
    }

    /// The index as bytes: magic, format version, then the postcard body.
    pub fn to_bytes(&self) -> Vec<u8> {
        let stored = Stored {
            docs: self.docs.clone(),
            lengths: self.lengths.clone(),
            terms: self.terms.as_fst().as_bytes().to_vec(),
            offsets: self.offsets.clone(),
            postings: self.postings.clone(),
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
        let stored: Stored = postcard::from_bytes(body).map_err(|e| IndexError::Corrupt(e.to_string()))?;
        let terms = Map::new(stored.terms).map_err(|e| IndexError::Corrupt(e.to_string()))?;
        let sane = stored.offsets.len() == terms.len() + 1
            && stored.offsets.windows(2).all(|w| w[0] <= w[1])
            && stored.offsets.last().is_some_and(|&l| l as usize == stored.postings.len())
            && stored.lengths.len() == stored.docs.len()
            && stored.postings.iter().all(|p| (p.doc as usize) < stored.docs.len());
        if !sane {
            return Err(IndexError::Corrupt("offsets, lengths or postings do not fit".into()));
        }
        let average = average(&stored.lengths);
        let weights = weights(&stored.postings, &stored.lengths, &average);
        Ok(Index {
            docs: stored.docs,
            lengths: stored.lengths,
            terms,
            offsets: stored.offsets,
            postings: stored.postings,
            weights,
            analyzer: Analyzer::default(),
        })
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Number of documents in `locale`.
    /// Documents are sorted by language, so this is two binary searches, cheap on every query.
    pub fn count(&self, locale: Locale) -> usize {
        let start = self.docs.partition_point(|d| d.locale < locale);
        let end = self.docs.partition_point(|d| d.locale <= locale);
        end.saturating_sub(start)
    }

    /// A term's postings and their BM25F weights.
    pub(super) fn postings(&self, term: u64) -> (&[Posting], &[f32]) {
        let t = term as usize;
        match (self.offsets.get(t), self.offsets.get(t + 1)) {
            (Some(&a), Some(&b)) => {
                let range = a as usize..b as usize;
                (&self.postings[range.clone()], &self.weights[range])
            }
            _ => (&[], &[]),
        }
    }
}
