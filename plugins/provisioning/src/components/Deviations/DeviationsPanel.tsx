import { InfoCard } from '@backstage/core-components';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { Deviation } from '@paved/backstage-plugin-provisioning-common';

/** `user:default/alex.kim` → `alex.kim`. */
function userName(ref: string): string {
  return ref.replace(/^user:(default\/)?/i, '');
}

/** A parameter value as shown: JSON, `–` when unset. @internal */
export function showValue(value: unknown): string {
  if (value === undefined) return '–';
  if (Array.isArray(value)) return value.length ? value.join(', ') : 'none';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * The resource's deviations from the golden path: parameter, value, golden-path default, justification, who asked
 * and who approved (or "awaiting approval").
 * @internal
 */
export function DeviationsPanel(props: { deviations?: Deviation[]; title?: string }) {
  const deviations = props.deviations ?? [];
  if (deviations.length === 0) return null;
  return (
    <InfoCard title={props.title ?? 'Deviations from the golden path'}>
      <Typography variant="body2" color="textSecondary" paragraph>
        Advanced settings outside the platform team&apos;s golden path, each with its justification.
      </Typography>
      <Table size="small" aria-label="Deviations">
        <TableHead>
          <TableRow>
            <TableCell>Parameter</TableCell>
            <TableCell>Value</TableCell>
            <TableCell>Golden path</TableCell>
            <TableCell>Justification</TableCell>
            <TableCell>Approved by</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {deviations.map(d => (
            <TableRow key={d.parameter}>
              <TableCell>{d.parameter}</TableCell>
              <TableCell>{showValue(d.value)}</TableCell>
              <TableCell>{showValue(d.goldenPathDefault)}</TableCell>
              <TableCell>
                {d.justification ?? '–'}
                {d.requestedBy && (
                  <Typography variant="caption" display="block" color="textSecondary">
                    asked by {userName(d.requestedBy)}
                  </Typography>
                )}
              </TableCell>
              <TableCell>
                {d.approvedBy ? userName(d.approvedBy) : <em>awaiting approval</em>}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </InfoCard>
  );
}
