//! The files of the widget and the console as the worker serves them: the modules fetched on
//! demand are named by their content and cached for a year; the files whose names never change
//! are cached for minutes, so a deploy reaches every visitor soon.

use std::fs;
use std::path::Path;

use tabdesk_tests::Api;

const YEAR: &str = "public, max-age=31536000, immutable";
const MINUTES: &str = "public, max-age=300";

#[test]
fn modules_fetched_on_demand_are_named_by_content_and_cached_for_a_year() {
    let api = Api::from_env();
    let site = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/site");
    for (app, screen) in [("widget", "split_rest."), ("console", "split_settings.")] {
        let files: Vec<String> = fs::read_dir(site.join(app))
            .unwrap_or_else(|e| panic!("{app} is not built: {e}"))
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .collect();
        let modules: Vec<&String> = files
            .iter()
            .filter(|f| (f.starts_with("split_") || f.starts_with("chunk_")) && f.ends_with(".wasm"))
            .collect();
        let named =
            modules.iter().find(|m| m.starts_with(screen)).unwrap_or_else(|| panic!("no {screen}*.wasm in {files:?}"));
        // `split_rest.0a1b2c3d.wasm`: eight hex digits of its content.
        let hash = named.trim_start_matches(screen).trim_end_matches(".wasm");
        assert!(hash.len() == 8 && hash.chars().all(|c| c.is_ascii_hexdigit()), "{named}");
        let loader = fs::read_to_string(site.join(app).join("__wasm_split.js")).unwrap_or_default();
        for module in &modules {
            assert!(loader.contains(&format!("\"./{module}\"")), "the split loader fetches {module}");
            let reply = api.get(&format!("/{app}/{module}"), &[]);
            assert_eq!(reply.status, 200, "{module}");
            assert_eq!(reply.content_type, "application/wasm", "{module}");
            assert_eq!(reply.header("cache-control"), Some(YEAR), "{module}");
        }
        for fixed in ["boot.js", "__wasm_split.js", &format!("tabdesk_{app}_bg.wasm"), &format!("tabdesk_{app}.js")] {
            let reply = api.get(&format!("/{app}/{fixed}"), &[]);
            assert_eq!(reply.status, 200, "{fixed}");
            assert_eq!(reply.header("cache-control"), Some(MINUTES), "{fixed}");
        }
    }
}
