import { InputError } from '@backstage/errors';
import type {
  CostEstimate,
  ResourceType,
} from '@paved/backstage-plugin-provisioning-common';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Throws InputError when a JSON value has a key that could pollute prototypes, or nests too deep.
 * @internal
 */
export function assertSafeJson(value: unknown, path = 'body', depth = 0): void {
  if (depth > 20) {
    throw new InputError(`${path} is nested too deeply`);
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertSafeJson(v, `${path}[${i}]`, depth + 1));
  } else if (value && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) {
        throw new InputError(`Forbidden key '${key}' in ${path}`);
      }
      assertSafeJson(
        (value as Record<string, unknown>)[key],
        `${path}.${key}`,
        depth + 1,
      );
    }
  }
}

/**
 * Validates parameters against resource types' JSON Schemas (Ajv, defaults applied) and prices them.
 * @internal
 */
export class ParameterValidator {
  readonly #ajv: Ajv;
  readonly #cache = new WeakMap<ResourceType, ValidateFunction>();

  constructor() {
    this.#ajv = new Ajv({
      allErrors: true,
      useDefaults: true,
      strict: false,
    });
    addFormats(this.#ajv);
  }

  /** Returns a validated copy with defaults applied; throws InputError naming every problem. */
  validate(
    type: ResourceType,
    parameters: Record<string, unknown> | undefined,
  ): Record<string, unknown> {
    let validate = this.#cache.get(type);
    if (!validate) {
      try {
        validate = this.#ajv.compile(type.parameters);
      } catch (e) {
        throw new InputError(
          `Resource type '${type.id}' has an invalid parameter schema: ${(e as Error).message}`,
        );
      }
      this.#cache.set(type, validate);
    }
    const copy = structuredClone(parameters ?? {});
    if (!validate(copy)) {
      const problems = (validate.errors ?? []).map(err => {
        const where = err.instancePath
          ? `parameters${err.instancePath.replace(/\//g, '.')}`
          : 'parameters';
        let allowed = '';
        if (err.keyword === 'enum') {
          allowed = ` (${(err.params as { allowedValues: unknown[] }).allowedValues.join(', ')})`;
        } else if (err.keyword === 'additionalProperties') {
          allowed = ` ('${(err.params as { additionalProperty: string }).additionalProperty}')`;
        }
        return `${where} ${err.message}${allowed}`;
      });
      throw new InputError(
        `Invalid parameters for '${type.id}': ${problems.join('; ')}`,
      );
    }
    return copy;
  }

  /** Monthly price in USD/month of validated parameters. */
  static monthlyCost(
    type: ResourceType,
    parameters: Record<string, unknown>,
  ): number {
    const size = parameters.size;
    return typeof size === 'string' ? type.pricing[size] ?? 0 : 0;
  }

  static needsApproval(
    type: ResourceType,
    parameters: Record<string, unknown>,
  ): boolean {
    const size = parameters.size;
    return (
      typeof size === 'string' &&
      type.policy.approvalRequiredForSizes.includes(size)
    );
  }

  estimate(
    type: ResourceType,
    parameters: Record<string, unknown> | undefined,
    approvers: string,
  ): CostEstimate & { approval: NonNullable<CostEstimate['approval']> } {
    const valid = this.validate(type, parameters);
    const requiresApproval = ParameterValidator.needsApproval(type, valid);
    return {
      type: type.id,
      ...(typeof valid.size === 'string' ? { size: valid.size } : {}),
      monthlyCostUsd: ParameterValidator.monthlyCost(type, valid),
      currency: 'USD',
      requiresApproval,
      ...(requiresApproval ? { approvers } : {}),
      approval: requiresApproval
        ? {
            required: true,
            reason: `Size '${valid.size}' needs approval by ${approvers}`,
          }
        : { required: false },
    };
  }
}
