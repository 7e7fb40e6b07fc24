// Starts the console. A file rather than an inline script, so /console's CSP needs no 'unsafe-inline'.
import init from "./tabdesk_console.js";
init({ module_or_path: new URL("./tabdesk_console_bg.wasm", import.meta.url) });
