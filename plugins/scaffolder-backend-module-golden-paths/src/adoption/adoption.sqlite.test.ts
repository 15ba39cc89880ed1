/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { describeAdoption } from '../__testUtils__/adoptionSuite';

describeAdoption('SQLITE_3');
