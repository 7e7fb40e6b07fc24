//! Panics in the browser apps as a trap at once, taken out before the wasm is split.
//!
//! A browser app built with `panic = "abort"` still formats every panic's message and hands it
//! to the standard library's hook, which on `wasm32-unknown-unknown` writes it to a standard
//! error that goes nowhere (the apps set no hook of their own), and then traps. The formatting
//! is code nonetheless: `<char as Debug>::fmt` with its tables for a bad string slice, the
//! range and index texts, the payloads, the hook. The compiler's own way to drop it
//! (`panic_immediate_abort`) needs the standard library rebuilt from its sources, which this
//! machine has not got (no `rust-src`, nothing to fetch it from). So the entry points every
//! panic goes through, all of them functions that never return (`-> !`), get a body that traps
//! at once: the same end, the same (absent) message. The splitter, which keeps what the exports
//! and the split points reach through the linker's relocations, then leaves out what only a
//! panic's message used.
//!
//! Each body keeps its size (a trap, `nop`s, the closing `end`), so that no other function
//! moves and the relocations of the rest stay right; those inside the emptied bodies are
//! dropped from `reloc.CODE`.

use std::ops::Range;

use wasm_encoder::{CustomSection, Encode, Module, RawSection};
use wasmparser::{KnownCustom, Name, Parser, Payload};

use crate::Result;

/// The functions every panic goes through, by their path (an instance of a generic one matches
/// too): those that format the message, those that hand it on, the hook's caller.
const ENTRY_POINTS: [&str; 17] = [
    "core::panicking::panic_fmt",
    "core::panicking::panic",
    "core::panicking::panic_bounds_check",
    "core::panicking::assert_failed_inner",
    "core::panicking::panic_const",
    "core::str::slice_error_fail",
    "core::str::slice_error_fail_rt",
    "core::slice::index::slice_index_fail",
    "core::option::unwrap_failed",
    "core::option::expect_failed",
    "core::result::unwrap_failed",
    "alloc::raw_vec::handle_error",
    "alloc::raw_vec::capacity_overflow",
    "alloc::alloc::handle_alloc_error",
    "std::panicking::begin_panic",
    "std::panicking::panic_handler",
    "std::panicking::panic_with_hook",
];

/// Whether the function named `symbol` (mangled) is one of `ENTRY_POINTS`, or in one of them
/// that is a module (`panic_const`), or an instance of a generic one.
fn is_entry_point(symbol: &str) -> bool {
    let path = format!("{:#}", rustc_demangle::demangle(symbol));
    ENTRY_POINTS.iter().any(|entry| {
        path.strip_prefix(entry)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with("::<") || rest.starts_with("::panic_const_"))
    })
}

/// `wasm` with the bodies of the panic entry points emptied (see the module's note). Fails if
/// it finds none of them: then the standard library changed, and the list should follow.
pub fn trap_panics(wasm: &[u8]) -> Result<Vec<u8>> {
    let entry_points = entry_point_indices(wasm)?;
    let mut imported = 0u32;
    let mut code_start = 0usize;
    let mut defined = 0u32;
    let mut emptied: Vec<Range<usize>> = Vec::new();
    let mut out = wasm.to_vec();
    for payload in Parser::new(0).parse_all(wasm) {
        match payload? {
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    if matches!(import?.ty, wasmparser::TypeRef::Func(_) | wasmparser::TypeRef::FuncExact(_)) {
                        imported += 1;
                    }
                }
            }
            Payload::CodeSectionStart { range, .. } => code_start = usize::try_from(range.start)?,
            Payload::CodeSectionEntry(body) => {
                let index = imported + defined;
                defined += 1;
                if !entry_points.contains(&index) {
                    continue;
                }
                let start = usize::try_from(body.get_operators_reader()?.original_position())?;
                let end = usize::try_from(body.range().end)?;
                if end < start + 2 {
                    return Err(format!("function {index} has no body to empty").into());
                }
                // A trap, `nop`s where the code was, and the body's closing `end`.
                out[start] = 0x00;
                out[start + 1..end - 1].fill(0x01);
                emptied.push(start..end);
            }
            _ => {}
        }
    }
    if emptied.is_empty() {
        return Err("no panic entry points found to empty: check `abort::ENTRY_POINTS`".into());
    }
    without_relocations_in(&out, code_start, &emptied)
}

/// The indices of the functions the name section names as panic entry points.
fn entry_point_indices(wasm: &[u8]) -> Result<Vec<u32>> {
    let mut indices = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        let Payload::CustomSection(section) = payload? else { continue };
        let KnownCustom::Name(names) = section.as_known() else { continue };
        for name in names {
            let Name::Function(map) = name? else { continue };
            for naming in map {
                let naming = naming?;
                if is_entry_point(naming.name) {
                    indices.push(naming.index);
                }
            }
        }
    }
    Ok(indices)
}

/// `wasm` with the code relocations that fall inside `emptied` (file offsets) taken out of
/// `reloc.CODE` (whose offsets count from `code_start`); every other section byte for byte.
fn without_relocations_in(wasm: &[u8], code_start: usize, emptied: &[Range<usize>]) -> Result<Vec<u8>> {
    let inside = |offset: u32| {
        let at = code_start + offset as usize;
        emptied.iter().any(|range| range.contains(&at))
    };
    let mut module = Module::new();
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload?;
        if let Payload::CustomSection(section) = &payload {
            if let KnownCustom::Reloc(reader) = section.as_known() {
                if section.name() == "reloc.CODE" {
                    let mut entries = Vec::new();
                    let mut count = 0u32;
                    for entry in reader.entries() {
                        let entry = entry?;
                        if inside(entry.offset) {
                            continue;
                        }
                        count += 1;
                        entries.push(entry.ty as u8);
                        entry.offset.encode(&mut entries);
                        entry.index.encode(&mut entries);
                        match entry.ty.addend_kind() {
                            wasmparser::RelocAddendKind::None => {}
                            wasmparser::RelocAddendKind::Addend32 => i32::try_from(entry.addend)?.encode(&mut entries),
                            wasmparser::RelocAddendKind::Addend64 => entry.addend.encode(&mut entries),
                        }
                    }
                    let mut data = Vec::new();
                    reader.section_index().encode(&mut data);
                    count.encode(&mut data);
                    data.extend(entries);
                    module.section(&CustomSection { name: "reloc.CODE".into(), data: data.into() });
                    continue;
                }
            }
        }
        if let Some((id, range)) = payload.as_section() {
            let data = usize::try_from(range.start)?..usize::try_from(range.end)?;
            module.section(&RawSection { id, data: &wasm[data] });
        }
    }
    Ok(module.finish())
}

#[cfg(test)]
mod tests {
    use wasm_encoder::{
        CodeSection, CustomSection, Encode, Function, FunctionSection, Instruction, Module, NameMap, NameSection,
        TypeSection,
    };
    use wasmparser::{KnownCustom, Parser, Payload};

    use super::{is_entry_point, trap_panics};

    const PANIC_FMT: &str = "_RNvNtCsgXGp5Oqx2Ny_4core9panicking9panic_fmt";

    /// Two functions that each call the other, the first named `panic_fmt`, with a relocation for
    /// each call; and where each call's index is, from the code section's start.
    fn linked_module() -> (Vec<u8>, [u32; 2]) {
        let mut types = TypeSection::new();
        types.ty().function([], []);
        let mut functions = FunctionSection::new();
        let mut code = CodeSection::new();
        for other in [1, 0] {
            functions.function(0);
            let mut body = Function::new([]);
            body.instruction(&Instruction::Nop).instruction(&Instruction::Call(other)).instruction(&Instruction::End);
            code.function(&body);
        }
        // Each body: its size, no locals, `nop`, `call`, the index, `end`; the section starts
        // with the count of bodies.
        let calls = [1 + 1 + 1 + 1 + 1, 1 + 6 + 1 + 1 + 1 + 1];
        let mut names = NameMap::new();
        names.append(0, PANIC_FMT);
        names.append(1, "_RNvCs1234_5other4main");
        let mut name_section = NameSection::new();
        name_section.functions(&names);
        let mut relocations = Vec::new();
        2u32.encode(&mut relocations); // the code section's index
        2u32.encode(&mut relocations);
        for (symbol, at) in calls.iter().enumerate() {
            relocations.push(0); // R_WASM_FUNCTION_INDEX_LEB
            at.encode(&mut relocations);
            u32::try_from(symbol).unwrap_or_default().encode(&mut relocations);
        }
        let mut module = Module::new();
        module.section(&types).section(&functions).section(&code);
        module.section(&CustomSection { name: "reloc.CODE".into(), data: relocations.into() });
        module.section(&name_section);
        (module.finish(), calls)
    }

    /// The bodies' bytes after their size, and the offsets `reloc.CODE` names.
    fn bodies_and_relocations(wasm: &[u8]) -> (Vec<Vec<u8>>, Vec<u32>) {
        let (mut bodies, mut offsets) = (Vec::new(), Vec::new());
        for payload in Parser::new(0).parse_all(wasm) {
            match payload.expect("the module parses") {
                Payload::CodeSectionEntry(body) => {
                    let range = body.range();
                    bodies.push(wasm[range.start as usize..range.end as usize].to_vec());
                }
                Payload::CustomSection(section) => {
                    if let KnownCustom::Reloc(reader) = section.as_known() {
                        offsets.extend(reader.entries().into_iter().map(|e| e.expect("an entry").offset));
                    }
                }
                _ => {}
            }
        }
        (bodies, offsets)
    }

    #[test]
    fn an_entry_points_body_becomes_a_trap_of_its_size_and_its_relocations_go() {
        let (wasm, calls) = linked_module();
        let (before, _) = bodies_and_relocations(&wasm);
        let (after, offsets) = bodies_and_relocations(&trap_panics(&wasm).expect("it finds panic_fmt"));
        // No locals, a trap, `nop`s where the call was, `end`.
        assert_eq!(after[0], [0, 0x00, 0x01, 0x01, 0x0b]);
        assert_eq!(after[0].len(), before[0].len());
        assert_eq!(after[1], before[1], "the other function is untouched");
        assert_eq!(offsets, [calls[1]], "only the other function's relocation stays");
    }

    #[test]
    fn a_module_without_entry_points_is_refused() {
        let mut module = Module::new();
        module.section(&TypeSection::new());
        assert!(trap_panics(&module.finish()).is_err());
    }

    #[test]
    fn entry_points_are_matched_by_path_and_nothing_else() {
        assert!(is_entry_point("_RNvNtCsgXGp5Oqx2Ny_4core9panicking9panic_fmt"));
        assert!(is_entry_point("_RNvNtNtCsgXGp5Oqx2Ny_4core5slice5index16slice_index_fail"));
        assert!(is_entry_point("_RINvNtCsebHcaeoSrxy_3std9panicking11begin_panicReEB4_"));
        assert!(is_entry_point("_RNvNtNtCsgXGp5Oqx2Ny_4core9panicking11panic_const28panic_const_async_fn_resumed"));
        // Called on every unlock of a lock: it returns, and must be kept.
        assert!(!is_entry_point("_RNvNtNtCsebHcaeoSrxy_3std9panicking11panic_count8increase"));
        // A closure of an entry point is left to the splitter, which drops it once unreached.
        assert!(!is_entry_point("_RNCNvNtCsebHcaeoSrxy_3std9panicking13panic_handler0B5_"));
        assert!(!is_entry_point("_RNvNtCsgXGp5Oqx2Ny_4core9panicking19assert_failed_inner_x"));
    }
}
