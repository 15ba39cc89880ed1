import TextField from '@material-ui/core/TextField';
import type { ResourceTypeTtl } from '@paved/backstage-plugin-provisioning-common';
import { describeDuration, parseTtl, ttlProblem } from '../../ttl';

/**
 * A time-to-live input (`2h`, `3d`, ISO 8601) with the type's default and maximum in its help text and the
 * problem in words as the user types.
 * @internal
 */
export function TtlField(props: {
  rules: ResourceTypeTtl;
  value: string;
  onChange: (value: string) => void;
  /** A problem from the server, shown over the local check. */
  error?: string;
  extending?: boolean;
}) {
  const { rules, value } = props;
  // an empty field is not an error while typing (the form says so on submit, through `error`)
  const problem =
    props.error ?? (value.trim() ? ttlProblem(value, rules, { extending: props.extending }) : undefined);
  const parsed = parseTtl(value);
  let defaults = 'leave empty and it does not expire';
  if (rules.defaultMs !== undefined) defaults = `default ${describeDuration(rules.defaultMs)}`;
  else if (rules.required) defaults = 'required';
  const help = props.extending
    ? `Counted from now, at most ${describeDuration(rules.maxMs)}, e.g. 2h or 3d.`
    : `Deleted automatically when it ends; ${defaults}, at most ${describeDuration(rules.maxMs)} (e.g. 2h, 3d).`;
  return (
    <TextField
      id={props.extending ? 'provisioning-extend-ttl' : 'provisioning-request-ttl'}
      label={props.extending ? 'New time to live' : 'Time to live'}
      value={value}
      onChange={e => props.onChange(e.target.value)}
      required={props.extending || (rules.required && rules.defaultMs === undefined)}
      placeholder={rules.defaultMs !== undefined ? describeDuration(rules.defaultMs) : 'e.g. 2h'}
      fullWidth
      variant="outlined"
      margin="dense"
      error={!!problem}
      helperText={problem ?? (parsed ? `${describeDuration(parsed)}. ${help}` : help)}
    />
  );
}
