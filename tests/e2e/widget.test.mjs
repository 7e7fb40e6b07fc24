// The customer's path in real headless Chromium: a host page on one origin (127.0.0.1:A) embeds
// the loader from the worker on another (localhost:B), the visitor opens the Support tab,
// searches, files a request, and the agents' API then lists it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
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

function hostPage(lang) {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>Host</title></head>
<body><h1>Host shop</h1><a href="#x">A link</a>
<script src="${workerOrigin}/tabdesk.js" data-site="${site}" async></script></body></html>`;
}

before(async () => {
  server = http.createServer((req, res) => {
    if (req.url === "/favicon.ico") {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(hostPage(req.url.startsWith("/ru") ? "ru" : "en"));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  hostOrigin = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run", "--disable-quic",
    ],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
});

/** The launcher button as the accessibility tree sees it (it lives in a closed shadow root). */
async function launcher(page) {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = await cdp.send("Accessibility.getFullAXTree");
  const buttons = nodes.filter((n) => n.role?.value === "button" && !n.ignored);
  assert.equal(buttons.length, 1, "the host page shows one button: the launcher");
  const node = buttons[0];
  const { model } = await cdp.send("DOM.getBoxModel", { backendNodeId: node.backendDOMNodeId });
  const [x1, y1, , , x3, y3] = model.content;
  return { name: node.name?.value, expanded: node.properties?.find((p) => p.name === "expanded")?.value?.value, x: (x1 + x3) / 2, y: (y1 + y3) / 2 };
}

async function widgetFrame(page) {
  for (let i = 0; i < 100; i++) {
    const frame = page.frames().find((f) => f.url().startsWith(`${workerOrigin}/embed`));
    if (frame) return frame;
    await page.waitForTimeout(50);
  }
  throw new Error("the widget iframe did not appear");
}

async function focusIsOnLauncher(page) {
  // Focus inside a closed shadow root shows on the page as focus on its host element.
  return page.evaluate(() => document.activeElement?.hasAttribute("data-tabdesk") === true);
}

async function adminTickets() {
  const res = await fetch(`${apiBase}/v1/admin/sites/${site}/tickets?limit=200`, {
    headers: { authorization: `Bearer ${adminToken}` },
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

test("the widget has no serious accessibility violations (axe-core)", async () => {
  // bypassCSP only so axe can be injected; the other tests run under the real policy.
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${workerOrigin}/embed?site=${site}&locale=en`);
  await page.getByRole("searchbox").waitFor();
  await page.getByRole("searchbox").fill("pay");
  await page.locator(".hit").first().waitFor();
  await page.addScriptTag({ path: require.resolve("axe-core") });
  const seriousOn = async () => {
    const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  };
  assert.deepEqual(await seriousOn(), []);
  await page.getByRole("button", { name: "Contact us" }).click();
  await page.getByRole("button", { name: "Send" }).click();
  await page.getByText("Please fill in this field.").first().waitFor();
  assert.deepEqual(await seriousOn(), []);
  await context.close();
});

async function openContactForm(page) {
  const button = await launcher(page);
  await page.mouse.click(button.x, button.y);
  const frame = await widgetFrame(page);
  await frame.getByRole("button", { name: "Contact us" }).click();
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
