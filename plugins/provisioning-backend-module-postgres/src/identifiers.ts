import { randomBytes, createHash, createHmac, pbkdf2 } from 'node:crypto';
import { promisify } from 'node:util';
import { InputError } from '@backstage/errors';
import { escapeIdentifier, escapeLiteral } from 'pg';

const pbkdf2Async = promisify(pbkdf2);

/** Resource names as the provisioning backend validates them: DNS labels of at most 40 characters. */
const RESOURCE_NAME = /^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$/;
/** What we accept as a PostgreSQL identifier after mapping: lower-case, no quoting surprises. */
const PG_IDENTIFIER = /^[a-z][a-z0-9_]{0,39}$/;
/** Names PostgreSQL reserves or that would touch the server's own objects. @internal */
export const RESERVED_POSTGRES_NAMES = [
  'postgres',
  'template0',
  'template1',
  'public',
  'none',
  'current_user',
  'current_role',
  'session_user',
  'user',
  'all',
];
const RESERVED = new Set(RESERVED_POSTGRES_NAMES);
/** PostgreSQL's identifier limit, in bytes (NAMEDATALEN - 1); resource names are ASCII. @internal */
export const POSTGRES_IDENTIFIER_MAX_BYTES = 63;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Passwords this driver generates: base64url of 24 random bytes (32 characters). */
const GENERATED_PASSWORD = /^[A-Za-z0-9_-]{32}$/;

/**
 * Maps a resource name (a DNS label) to the name of its PostgreSQL role and database: `-` becomes `_`
 * (`orders-db` → `orders_db`). Resource names cannot contain `_`, so the mapping is one-to-one.
 * Throws `InputError` for anything that is not a valid resource name, and for names PostgreSQL reserves
 * (`pg_*`, `postgres`, `template0`, `public`, …) or that equal one of `extraReserved` (e.g. the admin user).
 * @public
 */
export function toPostgresName(
  resourceName: string,
  extraReserved: string[] = [],
): string {
  if (typeof resourceName !== 'string' || !RESOURCE_NAME.test(resourceName)) {
    throw new InputError(
      `Invalid resource name for PostgreSQL: must be a DNS label of at most 40 characters (a-z, 0-9, -)`,
    );
  }
  const name = resourceName.replace(/-/g, '_');
  if (!PG_IDENTIFIER.test(name)) {
    throw new InputError(`Invalid PostgreSQL name derived from resource name`);
  }
  if (
    name.startsWith('pg_') ||
    RESERVED.has(name) ||
    extraReserved.map(n => n.toLowerCase()).includes(name)
  ) {
    throw new InputError(
      `The name '${resourceName}' is reserved by PostgreSQL or the server, choose another one`,
    );
  }
  return name;
}

/**
 * Quotes a validated identifier for SQL text (double quotes, via `pg`'s `escapeIdentifier`).
 * Refuses anything not matching the strict identifier pattern, so raw input never reaches SQL text.
 * @internal
 */
export function quoteIdent(name: string): string {
  if (!PG_IDENTIFIER.test(name)) {
    throw new InputError(`Refusing to quote an invalid identifier`);
  }
  return escapeIdentifier(name);
}

/** Generates a password: base64url of 24 bytes from the CSPRNG. @internal */
export function generatePassword(): string {
  return randomBytes(24).toString('base64url');
}

/** Whether a value looks like a password this driver generated (so it is safe to reuse). @internal */
export function isGeneratedPassword(value: unknown): value is string {
  return typeof value === 'string' && GENERATED_PASSWORD.test(value);
}

/**
 * The SQL literal of a resource id comment: `'paved.dev/resource-id=<uuid>'`; the id must be a UUID.
 * @internal
 */
export function ownerComment(resourceId: string): string {
  if (!UUID.test(resourceId)) {
    throw new InputError(`Invalid resource id, expected a UUID`);
  }
  return `paved.dev/resource-id=${resourceId.toLowerCase()}`;
}

/**
 * Builds the SQL literal of a SCRAM-SHA-256 verifier for a generated password, so that the plain
 * password never appears in SQL text (nor in server logs with `log_statement`).
 * @internal
 */
export async function scramVerifierLiteral(password: string): Promise<string> {
  if (!isGeneratedPassword(password)) {
    throw new InputError(
      'Refusing to hash a password this driver did not generate',
    );
  }
  const iterations = 4096;
  const salt = randomBytes(16);
  const { storedKey, serverKey } = await scramKeys(password, salt, iterations);
  return escapeLiteral(
    `SCRAM-SHA-256$${iterations}:${salt.toString(
      'base64',
    )}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`,
  );
}

async function scramKeys(password: string, salt: Buffer, iterations: number) {
  const salted = await pbkdf2Async(password, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  return {
    storedKey: createHash('sha256').update(clientKey).digest(),
    serverKey: createHmac('sha256', salted).update('Server Key').digest(),
  };
}

const SCRAM_VERIFIER =
  /^SCRAM-SHA-256\$(\d{1,7}):([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)$/;

/**
 * Whether a stored SCRAM-SHA-256 verifier (`pg_authid.rolpassword`) matches a password.
 * Returns `undefined` when the verifier is not in SCRAM form (e.g. md5), so it cannot tell.
 * @internal
 */
export async function scramVerifierMatches(
  verifier: string,
  password: string,
): Promise<boolean | undefined> {
  const m = SCRAM_VERIFIER.exec(verifier);
  if (!m) {
    return undefined;
  }
  const iterations = Number(m[1]);
  if (iterations < 1 || iterations > 1_000_000) {
    return undefined;
  }
  const { storedKey, serverKey } = await scramKeys(
    password,
    Buffer.from(m[2], 'base64'),
    iterations,
  );
  return (
    storedKey.toString('base64') === m[3] &&
    serverKey.toString('base64') === m[4]
  );
}
