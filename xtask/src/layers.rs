//! `cargo xtask layers`: the module graph of each crate (which top-level module uses which,
//! read from `crate::` paths in the source), printed in layers from the bottom up, and an error
//! naming the modules of any cycle. `cargo xtask test` runs it: layers without cycles are a rule
//! of ARCHITECTURE.md, not a hope.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use crate::{root, Result};

/// The crates whose modules must form layers.
const CRATES: [&str; 4] = ["core", "worker", "widget", "console"];
/// The crate root's own items (`crate::start` and the like), as a node of the graph.
const ROOT: &str = "(root)";

/// Module → the modules it uses.
type Graph = BTreeMap<String, BTreeSet<String>>;

/// The top-level module a source file belongs to: `kb/query.rs` → `kb`, `lib.rs` → the root.
fn module_of(relative: &Path) -> String {
    let first = relative.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned()).unwrap_or_default();
    match first.strip_suffix(".rs") {
        Some("lib" | "main") => ROOT.to_owned(),
        Some(name) => name.to_owned(),
        None => first,
    }
}

/// The first identifiers after each `crate::` in code: `crate::a::b` gives `a`,
/// `crate::{a, b::c}` gives `a` and `b`. A macro's `$crate::…` is left out: it names the
/// crate for the macro's callers (an exported macro lives at the root whichever module defines
/// it), not a dependency of the module it is written in.
fn crate_paths(line: &str) -> Vec<String> {
    let ident = |s: &str| s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<String>();
    let mut found = Vec::new();
    for (at, _) in line.match_indices("crate::") {
        if line[..at].ends_with('$') {
            continue;
        }
        let rest = &line[at + "crate::".len()..];
        match rest.strip_prefix('{') {
            Some(group) => {
                let mut depth = 0;
                let mut item_start = true;
                for (i, c) in group.char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => break,
                        '}' => depth -= 1,
                        ',' if depth == 0 => item_start = true,
                        c if item_start && !c.is_whitespace() => {
                            found.push(ident(&group[i..]));
                            item_start = false;
                        }
                        _ => {}
                    }
                }
            }
            None => found.push(ident(rest)),
        }
    }
    found.retain(|f| !f.is_empty());
    found
}

fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> Result {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            sources(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

/// The module graph of the crate whose sources are in `src`.
pub fn graph(src: &Path) -> Result<Graph> {
    let mut files = Vec::new();
    sources(src, &mut files)?;
    let modules: BTreeSet<String> = files.iter().map(|f| module_of(f.strip_prefix(src).unwrap_or(f))).collect();
    let mut graph = Graph::new();
    for file in &files {
        let from = module_of(file.strip_prefix(src).unwrap_or(file));
        let edges = graph.entry(from.clone()).or_default();
        // The code as one text: a `use crate::{…}` group may span lines.
        let text = fs::read_to_string(file)?;
        let code: Vec<&str> = text.lines().filter(|l| !l.trim_start().starts_with("//")).collect();
        for used in crate_paths(&code.join("\n")) {
            let to = if modules.contains(&used) { used } else { ROOT.to_owned() };
            if to != from {
                edges.insert(to);
            }
        }
    }
    // The root declares every module (`mod x;`) and starts the crate: it sits on top.
    let below_root: BTreeSet<String> = modules.iter().filter(|m| *m != ROOT).cloned().collect();
    graph.entry(ROOT.to_owned()).or_default().extend(below_root);
    Ok(graph)
}

/// The modules in layers: each uses only modules of the layers before it. `Err` names the
/// modules that are left, which use each other in a cycle.
pub fn layers(graph: &Graph) -> std::result::Result<Vec<Vec<String>>, Vec<String>> {
    let mut placed = BTreeSet::new();
    let mut layers = Vec::new();
    while placed.len() < graph.len() {
        let layer: Vec<String> = graph
            .iter()
            .filter(|(m, uses)| {
                !placed.contains(*m) && uses.iter().all(|u| placed.contains(u) || !graph.contains_key(u))
            })
            .map(|(m, _)| m.clone())
            .collect();
        if layer.is_empty() {
            return Err(graph.keys().filter(|m| !placed.contains(*m)).cloned().collect());
        }
        placed.extend(layer.iter().cloned());
        layers.push(layer);
    }
    Ok(layers)
}

/// One cycle among `left` (modules that could not be layered), as `a → b → a`.
fn a_cycle(graph: &Graph, left: &[String]) -> String {
    let mut path = vec![left[0].clone()];
    loop {
        let last = &path[path.len() - 1];
        let next = graph[last].iter().find(|u| left.contains(u)).cloned().unwrap_or_default();
        if let Some(start) = path.iter().position(|m| *m == next) {
            path.push(next);
            return path[start..].join(" → ");
        }
        path.push(next);
    }
}

/// Checks every crate; prints its layers.
pub fn check() -> Result {
    let mut cycles = Vec::new();
    for krate in CRATES {
        let graph = graph(&root().join(krate).join("src"))?;
        match layers(&graph) {
            Ok(layers) => {
                let shown: Vec<String> = layers.iter().map(|l| l.join(" ")).collect();
                println!("    {krate}: {}", shown.join("  <  "));
            }
            Err(left) => cycles.push(format!("{krate}: {}", a_cycle(&graph, &left))),
        }
    }
    if cycles.is_empty() {
        Ok(())
    } else {
        Err(format!("module cycles: {}", cycles.join("; ")).into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_crate_paths() {
        assert_eq!(crate_paths("use crate::kb::{Index, query};"), ["kb"]);
        assert_eq!(crate_paths("use crate::{embed, http::{json, ApiError}, kb};"), ["embed", "http", "kb"]);
        assert_eq!(crate_paths("let x = crate::platform::now_ms() + crate::ROOT;"), ["platform", "ROOT"]);
        assert_eq!(crate_paths("use crate::{\n    agents, channels,\n    kb,\n};"), ["agents", "channels", "kb"]);
        assert!(crate_paths("impl $crate::json::FromJson for $ty { $crate::json_object!(@name x) }").is_empty());
        assert!(crate_paths("let s = \"no paths here\";").is_empty());
    }

    #[test]
    fn finds_layers_and_cycles() {
        let edges = |pairs: &[(&str, &[&str])]| -> Graph {
            pairs.iter().map(|(m, uses)| (m.to_string(), uses.iter().map(|u| u.to_string()).collect())).collect()
        };
        let ok = edges(&[("domain", &[]), ("config", &["domain"]), ("wire", &["config", "domain"])]);
        assert_eq!(layers(&ok).unwrap(), [vec!["domain"], vec!["config"], vec!["wire"]]);
        let cyclic = edges(&[("domain", &[]), ("config", &["wire"]), ("wire", &["config"])]);
        let left = layers(&cyclic).unwrap_err();
        assert_eq!(left, ["config", "wire"]);
        assert_eq!(a_cycle(&cyclic, &left), "config → wire → config");
    }
}
