//! BANKING77's train split as knowledge-base articles and the questions customers ask.
//!
//! Each intent's rows are put in a fixed pseudo-random order (by a hash of the text, so the
//! file's order does not matter), then split once: every fifth row is **untouched** — never a
//! query while the engine is tuned, reported on its own — and the rest is the **tuning pool**.
//! An article for an intent is written from `k` of its pool's phrasings (k = 5, 10, 25, the
//! number of ways customers put one need that a knowledge-base author collects); the rest of the
//! pool are the tuning queries. Several rotations pick different phrasings for the articles.

use std::collections::BTreeMap;
use std::path::Path;

use crate::Result;

/// An article: `label` is what relevance judges by. With `questions`, the phrasings are the
/// article's alternate questions and its body is empty; without, they are its body.
pub struct Doc {
    pub label: String,
    pub title: String,
    pub body: String,
    pub questions: Vec<String>,
}

pub struct Query {
    pub text: String,
    pub label: String,
}

/// Every `UNTOUCHED`-th row of an intent (in its fixed order) is kept out of tuning.
const UNTOUCHED: usize = 5;

fn rows(dir: &Path) -> Result<Vec<(String, String)>> {
    let mut reader = csv::Reader::from_path(dir.join("train.csv"))?;
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record?;
        rows.push((record.get(0).unwrap_or("").to_owned(), record.get(1).unwrap_or("").to_owned()));
    }
    Ok(rows)
}

/// FNV-1a: a fixed order that does not depend on the file's.
fn hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// Each intent's phrasings: the tuning pool and the untouched rows.
pub struct Phrasings {
    pool: BTreeMap<String, Vec<String>>,
    untouched: BTreeMap<String, Vec<String>>,
}

/// One evaluation: the articles, the tuning queries and the untouched queries.
pub struct Round {
    pub docs: Vec<Doc>,
    pub tuning: Vec<Query>,
    pub untouched: Vec<Query>,
}

impl Phrasings {
    pub fn load(dir: &Path) -> Result<Phrasings> {
        let mut by_intent: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (text, label) in rows(dir)? {
            by_intent.entry(label).or_default().push(text);
        }
        let (mut pool, mut untouched) = (BTreeMap::new(), BTreeMap::new());
        for (label, mut texts) in by_intent {
            texts.sort_by_key(|t| (hash(t), t.clone()));
            let (kept, tuning): (Vec<_>, Vec<_>) =
                texts.into_iter().enumerate().partition(|(i, _)| i % UNTOUCHED == UNTOUCHED - 1);
            pool.insert(label.clone(), tuning.into_iter().map(|(_, t)| t).collect());
            untouched.insert(label, kept.into_iter().map(|(_, t)| t).collect());
        }
        Ok(Phrasings { pool, untouched })
    }

    /// Articles written from `k` phrasings of each intent (rotation `r` picks which), as body
    /// text or as `questions`; the pool's other rows as tuning queries.
    pub fn round(&self, k: usize, r: usize, as_questions: bool) -> Round {
        let mut docs = Vec::new();
        let mut tuning = Vec::new();
        let mut untouched = Vec::new();
        for (label, texts) in &self.pool {
            let start = (r * k) % texts.len().max(1);
            let chosen: Vec<usize> = (0..k.min(texts.len())).map(|j| (start + j) % texts.len()).collect();
            let phrasings: Vec<String> = chosen.iter().map(|&i| texts[i].clone()).collect();
            let title = label.replace('_', " ");
            docs.push(if as_questions {
                Doc { label: label.clone(), title, body: String::new(), questions: phrasings }
            } else {
                Doc { label: label.clone(), title, body: phrasings.join("\n"), questions: Vec::new() }
            });
            let rest = texts.iter().enumerate().filter(|(i, _)| !chosen.contains(i));
            tuning.extend(rest.map(|(_, text)| Query { text: text.clone(), label: label.clone() }));
            let kept = self.untouched.get(label).into_iter().flatten();
            untouched.extend(kept.map(|text| Query { text: text.clone(), label: label.clone() }));
        }
        Round { docs, tuning, untouched }
    }
}

/// `n` articles made of BANKING77 rows (a title row, a body of six rows and two alternate
/// questions, picked by a fixed pseudo-random sequence) and 1,000 other rows as queries.
pub fn latency_corpus(dir: &Path, n: usize) -> Result<(Vec<Doc>, Vec<Query>)> {
    let rows = rows(dir)?;
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) as usize % rows.len()
    };
    let docs = (0..n)
        .map(|i| {
            let title = rows[next()].0.clone();
            let body: Vec<&str> = (0..6).map(|_| rows[next()].0.as_str()).collect();
            let questions = (0..2).map(|_| rows[next()].0.clone()).collect();
            Doc { label: i.to_string(), title, body: body.join(" "), questions }
        })
        .collect();
    let queries = rows
        .iter()
        .step_by(10)
        .take(1000)
        .map(|(text, label)| Query { text: text.clone(), label: label.clone() })
        .collect();
    Ok((docs, queries))
}
