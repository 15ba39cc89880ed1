import {
  createCipheriv,
  createDecipheriv,
  randomBytes,
  scryptSync,
} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const VERSION = 'v1';
const KEY_FILE = 'provisioning-secrets.key';

/**
 * AES-256-GCM encryption of secret values at rest. The resource id is bound as additional
 * authenticated data, so a ciphertext copied to another resource does not decrypt.
 * Error messages never contain plaintext.
 * @internal
 */
export class SecretsCipher {
  readonly #key: Buffer;

  /**
   * Resolves the key: `provisioning.secrets.key` when set; otherwise, outside production,
   * a key generated once into `$PAVED_DATA_DIR/provisioning-secrets.key`.
   * Throws when no key is configured in production.
   */
  static fromKeyConfig(options: {
    key?: string;
    env?: NodeJS.ProcessEnv;
    cwd?: string;
    onGenerated?: (file: string) => void;
  }): SecretsCipher {
    if (options.key) {
      return new SecretsCipher(SecretsCipher.deriveKey(options.key));
    }
    const env = options.env ?? process.env;
    if (env.NODE_ENV === 'production') {
      throw new Error(
        'provisioning.secrets.key must be set in production (32 random bytes in base64, e.g. `openssl rand -base64 32`)',
      );
    }
    const dataDir = path.resolve(
      options.cwd ?? process.cwd(),
      env.PAVED_DATA_DIR || '../../.data',
    );
    const file = path.join(dataDir, KEY_FILE);
    fs.mkdirSync(dataDir, { recursive: true });
    try {
      fs.writeFileSync(file, randomBytes(32).toString('base64'), {
        flag: 'wx',
        mode: 0o600,
      });
      options.onGenerated?.(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw e;
      }
    }
    const stored = fs.readFileSync(file, 'utf8').trim();
    return new SecretsCipher(SecretsCipher.deriveKey(stored));
  }

  /** A 32-byte key from base64 of 32 bytes, or scrypt of any other string. */
  static deriveKey(value: string): Buffer {
    if (/^[A-Za-z0-9+/]{43}=$/.test(value)) {
      const raw = Buffer.from(value, 'base64');
      if (raw.length === 32) {
        return raw;
      }
    }
    return scryptSync(value, 'paved-provisioning-secrets', 32);
  }

  constructor(key: Buffer) {
    if (key.length !== 32) {
      throw new Error('AES-256-GCM needs a 32-byte key');
    }
    this.#key = key;
  }

  encrypt(values: Record<string, string>, resourceId: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(resourceId));
    const data = Buffer.concat([
      cipher.update(JSON.stringify(values), 'utf8'),
      cipher.final(),
    ]);
    const tag = cipher.getAuthTag();
    return `${VERSION}:${Buffer.concat([iv, tag, data]).toString('base64')}`;
  }

  decrypt(value: string, resourceId: string): Record<string, string> {
    const [version, payload] = value.split(':', 2);
    if (version !== VERSION || !payload) {
      throw new Error('Unsupported secrets format');
    }
    const raw = Buffer.from(payload, 'base64');
    const decipher = createDecipheriv(
      'aes-256-gcm',
      this.#key,
      raw.subarray(0, 12),
    );
    decipher.setAAD(Buffer.from(resourceId));
    decipher.setAuthTag(raw.subarray(12, 28));
    try {
      const plain = Buffer.concat([
        decipher.update(raw.subarray(28)),
        decipher.final(),
      ]);
      return JSON.parse(plain.toString('utf8'));
    } catch {
      throw new Error(
        'Could not decrypt stored secrets (wrong provisioning.secrets.key?)',
      );
    }
  }
}
