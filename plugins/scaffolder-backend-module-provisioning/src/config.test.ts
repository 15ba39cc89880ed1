/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { ConfigReader } from '@backstage/config';
import { readPavedScaffolderConfig } from './config';

describe('readPavedScaffolderConfig', () => {
  it('applies defaults relative to the working directory', () => {
    expect(
      readPavedScaffolderConfig(new ConfigReader({}), '/srv/portal/packages/backend'),
    ).toEqual({
      git: { directory: '/srv/portal/.data/git', defaultBranch: 'main' },
      appBaseUrl: 'http://localhost:3000',
      workspacesDirectory: '/srv/portal/.data/scaffolder-workspaces',
      cleanup: { frequency: { minutes: 1 }, gracePeriodMs: 300_000 },
    });
  });

  it('reads configured values', () => {
    expect(
      readPavedScaffolderConfig(
        new ConfigReader({
          app: { baseUrl: 'https://portal.example.com/' },
          scaffolder: {
            paved: {
              git: { directory: '/var/git', defaultBranch: 'trunk' },
              workspaces: { directory: 'ws' },
              cleanup: { frequency: '30s', gracePeriod: { minutes: 1 } },
            },
          },
        }),
        '/x',
      ),
    ).toEqual({
      git: { directory: '/var/git', defaultBranch: 'trunk' },
      appBaseUrl: 'https://portal.example.com',
      workspacesDirectory: '/x/ws',
      cleanup: { frequency: { seconds: 30 }, gracePeriodMs: 60_000 },
    });
  });

  it('rejects an invalid branch', () => {
    expect(() =>
      readPavedScaffolderConfig(
        new ConfigReader({
          scaffolder: { paved: { git: { defaultBranch: '../evil' } } },
        }),
      ),
    ).toThrow(/defaultBranch/);
  });
});
