//! The exports of the browser apps that nothing calls, taken out before the wasm is split, so
//! that the splitter (which keeps only what the exports, the imports and the split points reach)
//! leaves out the code behind them.
//!
//! Leptos always brings `server_fn` with its `browser` feature, and with it `wasm-streams`, whose
//! three `#[wasm_bindgen]` classes (`IntoUnderlyingSource`, `IntoUnderlyingByteSource`,
//! `IntoUnderlyingSink`: Rust streams handed to JS as `ReadableStream`s and `WritableStream`s)
//! are exported from every app that links it, used or not. Neither app makes a server function
//! or a stream, yet their methods and the futures behind them were about 10 KB of the widget's
//! first module. No feature turns them off, so their exports (and the descriptors wasm-bindgen
//! would read to write their glue) are dropped here; wasm-bindgen then skips what has no
//! descriptor, but still writes each class's empty shell into the glue: those go too
//! (`drop_unused_classes`, 0.2 KB gzip of the first screen).

use std::fs;
use std::path::Path;

use wasm_encoder::reencode::{Reencode, RoundtripReencoder};
use wasm_encoder::{ExportSection, Module, RawSection};
use wasmparser::{Parser, Payload};

use crate::Result;

/// What `wasm-streams` exports, by the start of its names: the classes' methods, their `free`,
/// and their descriptors.
const UNUSED: [&str; 3] = ["intounderlying", "__wbg_intounderlying", "__wbindgen_describe_intounderlying"];

/// `wasm` without the exports `UNUSED` names, every other section byte for byte. Fails if there
/// are none: then the dependency changed, and this step should go.
pub fn drop_unused_exports(wasm: &[u8]) -> Result<Vec<u8>> {
    let mut module = Module::new();
    let mut dropped = 0;
    for payload in Parser::new(0).parse_all(wasm) {
        match payload? {
            Payload::ExportSection(reader) => {
                let mut section = ExportSection::new();
                for export in reader {
                    let export = export?;
                    if UNUSED.iter().any(|prefix| export.name.starts_with(prefix)) {
                        dropped += 1;
                        continue;
                    }
                    section.export(export.name, RoundtripReencoder.export_kind(export.kind)?, export.index);
                }
                module.section(&section);
            }
            other => {
                if let Some((id, range)) = other.as_section() {
                    let data = usize::try_from(range.start)?..usize::try_from(range.end)?;
                    module.section(&RawSection { id, data: &wasm[data] });
                }
            }
        }
    }
    if dropped == 0 {
        return Err("no wasm-streams exports to drop: take `unused` out of the build".into());
    }
    Ok(module.finish())
}

/// The classes whose shells wasm-bindgen writes into the glue though their exports are gone.
const CLASSES: [&str; 3] = ["IntoUnderlyingByteSource", "IntoUnderlyingSink", "IntoUnderlyingSource"];

/// The text of `script` from `start` to the end of the first `end` after it, cut out; an error
/// unless `start` is there exactly once.
fn cut(script: &str, start: &str, end: &str) -> Result<String> {
    if script.matches(start).count() != 1 {
        return Err(format!("wasm-bindgen's glue does not have `{start}` once").into());
    }
    let from = script.find(start).ok_or("unreachable: counted once")?;
    let to =
        script[from..].find(end).ok_or_else(|| format!("no `{end}` after `{start}` in the glue"))? + from + end.len();
    Ok(format!("{}{}", &script[..from], &script[to..]))
}

/// Takes out of wasm-bindgen's (unminified) glue `glue` each of `CLASSES`: the class with its
/// `Symbol.dispose` line, and its `FinalizationRegistry`. Nothing else refers to them: the
/// app's code has no way to make one.
pub fn drop_unused_classes(glue: &Path) -> Result {
    let mut script = fs::read_to_string(glue)?;
    for class in CLASSES {
        let disposed = format!("if (Symbol.dispose) {class}.prototype[Symbol.dispose] = {class}.prototype.free;\n");
        script = cut(&script, &format!("export class {class} {{"), &disposed)?;
        script = cut(&script, &format!("const {class}Finalization = "), "_free(ptr, 1));\n")?;
        if script.contains(class) {
            return Err(format!("wasm-bindgen's glue still refers to {class}").into());
        }
    }
    fs::write(glue, script)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::cut;

    #[test]
    fn cut_takes_out_one_span_and_refuses_an_ambiguous_start() {
        let script = "a\nclass X {\n}\nend;\nb\n";
        assert_eq!(cut(script, "class X {", "end;\n").ok().as_deref(), Some("a\nb\n"));
        assert!(cut("class X {} class X {}", "class X {", "}").is_err(), "two starts");
        assert!(cut(script, "class Y {", "end;\n").is_err(), "no start");
        assert!(cut(script, "class X {", "never").is_err(), "no end");
    }
}
