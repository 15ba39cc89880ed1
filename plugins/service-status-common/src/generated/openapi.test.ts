import { execFileSync } from 'node:child_process';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '../../../..');

describe('generated OpenAPI files', () => {
  it('are up to date with every src/schema/openapi.yaml', () => {
    // `--check` exits 1 and names the stale files; execFileSync throws then, with that output in the message.
    let output = '';
    try {
      output = execFileSync(
        process.execPath,
        ['scripts/generate-openapi.mjs', '--check'],
        { cwd: repoRoot, encoding: 'utf8', stdio: 'pipe' },
      );
    } catch (error) {
      const e = error as { stderr?: string; stdout?: string };
      throw new Error(
        `Generated OpenAPI files are stale; run \`yarn generate:openapi\`.\n${
          e.stderr ?? ''
        }${e.stdout ?? ''}`,
      );
    }
    expect(output).toBe('');
  }, 60_000);
});
