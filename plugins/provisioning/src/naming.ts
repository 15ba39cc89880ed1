import {
  RESOURCE_NAME_PATTERN,
  ResourceNaming,
} from '@paved/backstage-plugin-provisioning-common';

const DNS_LABEL = /^[a-z](?:[-a-z0-9]*[a-z0-9])?$/;

/**
 * What is wrong with a resource name under a type's naming rules (`GET /types` → `naming`), in the words the API
 * uses for the same rule (`POST /resources` and `POST /estimates` answer 400 with them; the API also names the
 * driver that imposes the rule, e.g. "reserved by the PostgreSQL driver"). Undefined when the name is valid.
 * Without `naming` (an older backend) only the generic DNS-label rule is checked.
 * @internal
 */
export function nameProblem(
  name: string,
  naming: ResourceNaming | undefined,
): string | undefined {
  const shown = `'${name.slice(0, 60)}'`;
  if (!naming) {
    return RESOURCE_NAME_PATTERN.test(name)
      ? undefined
      : `Invalid name ${shown}: use lowercase letters, digits and '-', starting with a letter and not ending with '-', at most 40 characters`;
  }
  if (name.length > naming.maxLength) {
    return `The name ${shown} is too long: at most ${naming.maxLength} characters`;
  }
  if (naming.reserved.includes(name)) {
    return `The name ${shown} is reserved; choose another one`;
  }
  if (!DNS_LABEL.test(name)) {
    return `Invalid name ${shown}: use lowercase letters, digits and '-', starting with a letter and not ending with '-'`;
  }
  let pattern: RegExp | undefined;
  try {
    pattern = new RegExp(naming.pattern);
  } catch {
    pattern = undefined; // a pattern this browser cannot compile: leave it to the API
  }
  if (pattern && !pattern.test(name)) {
    return `Invalid name ${shown}: ${naming.description}`;
  }
  return undefined;
}
