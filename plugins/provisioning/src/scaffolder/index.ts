export {
  ProvisioningCostEstimateField,
  provisioningCostEstimateValidation,
  PROVISIONING_COST_ESTIMATE_FIELD,
} from './ProvisioningCostEstimateField';
export {
  AvailableNameField,
  availableNameValidation,
  AVAILABLE_NAME_FIELD,
  type AvailableNameUiOptions,
} from './AvailableNameField';
export {
  EntityTitleField,
  ENTITY_TITLE_FIELD,
  type EntityTitleUiOptions,
} from './EntityTitleField';
export {
  requestedResources,
  estimateSummary,
  approvalOutcome,
  totalMonthlyCost,
  type EstimatedResourceOption,
  type CostEstimateUiOptions,
  type RequestedResource,
} from './options';
export { resourceNameProblem, entityNameProblem } from './availability';
