// Drops the databases and roles whose names start with a prefix on a PostgreSQL server.
// Used by the reliability tests to clean up in the background (each DROP DATABASE costs a checkpoint,
// ~0.7 s here), and by hand: node scripts/drop-test-databases.mjs postgresql://postgres@127.0.0.1:5432 paved_rel_ [delay ms]
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Client } = require('pg');

const [url, rawPrefix, delayMs] = process.argv.slice(2);
if (!url || !rawPrefix || !/^[a-z][a-z0-9_-]{5,}$/.test(rawPrefix)) {
  console.error('usage: drop-test-databases.mjs <postgres-url> <prefix of at least 6 characters>');
  process.exit(2);
}
if (delayMs) {
  // let the test runner finish its own database work first
  await new Promise(resolve => setTimeout(resolve, Number(delayMs)));
}
const like = `${rawPrefix.replace(/-/g, '_')}%`;
const client = new Client({ connectionString: url });
await client.connect();
try {
  const dbs = await client.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [like]);
  for (const { datname } of dbs.rows) {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(datname)} WITH (FORCE)`);
  }
  const roles = await client.query('SELECT rolname FROM pg_roles WHERE rolname LIKE $1', [like]);
  for (const { rolname } of roles.rows) {
    await client.query(`DROP ROLE IF EXISTS ${client.escapeIdentifier(rolname)}`);
  }
} finally {
  await client.end();
}
