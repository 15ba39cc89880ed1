import { ResourceState } from '@paved/backstage-plugin-provisioning-common';

/** `12.5` → `$12.50/month`. @internal */
export function formatMonthlyCost(usd: number | undefined): string {
  if (usd === undefined || Number.isNaN(usd)) return '–';
  return `$${usd.toFixed(2)}/month`;
}

/** States in which nothing more happens without a user action. @internal */
export const TERMINAL_STATES: ReadonlySet<ResourceState> = new Set([
  'ready',
  'failed',
  'deleted',
]);

/** JSON Schema properties of a type's parameters, in declaration order. @internal */
export function schemaProperties(
  schema: Record<string, unknown>,
): Array<[string, Record<string, unknown>]> {
  const props = schema.properties;
  if (!props || typeof props !== 'object') return [];
  return Object.entries(props as Record<string, Record<string, unknown>>);
}
