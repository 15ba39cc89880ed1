import { InputError } from '@backstage/errors';
import {
  generatePassword,
  isGeneratedPassword,
  ownerComment,
  quoteIdent,
  scramVerifierLiteral,
  scramVerifierMatches,
  toPostgresName,
} from './identifiers';

describe('identifiers', () => {
  it('maps resource names to PostgreSQL names', () => {
    expect(toPostgresName('orders-db')).toBe('orders_db');
    expect(toPostgresName('a')).toBe('a');
    expect(toPostgresName('a'.repeat(40))).toBe('a'.repeat(40));
  });

  it.each([
    'x; drop database postgres',
    'a"b',
    "a'b",
    'a b',
    'A',
    '-a',
    'a-',
    'a_b',
    '1a',
    'a'.repeat(41),
    'postgres',
    'public',
    'pg-foo',
  ])('rejects %j', name => {
    expect(() => toPostgresName(name)).toThrow(InputError);
  });

  it('rejects extra reserved names, e.g. the admin user', () => {
    expect(() => toPostgresName('admin', ['Admin'])).toThrow(/reserved/);
  });

  it('quotes only strict identifiers', () => {
    expect(quoteIdent('orders_db')).toBe('"orders_db"');
    expect(() => quoteIdent('a"; drop')).toThrow(InputError);
  });

  it('generates unguessable passwords of a fixed alphabet', () => {
    const a = generatePassword();
    expect(isGeneratedPassword(a)).toBe(true);
    expect(a).not.toBe(generatePassword());
    expect(isGeneratedPassword("x' OR 1=1 --")).toBe(false);
    expect(isGeneratedPassword(undefined)).toBe(false);
  });

  it('builds SCRAM verifiers only for generated passwords', async () => {
    await expect(scramVerifierLiteral(generatePassword())).resolves.toMatch(
      /^'SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+'$/,
    );
    await expect(scramVerifierLiteral("pw'; --")).rejects.toThrow(InputError);
  });

  it('checks SCRAM verifiers against passwords', async () => {
    const password = generatePassword();
    const verifier = (await scramVerifierLiteral(password)).slice(1, -1);
    await expect(scramVerifierMatches(verifier, password)).resolves.toBe(true);
    await expect(
      scramVerifierMatches(verifier, generatePassword()),
    ).resolves.toBe(false);
    await expect(
      scramVerifierMatches('md5abcdef', password),
    ).resolves.toBeUndefined();
  });

  it('accepts only UUIDs as resource ids', () => {
    expect(ownerComment('0B8A5A9E-6E0D-4F43-9D9B-2D4A1C9E8F70')).toBe(
      'paved.dev/resource-id=0b8a5a9e-6e0d-4f43-9d9b-2d4a1c9e8f70',
    );
    expect(() => ownerComment("x' --")).toThrow(InputError);
  });
});
