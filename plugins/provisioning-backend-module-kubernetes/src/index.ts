/*
 * Copyright 2026 The Paved Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 */
/**
 * Kubernetes control-plane driver for the Paved provisioning backend: applies Crossplane claims, Kratix
 * requests and other namespaced custom resources, watches their status, and discovers offerings
 * (Crossplane XRDs, Kratix Promises) as resource types.
 *
 * @packageDocumentation
 */

export { provisioningModuleKubernetes as default } from './module';
