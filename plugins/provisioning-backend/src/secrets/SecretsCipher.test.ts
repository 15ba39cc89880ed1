import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SecretsCipher } from './SecretsCipher';

describe('SecretsCipher', () => {
  it('round-trips, binds the resource id and hides plaintext', () => {
    const cipher = SecretsCipher.fromKeyConfig({ key: randomBytes(32).toString('base64') });
    const box = cipher.encrypt({ password: 'hunter22' }, 'r1');
    expect(box).toMatch(/^v1:/);
    expect(box).not.toContain('hunter22');
    expect(cipher.encrypt({ password: 'hunter22' }, 'r1')).not.toBe(box); // random IV
    expect(cipher.decrypt(box, 'r1')).toEqual({ password: 'hunter22' });
    expect(() => cipher.decrypt(box, 'r2')).toThrow('Could not decrypt stored secrets');
    const other = SecretsCipher.fromKeyConfig({ key: 'another passphrase' });
    expect(() => other.decrypt(box, 'r1')).toThrow(/wrong provisioning.secrets.key/);
    let message = '';
    try {
      other.decrypt(box, 'r1');
    } catch (e) {
      message = String(e);
    }
    expect(message).toMatch(/Could not decrypt/);
    expect(message).not.toContain('hunter22');
  });

  it('generates a development key once and reuses it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-secrets-'));
    const env = { PAVED_DATA_DIR: path.join(dir, 'data') };
    const generated: string[] = [];
    const a = SecretsCipher.fromKeyConfig({ env, onGenerated: f => generated.push(f) });
    const b = SecretsCipher.fromKeyConfig({ env, onGenerated: f => generated.push(f) });
    expect(generated).toEqual([path.join(dir, 'data', 'provisioning-secrets.key')]);
    expect(b.decrypt(a.encrypt({ x: 'y' }, 'id'), 'id')).toEqual({ x: 'y' });
    expect(fs.statSync(generated[0]).mode & 0o777).toBe(0o600);
    // defaults to ../../.data relative to the working directory
    const cwd = path.join(dir, 'packages', 'backend');
    SecretsCipher.fromKeyConfig({ env: {}, cwd });
    expect(fs.existsSync(path.join(dir, '.data', 'provisioning-secrets.key'))).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to run without a key in production', () => {
    expect(() => SecretsCipher.fromKeyConfig({ env: { NODE_ENV: 'production' } })).toThrow(
      /provisioning.secrets.key must be set in production/,
    );
  });
});
