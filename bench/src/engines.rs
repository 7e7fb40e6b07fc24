//! The engines under comparison, behind one trait.

use rusqlite::Connection;
use tabdesk_core::domain::Locale;
use tabdesk_core::kb::{Article, Index};

use crate::data::Doc;

pub trait Engine {
    /// Labels of the best `limit` articles.
    fn search(&self, query: &str, limit: usize) -> Vec<String>;
    /// Bytes of the index as stored.
    fn size(&self) -> usize;
    /// Memory outside our allocator (SQLite's), if any.
    fn memory(&self) -> usize {
        0
    }
    /// Time to load the stored index, if the engine has one apart from its database.
    fn load_ms(&self) -> Option<f64> {
        None
    }
}

pub struct Ours {
    index: Index,
    size: usize,
    load_ms: f64,
}

impl Ours {
    pub fn build(docs: &[Doc]) -> Ours {
        let articles: Vec<Article> = docs
            .iter()
            .map(|d| Article {
                id: d.label.clone(),
                locale: Locale::En,
                title: d.title.clone(),
                tags: Vec::new(),
                body: d.body.clone(),
                questions: d.questions.clone(),
                category: None,
                url: String::new(),
            })
            .collect();
        let bytes = Index::build(&articles).to_bytes();
        let started = std::time::Instant::now();
        let index = Index::from_bytes(&bytes).unwrap_or_else(|e| panic!("our own index does not load: {e}"));
        let load_ms = started.elapsed().as_secs_f64() * 1000.0;
        Ours { index, size: bytes.len(), load_ms }
    }
}

impl Engine for Ours {
    fn search(&self, query: &str, limit: usize) -> Vec<String> {
        self.index.search(query, None, limit).0.into_iter().map(|h| h.id).collect()
    }

    fn size(&self) -> usize {
        self.size
    }

    fn load_ms(&self) -> Option<f64> {
        Some(self.load_ms)
    }
}

pub struct Fts5 {
    db: Connection,
    labels: Vec<String>,
}

impl Fts5 {
    pub fn build(docs: &[Doc], tokenizer: &str) -> rusqlite::Result<Fts5> {
        let db = Connection::open_in_memory()?;
        db.execute_batch(&format!("CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize = '{tokenizer}');"))?;
        db.execute_batch("BEGIN")?;
        {
            let mut insert = db.prepare("INSERT INTO docs (rowid, title, body) VALUES (?1, ?2, ?3)")?;
            for (i, d) in docs.iter().enumerate() {
                // FTS5 has no alternate questions: they are more body text to it.
                let body = d.questions.iter().fold(d.body.clone(), |body, q| format!("{body}\n{q}"));
                insert.execute((i as i64, &d.title, &body))?;
            }
        }
        db.execute_batch("COMMIT")?;
        Ok(Fts5 { db, labels: docs.iter().map(|d| d.label.clone()).collect() })
    }
}

impl Engine for Fts5 {
    fn search(&self, query: &str, limit: usize) -> Vec<String> {
        // Any of the words, the last one as a prefix (as typed), ranked by BM25 with the title
        // weighted as in our engine.
        let mut words: Vec<String> = query
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| format!("\"{}\"", w.to_lowercase()))
            .collect();
        if let Some(last) = words.last_mut() {
            last.push('*');
        }
        if words.is_empty() {
            return Vec::new();
        }
        let Ok(mut stmt) =
            self.db.prepare_cached("SELECT rowid FROM docs WHERE docs MATCH ?1 ORDER BY bm25(docs, 3.0, 1.0) LIMIT ?2")
        else {
            return Vec::new();
        };
        let rows = stmt.query_map((words.join(" OR "), limit as i64), |r| r.get::<_, i64>(0));
        rows.map(|rows| rows.filter_map(|r| r.ok()).filter_map(|i| self.labels.get(i as usize).cloned()).collect())
            .unwrap_or_default()
    }

    fn size(&self) -> usize {
        let pages: i64 = self.db.query_row("PRAGMA page_count", [], |r| r.get(0)).unwrap_or(0);
        let page: i64 = self.db.query_row("PRAGMA page_size", [], |r| r.get(0)).unwrap_or(0);
        (pages * page) as usize
    }

    fn memory(&self) -> usize {
        // SQLite allocates through its own allocator, which ours does not see.
        usize::try_from(unsafe { rusqlite::ffi::sqlite3_memory_used() }).unwrap_or(0)
    }
}
