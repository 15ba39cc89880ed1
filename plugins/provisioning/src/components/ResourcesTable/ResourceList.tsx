import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { Resource } from '@paved/backstage-plugin-provisioning-common';
import { formatMonthlyCost } from '../../format';
import { resourceRouteRef } from '../../routes';
import { StateChip } from '../StateChip';
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import { TimeLeft } from '../TimeToLive';
import { showValue } from '../Deviations';

/**
 * A plain table of resources: name (links to the resource page), type, owner, entity, state and monthly cost.
 * @internal
 */
export function ResourceList(props: {
  resources: Resource[];
  typeTitles?: Record<string, string>;
  hideEntity?: boolean;
  label?: string;
}) {
  const resourceLink = useRouteRef(resourceRouteRef);
  return (
    <Table size="small" aria-label={props.label ?? 'Resources'}>
      <TableHead>
        <TableRow>
          <TableCell>Name</TableCell>
          <TableCell>Type</TableCell>
          <TableCell>Owner</TableCell>
          {!props.hideEntity && <TableCell>Belongs to</TableCell>}
          <TableCell>State</TableCell>
          <TableCell>Time left</TableCell>
          <TableCell>Golden path</TableCell>
          <TableCell align="right">Monthly cost</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.resources.map(r => (
          <TableRow key={r.id}>
            <TableCell>
              <Link to={resourceLink({ id: r.id })}>{r.name}</Link>
            </TableCell>
            <TableCell>{props.typeTitles?.[r.type] ?? r.type}</TableCell>
            <TableCell>
              <EntityRefLink entityRef={r.owner} defaultKind="group" />
            </TableCell>
            {!props.hideEntity && (
              <TableCell>
                {r.entityRef ? <EntityRefLink entityRef={r.entityRef} /> : '–'}
              </TableCell>
            )}
            <TableCell>
              <StateChip state={r.state} drifted={r.drifted} />
            </TableCell>
            <TableCell>
              {r.expiresAt && r.state !== 'deleted' ? <TimeLeft expiresAt={r.expiresAt} /> : '–'}
            </TableCell>
            <TableCell>
              {(r.deviations ?? []).length > 0 ? (
                <Tooltip
                  title={r.deviations!.map(d => `${d.parameter} = ${showValue(d.value)}: ${d.justification ?? ''}`).join('; ')}
                >
                  <Chip
                    size="small"
                    color="primary"
                    variant="outlined"
                    label={`deviates: ${r.deviations!.map(d => d.parameter).join(', ')}`}
                    data-testid="deviation-chip"
                  />
                </Tooltip>
              ) : (
                'on path'
              )}
            </TableCell>
            <TableCell align="right">
              {formatMonthlyCost(r.monthlyCostUsd)}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
