import { FieldExtensionOptions } from '@backstage/plugin-scaffolder-react';
import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import {
  AVAILABLE_NAME_FIELD,
  AvailableNameField,
  availableNameValidation,
} from './AvailableNameField';
import { ENTITY_TITLE_FIELD, EntityTitleField } from './EntityTitleField';
import {
  PROVISIONING_COST_ESTIMATE_FIELD,
  ProvisioningCostEstimateField,
  provisioningCostEstimateValidation,
} from './ProvisioningCostEstimateField';

/**
 * The scaffolder form fields of this plugin as plain field extension options (name, component, validation): what
 * both the new frontend system's `createFormField` and the legacy `createScaffolderFieldExtension` take.
 * @internal
 */
export const pavedFieldOptions = {
  costEstimate: {
    name: PROVISIONING_COST_ESTIMATE_FIELD,
    component: ProvisioningCostEstimateField,
    validation: provisioningCostEstimateValidation,
  },
  availableName: {
    name: AVAILABLE_NAME_FIELD,
    component: AvailableNameField,
    validation: availableNameValidation,
  },
  entityTitle: {
    name: ENTITY_TITLE_FIELD,
    component: EntityTitleField,
  },
} satisfies Record<string, FieldExtensionOptions<string, any>>;

/** The `ProvisioningCostEstimate` form field (new frontend system). @alpha */
export const costEstimateFormField = createFormField(
  pavedFieldOptions.costEstimate,
);

/** The `AvailableName` form field (new frontend system). @alpha */
export const availableNameFormField = createFormField(
  pavedFieldOptions.availableName,
);

/** The `EntityTitle` form field (new frontend system). @alpha */
export const entityTitleFormField = createFormField(
  pavedFieldOptions.entityTitle,
);
