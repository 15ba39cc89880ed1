import { InputError } from '@backstage/errors';
import type { ResourceNaming } from '@paved/backstage-plugin-provisioning-common';
import type { DriverNamingRules } from '@paved/backstage-plugin-provisioning-node';

/** Longest resource name of the generic rule, in characters. */
const GENERIC_MAX_LENGTH = 40;

function listInWords(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The naming rules of a type: the generic DNS-label rule (at most 40 characters) merged with its driver's.
 * @internal
 */
export function mergeNaming(rules?: DriverNamingRules): ResourceNaming {
  const maxLength = Math.max(
    2,
    Math.min(GENERIC_MAX_LENGTH, rules?.maxLength ?? GENERIC_MAX_LENGTH),
  );
  const prefixes = rules?.reservedPrefixes ?? [];
  const lookaheads = [
    ...prefixes.map(p => `(?!${escapeRegExp(p)})`),
    ...(rules?.pattern ? [`(?=${rules.pattern})`] : []),
  ].join('');
  const pattern = `^${lookaheads}[a-z](?:[-a-z0-9]{0,${maxLength - 2}}[a-z0-9])?$`;
  const reserved = [...new Set(rules?.reserved ?? [])].sort();
  const parts = [
    `lowercase letters, digits and '-', starting with a letter and not ending with '-', at most ${maxLength} characters`,
  ];
  if (rules?.patternDescription) parts.push(rules.patternDescription);
  if (prefixes.length) {
    parts.push(`not starting with ${listInWords(prefixes.map(p => `'${p}'`))}`);
  }
  if (reserved.length) parts.push(`not ${listInWords(reserved)}`);
  return { pattern, maxLength, reserved, description: parts.join('; ') };
}

/**
 * Throws `InputError` naming the rule a name breaks, or returns when the name is valid.
 * @param label - who imposes the driver's rules, e.g. `PostgreSQL`
 * @internal
 */
export function assertValidName(
  name: string,
  naming: ResourceNaming,
  rules?: DriverNamingRules,
): void {
  const shown = `'${name.slice(0, 60)}'`;
  const by = rules?.label ? ` by the ${rules.label} driver` : '';
  if (name.length > naming.maxLength) {
    throw new InputError(
      `The name ${shown} is too long: at most ${naming.maxLength} characters${
        naming.maxLength < GENERIC_MAX_LENGTH ? ` are allowed${by}` : ''
      }`,
    );
  }
  if (naming.reserved.includes(name)) {
    throw new InputError(`The name ${shown} is reserved${by}; choose another one`);
  }
  const prefix = rules?.reservedPrefixes?.find(p => name.startsWith(p));
  if (prefix) {
    throw new InputError(
      `The name ${shown} starts with '${prefix}', which is reserved${by}; choose another one`,
    );
  }
  if (!/^[a-z](?:[-a-z0-9]*[a-z0-9])?$/.test(name)) {
    throw new InputError(
      `Invalid name ${shown}: use lowercase letters, digits and '-', starting with a letter and not ending with '-'`,
    );
  }
  if (!new RegExp(naming.pattern).test(name)) {
    throw new InputError(
      `Invalid name ${shown}${by}: ${rules?.patternDescription ?? naming.description}`,
    );
  }
}
