// Shared set-up of the browser tests: the built page (dist/, or PLAYGROUND_DIST to test another
// build) served on 127.0.0.1 and Debian's Chromium driven by playwright-core.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "../serve.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
export const web = path.resolve(here, "..");
export const results = path.join(web, "test-results");
export const dist = process.env.PLAYGROUND_DIST || path.join(web, "dist");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

/** Starts the server and the browser: {browser, server, baseUrl}. */
export async function startBrowser() {
  if (!fs.existsSync(path.join(dist, "index.html"))) throw new Error(`${dist} has no index.html: run scripts/build-wasm`);
  fs.mkdirSync(results, { recursive: true });
  const { server, url } = await serve(dist);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return { browser, server, baseUrl: url };
}

/** A fresh context (empty localStorage) and a page loaded until the first result. */
export async function openPage(browser, url, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true, ...options });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  await page.goto(url);
  await page.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
  await waitForStatus(page, /Rendered|error|Error|Stopped/);
  page.errors = errors;
  return { context, page };
}

export async function waitForStatus(page, re, timeout = 15_000) {
  await page.waitForFunction(
    ([source, flags]) => new RegExp(source, flags).test(document.getElementById("status-main").textContent),
    [re.source, re.flags],
    { timeout },
  );
  return page.textContent("#status-main");
}

/** Replaces the text of an editor by typing it (as a user would). */
export async function typeInto(page, selector, text) {
  await page.click(`${selector} .cm-content`);
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press("Delete");
  if (text) await page.keyboard.insertText(text);
}

export async function typeTemplate(page, text) {
  await typeInto(page, "#ed-template", text);
  await page.waitForFunction((t) => window.playground.state.template === t, text);
}

export const shot = (page, name) => page.screenshot({ path: path.join(results, `${name}.png`) });

/** Waits until the shown result is for the current template. */
export async function waitForResult(page, timeout = 15_000) {
  await page.waitForFunction(() => window.playground.result?.template === window.playground.state.template, null, { timeout });
}
