import { InputError } from '@backstage/errors';
import { Knex } from 'knex';

/** @internal */
export const HOUR_MS = 3_600_000;

/** Converts a bigint/count column (a string on PostgreSQL) to a number. @internal */
export function num(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

/** Like {@link num} but keeps null/undefined as undefined. @internal */
export function optNum(value: unknown): number | undefined {
  return value === null || value === undefined ? undefined : num(value);
}

/** @internal */
export function isPostgres(knex: Knex): boolean {
  return knex.client.config.client === 'pg';
}

/** @internal */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Encodes a keyset cursor. @internal */
export function encodeCursor(value: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/**
 * Decodes a keyset cursor and checks its fields' types; throws InputError when malformed.
 * @internal
 */
export function decodeCursor<T extends Record<string, 'string' | 'number'>>(
  cursor: string,
  shape: T,
): { [K in keyof T]: T[K] extends 'string' ? string : number } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InputError('Malformed cursor');
  }
  if (!parsed || typeof parsed !== 'object') {
    throw new InputError('Malformed cursor');
  }
  for (const [key, type] of Object.entries(shape)) {
    // eslint-disable-next-line valid-typeof
    if (typeof (parsed as Record<string, unknown>)[key] !== type) {
      throw new InputError('Malformed cursor');
    }
  }
  return parsed as any;
}

/** Splits an array into chunks (for IN lists and batch inserts). @internal */
export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}
