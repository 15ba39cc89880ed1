#!/usr/bin/env node
/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// Prints the content hash of a skeleton directory, for a new entry in a template's versions.yaml.
// Usage: node scripts/template-hash.mjs ../../templates/typescript-service/skeleton
import { resolve } from 'node:path';
import { hashSkeleton } from '../src/lib/versions.ts';

for (const dir of process.argv.slice(2)) {
  console.log(`${await hashSkeleton(resolve(dir))}  ${dir}`);
}
