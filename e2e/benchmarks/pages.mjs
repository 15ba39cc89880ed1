// Browser benchmark of full page loads (a bookmark, a link from chat, a reload), in Debian's Chromium driven by
// playwright-core. For each page: a fresh navigation (page.goto) in a signed-in tab, timed from the start of the
// navigation until the page's own content is visible (not just the app shell). The first page (sign-in) runs in a
// fresh browser context (empty cache), and the JavaScript it transfers is counted (encoded bytes on the wire, i.e.
// after compression, from the browser's own resource sizes). The other pages run with the cache the sign-in left,
// as a returning user would have it.
//
// Optionally a plain Backstage app of the same release (its production build served by its backend, see
// README "Pages in two seconds") is measured in the same run with the pages it has, and the ratios are printed.
//
// Usage (against running portals; nothing is started here):
//   node e2e/benchmarks/pages.mjs [--paved http://localhost:3000] [--plain http://localhost:7300] [--runs 5]
// Output: a table of median / max per page (ms) with the goal (< 2000 ms) and, with --plain, Paved/plain ratios;
// then first-page JS (MB) and its ratio (goal <= 1.15x). `--json` prints the raw figures as JSON too.
import { chromium } from 'playwright-core';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    paved: { type: 'string', default: 'http://localhost:3000' },
    plain: { type: 'string' },
    runs: { type: 'string', default: '5' },
    json: { type: 'boolean', default: false },
  },
});
const RUNS = Number(values.runs);
const GOAL_MS = 2000;
const GOAL_JS_RATIO = 1.15;

/**
 * The pages of each app: a path and what "content visible" means there (a locator factory). Pages share a key
 * across apps when they are the same page (catalog list, entity page, create, template form), so ratios compare
 * like with like.
 */
const APPS = {
  paved: {
    entity: 'component:default/orders-api',
    pages: [
      [
        'catalog list',
        '/catalog?filters[kind]=component&filters[user]=all',
        p => p.getByRole('link', { name: 'Orders API', exact: true }),
      ],
      [
        'entity page',
        '/catalog/default/component/orders-api',
        p => p.getByText('Orders database'),
      ],
      [
        'status overview',
        '/service-status',
        p =>
          p
            .getByRole('table')
            .getByRole('link', { name: 'Orders API', exact: true }),
      ],
      [
        'self-service',
        '/provisioning',
        p =>
          p
            .getByRole('article', { name: 'PostgreSQL database' })
            .getByText('$15.00/month'),
      ],
      [
        'create',
        '/create',
        p => p.getByText('TypeScript HTTP service', { exact: true }),
      ],
      [
        'template form',
        '/create/templates/default/typescript-service',
        p => p.getByLabel(/^Name/),
      ],
      ['home', '/', p => p.getByText('Orders API')],
    ],
    signedIn: p =>
      p
        .getByRole('navigation', { name: 'sidebar nav' })
        .getByRole('link', { name: 'Catalog' }),
  },
  plain: {
    pages: [
      [
        'catalog list',
        '/catalog?filters[kind]=component&filters[user]=all',
        p => p.getByRole('link', { name: 'example-website', exact: true }),
      ],
      [
        'entity page',
        '/catalog/default/component/example-website',
        p => p.getByText('About').first(),
      ],
      ['create', '/create', p => p.getByText('Example Node.js Template')],
      [
        'template form',
        '/create/templates/default/example-nodejs-template',
        p => p.getByLabel(/^Name/),
      ],
    ],
    signedIn: p =>
      p
        .getByRole('navigation', { name: 'sidebar nav' })
        .getByRole('link', { name: 'Catalog' }),
  },
};

async function launch() {
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

/** Signs in as guest in a fresh context; returns the page, the time to the signed-in app and the JS bytes moved. */
async function signIn(browser, baseUrl, app) {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
  });
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  const scripts = [];
  page.on('requestfinished', req => {
    if (req.resourceType() === 'script')
      scripts.push(
        req
          .sizes()
          .then(s => s.responseBodySize)
          .catch(() => 0),
      );
  });
  const t0 = Date.now();
  await page.goto(baseUrl);
  const enter = page.getByRole('button', { name: 'Enter' });
  await enter.click();
  await app.signedIn(page).first().waitFor({ state: 'visible' });
  const ms = Date.now() - t0;
  await page.waitForLoadState('networkidle').catch(() => {});
  const jsBytes = (await Promise.all(scripts)).reduce((a, b) => a + b, 0);
  return { page, context, ms, jsBytes };
}

async function timePage(page, url, visible) {
  const t0 = Date.now();
  await page.goto(url);
  await visible(page).first().waitFor({ state: 'visible' });
  return Date.now() - t0;
}

async function measure(browser, name, baseUrl) {
  const app = APPS[name];
  const figures = { 'sign-in (first page, empty cache)': [], jsBytes: [] };
  for (const [key] of app.pages) figures[key] = [];
  for (let run = 0; run < RUNS; run++) {
    const { page, context, ms, jsBytes } = await signIn(browser, baseUrl, app);
    figures['sign-in (first page, empty cache)'].push(ms);
    figures.jsBytes.push(jsBytes);
    for (const [key, path, visible] of app.pages) {
      try {
        figures[key].push(await timePage(page, `${baseUrl}${path}`, visible));
      } catch (e) {
        console.error(`${name} ${key}: ${e.message.split('\n')[0]}`);
        figures[key].push(NaN);
      }
    }
    await context.close();
  }
  return figures;
}

const median = xs => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
};
const max = xs => Math.max(...xs.filter(Number.isFinite));
const fmt = n => (Number.isFinite(n) ? String(Math.round(n)) : 'n/a');

const browser = await launch();
const results = { paved: await measure(browser, 'paved', values.paved) };
if (values.plain) results.plain = await measure(browser, 'plain', values.plain);
await browser.close();

const keys = Object.keys(results.paved).filter(k => k !== 'jsBytes');
const rows = [
  [
    'page',
    'Paved median ms',
    'Paved max ms',
    'goal < 2000',
    ...(results.plain ? ['plain median ms', 'Paved / plain'] : []),
  ],
];
for (const key of keys) {
  const m = median(results.paved[key]);
  const row = [
    key,
    fmt(m),
    fmt(max(results.paved[key])),
    m < GOAL_MS ? 'met' : 'MISSED',
  ];
  if (results.plain) {
    const pm = results.plain[key] ? median(results.plain[key]) : NaN;
    row.push(fmt(pm), Number.isFinite(pm) ? `${(m / pm).toFixed(2)}x` : '-');
  }
  rows.push(row);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map(r => r[i].length)));
console.log(
  `\nFull page loads, ${RUNS} runs each, median and max (ms); Chromium headless, ${new Date().toISOString()}`,
);
for (const r of rows)
  console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '));

const mb = b => (b / 1e6).toFixed(2);
const pavedJs = median(results.paved.jsBytes);
let line = `\nJavaScript transferred for the first page (sign-in, empty cache): Paved ${mb(
  pavedJs,
)} MB`;
if (results.plain) {
  const plainJs = median(results.plain.jsBytes);
  const ratio = pavedJs / plainJs;
  line += `, plain ${mb(plainJs)} MB, ratio ${ratio.toFixed(
    2,
  )}x (goal <= ${GOAL_JS_RATIO}x: ${
    ratio <= GOAL_JS_RATIO ? 'met' : 'MISSED'
  })`;
}
console.log(line);
if (values.json) console.log(JSON.stringify(results, null, 2));
