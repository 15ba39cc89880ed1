import TextField from '@material-ui/core/TextField';
import { MIN_JUSTIFICATION_LENGTH } from '@paved/backstage-plugin-provisioning-common';

/** What is wrong with a justification, in words; undefined when it is long enough. @internal */
export function justificationProblem(text: string, parameters: string[]): string | undefined {
  const n = text.trim().length;
  const what = `advanced parameter${parameters.length > 1 ? 's' : ''} ${parameters.join(', ')}`;
  if (n === 0) return `Explain why you need the ${what} outside the golden path.`;
  if (n < MIN_JUSTIFICATION_LENGTH) {
    return `Write a little more: at least ${MIN_JUSTIFICATION_LENGTH} characters (${n} so far).`;
  }
  return undefined;
}

/**
 * The written justification of advanced values outside the golden path (shown when the estimate says one is
 * needed); the platform team reads it when approving.
 * @internal
 */
export function JustificationField(props: {
  parameters: string[];
  value: string;
  onChange: (value: string) => void;
  /** Show the problem (after a submit attempt, or from the server). */
  showProblem?: boolean;
  error?: string;
}) {
  const problem = props.error ?? (props.showProblem ? justificationProblem(props.value, props.parameters) : undefined);
  return (
    <TextField
      id="provisioning-justification"
      label="Justification"
      value={props.value}
      onChange={e => props.onChange(e.target.value)}
      required
      multiline
      minRows={2}
      fullWidth
      variant="outlined"
      margin="dense"
      error={!!problem}
      helperText={
        problem ??
        `Why the golden path does not fit (at least ${MIN_JUSTIFICATION_LENGTH} characters); the platform team approves it and it is recorded on the resource.`
      }
    />
  );
}
