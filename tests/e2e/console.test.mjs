// The agents' path in real headless Chromium: an agent signs in to /console with their token,
// finds a request in the queue by keyboard, answers it publicly, adds an internal note and
// solves it; the customer's API shows the reply and never the note. Customer text stays text.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { explained, journal, launchChromium, openConsole, seriousViolations } from "./browser.mjs";

const apiBase = process.env.TABDESK_URL;
const site = process.env.TABDESK_SITE;
const adminToken = process.env.TABDESK_ADMIN_TOKEN;
for (const [name, value] of Object.entries({ apiBase, site, adminToken })) {
  if (!value) throw new Error(`${name} is not set: run these tests with cargo xtask test`);
}

let browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

async function api(method, path, body, headers = {}) {
  const res = await fetch(`${apiBase}${path}`, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

const asAdmin = { authorization: `Bearer ${adminToken}` };

/** A new English browser context on the console's settings, signed in as the site's admin. */
async function adminSettings() {
  const context = await browser.newContext({ locale: "en-US" });
  const page = await context.newPage();
  await signIn(page, adminToken);
  await page.getByRole("link", { name: "Settings" }).click();
  return { context, page };
}

/** Opens the console and signs in with `token`. */
async function signIn(page, token) {
  await openConsole(page, `${apiBase}/console`);
  await page.getByLabel("Agent or admin token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function invite(name) {
  const res = await api("POST", `/v1/admin/sites/${site}/agents`, { name, email: `${name.split(" ")[0].toLowerCase()}@shop.example`, role: "agent" }, asAdmin);
  assert.equal(res.status, 201);
  return res.body;
}

/** A request with XSS payloads wherever the customer writes. */
async function hostileRequest(marker) {
  const res = await api(
    "POST",
    `/v1/sites/${site}/tickets`,
    {
      subject: `${marker} <img src=x onerror="window.__xss=1">`,
      message: `Router is dead <script>window.__xss=2</script>`,
      email: "mallory@example.com",
      name: `<b onmouseover="window.__xss=3">Mallory</b>`,
      category: "tariffs",
      fields: { services: ["other"], other: `<svg onload="window.__xss=4">` },
      fill_ms: 9000,
      context: { page_url: "https://shop.example/help", locale: "en" },
    },
    { "idempotency-key": `console-${marker}` },
  );
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

test("an agent signs in, answers and solves a request by keyboard; the customer sees the reply, never the note", async () => {
  const agent = await invite(`Olga Console${Date.now()}`);
  const marker = `Console${Date.now()}`;
  const created = await hostileRequest(marker);

  const context = await browser.newContext({ locale: "en-US" });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  journal(page);
  const response = await openConsole(page, `${apiBase}/console`);
  const csp = response.headers()["content-security-policy"];
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /unsafe-inline/);

  // A wrong token gets a clear message.
  const token = page.getByLabel("Agent or admin token");
  await token.fill("not-a-token");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("alert").filter({ hasText: "unknown or was revoked" }).waitFor();
  await token.fill(agent.token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation", { name: "Views" }).waitFor();
  assert.match(await page.locator(".top").textContent(), new RegExp(agent.name));

  // The queue: search by keyboard, open with Enter.
  await page.locator("body").press("/");
  await page.keyboard.type(marker);
  await page.keyboard.press("Enter");
  const row = page.locator(".tickets .row", { hasText: marker });
  await row.waitFor();
  await page.waitForFunction(() => document.querySelectorAll(".tickets .row").length === 1);
  await page.keyboard.press("Escape");
  await page.keyboard.press("?");
  await page.getByRole("region", { name: "Keyboard shortcuts" }).waitFor();
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { level: 1, name: new RegExp(marker) }).waitFor();
  assert.equal(new URL(page.url()).hash, `#/ticket/${created.id}`);

  // Customer text is text.
  assert.equal(await page.locator("h1").textContent(), `${marker} <img src=x onerror="window.__xss=1">`);
  assert.equal(await page.locator(".ticket-screen img, .ticket-screen svg, .ticket-screen b").count(), 0);
  assert.match(await page.locator(".sidebar").textContent(), /<svg onload/);

  // A public reply, then an internal note.
  const box = page.getByLabel("Message", { exact: true });
  await box.fill("Please restart the router.");
  await page.getByRole("button", { name: "Send" }).click();
  await page.locator(".thread .message.agent", { hasText: "Please restart the router." }).waitFor();
  await page.getByLabel("Internal note").check();
  await box.fill("Line checked: fine.");
  await page.getByRole("button", { name: "Send" }).click();
  const note = page.locator(".thread .message.internal", { hasText: "Line checked: fine." });
  await note.waitFor();
  assert.match(await note.textContent(), /Internal note/);

  // Solve it.
  await page.getByLabel("Status").selectOption("solved");
  await page.getByRole("button", { name: "Save" }).click();
  await explained(page, page.mainFrame(), page.getByRole("status").filter({ hasText: "Saved" }).waitFor());

  const seen = await api("GET", `/v1/tickets/${created.id}`, undefined, { authorization: `Bearer ${created.access_token}` });
  assert.equal(seen.status, 200);
  assert.equal(seen.body.status, "solved");
  const bodies = seen.body.messages.map((m) => m.body);
  assert.ok(bodies.includes("Please restart the router."), bodies.join(" | "));
  assert.ok(!bodies.includes("Line checked: fine."), "the customer never sees a note");
  assert.equal(await page.evaluate(() => window.__xss), undefined);

  // Sign out leaves nothing in the tab.
  await page.getByRole("button", { name: "Sign out" }).click();
  await token.waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test("an admin invites an agent in the settings, who then signs in; the reports show the site's figures", async () => {
  const { context, page } = await adminSettings();
  await page.getByRole("heading", { name: "Embed code" }).waitFor();
  assert.match(await page.locator(".snippet").textContent(), new RegExp(`data-site="${site}"`));
  const name = `Pavel Invited${Date.now()}`;
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Email", { exact: true }).fill("pavel@shop.example");
  await page.getByRole("button", { name: "Invite" }).click();
  const token = (await page.locator(".token-once .token").textContent()).trim();
  assert.ok(token.length >= 32, token);
  await page.locator(".agents td", { hasText: name }).waitFor();

  // A saved reply, validated by core before it is sent.
  await page.getByRole("button", { name: "Add a reply" }).click();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByRole("alert").filter({ hasText: /saved_replies\[\d+\]\.title/ }).waitFor();
  await page.getByLabel("Title").last().fill("Restart");
  await page.getByLabel(/^Text/).last().fill("Hello {customer_name}, please restart the router ({ticket_number}).");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByRole("alert").filter({ hasText: /^Saved/ }).waitFor(); // not the error naming `saved_replies`
  const config = await api("GET", `/v1/admin/sites/${site}/config`, undefined, asAdmin);
  assert.equal(config.body.saved_replies.at(-1).title, "Restart");

  // Business hours: Monday to Friday by default, Saturday added.
  const savedHours = async (want) => {
    for (let i = 0; i < 50; i++) {
      const now = await api("GET", `/v1/admin/sites/${site}/config`, undefined, asAdmin);
      if (JSON.stringify(now.body.sla.business_hours?.days?.map((d) => d.day) ?? null) === JSON.stringify(want)) return;
      await page.waitForTimeout(100);
    }
    assert.fail(`business hours were not saved as ${JSON.stringify(want)}`);
  };
  await page.getByLabel("Count the targets in business hours only").check();
  await page.getByLabel("Saturday — open").check();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await savedHours([1, 2, 3, 4, 5, 6]);
  await page.getByLabel("Count the targets in business hours only").uncheck();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await savedHours(null);

  // Reports: the figures of the site's statistics.
  await page.getByRole("link", { name: "Reports" }).click();
  const stats = await api("GET", `/v1/admin/sites/${site}/stats`, undefined, asAdmin);
  const tile = page.locator(".tile", { hasText: "Tickets" }).first();
  await tile.waitFor();
  assert.equal((await tile.locator("dd").textContent()).trim(), String(stats.body.tickets));
  assert.equal(await page.locator(".chart rect").count(), stats.body.per_day.length);

  // The invited agent signs in with the token shown once.
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByLabel("Agent or admin token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator(".top", { hasText: name }).waitFor();
  assert.equal(await page.getByRole("link", { name: "Settings" }).count(), 0, "agents have no settings");
  await context.close();
});

test("an admin connects a Telegram bot in the settings: its secrets are kept and never shown again", async () => {
  const { context, page } = await adminSettings();
  const panel = page.locator("section", { has: page.getByRole("heading", { name: "Channels: VK and Telegram" }) });
  await panel.waitFor();
  const saved = () => panel.getByRole("status").filter({ hasText: "Saved" }).waitFor();
  await panel.getByLabel("Telegram bot — Connected").check();
  await panel.getByLabel("Bot token").fill(`700300:${"B".repeat(35)}`);
  await panel.getByLabel("Webhook secret").fill("console-webhook-secret");
  await panel.getByRole("button", { name: "Save channels" }).click();
  await saved();
  // "Saved" shows before the panel has read the connection back: wait for that reading.
  await panel.getByLabel("Bot token").and(panel.getByPlaceholder("set; empty keeps it")).waitFor();
  assert.equal(await panel.getByLabel("Bot token").inputValue(), "", "a secret is never shown again");
  assert.equal(await panel.getByLabel("Bot token").getAttribute("placeholder"), "set; empty keeps it");
  await panel.getByText(`/v1/channels/telegram/${site}`).waitFor();
  const shown = await api("GET", `/v1/admin/sites/${site}/channels`, undefined, asAdmin);
  assert.equal(shown.body.telegram.bot_id, "700300");
  assert.ok(!JSON.stringify(shown.body).includes("console-webhook-secret"));

  // The worker names what is wrong; disconnecting leaves nothing connected.
  await panel.getByLabel("VK community — Connected").check();
  await panel.getByLabel("Community id").fill("not a number");
  await panel.getByRole("button", { name: "Save channels" }).click();
  await panel.getByRole("status").filter({ hasText: "vk.group_id" }).waitFor();
  await panel.getByLabel("VK community — Connected").uncheck();
  await panel.getByLabel("Telegram bot — Connected").uncheck();
  await panel.getByRole("button", { name: "Save channels" }).click();
  await saved();
  const after = await api("GET", `/v1/admin/sites/${site}/channels`, undefined, asAdmin);
  assert.deepEqual(after.body, { vk: null, telegram: null, telegram_app: null, ok: null });
  await context.close();
});

test("an admin builds a category of the contact form, with choices and a field shown on one of them, and removes it", async () => {
  const { context, page } = await adminSettings();
  await page.getByRole("heading", { name: "Contact form" }).waitFor();
  const before = (await api("GET", `/v1/sites/${site}/config`)).body.form.categories.length;

  await page.getByRole("button", { name: "Add a category" }).click();
  const category = page.locator("fieldset.category").last();
  await category.getByLabel("Id", { exact: true }).fill("warranty");
  await category.getByLabel("Label (en)").first().fill("Warranty");
  await category.getByRole("button", { name: "Add a field" }).click();
  const device = category.locator("fieldset.field").nth(0);
  await device.getByLabel("Label (en)").first().fill("Device");
  await device.getByLabel("Type").selectOption({ label: "One of several" });
  await device.locator("fieldset.choice").first().getByLabel("Value").fill("router");
  await device.locator("fieldset.choice").first().getByLabel("Label (en)").fill("Router");
  await device.getByRole("button", { name: "Add a choice" }).click();
  await device.locator("fieldset.choice").nth(1).getByLabel("Label (en)").fill("TV");
  await category.getByRole("button", { name: "Add a field" }).click();
  const serial = category.locator("fieldset.field").nth(1);
  await serial.getByLabel("Id", { exact: true }).fill("serial");
  await serial.getByLabel("Label (en)").first().fill("Serial number");
  await serial.getByLabel("Required").check();
  await serial.getByLabel(/^Mask/).fill("aa-9999");
  await serial.getByLabel("Show only when field").selectOption("field-1");
  await serial.getByLabel("equals").fill("router");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByRole("alert").filter({ hasText: /^Saved/ }).waitFor();

  // What the widget is given: the category as built, in order.
  const form = (await api("GET", `/v1/sites/${site}/config`)).body.form;
  const built = form.categories.find((c) => c.id === "warranty");
  assert.ok(built, JSON.stringify(form));
  assert.deepEqual(built.label, { en: "Warranty" });
  assert.deepEqual(
    built.fields.map((f) => [f.id, f.kind, f.label.en, f.required, f.pattern ?? null, f.show_if ?? null]),
    [
      ["field-1", "select", "Device", false, null, null],
      ["serial", "text", "Serial number", true, "aa-9999", { field: "field-1", equals: "router" }],
    ],
  );
  assert.deepEqual(built.fields[0].options.map((o) => [o.value, o.label.en]), [["router", "Router"], ["choice-1", "TV"]]);

  // Renaming a field carries the condition that names it; a type without a mask drops the mask.
  await device.getByLabel("Id", { exact: true }).fill("device");
  await device.getByLabel("Id", { exact: true }).press("Tab");
  await serial.getByLabel("Type").selectOption({ label: "Date" });
  await page.getByRole("button", { name: "Save", exact: true }).click();
  const fieldsNow = async () =>
    (await api("GET", `/v1/sites/${site}/config`)).body.form.categories.find((c) => c.id === "warranty")?.fields ?? [];
  for (let i = 0; i < 50 && (await fieldsNow())[1]?.kind !== "date"; i++) await page.waitForTimeout(100);
  assert.deepEqual(
    (await fieldsNow()).map((f) => [f.id, f.kind, f.pattern ?? null, f.show_if?.field ?? null]),
    [
      ["device", "select", null, null],
      ["serial", "date", null, "device"],
    ],
  );

  // An invalid id is refused by the worker with the field named; then the category is removed.
  await category.getByLabel("Id", { exact: true }).first().fill("Warranty!");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByRole("alert").filter({ hasText: /form\.categories\[\d+\]\.id/ }).waitFor();
  await category.getByRole("button", { name: "Remove" }).last().click();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByRole("alert").filter({ hasText: /^Saved/ }).waitFor();
  const after = (await api("GET", `/v1/sites/${site}/config`)).body.form.categories;
  assert.equal(after.length, before);
  assert.ok(!after.some((c) => c.id === "warranty" || c.id === "Warranty!"));
  await context.close();
});

test("the console has no serious accessibility violations (axe-core), light and dark", async () => {
  const created = await hostileRequest(`Axe${Date.now()}`);
  for (const colorScheme of ["light", "dark"]) {
    // bypassCSP only so axe can be injected; the other tests run under the real policy.
    const context = await browser.newContext({ bypassCSP: true, colorScheme, locale: "en-US" });
    const page = await context.newPage();
    await openConsole(page, `${apiBase}/console`);
    await page.getByLabel("Agent or admin token").fill(adminToken);
    assert.deepEqual(await seriousViolations(page), [], `sign-in, ${colorScheme}`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator(".tickets .row").first().waitFor();
    await page.keyboard.press("?");
    assert.deepEqual(await seriousViolations(page), [], `queue, ${colorScheme}`);
    await page.goto(`${apiBase}/console#/ticket/${created.id}`);
    await page.getByRole("heading", { level: 1, name: /Axe/ }).waitFor();
    assert.deepEqual(await seriousViolations(page), [], `ticket, ${colorScheme}`);
    await page.getByRole("link", { name: "Reports" }).click();
    await page.locator(".tile").first().waitFor();
    assert.deepEqual(await seriousViolations(page), [], `reports, ${colorScheme}`);
    await page.getByRole("link", { name: "Settings" }).click();
    await page.locator(".agents").waitFor();
    assert.deepEqual(await seriousViolations(page), [], `settings, ${colorScheme}`);
    await context.close();
  }
});

test("a revoked agent's token stops working at once", async () => {
  const agent = await invite(`Ivan Revoked${Date.now()}`);
  const context = await browser.newContext({ locale: "ru-RU" });
  const page = await context.newPage();
  await openConsole(page, `${apiBase}/console`);
  await page.getByLabel("Токен агента или администратора").fill(agent.token);
  await page.getByRole("button", { name: "Войти" }).click();
  await page.getByRole("navigation", { name: "Представления" }).waitFor();
  const revoked = await api("DELETE", `/v1/admin/sites/${site}/agents/${agent.id}`, undefined, asAdmin);
  assert.ok(revoked.status === 204 || revoked.status === 200, String(revoked.status));
  // The console's next call (here: another view) finds the token revoked and signs out.
  await page.goto(`${apiBase}/console#/queue/new`);
  await page.getByRole("alert").filter({ hasText: "не найден или отозван" }).waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.length), 0, "the revoked token is forgotten");
  await context.close();
});
