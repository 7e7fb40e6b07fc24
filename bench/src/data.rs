//! BANKING77 as articles and queries.

use std::collections::BTreeMap;
use std::path::Path;

use crate::Result;

/// An article: `label` is what relevance judges by.
pub struct Doc {
    pub label: String,
    pub title: String,
    pub body: String,
}

pub struct Query {
    pub text: String,
    pub label: String,
}

const FOLDS: usize = 5;

fn rows(dir: &Path) -> Result<Vec<(String, String)>> {
    let mut reader = csv::Reader::from_path(dir.join("train.csv"))?;
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record?;
        rows.push((record.get(0).unwrap_or("").to_owned(), record.get(1).unwrap_or("").to_owned()));
    }
    Ok(rows)
}

/// Per fold: one article per intent (title: the intent in words, body: that fold's rows of the
/// intent) and every other row as a query.
pub fn relevance_folds(dir: &Path) -> Result<Vec<(Vec<Doc>, Vec<Query>)>> {
    let mut by_intent: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (text, label) in rows(dir)? {
        by_intent.entry(label).or_default().push(text);
    }
    Ok((0..FOLDS)
        .map(|fold| {
            let mut docs = Vec::new();
            let mut queries = Vec::new();
            for (label, texts) in &by_intent {
                let (mut held, mut rest) = (Vec::new(), Vec::new());
                for (i, t) in texts.iter().enumerate() {
                    if i % FOLDS == fold {
                        held.push(t.clone())
                    } else {
                        rest.push(t.clone())
                    }
                }
                docs.push(Doc { label: label.clone(), title: label.replace('_', " "), body: held.join("\n") });
                queries.extend(rest.into_iter().map(|text| Query { text, label: label.clone() }));
            }
            (docs, queries)
        })
        .collect())
}

/// `n` articles made of BANKING77 rows (a title row and a body of six rows, picked by a fixed
/// pseudo-random sequence) and 1,000 other rows as queries.
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
            Doc { label: i.to_string(), title, body: body.join(" ") }
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
