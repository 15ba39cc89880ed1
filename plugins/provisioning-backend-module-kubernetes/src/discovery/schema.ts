/*
 * Copyright 2026 The Paved Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 */
import type { JsonSchema } from '@paved/backstage-plugin-provisioning-common';

const COPIED = [
  'title',
  'description',
  'default',
  'enum',
  'const',
  'minimum',
  'maximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'required',
  'example',
] as const;

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Turns a Kubernetes structural OpenAPI v3 schema into a JSON Schema (draft 7) that Ajv accepts in strict
 * mode: keeps types, properties, required, defaults, enums and bounds; turns `nullable` into a `null` type,
 * OpenAPI's boolean `exclusiveMinimum/Maximum` into numbers, `x-kubernetes-int-or-string` into
 * integer-or-string and `x-kubernetes-preserve-unknown-fields` into open objects; drops `format` and other
 * `x-kubernetes-*` keywords.
 * @internal
 */
export function openApiV3ToJsonSchema(input: unknown): JsonSchema {
  if (!isObject(input)) {
    return {};
  }
  const out: JsonSchema = {};
  for (const key of COPIED) {
    if (input[key] !== undefined) {
      out[key === 'example' ? 'examples' : key] =
        key === 'example'
          ? [structuredClone(input[key])]
          : structuredClone(input[key]);
    }
  }
  if (input['x-kubernetes-int-or-string'] === true) {
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  } else if (typeof input.type === 'string') {
    out.type = input.nullable === true ? [input.type, 'null'] : input.type;
  }
  if (input.exclusiveMinimum === true && typeof input.minimum === 'number') {
    out.exclusiveMinimum = input.minimum;
    delete out.minimum;
  }
  if (input.exclusiveMaximum === true && typeof input.maximum === 'number') {
    out.exclusiveMaximum = input.maximum;
    delete out.maximum;
  }
  if (isObject(input.properties)) {
    out.properties = Object.fromEntries(
      Object.entries(input.properties).map(([k, v]) => [
        k,
        openApiV3ToJsonSchema(v),
      ]),
    );
  }
  if (isObject(input.items)) {
    out.items = openApiV3ToJsonSchema(input.items);
  }
  if (typeof input.additionalProperties === 'boolean') {
    out.additionalProperties = input.additionalProperties;
  } else if (isObject(input.additionalProperties)) {
    out.additionalProperties = openApiV3ToJsonSchema(
      input.additionalProperties,
    );
  } else if (input['x-kubernetes-preserve-unknown-fields'] === true) {
    out.additionalProperties = true;
  }
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    if (Array.isArray(input[key]) && !out[key]) {
      out[key] = (input[key] as unknown[]).map(openApiV3ToJsonSchema);
    }
  }
  if (isObject(input.not)) {
    out.not = openApiV3ToJsonSchema(input.not);
  }
  return out;
}

/**
 * The parameters schema of an offering: the `spec` of its OpenAPI v3 schema, as an object schema.
 * @internal
 */
export function parametersSchemaOf(openAPIV3Schema: unknown): JsonSchema {
  const spec =
    isObject(openAPIV3Schema) && isObject(openAPIV3Schema.properties)
      ? openAPIV3Schema.properties.spec
      : undefined;
  const schema = openApiV3ToJsonSchema(spec);
  schema.type = 'object';
  if (!schema.properties) {
    schema.properties = {};
  }
  if (schema.additionalProperties === undefined) {
    // Only the offering's own fields: requesters cannot inject e.g. compositionRef or writeConnectionSecretToRef.
    schema.additionalProperties = false;
  }
  return schema;
}
