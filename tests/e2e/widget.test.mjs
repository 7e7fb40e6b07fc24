// The customer's path in real headless Chromium: a host page on one origin (127.0.0.1:A) embeds
// the loader from the worker on another (localhost:B), the visitor opens the Support tab,
// searches, files a request, and the agents' API then lists it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { createHmac } from "node:crypto";
import { explained, frameOf, journal, launchChromium, launcher, openConsole, seriousViolations } from "./browser.mjs";

const workerOrigin = process.env.TABDESK_WORKER_ORIGIN;
const apiBase = process.env.TABDESK_URL;
const site = process.env.TABDESK_SITE;
const adminToken = process.env.TABDESK_ADMIN_TOKEN;
for (const [name, value] of Object.entries({ workerOrigin, apiBase, site, adminToken })) {
  if (!value) throw new Error(`${name} is not set: run these tests with cargo xtask test`);
}

let server;
let hostOrigin;
let browser;

function hostPage(lang, siteId) {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>Host</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><h1>Host shop</h1><a href="#x">A link</a>
<script src="${workerOrigin}/tabdesk.js" data-site="${siteId}" async></script></body></html>`;
}

const NONCE = "r4nd0mn0nce";

// A page whose CSS restyles everything it can reach, under a nonce-only CSP; it records the
// policy's violations.
function hostilePage() {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Hostile</title>
<style nonce="${NONCE}">
  * { all: unset !important; display: block !important; font: 40px/3 serif !important; color: red !important; }
  div, button, iframe { display: none !important; visibility: hidden !important; opacity: 0 !important; }
  [data-tabdesk] { position: absolute !important; transform: scale(0) !important; filter: blur(9px) !important; }
</style></head>
<body><h1>Hostile shop</h1>
<script nonce="${NONCE}">
  window.violations = [];
  document.addEventListener("securitypolicyviolation", (e) => violations.push(e.violatedDirective + " " + e.blockedURI));
</script>
<script nonce="${NONCE}" src="${workerOrigin}/tabdesk.js" data-site="${site}" async></script></body></html>`;
}

// A page that queues calls before the loader runs, and records what it hears.
function apiPage() {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title></head>
<body><h1>Host shop</h1>
<script>
  window.heard = [];
  window.Tabdesk = window.Tabdesk || function () { (Tabdesk.q = Tabdesk.q || []).push(arguments); };
  for (const name of ["open", "close", "article:viewed"]) Tabdesk("on", name, (e) => heard.push(e));
  Tabdesk("search", "router");
</script>
<script src="${workerOrigin}/tabdesk.js" data-site="${site}" async></script></body></html>`;
}

before(async () => {
  server = http.createServer((req, res) => {
    if (req.url === "/favicon.ico") {
      res.writeHead(404).end();
      return;
    }
    // `?site=` embeds another site than the demo one; `/api` is a page that calls the API
    // before the loader arrives.
    const url = new URL(req.url, "http://host");
    if (url.pathname === "/hostile") {
      // Only the nonce's scripts and styles, and frames from the worker: nothing inline.
      res.writeHead(200, {
        "content-type": "text/html; charset=utf-8",
        "content-security-policy":
          `default-src 'none'; script-src 'nonce-${NONCE}'; style-src 'nonce-${NONCE}'; frame-src ${workerOrigin}`,
      });
      res.end(hostilePage());
      return;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    if (url.pathname === "/api") {
      res.end(apiPage());
      return;
    }
    if (url.pathname === "/themed") {
      // The snippet the console writes for a yellow theme on the left, raised, with the help icon.
      const attributes = 'data-accent="#ffd400" data-position="left" data-offset="30,40" data-icon="help" data-z-index="5000"';
      res.end(hostPage("en", url.searchParams.get("site") || site).replace("data-site=", `${attributes} data-site=`));
      return;
    }
    if (url.pathname === "/rtl") {
      res.end(hostPage("ar", site).replace("<html ", '<html dir="rtl" '));
      return;
    }
    res.end(hostPage(url.pathname.startsWith("/ru") ? "ru" : "en", url.searchParams.get("site") || site));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  hostOrigin = `http://127.0.0.1:${server.address().port}`;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.close();
});

const widgetFrame = (page) => frameOf(page, workerOrigin);

async function focusIsOnLauncher(page) {
  // Focus inside a shadow root shows on the page as focus on its host element.
  return page.evaluate(() => document.activeElement?.hasAttribute("data-tabdesk") === true);
}

async function adminTickets(siteId = site, token = adminToken) {
  const res = await fetch(`${apiBase}/v1/admin/sites/${siteId}/tickets?limit=200`, {
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(res.status, 200);
  return (await res.json()).tickets;
}

test("before intent the loader makes no request, storage or cookie", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(`${hostOrigin}/`);
  const button = await launcher(page);
  assert.equal(button.name, "Support");
  assert.equal(button.expanded, false);
  await page.waitForTimeout(500);
  assert.deepEqual(requests, [`${hostOrigin}/`, `${workerOrigin}/tabdesk.js`]);
  assert.deepEqual(await context.cookies(), []);
  const storage = await page.evaluate(() => localStorage.length + sessionStorage.length);
  assert.equal(storage, 0);
  await context.close();
});

test("a visitor searches, files a request from another origin, and agents see it", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(`${hostOrigin}/`);

  const button = await launcher(page);
  const clicked = Date.now();
  await page.mouse.click(button.x, button.y);
  const frame = await widgetFrame(page);
  const search = frame.getByRole("searchbox", { name: "Search help articles" });
  await search.waitFor();
  console.log(`# open → interactive: ${Date.now() - clicked} ms`);
  assert.equal((await launcher(page)).expanded, true);
  // The search field takes the focus as soon as it shows (no `autofocus` in a cross-origin frame).
  await frame.waitForFunction(() => document.activeElement?.getAttribute("role") === "searchbox", null, { timeout: 5000 });

  await search.fill("router");
  const hit = frame.locator(".hit", { hasText: "Setting up your Wi-Fi router" });
  await hit.waitFor();
  assert.equal((await hit.locator("mark").first().textContent()).toLowerCase(), "router");
  assert.match(await frame.locator(".status").textContent(), /^\d+ articles? found$/);

  // The article opens inline; "Back" returns to the results as they were.
  await hit.click();
  await frame.getByRole("heading", { name: "Setting up your Wi-Fi router" }).waitFor();
  assert.match(await frame.locator(".article-body").textContent(), /192\.168\.0\.1/);
  await frame.getByRole("button", { name: "Yes" }).click();
  await frame.getByText("Thank you for your feedback!").waitFor();
  await frame.getByRole("button", { name: "Back" }).click();
  await hit.waitFor();
  assert.equal(await search.inputValue(), "router");

  await frame.getByRole("button", { name: "Contact us" }).click();
  // Sending an empty form shows inline errors and moves focus to the first field.
  await frame.getByRole("button", { name: "Send" }).click();
  await frame.getByText("Please fill in this field.").first().waitFor();
  assert.equal(await frame.evaluate(() => document.activeElement.id), "td-subject");

  // The category brings its own fields, checked with the site's rules.
  await frame.getByLabel("What is it about?").selectOption("connection");
  const contract = frame.getByLabel("Contract number");
  await contract.fill("12345");
  await contract.blur();
  await frame.getByText("Use the format NP-999999").waitFor();
  await contract.fill("NP-123456");
  await frame.getByLabel("The router's Internet lamp").selectOption("red");

  const subject = `Red lamp ${Date.now()}`;
  await frame.getByLabel("Subject").fill(subject);
  await frame.getByLabel("Message").fill("The Internet lamp on my router is red since the morning.");
  // Articles that may help appear while the customer writes.
  await frame.locator(".suggestions").getByRole("button").first().waitFor();
  await frame.getByLabel("Email").fill("not-an-email");
  await frame.getByLabel("Email").blur();
  await frame.getByText("Enter an email address like name@example.com.").waitFor();
  await frame.getByLabel("Email").fill("anna@example.com");
  await page.waitForTimeout(1600); // people take longer than the site's minimum fill time
  await frame.getByRole("button", { name: "Send" }).click();

  const status = frame.getByRole("status");
  await status.getByText(/DEMO-\d+/).waitFor();
  const number = (await status.textContent()).match(/DEMO-\d+/)[0];

  const stored = (await adminTickets()).find((t) => t.number === number);
  assert.ok(stored, `${number} is in the agents' queue`);
  assert.equal(stored.subject, subject);
  assert.equal(stored.email, "anna@example.com");
  assert.equal(stored.context.page_url, `${hostOrigin}/`);
  assert.equal(stored.context.channel, "site");
  assert.equal(stored.context.locale, "en");
  assert.equal(stored.category, "connection");
  assert.deepEqual(stored.fields, { contract: "NP-123456", router_lamp: "red" });
  assert.match(stored.context.user_agent, /Chrome/);
  assert.deepEqual(stored.viewed_articles, ["wifi-router-setup"]);

  // Esc closes the panel and focus returns to the launcher.
  await frame.locator("body").press("Escape");
  const iframe = await frame.frameElement();
  await iframe.waitForElementState("hidden");
  assert.ok(await focusIsOnLauncher(page));
  assert.equal((await launcher(page)).expanded, false);

  // Reopening keeps the conversation; the close button closes it too.
  await page.mouse.click(button.x, button.y);
  await iframe.waitForElementState("visible");
  await frame.getByRole("button", { name: "Close" }).click();
  await iframe.waitForElementState("hidden");
  assert.ok(await focusIsOnLauncher(page));
  assert.deepEqual(errors, []);
  await context.close();
});

test("the tab speaks Russian on a Russian page", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${hostOrigin}/ru`);
  const button = await launcher(page);
  assert.equal(button.name, "Поддержка");
  await page.mouse.click(button.x, button.y);
  const frame = await widgetFrame(page);
  const search = frame.getByRole("searchbox", { name: "Поиск по статьям помощи" });
  await search.fill("роутер");
  await frame.locator(".hit", { hasText: "Настройка роутера и Wi-Fi" }).waitFor();
  assert.match(await frame.locator(".status").textContent(), /^\d+ (статья найдена|статьи найдено|статей найдено)$/);
  await frame.getByRole("button", { name: "Написать нам" }).click();
  await frame.getByLabel("Тема").waitFor();
  await frame.getByRole("button", { name: "Отправить" }).click();
  await frame.getByText("Заполните это поле.").first().waitFor();
  await context.close();
});

test("the first screen fetches none of the form's code; on a slow line the form's module comes when asked, and again after a failure", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  // A slow mobile line: 300 ms round trips, 200 KB/s down.
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 300,
    downloadThroughput: 200 * 1024,
    uploadThroughput: 100 * 1024,
  });
  const modules = [];
  page.on("request", (r) => {
    const path = new URL(r.url()).pathname;
    if (path.endsWith(".wasm")) modules.push(path);
  });
  await page.goto(`${workerOrigin}/embed?site=${site}&locale=en`);
  await page.getByRole("searchbox").waitFor();
  // Where every round trip counts, the page asks for all of the first screen's files at once
  // (its preloads): none is asked for only after another one arrived.
  const files = await page.evaluate(() =>
    performance
      .getEntriesByType("resource")
      .filter((e) => /\/widget\/(boot\.js|tabdesk_widget\.js|__wasm_split\.js|tabdesk_widget_bg\.wasm)$/.test(e.name))
      .map((e) => ({ name: e.name, start: Math.round(e.startTime), end: Math.round(e.responseEnd) })),
  );
  assert.equal(files.length, 4, JSON.stringify(files));
  const firstArrival = Math.min(...files.map((f) => f.end));
  assert.ok(files.every((f) => f.start < firstArrival), `asked for one after another: ${JSON.stringify(files)}`);
  await page.getByRole("searchbox").fill("pay");
  await page.locator(".hit").first().waitFor();
  await page.locator(".hit").first().click();
  await page.locator(".article").first().waitFor();
  assert.deepEqual(modules, ["/widget/tabdesk_widget_bg.wasm"], "search and an article need only the first module");

  // The first fetch of the form's module (the on-demand one) fails: the widget says so and fetches it again when asked.
  let refuse = true;
  await context.route("**/widget/split_rest.*.wasm", (route) => (refuse ? route.abort() : route.continue()));
  await page.getByRole("button", { name: "Back" }).click();
  await page.getByRole("button", { name: "Contact us" }).click();
  await page.getByRole("alert").filter({ hasText: "did not load" }).waitFor();
  refuse = false;
  await page.getByRole("button", { name: "Try again" }).click();
  await page.getByLabel("Subject").waitFor();
  // Modules are named by their content: `split_rest.0a1b2c3d.wasm`.
  assert.ok(modules.some((m) => /^\/widget\/split_rest\.[0-9a-f]{8}\.wasm$/.test(m)), modules.join(" "));
  // Back and forth: the module is not fetched again.
  const fetched = modules.length;
  await page.getByRole("button", { name: "Back" }).click();
  await page.getByRole("button", { name: "Contact us" }).click();
  await page.getByLabel("Subject").waitFor();
  assert.equal(modules.length, fetched);
  await context.close();
});

const LANGUAGES = {
  en: { contact: "Contact us", send: "Send", required: "Please fill in this field.", query: "pay", back: "Back",
    subject: "Subject", message: "Message", email: "Email", mine: "My requests" },
  ru: { contact: "Написать нам", send: "Отправить", required: "Заполните это поле.", query: "оплата", back: "Назад",
    subject: "Тема", message: "Сообщение", email: "Электронная почта", mine: "Мои обращения" },
};

test("the widget has no serious accessibility violations (axe-core) in either language, light or dark", async () => {
  for (const [locale, words] of Object.entries(LANGUAGES)) {
    for (const colorScheme of ["light", "dark"]) {
      const where = `${locale}, ${colorScheme}`;
      // bypassCSP only so axe can be injected; the other tests run under the real policy.
      const context = await browser.newContext({ bypassCSP: true, colorScheme });
      const page = await context.newPage();
      await page.goto(`${workerOrigin}/embed?site=${site}&locale=${locale}`);
      await page.getByRole("searchbox").waitFor();
      await page.locator(".home .suggested .hit").first().waitFor();
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      assert.equal(background, colorScheme === "dark" ? "rgb(22, 25, 30)" : "rgb(255, 255, 255)", where);
      assert.deepEqual(await seriousViolations(page), [], `home, ${where}`);
      await page.getByRole("searchbox").fill(words.query);
      await page.locator(".hits:not(.suggested) .hit").first().waitFor();
      assert.deepEqual(await seriousViolations(page), [], `results, ${where}`);
      await page.locator(".hits:not(.suggested) .hit").first().click();
      await page.locator("article.article h2").waitFor();
      assert.deepEqual(await seriousViolations(page), [], `article, ${where}`);
      await page.getByRole("button", { name: words.back }).click();
      await page.getByRole("button", { name: words.contact }).click();
      await page.getByRole("button", { name: words.send }).click();
      await page.getByText(words.required).first().waitFor();
      assert.deepEqual(await seriousViolations(page), [], `form, ${where}`);
      // Sent, then "My requests" and the request's thread.
      const subject = `axe ${where} ${Date.now()}`;
      await page.getByLabel(words.subject).fill(subject);
      await page.getByLabel(words.message).fill("Checking every screen.");
      await page.getByLabel(words.email).fill("axe@example.com");
      await page.waitForTimeout(1600);
      await page.getByRole("button", { name: words.send }).click();
      await page.locator(".sent").waitFor();
      assert.deepEqual(await seriousViolations(page), [], `sent, ${where}`);
      await page.getByRole("button", { name: words.back }).click();
      await page.getByRole("button", { name: words.mine }).click();
      const row = page.locator(".requests .request", { hasText: subject });
      await row.waitFor();
      assert.deepEqual(await seriousViolations(page), [], `my requests, ${where}`);
      await row.click();
      await page.locator(".thread .message-body").first().waitFor();
      assert.deepEqual(await seriousViolations(page), [], `thread, ${where}`);
      await context.close();
    }
  }
});

/**
 * A site of this test's own (id starting with `prefix`), allowed on the host page, its config as
 * `change` leaves it; its id and admin token.
 */
async function ownSite(prefix, locales, change) {
  const id = `${prefix}-${Date.now().toString(36)}`;
  const created = await fetch(`${apiBase}/v1/operator/sites`, {
    method: "POST",
    headers: { authorization: `Bearer ${process.env.TABDESK_OPERATOR_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ id, name: `Shop ${id}`, allowed_origins: [hostOrigin], locales }),
  });
  assert.equal(created.status, 201, "the operator token creates sites");
  const token = (await created.json()).admin_token;
  const configUrl = `${apiBase}/v1/admin/sites/${id}/config`;
  const auth = { authorization: `Bearer ${token}` };
  const config = await (await fetch(configUrl, { headers: auth })).json();
  change(config);
  const put = await fetch(configUrl, { method: "PUT", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify(config) });
  assert.equal(put.status, 200, await put.text());
  return { id, token };
}

async function openContactForm(page) {
  journal(page);
  const button = await launcher(page);
  await page.mouse.click(button.x, button.y);
  const frame = await widgetFrame(page);
  await explained(page, frame, frame.getByRole("button", { name: "Contact us" }).click());
  return { frame, button };
}

test("offline, the request is queued and sent once when the connection is back", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${hostOrigin}/`);
  const { frame } = await openContactForm(page);
  const subject = `Offline ${Date.now()}`;
  await frame.getByLabel("Subject").fill(subject);
  await frame.getByLabel("Message").fill("Written on a train without a connection.");
  await frame.getByLabel("Email").fill("boris@example.com");
  await page.waitForTimeout(1600);
  await context.setOffline(true);
  await frame.getByRole("button", { name: "Send" }).click();
  await frame.getByText("Saved, waiting for the connection").waitFor();
  await page.waitForTimeout(2500); // a retry or two fail while offline
  await context.setOffline(false);
  const status = frame.getByRole("status").filter({ hasText: /DEMO-\d+/ });
  await status.waitFor({ timeout: 20000 });
  const number = (await status.textContent()).match(/DEMO-\d+/)[0];
  const copies = (await adminTickets()).filter((t) => t.subject === subject);
  assert.equal(copies.length, 1, "exactly one ticket");
  assert.equal(copies[0].number, number);
  await context.close();
});

test("a draft survives closing the panel and reloading the page", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${hostOrigin}/`);
  let { frame } = await openContactForm(page);
  await frame.getByLabel("Subject").fill("Half-written question");
  await frame.getByLabel("Message").fill("I started typing and then");
  await page.waitForTimeout(300);
  await page.reload();
  ({ frame } = await openContactForm(page));
  assert.equal(await frame.getByLabel("Subject").inputValue(), "Half-written question");
  assert.equal(await frame.getByLabel("Message").inputValue(), "I started typing and then");
  await context.close();
});

/** Fills the three required fields of the contact form and waits out the demo site's minimum fill time. */
async function fillRequest(page, frame, subject) {
  await frame.getByLabel("Subject").fill(subject);
  await frame.getByLabel("Message").fill("The Internet has been down since this morning.");
  await frame.getByLabel("Email").fill("vera@example.com");
  await page.waitForTimeout(1600);
}

/** Answers the widget's requests to file a ticket with a final 403 problem; returns how many it answered. */
async function refuseTickets(context, detail) {
  const seen = { count: 0 };
  await context.route(`${workerOrigin}/v1/sites/*/tickets`, (route) => {
    seen.count++;
    return route.fulfill({
      status: 403,
      contentType: "application/problem+json",
      body: JSON.stringify({ type: "/docs/problems#forbidden", title: "Forbidden", status: 403, detail }),
    });
  });
  return seen;
}

/** The items the host page keeps in its storage (the relay of a widget without storage of its own). */
async function hostItems(page) {
  return page.evaluate(() => Object.fromEntries(Object.entries(localStorage)));
}

/** The host page's items once `name` is among them. */
async function hostItemsWith(page, name) {
  let items = await hostItems(page);
  for (let i = 0; i < 50 && !items[name]; i++) {
    await page.waitForTimeout(100);
    items = await hostItems(page);
  }
  assert.ok(items[name], `${name} is kept on the host page`);
  return items;
}

/** Waits until the host page no longer keeps `name`. */
async function hostItemsWithout(page, name) {
  for (let i = 0; i < 50 && (await hostItems(page))[name]; i++) await page.waitForTimeout(100);
  assert.equal((await hostItems(page))[name], undefined, `${name} is removed from the host page`);
}

/** Waits until `locator`'s input value is `expected` (values relayed by the host arrive asynchronously). */
async function valueBecomes(locator, expected) {
  for (let i = 0; i < 50 && (await locator.inputValue()) !== expected; i++) {
    await locator.page().waitForTimeout(100);
  }
  assert.equal(await locator.inputValue(), expected);
}

test("a request refused for good is not queued: the form shows why, keeps the text, and Discard empties it", async () => {
  const context = await browser.newContext();
  const detail = "Requests from this page are not accepted.";
  const refusals = await refuseTickets(context, detail);
  const page = await context.newPage();
  await page.goto(`${hostOrigin}/`);
  let { frame } = await openContactForm(page);
  const subject = `Refused ${Date.now()}`;
  await fillRequest(page, frame, subject);
  await frame.getByRole("button", { name: "Send" }).click();
  await frame.getByText(`Your request was not accepted: ${detail}`).waitFor();
  assert.equal(await frame.getByLabel("Subject").inputValue(), subject);
  await page.waitForTimeout(2500); // a queued request would have been retried by now
  assert.equal(await frame.getByText("Saved, waiting for the connection").count(), 0);
  assert.equal(refusals.count, 1, "a final answer is not retried");

  await frame.getByRole("button", { name: "Discard request" }).click();
  assert.equal(await frame.getByLabel("Subject").inputValue(), "");
  assert.equal(await frame.getByLabel("Message").inputValue(), "");
  assert.equal(await frame.getByText(detail).count(), 0);
  assert.equal(await frame.evaluate(() => document.activeElement.id), "td-subject");
  // The draft went with it: a reload brings back an empty form.
  await page.waitForTimeout(500);
  await page.reload();
  ({ frame } = await openContactForm(page));
  await page.waitForTimeout(1000);
  assert.equal(await frame.getByLabel("Subject").inputValue(), "");
  await context.close();
});

test("a queued request the server later refuses for good comes back to the form with its reason", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${hostOrigin}/`);
  const { frame } = await openContactForm(page);
  const subject = `Refused later ${Date.now()}`;
  await fillRequest(page, frame, subject);
  await context.setOffline(true);
  await frame.getByRole("button", { name: "Send" }).click();
  await frame.getByText("Saved, waiting for the connection").waitFor();
  const detail = "This site no longer accepts requests.";
  const refusals = await refuseTickets(context, detail);
  await context.setOffline(false);
  await frame.getByText(`Your request was not accepted: ${detail}`).waitFor({ timeout: 20000 });
  assert.equal(await frame.getByLabel("Subject").inputValue(), subject);
  assert.equal(await frame.getByLabel("Email").inputValue(), "vera@example.com");
  await page.waitForTimeout(2500);
  assert.equal(refusals.count, 1, "a final answer is not retried");
  await frame.getByRole("button", { name: "Discard request" }).waitFor();
  await context.close();
});

test("a request queued before a reload is still queued after it, and is sent once the server answers again", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${hostOrigin}/`);
  let { frame } = await openContactForm(page);
  const subject = `Queued over a reload ${Date.now()}`;
  await fillRequest(page, frame, subject);
  // The server is down (503 is worth retrying): the request waits in the widget's storage.
  const down = { count: 0 };
  const tickets = `${workerOrigin}/v1/sites/*/tickets`;
  await context.route(tickets, (route) => {
    down.count++;
    return route.fulfill({ status: 503, contentType: "application/problem+json", body: "{}" });
  });
  await frame.getByRole("button", { name: "Send" }).click();
  await frame.getByText("Saved, waiting for the connection").waitFor();
  // The retry loop is in the on-demand module: the reloaded page fetches it without the form.
  const form = [];
  context.on("request", (r) => {
    if (/\/widget\/split_rest\.[0-9a-f]{8}\.wasm$/.test(new URL(r.url()).pathname)) form.push(r.url());
  });
  await page.reload();
  journal(page);
  const button = await launcher(page);
  await page.mouse.click(button.x, button.y);
  frame = await widgetFrame(page);
  // Read from storage by the retry loop's module, which the reloaded page fetches for it.
  await frame.getByText("Saved, waiting for the connection").waitFor();
  const retried = down.count;
  for (let i = 0; i < 50 && down.count === retried; i++) await page.waitForTimeout(200);
  assert.ok(down.count > retried, "the reloaded page retries the stored request");
  assert.ok(form.length >= 1, "the reloaded page fetched the retry loop's module");
  assert.equal(await frame.getByLabel("Subject").count(), 0, "the form itself was not opened");
  await context.unroute(tickets);
  await frame.getByRole("button", { name: "Try again now" }).click();
  const status = frame.getByRole("status").filter({ hasText: /DEMO-\d+/ });
  await status.waitFor({ timeout: 20000 });
  const copies = (await adminTickets()).filter((t) => t.subject === subject);
  assert.equal(copies.length, 1, "exactly one ticket");
  assert.equal(copies[0].number, (await status.textContent()).match(/DEMO-\d+/)[0]);
  await context.close();
});

test("on a site with Turnstile the form renders the check and sends its token", async () => {
  const { id, token } = await ownSite("turnstile", ["en"], (config) => {
    config.abuse = { ...config.abuse, min_fill_ms: 0, turnstile_site_key: "0x4AAA-site", turnstile_secret: "0x4AAA-secret" };
  });

  const context = await browser.newContext();
  // A stand-in for Cloudflare's script: the test solves the challenge when it chooses to.
  const scripts = [];
  await context.route("https://challenges.cloudflare.com/**", (route) => {
    scripts.push(route.request().url());
    return route.fulfill({
      contentType: "text/javascript",
      body: `window.turnstile = {
        render(el, opts) { window.__challenge = { el, opts, resets: 0 }; return "w1"; },
        reset(id) { if (id === "w1") window.__challenge.resets++; },
        remove() {},
      };`,
    });
  });
  const page = await context.newPage();
  await page.goto(`${hostOrigin}/?site=${id}`);
  const { frame } = await openContactForm(page);
  const subject = `Checked ${Date.now()}`;
  await frame.getByLabel("Subject").fill(subject);
  await frame.getByLabel("Message").fill("Please call me back about my order.");
  await frame.getByLabel("Email").fill("gleb@example.com");
  await frame.waitForFunction(() => window.__challenge);
  const rendered = await frame.evaluate(() => ({
    sitekey: window.__challenge.opts.sitekey,
    language: window.__challenge.opts.language,
    inForm: window.__challenge.el.closest("form") !== null,
  }));
  assert.deepEqual(rendered, { sitekey: "0x4AAA-site", language: "en", inForm: true });

  // Not solved yet: sending asks for the check.
  await frame.getByRole("button", { name: "Send" }).click();
  await frame.getByText("Please complete the check").waitFor();
  // A token the verifier refuses: the form shows why and asks Turnstile for a new token.
  await frame.evaluate(() => window.__challenge.opts.callback("refused-token"));
  await frame.getByRole("button", { name: "Send" }).click();
  await frame.getByText("Your request was not accepted:").waitFor();
  assert.equal(await frame.evaluate(() => window.__challenge.resets), 1);
  assert.equal(await frame.getByLabel("Subject").inputValue(), subject);
  // The spent token is gone until Turnstile gives a new one.
  await frame.getByRole("button", { name: "Send" }).click();
  await frame.getByText("Please complete the check").waitFor();
  await frame.evaluate(() => window.__challenge.opts.callback("pass"));
  await frame.getByRole("button", { name: "Send" }).click();

  const status = frame.getByRole("status");
  await status.getByText(/-\d+\./).waitFor();
  const stored = (await adminTickets(id, token)).filter((t) => t.subject === subject);
  assert.equal(stored.length, 1, "the request is filed once");
  assert.equal(scripts.length, 1, "Turnstile's script is loaded once");
  assert.match(scripts[0], /\/turnstile\/v0\/api\.js\?render=explicit$/);
  await context.close();
});

test("the site's theme: the launcher takes the snippet's colour, side, offsets, layer and icon; the panel the accent and dark mode", async () => {
  const { id } = await ownSite("themed", ["en"], (config) => {
    config.theme = { ...config.theme, accent: "#ffd400", mode: "dark", position: "left", offset_x: 30, offset_y: 40, z_index: 5000, icon: "help" };
  });

  const context = await browser.newContext({ colorScheme: "light" });
  const page = await context.newPage();
  await page.goto(`${hostOrigin}/themed?site=${id}`);
  await page.getByRole("button", { name: "Support" }).waitFor();
  const look = await page.evaluate(() => {
    const button = document.querySelector("[data-tabdesk]").shadowRoot.querySelector("button");
    const style = getComputedStyle(button);
    const box = button.getBoundingClientRect();
    return { background: style.backgroundColor, color: style.color, z: style.zIndex, left: box.left,
      bottom: innerHeight - box.bottom, icon: button.querySelector("svg text")?.textContent };
  });
  assert.deepEqual(look, { background: "rgb(255, 212, 0)", color: "rgb(17, 17, 17)", z: "5000", left: 30, bottom: 40, icon: "?" });
  await page.getByRole("button", { name: "Support" }).click();
  const frame = await widgetFrame(page);
  await frame.getByRole("searchbox").waitFor();
  // Dark because the site says so, whatever the visitor's system prefers; text on the accent
  // is dark because yellow takes dark text.
  const panel = await frame.evaluate(() => ({
    theme: document.documentElement.dataset.theme,
    body: getComputedStyle(document.body).backgroundColor,
    bar: getComputedStyle(document.querySelector(".bar")).color,
  }));
  assert.deepEqual(panel, { theme: "dark", body: "rgb(22, 25, 30)", bar: "rgb(17, 17, 17)" });
  const box = await page.locator("[data-tabdesk] iframe").boundingBox();
  assert.equal(box.x, 30, "the panel opens on the launcher's side");
  await context.close();
});

test("full-page mode, as a VK or Telegram Mini App opens it: the whole phone screen, and the channel goes with the request", async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, locale: "ru-RU" });
  const page = await context.newPage();
  await page.goto(`${workerOrigin}/embed?site=${site}&mode=page&channel=vk&locale=ru`);
  await page.getByRole("searchbox").waitFor();
  const width = await page.evaluate(() => document.querySelector(".panel.page").getBoundingClientRect().width);
  assert.equal(width, 375);
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 375, "nothing wider than the screen");
  await page.getByRole("button", { name: "Написать нам" }).click();
  const subject = `Из VK ${Date.now()}`;
  await page.getByLabel("Тема").fill(subject);
  await page.getByLabel("Сообщение").fill("Пишу из приложения сообщества.");
  await page.getByLabel("Электронная почта").fill("vk-user@example.com");
  await page.waitForTimeout(1600);
  await page.getByRole("button", { name: "Отправить" }).click();
  await page.getByRole("status").filter({ hasText: /DEMO-\d+/ }).waitFor();
  const stored = (await adminTickets()).find((t) => t.subject === subject);
  assert.equal(stored.context.channel, "vk");
  // A channel the site does not list is not taken.
  await page.goto(`${workerOrigin}/embed?site=${site}&mode=page&channel=myspace`);
  const boot = JSON.parse(await page.locator("#tabdesk-boot").textContent());
  assert.equal(boot.channel, null);
  await context.close();
});

/** The contact form's words in each language, as a platform's visitor meets them. */
const EN_FORM = { contact: "Contact us", signedIn: "Signed in as", email: "Email", subject: "Subject", message: "Message", send: "Send" };
const RU_FORM = { contact: "Написать нам", signedIn: "Вы вошли как", email: "Электронная почта", subject: "Тема", message: "Сообщение", send: "Отправить" };

/**
 * Opens the page mode at `url` on a phone, checks that the form names the visitor `who` and asks
 * no email, files a request and returns it as the site's agents see it (with the open page).
 */
async function filedByPlatformUser(url, words, who, site) {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 } });
  const page = await context.newPage();
  await page.goto(url);
  await page.getByRole("button", { name: words.contact }).click();
  await page.getByText(`${words.signedIn} ${who}`).waitFor();
  assert.equal(await page.getByLabel(words.email).count(), 0, "no email asked of a platform's user");
  const subject = `Platform user ${Date.now()}`;
  await page.getByLabel(words.subject).fill(subject);
  await page.getByLabel(words.message).fill("How do I change my plan?");
  await page.waitForTimeout(1600);
  await page.getByRole("button", { name: words.send }).click();
  await page.locator(".sent").waitFor();
  const stored = (await adminTickets(site.id, site.token)).find((t) => t.subject === subject);
  assert.equal(stored.email, "");
  return { context, page, stored };
}

test("a VK Mini App's signed launch: the page-mode form asks no email, and the request is the VK user's", async () => {
  const key = "e2e-vk-secure-key";
  const { id, token } = await ownSite("vkapp", ["ru", "en"], (config) => {
    config.channels = ["site", "vk"];
  });
  // The Mini App's key sits with the site's VK community connection (write-only).
  const connected = await fetch(`${apiBase}/v1/admin/sites/${id}/channels`, {
    method: "PUT",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ vk: { group_id: 1, confirmation: "e2e123", secret: "cbsecret",
      access_token: "community-token-xxxxxxxxxx", app_id: 51000000, app_secret: key } }),
  });
  assert.equal(connected.status, 200, await connected.text());

  // What VK appends to the app's address, signed as VK documents it.
  const vk = new URLSearchParams({ vk_app_id: "51000000", vk_language: "ru", vk_platform: "mobile_web",
    vk_ts: String(Math.floor(Date.now() / 1000)), vk_user_id: "494075" });
  const signed = [...vk.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&");
  vk.set("sign", createHmac("sha256", key).update(signed).digest("base64url"));
  const { context, page, stored } = await filedByPlatformUser(
    `${workerOrigin}/embed?site=${id}&mode=page&channel=vk&locale=ru&${vk}`, RU_FORM, "VK", { id, token });
  assert.equal(stored.verified.id, "vk:494075");
  assert.equal(stored.context.channel, "vk");

  // Tampered parameters vouch for no one: the form asks for an email as usual.
  await page.goto(`${workerOrigin}/embed?site=${id}&mode=page&channel=vk&locale=ru&${vk}`.replace("494075", "494076"));
  await page.getByRole("button", { name: "Написать нам" }).click();
  await page.getByLabel("Электронная почта").waitFor();
  await context.close();
});

test("a Telegram Mini App's initData: the bot vouches for its user, who writes without an email", async () => {
  const botToken = `700200:${"T".repeat(35)}`;
  const { id, token } = await ownSite("tgapp", ["en", "ru"], (config) => {
    config.channels = ["site", "telegram"];
  });
  const connected = await fetch(`${apiBase}/v1/admin/sites/${id}/channels`, {
    method: "PUT",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ telegram: { bot_token: botToken, webhook_secret: "e2e-webhook-secret-0123" } }),
  });
  assert.equal(connected.status, 200, await connected.text());

  // initData as Telegram signs it: HMAC-SHA256 keyed with HMAC-SHA256("WebAppData", bot token)
  // over the sorted fields but `hash`, one `key=value` per line.
  const fields = { auth_date: String(Math.floor(Date.now() / 1000)), query_id: "AAE2e",
    user: JSON.stringify({ id: 31337, first_name: "Tanya", last_name: "S", language_code: "en" }) };
  const checked = Object.keys(fields).sort().map((k) => `${k}=${fields[k]}`).join("\n");
  const secret = createHmac("sha256", "WebAppData").update(botToken).digest();
  const initData = new URLSearchParams({ ...fields, hash: createHmac("sha256", secret).update(checked).digest("hex") });
  const fragment = new URLSearchParams({ tgWebAppData: initData.toString(), tgWebAppVersion: "8.0", tgWebAppPlatform: "ios" });
  const { context, stored } = await filedByPlatformUser(
    `${workerOrigin}/embed?site=${id}&mode=page&channel=telegram&locale=en#${fragment}`, EN_FORM, "Tanya S", { id, token });
  assert.equal(stored.verified.id, "telegram:31337");
  assert.equal(stored.context.channel, "telegram");
  await context.close();
});

/** A site of its own whose config checks signed identity with `secret`; its id and admin token. */
function siteWithIdentity(secret) {
  return ownSite("identity", ["en", "ru"], (config) => {
    config.abuse = { ...config.abuse, min_fill_ms: 0 };
    config.identity = { secrets: [secret], required: true };
  });
}

/** An HS256 JWT as the README tells a site's Node server to make one. */
function signIdentity(secret, claims) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const body = `${b64({ alg: "HS256", typ: "JWT" })}.${b64(claims)}`;
  return `${body}.${createHmac("sha256", secret).update(body).digest("base64url")}`;
}

test("a customer the site signed in skips the email field and the ticket is verified; the unsigned are asked to sign in", async () => {
  const secret = "e2e-identity-secret-0123456789-abcdef";
  const { id, token } = await siteWithIdentity(secret);
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${hostOrigin}/?site=${id}`);
  // Not signed in, or named without a token: a site that requires it says so instead of a form.
  await page.waitForFunction(() => typeof window.Tabdesk === "function");
  await page.evaluate(() => window.Tabdesk("identify", { name: "Mallory", email: "ceo@example.com" }));
  let { frame } = await openContactForm(page);
  await frame.getByText("Sign in on the site to write to support.").waitFor();
  assert.equal(await frame.getByLabel("Subject").count(), 0);

  const exp = Math.floor(Date.now() / 1000) + 600;
  const jwt = signIdentity(secret, { sub: "cust-9", aud: id, exp, email: "irina@example.com", name: "Ирина Петрова", fields: { plan: "Gold" } });
  await page.reload();
  await page.waitForFunction(() => typeof window.Tabdesk === "function");
  await page.evaluate((jwt) => window.Tabdesk("identify", { token: jwt }), jwt);
  ({ frame } = await openContactForm(page));
  await frame.getByText("Signed in as Ирина Петрова").waitFor();
  assert.equal(await frame.getByLabel("Email").count(), 0, "no email field for a signed-in customer");
  assert.equal(await frame.getByLabel("Name").count(), 0);
  const subject = `Signed ${Date.now()}`;
  await frame.getByLabel("Subject").fill(subject);
  await frame.getByLabel("Message").fill("Please move me to the yearly plan.");
  await frame.getByRole("button", { name: "Send" }).click();
  await frame.getByRole("status").getByText(/-\d+\./).waitFor();
  const stored = (await adminTickets(id, token)).find((t) => t.subject === subject);
  assert.equal(stored.email, "irina@example.com");
  assert.deepEqual(stored.verified, { id: "cust-9", email: "irina@example.com", name: "Ирина Петрова", fields: { plan: "Gold" } });
  await context.close();

  // Another device, signed in as the same customer: the request is in "My requests" there too.
  const phone = await browser.newContext();
  const other = await phone.newPage();
  await other.goto(`${hostOrigin}/?site=${id}`);
  await other.waitForFunction(() => typeof window.Tabdesk === "function");
  await other.evaluate((jwt) => { window.Tabdesk("identify", { token: jwt }); window.Tabdesk("open"); }, jwt);
  const there = await widgetFrame(other);
  await there.locator(".home .request", { hasText: subject }).waitFor();
  await there.getByRole("button", { name: "My requests" }).click();
  await there.locator(".requests .request", { hasText: subject }).waitFor();
  await phone.close();

  // A token without an email: the email is asked, but only as optional, and the answer comes to
  // the tab.
  const withoutEmail = signIdentity(secret, { sub: "cust-10", aud: id, exp, name: "Oleg" });
  const third = await browser.newContext();
  const again = await third.newPage();
  await again.goto(`${hostOrigin}/?site=${id}`);
  await again.waitForFunction(() => typeof window.Tabdesk === "function");
  await again.evaluate((jwt) => window.Tabdesk("identify", { token: jwt }), withoutEmail);
  ({ frame } = await openContactForm(again));
  await frame.getByText("Signed in as Oleg").waitFor();
  const email = frame.getByLabel(/^Email/);
  assert.equal(await email.getAttribute("required"), null, "not required of a customer the site vouched for");
  assert.match(await frame.locator("label", { has: frame.locator(".hint") }).first().textContent(), /Email \(optional\)/);
  const quiet = `Without email ${Date.now()}`;
  await frame.getByLabel("Subject").fill(quiet);
  await frame.getByLabel("Message").fill("Where is my invoice?");
  await frame.getByRole("button", { name: "Send" }).click();
  await frame.getByRole("status").getByText("We will reply here, in this tab.").waitFor();
  const filed = (await adminTickets(id, token)).find((t) => t.subject === quiet);
  assert.equal(filed.verified.id, "cust-10");
  assert.equal(filed.email, "");
  await third.close();
});

test("drafts relayed to the host page's storage are sealed, open after a reload, and are dropped when tampered with or expired", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${hostOrigin}/`);
  let { frame } = await openContactForm(page);
  // Headless Chromium denies the third-party iframe storage of its own: the host page keeps its items.
  assert.equal(await frame.evaluate(() => { try { return localStorage.length >= 0; } catch (e) { return false; } }), false);
  const subject = `Sealed draft ${Date.now()}`;
  const message = "Nobody on the host page should read this.";
  const draft = `tabdesk:${site}:draft`;
  await frame.getByLabel("Subject").fill(subject);
  const first = (await hostItemsWith(page, draft))[draft];
  await frame.getByLabel("Message").fill(message);
  // Sealing is asynchronous: wait for the draft with the message to reach the host page.
  for (let i = 0; i < 50 && (await hostItems(page))[draft] === first; i++) await page.waitForTimeout(100);
  const items = await hostItems(page);
  assert.notEqual(items[draft], first, "the draft with its message is relayed");
  for (const [name, value] of Object.entries(items)) {
    assert.ok(!value.includes("Sealed draft") && !value.includes("host page"), `${name} is readable: ${value}`);
  }

  await page.reload();
  ({ frame } = await openContactForm(page));
  await valueBecomes(frame.getByLabel("Subject"), subject);
  assert.equal(await frame.getByLabel("Message").inputValue(), message);

  // A value the host page changed does not open: it is dropped, here and there.
  await page.evaluate((name) => {
    const value = localStorage.getItem(name);
    localStorage.setItem(name, (value.startsWith("A") ? "B" : "A") + value.slice(1));
  }, draft);
  await page.reload();
  ({ frame } = await openContactForm(page));
  await hostItemsWithout(page, draft);
  assert.equal(await frame.getByLabel("Subject").inputValue(), "");

  // A week later a draft is dropped too.
  await frame.getByLabel("Subject").fill("Forgotten draft");
  await hostItemsWith(page, draft);
  await context.clock.setFixedTime(Date.now() + 8 * 24 * 3600 * 1000);
  await page.reload();
  ({ frame } = await openContactForm(page));
  await hostItemsWithout(page, draft);
  assert.equal(await frame.getByLabel("Subject").inputValue(), "");
  await context.close();
});

/** An agent's message on ticket `id`, through the agents' API. */
async function agentSays(id, body, visibility = "public") {
  const res = await fetch(`${apiBase}/v1/admin/tickets/${id}/messages`, {
    method: "POST",
    headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
    body: JSON.stringify({ body, visibility }),
  });
  assert.equal(res.status, 201);
}

/** The whole thread of ticket `id` as agents see it. */
async function agentThread(id) {
  const res = await fetch(`${apiBase}/v1/admin/tickets/${id}`, { headers: { authorization: `Bearer ${adminToken}` } });
  assert.equal(res.status, 200);
  return (await res.json()).messages;
}

/** The host page's items of the demo site's widget (the loader's prefix). */
async function tabdeskHostKeys(page) {
  return page.evaluate((prefix) => Object.keys(localStorage).filter((k) => k.startsWith(prefix)), `tabdesk:${site}:`);
}

test("My requests: the customer reads the agent's reply as text, answers online and offline once each, and deletes their data", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${hostOrigin}/`);
  const button = await launcher(page);
  await page.mouse.click(button.x, button.y);
  const frame = await widgetFrame(page);
  const search = frame.getByRole("searchbox", { name: "Search help articles" });
  await search.waitFor();
  // Before the first request there is no way to "My requests".
  const entry = frame.getByRole("button", { name: "My requests" });
  await page.waitForTimeout(500);
  assert.equal(await entry.count(), 0);
  await frame.getByRole("button", { name: "Contact us" }).click();
  const subject = `Conversation ${Date.now()}`;
  await fillRequest(page, frame, subject);
  await frame.getByRole("button", { name: "Send" }).click();
  const status = frame.getByRole("status").filter({ hasText: /DEMO-\d+/ });
  await status.waitFor();
  const number = (await status.textContent()).match(/DEMO-\d+/)[0];
  const ticket = (await adminTickets()).find((t) => t.number === number);
  assert.ok(ticket, `${number} is in the agents' queue`);

  const payload = `We are on it. <img src=x onerror="window.__xss=1">`;
  await agentSays(ticket.id, payload);
  await agentSays(ticket.id, "Internal: check the line first", "internal");

  await frame.getByRole("button", { name: "Back" }).click();
  await entry.click();
  const row = frame.locator(".request", { hasText: subject });
  await row.locator(".unread", { hasText: "New reply" }).waitFor();
  assert.match(await row.textContent(), new RegExp(number));
  await frame.getByText("1 new reply").waitFor();

  await row.click();
  const reply = frame.locator(".message-body", { hasText: "We are on it." });
  await reply.waitFor();
  // The site's automatic acknowledgement came first, with the expected reply time.
  const acknowledgement = frame.locator(".message.theirs", { hasText: "We usually answer within" });
  assert.match(await acknowledgement.textContent(), /Support.*within \d+ (minute|hour|day)s?/s);
  assert.equal(await reply.textContent(), payload, "the agent's reply is shown as text");
  assert.equal(await frame.locator(".messages img").count(), 0);
  assert.equal(await frame.getByText("Internal: check the line first").count(), 0, "an internal note is never shown");
  assert.equal(await frame.evaluate(() => window.__xss), undefined);

  const box = frame.getByLabel("Your reply");
  const send = frame.getByRole("button", { name: "Reply", exact: true });
  await box.fill("Thanks, the lamp is still red.");
  await send.click();
  await frame.locator(".message.mine:not(.queued)", { hasText: "Thanks, the lamp is still red." }).waitFor();
  assert.equal(await box.inputValue(), "");

  await context.setOffline(true);
  await box.fill("Written offline: it works now.");
  await send.click();
  await frame.getByText("Saved, waiting for the connection: your reply").waitFor();
  await page.waitForTimeout(2500); // a retry or two fail while offline
  await context.setOffline(false);
  await frame.locator(".message.mine:not(.queued)", { hasText: "Written offline: it works now." }).waitFor({ timeout: 20000 });

  const bodies = (await agentThread(ticket.id)).map((m) => m.body);
  assert.equal(bodies.filter((b) => b === "Thanks, the lamp is still red.").length, 1, "the online answer is stored once");
  assert.equal(bodies.filter((b) => b === "Written offline: it works now.").length, 1, "the offline answer is stored once");

  // Read now: back in the list the marker is gone.
  await frame.getByRole("button", { name: "Back" }).click();
  await row.waitFor();
  assert.equal(await row.locator(".unread").count(), 0);
  assert.ok((await tabdeskHostKeys(page)).length > 0, "the widget keeps its requests on the host page");

  await frame.getByRole("button", { name: "Delete my data on this device" }).click();
  await search.waitFor();
  assert.equal(await entry.count(), 0);
  for (let i = 0; i < 50 && (await tabdeskHostKeys(page)).length > 0; i++) await page.waitForTimeout(100);
  assert.deepEqual(await tabdeskHostKeys(page), [], "nothing of Tabdesk stays on the host page");
  const own = await frame.evaluate(() => {
    try {
      return Object.keys(localStorage).filter((k) => k.startsWith("tabdesk:"));
    } catch (e) {
      return []; // no storage of its own (third-party storage denied)
    }
  });
  assert.deepEqual(own, [], "nothing of Tabdesk stays in the iframe's storage");

  // After a reload there is still nothing: no requests, no way to them.
  await page.reload();
  await page.mouse.click(button.x, button.y);
  const reopened = await widgetFrame(page);
  await reopened.getByRole("searchbox", { name: "Search help articles" }).waitFor();
  await page.waitForTimeout(1000);
  assert.equal(await reopened.getByRole("button", { name: "My requests" }).count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a request filed in the widget is answered in the console; the home screen marks it and the page hears of it", async () => {
  const context = await browser.newContext({ locale: "en-US" });
  const page = await context.newPage();
  await page.goto(`${hostOrigin}/`);
  await page.waitForFunction(() => typeof window.Tabdesk === "function");
  await page.evaluate(() => {
    window.replies = [];
    window.Tabdesk("on", "message:received", (e) => window.replies.push(e));
  });
  const suggestions = [];
  page.on("request", (r) => r.url().includes("/kb/suggested") && suggestions.push(new URL(r.url()).searchParams));
  const button = await launcher(page);
  await page.mouse.click(button.x, button.y);
  const frame = await widgetFrame(page);
  // Before anything is typed: when to expect an answer, and articles to start with, asked for
  // once, for the page the visitor is on (and not again when the widget's wait for the page
  // runs out, a second after it started).
  await frame.locator(".home .suggested .hit").first().waitFor();
  await page.waitForTimeout(1200);
  assert.deepEqual(suggestions.map((q) => q.get("page_url")), [`${hostOrigin}/`]);
  assert.match(await frame.locator(".reply-time").textContent(), /^We usually reply within \d+ (minutes?|hours?|days?)/);
  await explained(page, frame, frame.getByRole("button", { name: "Contact us" }).click());
  const subject = `Console answer ${Date.now()}`;
  await fillRequest(page, frame, subject);
  await frame.getByRole("button", { name: "Send" }).click();
  await frame.getByRole("status").filter({ hasText: /DEMO-\d+/ }).waitFor();

  // An agent answers in the console, in another tab.
  const desk = await context.newPage();
  await openConsole(desk, `${apiBase}/console#/queue/new`);
  await desk.getByLabel("Agent or admin token").fill(adminToken);
  await desk.getByRole("button", { name: "Sign in" }).click();
  await desk.locator(".tickets .row", { hasText: subject }).click();
  // With a link to an article, found by its words.
  await desk.getByLabel("Message", { exact: true }).fill("Answered from the console.");
  await desk.getByLabel("Link an article (search)").fill("router");
  await desk.locator(".article-finder .found button").first().click();
  assert.match(await desk.getByLabel("Message", { exact: true }).inputValue(), /\/kb\/demo\/[\w-]+\?locale=en/);
  await desk.getByRole("button", { name: "Send" }).click();
  await desk.locator(".thread .message.agent", { hasText: "Answered from the console." }).waitFor();
  const articleLink = desk.locator(".thread .message.agent a[href*='/kb/demo/']");
  const href = await articleLink.getAttribute("href");

  // The panel reopened, the page hears of the reply and the home screen lists the request as
  // unread; a click opens its thread.
  await frame.getByRole("button", { name: "Back" }).click();
  await page.evaluate(() => {
    window.Tabdesk("close");
    window.Tabdesk("open");
  });
  const row = frame.locator(".home .request", { hasText: subject });
  await row.locator(".unread").waitFor({ timeout: 20000 });
  await page.waitForFunction(() => window.replies.length === 1);
  const heard = await page.evaluate(() => window.replies[0]);
  assert.equal(heard.name, "message:received");
  assert.match(heard.number, /^DEMO-\d+$/);
  await row.click();
  await frame.locator(".message-body", { hasText: "Answered from the console." }).waitFor();
  // The address in the reply is a link, and the page behind it is the article.
  const link = frame.locator(`.message-body a[href="${href}"]`);
  assert.equal(await link.getAttribute("rel"), "noopener noreferrer");
  const article = await fetch(href);
  assert.equal(article.status, 200);
  assert.match(await article.text(), /<div class="article-body">/);
  await context.close();
});

test("the host page drives the widget through window.Tabdesk, queued before the loader, and hears its events", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const warnings = [];
  page.on("console", (m) => m.type() === "warning" && warnings.push(m.text()));
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${hostOrigin}/api`);
  // The launcher's shadow root is open: a site's own tests find it by role and name.
  await page.getByRole("button", { name: "Support" }).waitFor();
  assert.equal(await page.evaluate(() => Boolean(document.querySelector("[data-tabdesk]").shadowRoot)), true);

  // Queued before the loader ran: a listener, then a search (which opens the panel).
  const frame = await widgetFrame(page);
  const box = frame.getByRole("searchbox");
  await box.waitFor();
  assert.equal(await box.inputValue(), "router");
  await frame.locator(".hit").first().waitFor();
  assert.match(await frame.locator(".status").textContent(), /found/);

  // showArticle opens an article; the host hears it.
  const res = await fetch(`${apiBase}/v1/sites/${site}/kb/search?q=router&locale=en`);
  const id = (await res.json()).hits[1].id;
  await page.evaluate((id) => window.Tabdesk("showArticle", id), id);
  await frame.locator("article.article h2").waitFor();
  assert.equal(await box.count(), 0, "the article replaced the search screen");
  await page.waitForFunction((id) => window.heard.some((e) => e.name === "article:viewed" && e.id === id), id);

  // Unknown commands warn once and never throw; close is heard too.
  await page.evaluate(() => { window.Tabdesk("fly"); window.Tabdesk("fly"); window.Tabdesk("close"); });
  await page.waitForFunction(() => window.heard.some((e) => e.name === "close"));
  assert.equal(warnings.filter((w) => w.includes("fly")).length, 1, warnings.join("\n"));
  assert.deepEqual(errors, []);
  assert.deepEqual(await page.evaluate(() => window.heard.map((e) => e.name)), ["open", "article:viewed", "close"]);

  // Prefill fills the form's empty fields; the visitor's own text stays.
  await page.evaluate(() => {
    window.Tabdesk("prefill", { subject: "Order 1234", email: "anna@example.com" });
    window.Tabdesk("open");
  });
  await frame.getByRole("button", { name: "Back" }).click();
  await frame.getByRole("button", { name: "Contact us" }).click();
  await frame.locator("#td-subject").waitFor();
  assert.equal(await frame.locator("#td-subject").inputValue(), "Order 1234");
  assert.equal(await frame.locator("#td-email").inputValue(), "anna@example.com");
  await frame.locator("#td-message").fill("My own words");
  await page.evaluate(() => window.Tabdesk("prefill", { message: "Their words", name: "Anna" }));
  await frame.waitForFunction(() => document.querySelector("#td-name")?.value === "Anna");
  assert.equal(await frame.locator("#td-message").inputValue(), "My own words", "what the visitor typed stays");

  // Another frame of the host page (same origin, not the page itself) cannot drive the widget.
  await frame.getByRole("button", { name: "Back" }).click();
  await page.evaluate((origin) => {
    const widget = document.querySelector("[data-tabdesk]").shadowRoot.querySelector("iframe").contentWindow;
    const other = document.createElement("iframe");
    document.body.appendChild(other);
    other.contentWindow.eval(`(${(w, o) => w.postMessage({ type: "tabdesk:search", query: "forged" }, o)})`)(widget, origin);
  }, workerOrigin);
  await page.waitForTimeout(300);
  assert.equal(await frame.getByRole("searchbox").inputValue(), "router", "a forged search was ignored");
  // The same message from the page itself is taken.
  await page.evaluate((origin) => {
    const widget = document.querySelector("[data-tabdesk]").shadowRoot.querySelector("iframe").contentWindow;
    widget.postMessage({ type: "tabdesk:search", query: "lights" }, origin);
  }, workerOrigin);
  await frame.waitForFunction(() => document.querySelector("input.query")?.value === "lights");

  // Another language at run time: the launcher at once, the widget loaded anew in it.
  await page.evaluate(() => window.Tabdesk("setLocale", "ru-RU"));
  await page.getByRole("button", { name: "Поддержка" }).waitFor();
  const russian = await widgetFrame(page);
  await russian.getByRole("button", { name: "Написать нам" }).waitFor();
  assert.match(russian.url(), /locale=ru/);
  await context.close();
});

test("hostile hosts: global CSS and a nonce-only CSP change nothing, a phone gets the whole screen, an RTL page the left side", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${hostOrigin}/hostile`);
  const button = page.getByRole("button", { name: "Support" });
  await button.waitFor();
  const box = await button.boundingBox();
  assert.ok(box && box.width > 60 && box.width < 200 && box.height > 30 && box.height < 70, JSON.stringify(box));
  await button.click();
  const frame = await widgetFrame(page);
  await frame.getByRole("searchbox").fill("router");
  await frame.locator(".hit").first().waitFor();
  const panel = await page.evaluate(() => {
    const r = document.querySelector("[data-tabdesk]").shadowRoot.querySelector("iframe").getBoundingClientRect();
    return { width: r.width, height: r.height };
  });
  assert.ok(panel.width === 380 && panel.height > 300, JSON.stringify(panel));
  assert.deepEqual(await page.evaluate(() => window.violations), [], "the loader needs nothing the policy forbids");
  await context.close();

  const phone = await browser.newContext({ viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true });
  const mobile = await phone.newPage();
  await mobile.goto(`${hostOrigin}/en`);
  await mobile.getByRole("button", { name: "Support" }).tap();
  const small = await widgetFrame(mobile);
  await small.getByRole("searchbox").waitFor();
  const full = await mobile.evaluate(() => {
    const r = document.querySelector("[data-tabdesk]").shadowRoot.querySelector("iframe").getBoundingClientRect();
    return [r.left, r.top, r.width, r.height];
  });
  assert.deepEqual(full, [0, 0, 375, 667], "the panel takes the screen");
  // Under 16px, phones zoom into a field when it takes focus.
  await small.getByRole("button", { name: "Contact us" }).tap();
  await small.locator("#td-subject").waitFor();
  const sizes = await small.evaluate(() =>
    [...document.querySelectorAll("input, textarea, select")].map((e) => parseFloat(getComputedStyle(e).fontSize)),
  );
  assert.ok(sizes.length > 0 && sizes.every((s) => s >= 16), sizes.join(" "));
  await phone.close();

  const rtl = await browser.newContext();
  const arabic = await rtl.newPage();
  await arabic.goto(`${hostOrigin}/rtl`);
  const launcherBox = await arabic.getByRole("button", { name: "Support" }).boundingBox();
  assert.ok(launcherBox.x < 100, `on the left: ${JSON.stringify(launcherBox)}`);
  await rtl.close();
});
