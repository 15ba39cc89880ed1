import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { PostgresDriver } from './PostgresDriver';
import { DEFAULT_CONNECTION_LIMITS } from './config';
import { testContext, testResource } from './__testUtils__';

// The repository's embedded PostgreSQL (used by `./portal start`) authenticates with passwords, unlike the
// trust-auth test server: this proves that the driver's credentials really work.
const script = path.resolve(
  __dirname,
  '../../../scripts/embedded-postgres.mjs',
);
const describeIfScript = existsSync(script) ? describe : describe.skip;

jest.setTimeout(60_000);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describeIfScript('PostgresDriver against the embedded PostgreSQL', () => {
  let dataDir: string;
  let port: number;
  let child: ChildProcess;
  let adminPassword: string;

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'paved-epg-'));
    port = await freePort();
    child = spawn(process.execPath, [script], {
      env: {
        ...process.env,
        PAVED_DATA_DIR: dataDir,
        PAVED_EMBEDDED_PG_PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', d => (stderr += d));
    const readyLine = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', d => {
        out += d;
        if (out.includes('\n')) resolve(out.trim());
      });
      child.once('exit', code =>
        reject(new Error(`embedded-postgres exited with ${code}: ${stderr}`)),
      );
    });
    if (
      readyLine !== `ready postgresql://postgres@127.0.0.1:${port}/postgres`
    ) {
      throw new Error(`unexpected first line: ${readyLine}`);
    }
    adminPassword = (
      await fs.readFile(
        path.join(dataDir, 'embedded-postgres.password'),
        'utf8',
      )
    ).trim();
  });

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
    }
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('creates credentials that authenticate, and only those', async () => {
    const driver = PostgresDriver.create({
      config: {
        connection: {
          host: '127.0.0.1',
          port,
          user: 'postgres',
          password: adminPassword,
          database: 'postgres',
        },
        publicHost: '127.0.0.1',
        publicPort: port,
        connectionLimits: { ...DEFAULT_CONNECTION_LIMITS },
        defaultConnectionLimit: 10,
      },
      logger: testContext().logger,
    });
    const resource = testResource({ name: 'invoice-db' });
    try {
      const { secrets, outputs } = await driver.apply(resource, testContext());
      expect(outputs.database).toBe('invoice_db');

      const user = new Client({ connectionString: secrets!.url });
      await user.connect();
      await user.query('CREATE TABLE invoices (id int)');
      await user.end();

      const wrong = new Client({
        host: '127.0.0.1',
        port,
        user: 'invoice_db',
        password: 'not-the-password',
        database: 'invoice_db',
      });
      wrong.on('error', () => {});
      await expect(wrong.connect()).rejects.toThrow(
        /password authentication failed/,
      );

      await driver.delete(resource, testContext());
      await expect(
        driver.observe(resource, testContext()),
      ).resolves.toMatchObject({ status: 'missing' });
    } finally {
      await driver.close();
    }
  });

  it('stops the server cleanly on SIGTERM', async () => {
    const exited = new Promise(resolve => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(
      fs.stat(path.join(dataDir, 'embedded-postgres', 'postmaster.pid')),
    ).rejects.toThrow(/ENOENT/);
  });
});
