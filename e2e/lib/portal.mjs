// Shared helpers of the end-to-end tests. `e2e/run.mjs` starts one portal (./portal start on a temporary data
// directory) and passes its addresses through the environment; the browser is Debian's Chromium driven by
// playwright-core (no browser download).
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where screenshots and other artifacts go (git-ignored). */
export const RESULTS_DIR = join(ROOT, 'e2e-results');
export const baseUrl = process.env.PAVED_E2E_BASE_URL ?? 'http://localhost:3000';
export const backendUrl = process.env.PAVED_E2E_BACKEND_URL ?? 'http://localhost:7007';
/** The portal's data directory (.data of the run), e.g. to read the embedded PostgreSQL password. */
export const dataDir = process.env.PAVED_E2E_DATA_DIR ?? join(ROOT, '.data');

/** A guest user token (user:default/dana.ortiz in the demo) for API calls. */
export async function token(url = backendUrl) {
  const res = await fetch(`${url}/api/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  if (!res.ok) throw new Error(`guest refresh failed: ${res.status}`);
  return (await res.json()).backstageIdentity.token;
}

/** GET a backend path with a guest token and return the parsed JSON (throws on non-2xx). */
export async function getJson(path, url = backendUrl) {
  const res = await fetch(`${url}${path}`, {
    headers: { Authorization: `Bearer ${await token(url)}` },
  });
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Launches Debian's Chromium headless. */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.PAVED_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Opens a page signed in as guest (clicks "Enter" on the guest sign-in card). */
export async function signedInPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(baseUrl);
  const enter = page.getByRole('button', { name: 'Enter' });
  await enter.click();
  await enter.waitFor({ state: 'detached' });
  return page;
}

/** Saves a full-page screenshot as e2e-results/screenshots/<name>.png and returns its path. */
export async function screenshot(page, name) {
  const file = join(RESULTS_DIR, 'screenshots', `${name}.png`);
  mkdirSync(dirname(file), { recursive: true });
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Polls `fn` until it returns a truthy value (returned) or `timeoutMs` passes (throws, naming `what` and the last
 * error). An error with `fatal: true` stops polling at once.
 */
export async function eventually(what, fn, timeoutMs, { intervalMs = 500 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const result = await fn();
      if (result) return result;
    } catch (e) {
      if (e.fatal) throw e;
      last = e;
    }
    await new Promise(r => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last.message}` : ''}`);
}
