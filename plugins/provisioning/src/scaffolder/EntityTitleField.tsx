import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { parseEntityRef } from '@backstage/catalog-model';
import { useEffect } from 'react';

/** Name of the field extension (`ui:field: EntityTitle`). @public */
export const ENTITY_TITLE_FIELD = 'EntityTitle';

/** `ui:options` of the `EntityTitle` field. @public */
export interface EntityTitleUiOptions {
  /** The form field holding an entity ref (e.g. `owner`, filled by an `OwnerPicker`). */
  from?: string;
}

/**
 * The title of the entity another field refers to, for the review step: invisible in the form, its value follows
 * the entity ref in `ui:options.from` (the entity's `metadata.title`, else its `spec.profile.displayName`, else its
 * name), so the review shows "Orders team" where the picker stored `group:default/orders-team`. Hide the ref
 * itself from the review with `ui:backstage: { review: { show: false } }` on the picker.
 * @public
 */
export function EntityTitleField(
  props: FieldExtensionComponentProps<string, EntityTitleUiOptions>,
) {
  const { onChange, formData, uiSchema, formContext } = props;
  const catalogApi = useApi(catalogApiRef);
  const from = uiSchema?.['ui:options']?.from;
  const ref = from
    ? ((formContext as { formData?: Record<string, unknown> } | undefined)
        ?.formData?.[from] as string | undefined)
    : undefined;

  useEffect(() => {
    let cancelled = false;
    if (!ref) return undefined;
    let fallback = ref;
    try {
      fallback = parseEntityRef(ref).name;
    } catch {
      // not a ref: show it as it is
    }
    catalogApi
      .getEntityByRef(ref)
      .then(entity => {
        const profile = entity?.spec?.profile as
          | { displayName?: string }
          | undefined;
        return entity?.metadata.title ?? profile?.displayName ?? fallback;
      })
      .catch(() => fallback)
      .then(title => {
        if (!cancelled && title !== formData) onChange(title);
      });
    return () => {
      cancelled = true;
    };
  }, [ref, catalogApi, formData, onChange]);
  return null;
}
