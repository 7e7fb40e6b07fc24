// `cargo xtask bench console`: how long the console takes, in headless Chromium, from loading
// /console (signed in) to showing the first page of a queue of many tickets; median of 5.
import { launchChromium } from "../tests/e2e/browser.mjs";

const base = process.env.TABDESK_URL;
const token = process.env.TABDESK_TOKEN;
const runs = 5;

const browser = await launchChromium();
const page = await (await browser.newContext()).newPage();
await page.goto(`${base}/console#/queue/new`);
await page.getByLabel("Agent or admin token").fill(token);
await page.getByRole("button", { name: "Sign in" }).click();
await page.locator(".tickets .row").nth(49).waitFor();
const times = [];
for (let i = 0; i < runs; i++) {
  await page.reload();
  await page.locator(".tickets .row").nth(49).waitFor();
  // Milliseconds since this navigation started: the page's own clock.
  times.push(await page.evaluate(() => performance.now()));
}
await browser.close();
times.sort((a, b) => a - b);
console.log(JSON.stringify({ median_ms: Math.round(times[Math.floor(runs / 2)]), runs: times.map(Math.round) }));
