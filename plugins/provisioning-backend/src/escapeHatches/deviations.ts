import { InputError } from '@backstage/errors';
import {
  AdvancedParameter,
  Deviation,
  MIN_JUSTIFICATION_LENGTH,
  ResourceType,
} from '@paved/backstage-plugin-provisioning-common';
import Ajv, { ValidateFunction } from 'ajv';

/* Escape hatches (issue 14): which advanced parameter values lie outside the golden path. Pure, no I/O. */

const ajv = new Ajv({ allErrors: false, strict: false });
const compiled = new WeakMap<object, ValidateFunction>();

function goldenPathCheck(schema: object): ValidateFunction {
  let fn = compiled.get(schema);
  if (!fn) {
    fn = ajv.compile(schema);
    compiled.set(schema, fn);
  }
  return fn;
}

/** JSON equality with object keys in any order. @internal */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return (
      ka.length === kb.length &&
      ka.every(k => jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
    );
  }
  return false;
}

/** The golden-path value of an advanced parameter for validated parameters (by size, then declared, then schema default). @internal */
export function goldenPathDefault(
  type: ResourceType,
  advanced: AdvancedParameter,
  parameters: Record<string, unknown>,
): unknown {
  const size = parameters.size;
  const bySize = advanced.goldenPathDefaultBySize as Record<string, unknown> | undefined;
  if (bySize && typeof size === 'string' && Object.hasOwn(bySize, size)) {
    return bySize[size];
  }
  if (advanced.goldenPathDefault !== undefined) return advanced.goldenPathDefault;
  const properties = (type.parameters as { properties?: Record<string, { default?: unknown }> }).properties;
  return properties?.[advanced.parameter]?.default;
}

/**
 * The advanced parameter values of validated `parameters` that lie outside the type's golden path, in the
 * order the type declares them (without justification or approval yet). A value is on the golden path when it
 * is absent, satisfies `goldenPath`, or, without `goldenPath`, equals the golden-path default.
 * @internal
 */
export function findDeviations(
  type: ResourceType,
  parameters: Record<string, unknown>,
): Array<Pick<Deviation, 'parameter' | 'value' | 'goldenPathDefault'>> {
  const out: Array<Pick<Deviation, 'parameter' | 'value' | 'goldenPathDefault'>> = [];
  for (const advanced of type.advancedParameters ?? []) {
    const value = parameters[advanced.parameter];
    if (value === undefined) continue;
    const golden = goldenPathDefault(type, advanced, parameters);
    const onPath = advanced.goldenPath
      ? Boolean(goldenPathCheck(advanced.goldenPath)(value))
      : jsonEqual(value, golden);
    if (!onPath) {
      out.push({
        parameter: advanced.parameter,
        value,
        ...(golden !== undefined ? { goldenPathDefault: golden } : {}),
      });
    }
  }
  return out;
}

function show(value: unknown): string {
  return JSON.stringify(value)?.slice(0, 80) ?? 'unset';
}

/** "advanced parameter connectionLimit" / "advanced parameters connectionLimit, extensions". @internal */
export function describeDeviations(deviations: Array<Pick<Deviation, 'parameter'>>): string {
  const names = deviations.map(d => d.parameter).join(', ');
  return `advanced parameter${deviations.length > 1 ? 's' : ''} ${names}`;
}

/**
 * Checks the justification of new deviations: a 400 naming the parameters when it is missing or shorter than
 * {@link MIN_JUSTIFICATION_LENGTH} characters (after trimming). Returns the trimmed justification.
 * @internal
 */
export function assertJustified(
  deviations: Array<Pick<Deviation, 'parameter' | 'value' | 'goldenPathDefault'>>,
  justification: string | undefined,
): string {
  const text = justification?.trim() ?? '';
  if (deviations.length === 0) return text;
  if (text.length < MIN_JUSTIFICATION_LENGTH) {
    const detail = deviations
      .map(d => `${d.parameter} = ${show(d.value)}${d.goldenPathDefault !== undefined ? ` (golden path: ${show(d.goldenPathDefault)})` : ''}`)
      .join(', ');
    throw new InputError(
      `${describeDeviations(deviations)[0].toUpperCase()}${describeDeviations(deviations).slice(1)} outside the golden path (${detail}) ${
        text ? `needs a longer justification (at least ${MIN_JUSTIFICATION_LENGTH} characters, got ${text.length})` : `needs a written justification (at least ${MIN_JUSTIFICATION_LENGTH} characters)`
      }; it then waits for approval by the platform team`,
    );
  }
  return text;
}

/**
 * Splits the deviations of new parameters against the resource's recorded ones: a deviation whose parameter
 * and value are already recorded and approved is `kept` (no new justification or approval); the others are
 * `added`.
 * @internal
 */
export function compareDeviations(
  current: Array<Pick<Deviation, 'parameter' | 'value' | 'goldenPathDefault'>>,
  recorded: Deviation[] | undefined,
): { kept: Deviation[]; added: Array<Pick<Deviation, 'parameter' | 'value' | 'goldenPathDefault'>> } {
  const kept: Deviation[] = [];
  const added: Array<Pick<Deviation, 'parameter' | 'value' | 'goldenPathDefault'>> = [];
  for (const d of current) {
    const old = recorded?.find(r => r.parameter === d.parameter && jsonEqual(r.value, d.value) && r.approvedBy);
    if (old) kept.push({ ...old, ...(d.goldenPathDefault !== undefined ? { goldenPathDefault: d.goldenPathDefault } : {}) });
    else added.push(d);
  }
  return { kept, added };
}
