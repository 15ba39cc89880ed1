// Runs the end-to-end tests: first the backend tests (they start their own backends on SQLite and PostgreSQL),
// then one portal (`./portal start` on a temporary data directory) for every browser test (*.browser.test.mjs).
// Exit code: non-zero if anything failed. Used by `./portal test`.
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './lib/portal.mjs';

const e2eDir = join(ROOT, 'e2e');
// PAVED_E2E_ONLY=<text>: run only the test files whose name contains <text> (e.g. service-status).
const only = process.env.PAVED_E2E_ONLY;
const files = readdirSync(e2eDir)
  .filter(f => f.endsWith('.test.mjs') && (!only || f.includes(only)))
  .sort();
const backendTests = files.filter(f => !f.endsWith('.browser.test.mjs'));
const browserTests = files.filter(f => f.endsWith('.browser.test.mjs'));

function run(cmd, args, env = {}) {
  return new Promise(resolve => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('exit', code => resolve(code ?? 1));
  });
}

const nodeTest = f => ['--test', '--test-reporter=spec', '--test-concurrency=1', ...f.map(x => join(e2eDir, x))];
let failed = false;
// The portal's ports (./portal reads the same variables), so several runs can share one machine.
const frontendPort = process.env.PAVED_FRONTEND_PORT ?? '3000';
const backendPort = process.env.PAVED_BACKEND_PORT ?? '7007';

if (backendTests.length) {
  failed ||= (await run(process.execPath, nodeTest(backendTests))) !== 0;
}

if (browserTests.length) {
  const dataDir = mkdtempSync(join(tmpdir(), 'paved-e2e-'));
  const log = join(dataDir, 'portal.log');
  const out = openSync(log, 'a');
  const portal = spawn(join(ROOT, 'portal'), ['start'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', out, out],
    env: {
      ...process.env,
      PAVED_DATA_DIR: dataDir,
      PAVED_EMBEDDED_PG_PORT: process.env.PAVED_EMBEDDED_PG_PORT ?? '54339',
      NODE_ENV: 'development',
    },
  });
  const ready = await new Promise(resolve => {
    const timer = setTimeout(() => resolve(false), 300_000);
    const poll = setInterval(async () => {
      if (readFileSync(log, 'utf8').includes('Paved is ready')) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve(true);
      }
    }, 1000);
    portal.on('exit', () => {
      clearInterval(poll);
      clearTimeout(timer);
      resolve(false);
    });
  });
  if (!ready) {
    console.error(`e2e: the portal did not start; last lines of ${log}:`);
    console.error(readFileSync(log, 'utf8').split('\n').slice(-60).join('\n'));
    failed = true;
  } else {
    failed ||=
      (await run(process.execPath, nodeTest(browserTests), {
        PAVED_E2E_BASE_URL: `http://localhost:${frontendPort}`,
        PAVED_E2E_BACKEND_URL: `http://localhost:${backendPort}`,
        PAVED_E2E_DATA_DIR: dataDir,
      })) !== 0;
  }
  try {
    process.kill(-portal.pid, 'SIGTERM');
  } catch {
    // already gone
  }
  await new Promise(r => setTimeout(r, 3000));
  try {
    process.kill(-portal.pid, 'SIGKILL');
  } catch {
    // already gone
  }
  if (!failed) rmSync(dataDir, { recursive: true, force: true });
  else console.error(`e2e: portal data and log kept in ${dataDir}`);
}

process.exit(failed ? 1 : 0);
