import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import ListItemText from '@material-ui/core/ListItemText';
import MenuItem from '@material-ui/core/MenuItem';
import OutlinedInput from '@material-ui/core/OutlinedInput';
import Select from '@material-ui/core/Select';
import { makeStyles } from '@material-ui/core/styles';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { serviceStatusTranslationRef } from '../../translation';

const useStyles = makeStyles(theme => ({
  control: { minWidth: 200, marginRight: theme.spacing(2) },
}));

/** One selectable filter value. @internal */
export interface FilterOption {
  value: string;
  label: string;
}

/**
 * A labelled multi-select with checkboxes; an empty selection means "any".
 * @internal
 */
export function MultiSelectFilter(props: {
  id: string;
  label: string;
  options: FilterOption[];
  selected: string[];
  onChange: (selected: string[]) => void;
}) {
  const { id, label, options, selected, onChange } = props;
  const classes = useStyles();
  const { t } = useTranslationRef(serviceStatusTranslationRef);
  const known = new Map(options.map(option => [option.value, option.label]));
  // Keep selected values that are not (yet) among the options selectable.
  const all = [
    ...options,
    ...selected
      .filter(value => !known.has(value))
      .map(value => ({ value, label: value })),
  ];
  return (
    <FormControl className={classes.control} margin="dense" variant="outlined">
      <InputLabel id={`${id}-label`} shrink>
        {label}
      </InputLabel>
      <Select
        labelId={`${id}-label`}
        id={id}
        multiple
        input={<OutlinedInput notched label={label} />}
        value={selected}
        displayEmpty
        renderValue={value => {
          const values = value as string[];
          return values.length === 0
            ? t('page.anyOption')
            : values.map(v => known.get(v) ?? v).join(', ');
        }}
        onChange={event => onChange(event.target.value as string[])}
      >
        {all.map(option => (
          <MenuItem key={option.value} value={option.value}>
            <Checkbox
              size="small"
              checked={selected.includes(option.value)}
              color="primary"
            />
            <ListItemText primary={option.label} />
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
}

/**
 * The owner, system and state filters of the status overview.
 * @internal
 */
export function StatusFilters(props: {
  owners: FilterOption[];
  systems: FilterOption[];
  states: FilterOption[];
  selected: { owner: string[]; system: string[]; state: string[] };
  onChange: (key: 'owner' | 'system' | 'state', values: string[]) => void;
  onClear: () => void;
}) {
  const { owners, systems, states, selected, onChange, onClear } = props;
  const { t } = useTranslationRef(serviceStatusTranslationRef);
  const any =
    selected.owner.length + selected.system.length + selected.state.length > 0;
  return (
    <Box display="flex" alignItems="center" flexWrap="wrap">
      <MultiSelectFilter
        id="service-status-filter-owner"
        label={t('page.ownerFilter')}
        options={owners}
        selected={selected.owner}
        onChange={values => onChange('owner', values)}
      />
      <MultiSelectFilter
        id="service-status-filter-system"
        label={t('page.systemFilter')}
        options={systems}
        selected={selected.system}
        onChange={values => onChange('system', values)}
      />
      <MultiSelectFilter
        id="service-status-filter-state"
        label={t('page.stateFilter')}
        options={states}
        selected={selected.state}
        onChange={values => onChange('state', values)}
      />
      {any && (
        <Button size="small" onClick={onClear}>
          {t('page.clearFilters')}
        </Button>
      )}
    </Box>
  );
}
