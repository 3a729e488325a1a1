// Real-browser test of the hookgate admin page (/admin/), driven by playwright-core in Debian's
// Chromium (/usr/bin/chromium; never a browser that Playwright downloads).
//
// It opens the page, enters the admin token, waits for the dead-letter table (#dead) to list a dead
// letter and for the last-hour charts (#history) of its destination to show it accepted and dead,
// clicks its Retry button and waits until the delivered table (#delivered) lists the same delivery
// and the charts count it delivered. Exit 0 on success; 1 with a message on stderr otherwise; every wait is bounded.
//
// Environment:
//   HOOKGATE_URL          the gateway's base URL, e.g. http://127.0.0.1:8080 (required)
//   HOOKGATE_ADMIN_TOKEN  the gateway's admin.token (required)
//   DEAD_TEXT             retry the dead letter whose text contains this (default: the first one)
//   SCREENSHOT            where to save a full-page PNG (default: admin-page.png); also on failure
//   SCREENSHOT_DEAD       where to save one of the page listing the dead letter, before Retry (optional)
//   CHROMIUM              the browser binary (default: /usr/bin/chromium)
//   TIMEOUT_MS            each wait's limit (default: 20000); the whole run gets 3 times that
//
// Used by src/test/java/dev/hookgate/e2e/AdminPageIT.java; by hand, after `npm ci` here:
//   HOOKGATE_URL=http://127.0.0.1:8080 HOOKGATE_ADMIN_TOKEN=... node src/test/browser/admin-page.mjs
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

const base = (process.env.HOOKGATE_URL || "").replace(/\/+$/, "");
const token = process.env.HOOKGATE_ADMIN_TOKEN || "";
const deadText = process.env.DEAD_TEXT || "";
const screenshot = resolve(process.env.SCREENSHOT || "admin-page.png");
const screenshotDead = process.env.SCREENSHOT_DEAD ? resolve(process.env.SCREENSHOT_DEAD) : null;
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const timeout = Number(process.env.TIMEOUT_MS || 20000);

const started = Date.now();
const log = (msg) => console.log(`[admin-page +${((Date.now() - started) / 1000).toFixed(1)}s] ${msg}`);
const fail = (msg) => {
  console.error(`admin-page: FAILED: ${msg}`);
  process.exitCode = 1;
};

if (!base || !token) {
  fail("HOOKGATE_URL and HOOKGATE_ADMIN_TOKEN must be set");
  process.exit(1);
}
if (!(timeout > 0)) {
  fail(`TIMEOUT_MS must be a positive number of milliseconds, not ${process.env.TIMEOUT_MS}`);
  process.exit(1);
}

// the last resort: whatever hangs (a launch, a close), the run ends
const watchdog = setTimeout(() => {
  console.error(`admin-page: FAILED: the whole run took more than ${3 * timeout} ms`);
  process.exit(2);
}, 3 * timeout);
watchdog.unref();

const problems = []; // what the page itself reported: console errors, uncaught exceptions, failed requests
const profile = mkdtempSync(join(tmpdir(), "hookgate-chromium-"));
let context;
let page;
let step = "launching " + executablePath;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    timeout,
    viewport: { width: 1280, height: 800 },
    locale: "en-US",
    timezoneId: "UTC",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  context.setDefaultTimeout(timeout);
  context.setDefaultNavigationTimeout(timeout);
  page = context.pages()[0] ?? (await context.newPage());
  log(`launched ${executablePath}: ${await page.evaluate(() => navigator.userAgent)}`);
  // Chromium asks for /favicon.ico by itself; its 404 is no problem of the page. Failed loads are
  // reported with their address through "response", not as the console's address-less message.
  const favicon = (url) => new URL(url).pathname === "/favicon.ico";
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) problems.push("console: " + m.text());
  });
  page.on("pageerror", (e) => problems.push("page error: " + e.message));
  page.on("response", (r) => {
    if (r.status() >= 400 && !favicon(r.url())) problems.push(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`);
  });
  page.on("requestfailed", (r) => {
    if (!favicon(r.url())) problems.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`);
  });

  step = `opening ${base}/admin/`;
  log(step);
  const response = await page.goto(base + "/admin/", { waitUntil: "load" });
  if (!response || response.status() !== 200) {
    throw new Error(`GET /admin/ answered ${response ? response.status() : "nothing"}`);
  }

  step = "entering the admin token";
  log(step);
  await page.locator("#login").waitFor({ state: "visible" });
  await page.locator("#token").fill(token);
  await page.locator('#login button[type="submit"]').click();
  await page.locator("#main").waitFor({ state: "visible" });

  step = "waiting for #dead to list a dead letter" + (deadText ? ` with text "${deadText}"` : "");
  log(step);
  let deadRow = page.locator("#dead tbody tr[data-id]");
  if (deadText) deadRow = deadRow.filter({ hasText: deadText });
  deadRow = deadRow.first();
  await deadRow.waitFor({ state: "visible" });
  const id = await deadRow.getAttribute("data-id");
  const cells = await deadRow.locator("td").allInnerTexts();
  log(`dead letter ${id}: ${JSON.stringify(cells)}`);

  // the last hour at a glance: the dead letter's destination charts its message, accepted then dead
  const lane = cells[1];
  const chart = (series) => page.locator(`#history tr[data-destination="${lane}"] svg.spark[data-series="${series}"]`);
  const total = async (series) => Number(await chart(series).getAttribute("data-total"));
  step = `waiting for #history to chart ${lane}: accepted and dead`;
  log(step);
  await page.waitForFunction((l) => {
    const row = document.querySelector(`#history tr[data-destination="${l}"]`);
    const t = (s) => Number(row?.querySelector(`svg.spark[data-series="${s}"]`)?.dataset.total || 0);
    return row && t("accepted") >= 1 && t("dead") >= 1 && row.querySelectorAll("svg.spark polyline").length === 6;
  }, lane, { timeout });
  log(`history of ${lane}: accepted ${await total("accepted")}, dead ${await total("dead")}`);

  if (screenshotDead) {
    step = "saving the screenshot of the dead letter";
    mkdirSync(dirname(screenshotDead), { recursive: true });
    await page.screenshot({ path: screenshotDead, fullPage: true });
    log(`screenshot: ${screenshotDead}`);
  }

  step = `clicking Retry of dead letter ${id}`;
  log(step);
  await deadRow.locator("button.retry").click();

  step = `waiting for #delivered to list delivery ${id}`;
  log(step);
  const deliveredRow = page.locator(`#delivered tbody tr[data-id="${id}"]`);
  await deliveredRow.waitFor({ state: "visible" });
  log(`delivered ${id}: ${JSON.stringify(await deliveredRow.locator("td").allInnerTexts())}`);

  step = `waiting for #history to chart ${lane}: delivered`;
  log(step);
  await page.waitForFunction((l) => Number(document.querySelector(
    `#history tr[data-destination="${l}"] svg.spark[data-series="delivered"]`)?.dataset.total || 0) >= 1, lane, { timeout });

  step = `waiting for #dead to no longer list ${id}`;
  await page.locator(`#dead tbody tr[data-id="${id}"]`).waitFor({ state: "detached" });
  const error = (await page.locator("#error").innerText()).trim();
  if (error) throw new Error(`the page shows an error: ${error}`);
  if (problems.length) throw new Error("the page reported problems:\n  " + problems.join("\n  "));

  step = "saving the screenshot";
  mkdirSync(dirname(screenshot), { recursive: true });
  await page.screenshot({ path: screenshot, fullPage: true });
  log(`screenshot: ${screenshot}`);
  log(`OK: dead letter ${id} retried from the page and listed as delivered`);
} catch (e) {
  fail(`while ${step}: ${e && e.message ? e.message.split("\n")[0] : e}`);
  if (problems.length) console.error("the page reported:\n  " + problems.join("\n  "));
  if (page) {
    try {
      console.error("#error: " + JSON.stringify((await page.locator("#error").innerText({ timeout: 2000 })).trim()));
      console.error("#dead: " + JSON.stringify(await page.locator("#dead tbody").innerText({ timeout: 2000 })));
      console.error("#delivered: " + JSON.stringify(await page.locator("#delivered tbody").innerText({ timeout: 2000 })));
      mkdirSync(dirname(screenshot), { recursive: true });
      await page.screenshot({ path: screenshot, fullPage: true, timeout: 5000 });
      console.error(`screenshot of the failure: ${screenshot}`);
    } catch (e2) {
      console.error("(could not read the page: " + (e2 && e2.message ? e2.message.split("\n")[0] : e2) + ")");
    }
  }
} finally {
  if (context) await context.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
  clearTimeout(watchdog);
}
