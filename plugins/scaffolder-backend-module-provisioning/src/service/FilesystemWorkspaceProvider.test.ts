/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createMockDirectory } from '@backstage/backend-test-utils';
import { FilesystemWorkspaceProvider } from './FilesystemWorkspaceProvider';

describe('FilesystemWorkspaceProvider', () => {
  const dir = createMockDirectory();

  it('serializes, replaces, rehydrates and cleans a task workspace', async () => {
    dir.setContent({
      work: { 'a.txt': 'one', sub: { 'b.txt': 'two' } },
    });
    const provider = FilesystemWorkspaceProvider.create({
      directory: dir.resolve('store'),
    });
    await provider.serializeWorkspace({ path: dir.resolve('work'), taskId: 't-1' });
    dir.addContent({ work: { 'c.txt': 'three' } });
    await provider.serializeWorkspace({ path: dir.resolve('work'), taskId: 't-1' });

    await provider.rehydrateWorkspace({ taskId: 't-1', targetPath: dir.resolve('restored') });
    expect(dir.content({ path: 'restored' })).toEqual({
      'a.txt': 'one',
      'c.txt': 'three',
      sub: { 'b.txt': 'two' },
    });
    expect(Object.keys(dir.content({ path: 'store' })!)).toEqual(['t-1']);

    await provider.cleanWorkspace({ taskId: 't-1' });
    expect(dir.content({ path: 'store' })).toEqual({});
    // Nothing to restore is not an error.
    await provider.rehydrateWorkspace({ taskId: 't-1', targetPath: dir.resolve('empty') });
  });

  it('rejects task ids that are not plain names', async () => {
    const provider = FilesystemWorkspaceProvider.create({
      directory: dir.resolve('store'),
    });
    await expect(provider.cleanWorkspace({ taskId: '../x' })).rejects.toThrow(
      /Invalid task id/,
    );
  });
});
