/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { NotFoundError } from '@backstage/errors';
import { Knex } from 'knex';
import { createHash, randomBytes, randomUUID } from 'node:crypto';

const TABLE = 'paved_git_access_tokens';

/** Prefix of every git access token, so that secret scanners and people recognise one. @internal */
export const GIT_TOKEN_PREFIX = 'pvg_';

/** A git access token as listed (never the secret). @internal */
export interface GitAccessToken {
  id: string;
  name: string;
  userEntityRef: string;
  /** First characters of the token (`pvg_` and 4 more). */
  prefix: string;
  createdAt: string;
  lastUsedAt?: string;
}

function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function toIso(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  return new Date(v as string).toISOString();
}

/**
 * Personal access tokens for git clients of the embedded git server. Only a SHA-256 hash of each
 * token is stored; the token is shown once, when it is issued. The table lives in the scaffolder's
 * database (migrations of this module).
 * @internal
 */
export class GitAccessTokenStore {
  readonly #db: Knex;

  static create(options: { db: Knex }): GitAccessTokenStore {
    return new GitAccessTokenStore(options.db);
  }

  private constructor(db: Knex) {
    this.#db = db;
  }

  /** Issues a token for a user: returns the listing and the secret (shown once). */
  async issue(options: {
    userEntityRef: string;
    name: string;
    now?: Date;
  }): Promise<{ token: string; item: GitAccessToken }> {
    const token = `${GIT_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const id = randomUUID();
    const createdAt = options.now ?? new Date();
    await this.#db(TABLE).insert({
      id,
      user_entity_ref: options.userEntityRef,
      name: options.name,
      token_hash: hashToken(token),
      token_prefix: token.slice(0, 8),
      created_at: createdAt,
    });
    return {
      token,
      item: {
        id,
        name: options.name,
        userEntityRef: options.userEntityRef,
        prefix: token.slice(0, 8),
        createdAt: createdAt.toISOString(),
      },
    };
  }

  /** The user's tokens that are not revoked, newest first. */
  async list(userEntityRef: string): Promise<GitAccessToken[]> {
    const rows = await this.#db(TABLE)
      .select('id', 'name', 'user_entity_ref', 'token_prefix', 'created_at', 'last_used_at')
      .where({ user_entity_ref: userEntityRef })
      .whereNull('revoked_at')
      .orderBy('created_at', 'desc');
    return rows.map(r => ({
      id: r.id,
      name: r.name,
      userEntityRef: r.user_entity_ref,
      prefix: r.token_prefix,
      createdAt: toIso(r.created_at)!,
      lastUsedAt: toIso(r.last_used_at),
    }));
  }

  /** Revokes one of the user's tokens. NotFoundError when it is not theirs or already revoked. */
  async revoke(options: { id: string; userEntityRef: string; now?: Date }): Promise<void> {
    const n = await this.#db(TABLE)
      .where({ id: options.id, user_entity_ref: options.userEntityRef })
      .whereNull('revoked_at')
      .update({ revoked_at: options.now ?? new Date() });
    if (!n) {
      throw new NotFoundError(`No git access token with id '${options.id}'`);
    }
  }

  /** The user a valid (not revoked) token acts for, or undefined. Records the use. */
  async verify(token: string, now: Date = new Date()): Promise<string | undefined> {
    if (!token.startsWith(GIT_TOKEN_PREFIX)) return undefined;
    const hash = hashToken(token);
    const row = await this.#db(TABLE)
      .select('id', 'user_entity_ref')
      .where({ token_hash: hash })
      .whereNull('revoked_at')
      .first();
    if (!row) return undefined;
    await this.#db(TABLE).where({ id: row.id }).update({ last_used_at: now });
    return row.user_entity_ref as string;
  }
}
