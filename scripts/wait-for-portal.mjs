// Waits until the portal really serves: the backend answers with a guest token, the catalog returns demo
// entities (not just an open port), and the frontend serves its page. Exit 0 when ready, 1 otherwise.
// Usage: node scripts/wait-for-portal.mjs [--pid <pid>] [--backend http://localhost:7007]
//        [--frontend http://localhost:3000|none] [--timeout-ms 600000]
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    pid: { type: 'string' },
    backend: { type: 'string', default: 'http://localhost:7007' },
    frontend: { type: 'string', default: 'http://localhost:3000' },
    'timeout-ms': { type: 'string', default: '600000' },
  },
});
const deadline = Date.now() + Number(values['timeout-ms']);
const sleep = ms => new Promise(r => setTimeout(r, ms));

function alive(pid) {
  if (!pid) return true;
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch {
    return false;
  }
}

async function catalogReady() {
  const refresh = await fetch(`${values.backend}/api/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  if (!refresh.ok) return false;
  const token = (await refresh.json()).backstageIdentity?.token;
  if (!token) return false;
  const res = await fetch(
    `${values.backend}/api/catalog/entities/by-query?filter=kind=component&limit=1`,
    { headers: { Authorization: `Bearer ${token}` } },
  );
  return res.ok && (await res.json()).items?.length > 0;
}

async function frontendReady() {
  if (values.frontend === 'none') return true;
  const res = await fetch(values.frontend);
  return res.ok && (await res.text()).includes('<div id="root">');
}

while (Date.now() < deadline) {
  if (!alive(values.pid)) {
    console.error('wait-for-portal: the portal process exited');
    process.exit(1);
  }
  try {
    if ((await catalogReady()) && (await frontendReady())) process.exit(0);
  } catch {
    // not listening yet
  }
  await sleep(1000);
}
console.error(`wait-for-portal: not ready after ${values['timeout-ms']} ms`);
process.exit(1);
