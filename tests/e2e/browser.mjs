// The headless Chromium every browser test runs in (Debian's, never a downloaded one).
import { createRequire } from "node:module";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run", "--disable-quic",
    ],
  });
}

/**
 * The serious and critical WCAG violations axe-core finds on the page now, one line each. The
 * page's context must bypass CSP (only so that axe can be injected).
 */
export async function seriousViolations(page) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) {
    await page.addScriptTag({ path: require.resolve("axe-core") });
  }
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** The launcher button as the accessibility tree sees it (it lives in a shadow root). */
export async function launcher(page) {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = await cdp.send("Accessibility.getFullAXTree");
  const buttons = nodes.filter((n) => n.role?.value === "button" && !n.ignored);
  assert.equal(buttons.length, 1, "the host page shows one button: the launcher");
  const node = buttons[0];
  const { model } = await cdp.send("DOM.getBoxModel", { backendNodeId: node.backendDOMNodeId });
  const [x1, y1, , , x3, y3] = model.content;
  return { name: node.name?.value, expanded: node.properties?.find((p) => p.name === "expanded")?.value?.value, x: (x1 + x3) / 2, y: (y1 + y3) / 2 };
}

/**
 * The files the document in `frame` asked for up front (its scripts, preloads and stylesheets)
 * that have not arrived (yet).
 */
async function filesMissing(frame) {
  return frame.evaluate(() => {
    const received = new Set(
      performance
        .getEntriesByType("resource")
        .filter((e) => e.responseEnd > 0)
        .map((e) => e.name),
    );
    const files = "script[src], link[rel=stylesheet], link[rel=preload], link[rel=modulepreload]";
    const asked = [...document.querySelectorAll(files)].map((e) => e.src || e.href);
    return [...new Set(asked)].filter((url) => !received.has(url)).map((url) => new URL(url).pathname);
  });
}

/**
 * Whether a page of `app` in `frame` that drew nothing in time (`waited`, the error of the wait)
 * is worth loading again: it is, once, when it still waits for one of its own files. Local
 * `wrangler dev` has been seen to leave one static file unanswered until the browser gave up on
 * it, every other file answered in milliseconds: `GET /widget/tabdesk_widget.js 200 OK
 * (30191ms)` in one suite run, `GET /widget/__wasm_split.js 200 OK (20348ms)` in another (both
 * on the worker restarted by the fault step; 300 loads on a fresh `wrangler dev` showed none).
 * That stall is the dev server's, not the app's, and is said on stderr. A page that has every
 * file and draws nothing is the app's failure: thrown at once, naming what it lacks.
 */
async function stalled(frame, app, waited, retried) {
  const missing = await filesMissing(frame);
  if (retried || missing.length === 0) {
    throw new Error(`the ${app} drew nothing; files it has not received: ${missing.join(", ") || "none"}`, { cause: waited });
  }
  console.error(`the dev server has not answered ${missing.join(", ")} in 10 s: loading the ${app}'s page again`);
}

/**
 * Opens the console at `url` and waits for it to draw (a stalled file of its own is asked for
 * again once, as `stalled` says). Returns the page's response.
 */
export async function openConsole(page, url) {
  let response = await page.goto(url, { waitUntil: "commit" });
  for (let retried = false; ; retried = true) {
    try {
      await page.locator("body > *").first().waitFor({ state: "attached", timeout: retried ? 60000 : 10000 });
      return response;
    } catch (e) {
      await stalled(page.mainFrame(), "console", e, retried);
      response = await page.reload({ waitUntil: "commit" });
    }
  }
}

/**
 * The widget's iframe, served by the worker at `origin`, once the launcher has added it, its
 * document is the widget's page and the widget has drawn its panel. A frame object that went away
 * meanwhile (a cross-origin frame can be swapped while it navigates) is looked up again rather
 * than waited on for nothing.
 *
 * A frame that drew nothing in 10 s is loaded again once if it still waits for a file of its
 * own (`stalled`).
 */
export async function frameOf(page, origin) {
  let reloaded = false;
  for (let i = 0; i < 100; i++) {
    const frame = page.frames().find((f) => f.url().startsWith(`${origin}/embed`) && !f.isDetached());
    if (frame) {
      let pageThere = false;
      try {
        await frame.waitForSelector("#app", { state: "attached", timeout: 5000 });
        pageThere = true;
        await frame.waitForSelector(".panel", { state: "attached", timeout: reloaded ? 60000 : 10000 });
        if (!frame.isDetached()) return frame;
      } catch (e) {
        // Detached or navigated away while waiting: look again.
        if (pageThere && !frame.isDetached()) {
          await stalled(frame, "widget", e, reloaded);
          reloaded = true;
          await frame.goto(frame.url(), { waitUntil: "commit" });
        }
      }
    }
    await page.waitForTimeout(50);
  }
  throw new Error("the widget iframe did not appear");
}

const journals = new WeakMap();

/**
 * Starts keeping what went wrong on `page` (console errors and warnings of every frame, uncaught
 * errors, failed requests, 5xx answers), so that a wait that times out can say why.
 */
export function journal(page) {
  if (!journals.has(page)) {
    const lines = [];
    page.on("console", (m) => ["error", "warning"].includes(m.type()) && lines.push(`console ${m.type()}: ${m.text()}`));
    page.on("pageerror", (e) => lines.push(`uncaught: ${e}`));
    page.on("requestfailed", (r) => lines.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`));
    page.on("response", (r) => r.status() >= 500 && lines.push(`answer ${r.status()}: ${r.request().method()} ${r.url()}`));
    journals.set(page, lines);
  }
  return journals.get(page);
}

/** Waits for `step`; if it fails, the error carries what `frame` shows and the page's journal. */
export async function explained(page, frame, step) {
  try {
    return await step;
  } catch (error) {
    const shown = await frame.evaluate(() => document.body?.innerText ?? "(no body)").catch((e) => `(unreadable: ${e})`);
    error.message += `\nthe frame showed: ${JSON.stringify(shown.slice(0, 600))}\nthe page's journal:\n${journal(page).join("\n") || "(empty)"}`;
    throw error;
  }
}
