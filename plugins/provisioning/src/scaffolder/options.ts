import { CostEstimate } from '@paved/backstage-plugin-provisioning-common';
import { formatMonthlyCost } from '../format';
import { ownerName } from '../api/errors';

/**
 * One resource a template may request, as declared in the `ui:options.resources` of the
 * `ProvisioningCostEstimate` field. Every string that names a form field refers to a top-level key of the template's
 * parameters (any step).
 *
 * @example
 * ```yaml
 * resources:
 *   - type: postgresql        # resource type id (GET /api/provisioning/v1/types)
 *     title: PostgreSQL database
 *     enabledBy: database     # boolean form field: the resource counts only when it is true
 *     nameFrom: name          # form field whose value (+ nameSuffix) is the resource name
 *     nameSuffix: -db
 *     parameters:
 *       size: databaseSize    # type parameter -> form field holding its value
 * ```
 * @public
 */
export interface EstimatedResourceOption {
  /** Resource type id. */
  type: string;
  /** Label shown in the estimate; defaults to the type id. */
  title?: string;
  /** Boolean form field that switches the resource on; without it the resource always counts. */
  enabledBy?: string;
  /** Form field whose value is the resource name (or its first part, see `nameSuffix`). */
  nameFrom?: string;
  /** Text appended to the value of `nameFrom` (e.g. `-db`). */
  nameSuffix?: string;
  /** Map of type parameter name to the form field holding its value. */
  parameters?: Record<string, string>;
}

/** `ui:options` of the `ProvisioningCostEstimate` field. @public */
export interface CostEstimateUiOptions {
  /** The resources the template may request. */
  resources?: EstimatedResourceOption[];
}

/** A resource the form currently requests: what `POST /estimates` is asked for. @public */
export interface RequestedResource {
  /** Resource type id. */
  type: string;
  /** Label shown in the estimate. */
  title: string;
  /** The resource name, when the form has one. */
  name?: string;
  /** Type parameters taken from the form. */
  parameters: Record<string, unknown>;
}

/**
 * The resources a form's values request under the `resources` options: those whose `enabledBy` field is true (or
 * that have none), with their names and parameters read from the form. Parameters whose field is empty are left
 * out, so the type's defaults apply.
 * @public
 */
export function requestedResources(
  options: EstimatedResourceOption[] | undefined,
  values: Record<string, unknown> | undefined,
): RequestedResource[] {
  const form = values ?? {};
  return (options ?? [])
    .filter(option => !option.enabledBy || form[option.enabledBy] === true)
    .map(option => {
      const base = option.nameFrom ? form[option.nameFrom] : undefined;
      const name =
        typeof base === 'string' && base.length > 0
          ? `${base}${option.nameSuffix ?? ''}`
          : undefined;
      const parameters: Record<string, unknown> = {};
      for (const [parameter, field] of Object.entries(
        option.parameters ?? {},
      )) {
        const value = form[field];
        if (value !== undefined && value !== null && value !== '') {
          parameters[parameter] = value;
        }
      }
      return {
        type: option.type,
        title: option.title ?? option.type,
        name,
        parameters,
      };
    });
}

/** Sum of the estimates, in USD/month. @public */
export function totalMonthlyCost(estimates: CostEstimate[]): number {
  return (
    Math.round(estimates.reduce((sum, e) => sum + e.monthlyCostUsd, 0) * 100) /
    100
  );
}

/**
 * The approval outcome in words: who must approve what, or undefined when nothing needs approval.
 * @public
 */
export function approvalOutcome(
  resources: RequestedResource[],
  estimates: CostEstimate[],
): string | undefined {
  const needing = estimates
    .map((estimate, i) => ({ estimate, resource: resources[i] }))
    .filter(({ estimate }) => estimate.requiresApproval);
  if (needing.length === 0) return undefined;
  const parts = needing.map(({ estimate, resource }) => {
    const what = `${resource?.title ?? estimate.type}${
      estimate.size ? ` (size ${estimate.size})` : ''
    }`;
    return `${what} needs approval by ${
      ownerName(estimate.approvers) ?? 'the platform team'
    }`;
  });
  return `${parts.join('; ')}: it is provisioned only after they approve.`;
}

/**
 * The value the field stores and the review step shows: the total and the approval outcome in one line,
 * e.g. `$75.00/month (PostgreSQL database large: needs approval by platform-team)`.
 * @public
 */
export function estimateSummary(
  resources: RequestedResource[],
  estimates: CostEstimate[],
): string {
  if (resources.length === 0) return `${formatMonthlyCost(0)} (no resources)`;
  const total = formatMonthlyCost(totalMonthlyCost(estimates));
  const approval = approvalOutcome(resources, estimates);
  return approval ? `${total}; ${approval}` : `${total}; no approval needed`;
}
