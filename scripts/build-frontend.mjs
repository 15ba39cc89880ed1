// Builds the production bundle of the frontend (packages/app/dist) when it is missing or its sources changed, and
// reuses it otherwise. `./portal start` runs this before the backend starts, because @backstage/plugin-app-backend
// reads packages/app/dist once at start-up and serves it (with the frontend config injected at run time).
//
// "Sources" are the files that end up in the bundle: packages/app (src, public, package.json) and every workspace
// package the browser runs (backstage.role frontend-plugin, frontend-plugin-module, web-library, common-library:
// src and package.json, without tests), plus yarn.lock (dependency versions). Their content hash (SHA-256 over path and content,
// so a fresh clone or a `git checkout` that only touches mtimes does not force a rebuild) is stored in
// packages/app/dist/.paved-build-stamp after a successful build. Deleting dist/ forces a rebuild.
//
// Usage: node scripts/build-frontend.mjs [--log <file>] [--check]
//   --check  print whether a build is needed (exit 0 = up to date, 3 = stale) without building.
// Exit codes: 0 built or reused, 1 build failed, 3 stale (with --check).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createWriteStream,
  existsSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const APP = join(ROOT, 'packages/app');
const DIST = join(APP, 'dist');
const STAMP = join(DIST, '.paved-build-stamp');
// Tests are never bundled: editing one does not make the build stale.
const SKIP_FILES = /(\.test\.[cm]?[jt]sx?|^setupTests\.[jt]s|\.md)$/;
const BROWSER_ROLES = new Set([
  'frontend-plugin',
  'frontend-plugin-module',
  'web-library',
  'common-library',
]);
const SKIP_DIRS = new Set([
  'node_modules',
  'dist',
  'dist-types',
  'coverage',
  '.git',
]);

const { values } = parseArgs({
  options: {
    log: { type: 'string' },
    check: { type: 'boolean', default: false },
  },
});

function* walk(dir) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) yield* walk(join(dir, entry.name));
    } else if (entry.isFile() && !SKIP_FILES.test(entry.name)) {
      yield join(dir, entry.name);
    }
  }
}

/** The directories and files whose content determines the bundle. */
function sourceRoots() {
  const roots = [
    join(APP, 'src'),
    join(APP, 'public'),
    join(APP, 'package.json'),
    join(ROOT, 'yarn.lock'),
  ];
  for (const area of ['packages', 'plugins']) {
    for (const name of readdirSync(join(ROOT, area)).sort()) {
      const dir = join(ROOT, area, name);
      if (dir === APP || !existsSync(join(dir, 'package.json'))) continue;
      const role = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
        .backstage?.role;
      if (BROWSER_ROLES.has(role))
        roots.push(join(dir, 'src'), join(dir, 'package.json'));
    }
  }
  return roots;
}

export function sourceHash() {
  const hash = createHash('sha256');
  let files = 0;
  for (const root of sourceRoots()) {
    const list =
      existsSync(root) && !root.endsWith('.json') && !root.endsWith('.lock')
        ? walk(root)
        : [root];
    for (const file of list) {
      if (!existsSync(file)) continue;
      hash
        .update(relative(ROOT, file))
        .update('\0')
        .update(readFileSync(file))
        .update('\0');
      files += 1;
    }
  }
  return { hash: hash.digest('hex'), files };
}

const t0 = Date.now();
const { hash, files } = sourceHash();
const current =
  existsSync(STAMP) && existsSync(join(DIST, 'index.html'))
    ? readFileSync(STAMP, 'utf8').trim()
    : '';
if (current === hash) {
  console.log(
    `frontend build up to date (${files} source files hashed in ${
      Date.now() - t0
    } ms)`,
  );
  process.exit(0);
}
if (values.check) {
  console.log(
    current
      ? 'frontend sources changed since the last build'
      : 'no frontend build yet',
  );
  process.exit(3);
}

const log = values.log ? createWriteStream(values.log) : undefined;
const started = Date.now();
const code = await new Promise(resolve => {
  const child = spawn('yarn', ['workspace', 'app', 'build'], {
    cwd: ROOT,
    stdio: ['ignore', log ? 'pipe' : 'inherit', log ? 'pipe' : 'inherit'],
  });
  if (log) {
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
  }
  child.on('exit', c => resolve(c ?? 1));
  child.on('error', () => resolve(1));
});
if (code !== 0) {
  console.error(
    `frontend build failed (exit ${code})${
      values.log ? `; log in ${values.log}` : ''
    }`,
  );
  process.exit(1);
}
// The hash taken before the build: an edit made while it ran makes the next start build again.
writeFileSync(STAMP, `${hash}\n`);
console.log(
  `frontend built in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
