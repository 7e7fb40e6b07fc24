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
//! descriptor.

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
