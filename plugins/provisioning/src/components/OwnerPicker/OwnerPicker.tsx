import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { ownerName } from '../../api/errors';

/**
 * Picks any group of the catalog (kind Group) as owner. Loads the groups when first opened.
 * @internal
 */
export function OwnerPicker(props: {
  label: string;
  value?: string;
  onChange: (ref: string | undefined) => void;
  error?: string;
  /** Refs listed first (the user's own groups). */
  preferred?: string[];
  id?: string;
  required?: boolean;
}) {
  const catalogApi = useApi(catalogApiRef);
  const [open, setOpen] = useState(false);
  const [requested, setRequested] = useState(false);
  const { value: groups, loading } = useAsync(async () => {
    if (!requested) return undefined;
    const { items } = await catalogApi.getEntities({
      filter: { kind: 'Group' },
      fields: ['kind', 'metadata.name', 'metadata.namespace'],
    });
    return items.map(e => stringifyEntityRef(e)).sort();
  }, [catalogApi, requested]);

  const preferred = props.preferred ?? [];
  const options = Array.from(
    new Set([
      ...preferred,
      ...(props.value ? [props.value] : []),
      ...(groups ?? []),
    ]),
  );

  return (
    <Autocomplete
      id={props.id}
      open={open}
      onOpen={() => {
        setOpen(true);
        setRequested(true);
      }}
      onClose={() => setOpen(false)}
      options={options}
      loading={loading}
      value={props.value ?? null}
      groupBy={o => (preferred.includes(o) ? 'My teams' : 'All groups')}
      getOptionLabel={o => ownerName(o) ?? o}
      onChange={(_e, v) => props.onChange(v ?? undefined)}
      renderInput={params => (
        <TextField
          {...params}
          label={props.label}
          variant="outlined"
          margin="dense"
          required={props.required}
          error={!!props.error}
          helperText={props.error}
        />
      )}
    />
  );
}
