//! Short names for what a browser app's first module imports from wasm-bindgen's glue (and for
//! the exports through which the glue calls Rust closures).
//!
//! wasm-bindgen names each function its glue gives the wasm `__wbg_<what>_<16 hex digits>` (the
//! digits keep the names of different crates apart): 161 of them in the widget, each written
//! twice, in the wasm's import section and as a key of the glue's imports object, and the digits
//! do not compress. Renamed `a` … `Z`, `aa`, … in both, the widget's first screen is 5.4 KB gzip
//! lighter (`cargo xtask build widget`; the closure exports 0.3 KB more), and the glue module's
//! own name too (`GLUE_MODULE`). wasm-bindgen has no option for it and wasm-opt's
//! `--minify-imports` renames only Emscripten's (`env`), so it is done here, with the parser and
//! encoder the splitter already builds on.

use std::fs;
use std::path::Path;

use wasm_encoder::reencode::{Reencode, RoundtripReencoder};
use wasm_encoder::{ExportSection, ImportSection, Module, RawSection};
use wasmparser::{Parser, Payload};

use crate::Result;

/// What the first module calls the glue it imports from, in place of `./<package>_bg.js`: the
/// name is written once per import (147 in the widget), and the short one saves 175 bytes gzip.
const GLUE_MODULE: &str = "g";

/// The `n`th short name: `a` … `z`, `A` … `Z`, then two letters, and so on.
fn short_name(mut n: usize) -> String {
    const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut name = Vec::new();
    loop {
        name.push(char::from(LETTERS[n % LETTERS.len()]));
        n /= LETTERS.len();
        if n == 0 {
            break;
        }
        n -= 1;
    }
    name.iter().rev().collect()
}

/// The glue script as it is being rewritten, and the next short name.
struct Glue {
    script: String,
    next: usize,
}

impl Glue {
    /// A short name for `name`, written in the glue where `written(name)` is, which must be there
    /// exactly once (else the glue is not what this was written for, and nothing is changed).
    /// The short names cannot meet wasm-bindgen's own: those are all longer than two letters.
    fn rename(&mut self, name: &str, written: impl Fn(&str) -> String) -> Result<String> {
        let (old, short) = (written(name), short_name(self.next));
        if self.script.matches(&old).count() != 1 {
            return Err(format!("wasm-bindgen's glue does not have `{old}` once").into());
        }
        self.next += 1;
        self.script = self.script.replacen(&old, &written(&short), 1);
        Ok(short)
    }
}

/// Renames, in `wasm` and in its glue script `glue`: the imports from the glue module `from`
/// (`./<package>_bg.js`, keys of the glue's imports object, each name there once), and the
/// exports that call a Rust closure from JS (`wasm_bindgen_<hash>___convert__closures_…`, up to
/// 300 characters, each called once as `wasm.<name>(`). Everything else in both files stays byte
/// for byte; on any surprise neither file is written.
pub fn shorten(wasm: &Path, glue: &Path, from: &str) -> Result {
    let bytes = fs::read(wasm)?;
    let script = fs::read_to_string(glue)?;
    let mut glue_text = Glue { script, next: 0 };
    let mut module = Module::new();
    for payload in Parser::new(0).parse_all(&bytes) {
        match payload? {
            Payload::ImportSection(reader) => {
                let mut section = ImportSection::new();
                for import in reader.into_imports() {
                    let import = import?;
                    let ty = RoundtripReencoder.entity_type(import.ty)?;
                    if import.module != from {
                        section.import(import.module, import.name, ty);
                        continue;
                    }
                    // A key of the imports object, and nowhere else in the glue.
                    if glue_text.script.matches(import.name).count() != 1 {
                        return Err(
                            format!("wasm-bindgen's glue names the import {} more than once", import.name).into()
                        );
                    }
                    let short = glue_text.rename(import.name, |n| format!("{n}:"))?;
                    section.import(GLUE_MODULE, &short, ty);
                }
                module.section(&section);
            }
            Payload::ExportSection(reader) => {
                let mut section = ExportSection::new();
                for export in reader {
                    let export = export?;
                    let kind = RoundtripReencoder.export_kind(export.kind)?;
                    if export.name.starts_with("wasm_bindgen_") && export.name.contains("_convert__closures_") {
                        let short = glue_text.rename(export.name, |n| format!("wasm.{n}("))?;
                        section.export(&short, kind, export.index);
                    } else {
                        section.export(export.name, kind, export.index);
                    }
                }
                module.section(&section);
            }
            other => {
                if let Some((id, range)) = other.as_section() {
                    let data = usize::try_from(range.start)?..usize::try_from(range.end)?;
                    module.section(&RawSection { id, data: &bytes[data] });
                }
            }
        }
    }
    // The module's name, written once as the imports object's key, and in the wasm per import.
    let key = format!("\"{from}\"");
    if glue_text.script.matches(&key).count() != 1 {
        return Err(format!("wasm-bindgen's glue does not have {key} once").into());
    }
    let script = glue_text.script.replacen(&key, &format!("\"{GLUE_MODULE}\""), 1);
    fs::write(wasm, module.finish())?;
    fs::write(glue, script)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::short_name;

    #[test]
    fn short_names_are_distinct_and_grow_a_letter_at_a_time() {
        let names: Vec<String> = (0..3000).map(short_name).collect();
        assert_eq!((names[0].as_str(), names[25].as_str(), names[51].as_str()), ("a", "z", "Z"));
        assert_eq!((names[52].as_str(), names[53].as_str()), ("aa", "ab"));
        let mut unique = names.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), names.len());
    }
}
