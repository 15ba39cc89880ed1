/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { describeAdoption } from '../__testUtils__/adoptionSuite';

if (TestDatabases.create().supports('POSTGRES_15')) {
  describeAdoption('POSTGRES_15');
} else {
  it.skip('needs PostgreSQL (BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING)', () => {});
}
