// Starts the widget. A file rather than an inline script, so /embed's CSP needs no 'unsafe-inline'.
import init from "./tabdesk_widget.js";
init({ module_or_path: new URL("./tabdesk_widget_bg.wasm", import.meta.url) });
