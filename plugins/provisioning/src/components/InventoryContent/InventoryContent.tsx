import {
  EmptyState,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableFooter from '@material-ui/core/TableFooter';
import TableHead from '@material-ui/core/TableHead';
import TablePagination from '@material-ui/core/TablePagination';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  type InventoryFilter,
  type InventoryItem,
  provisioningInventoryManagePermission,
} from '@paved/backstage-plugin-provisioning-common';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { inventoryApiRef } from '../../api';
import { describeError } from '../../api/errors';
import { formatMonthlyCost } from '../../format';
import { resourceRouteRef } from '../../routes';
import { StateChip } from '../StateChip';
import { useResourceTypes } from '../../hooks/useResourceTypes';

/** Rows per page the table offers; the first is the backend's default page (100), sent without a `limit`. */
const PAGE_SIZES = [100, 250, 500];

const FILTERS: Array<{ value: InventoryFilter | 'all'; label: string }> = [
  { value: 'all', label: 'All' },
  { value: 'drifted', label: 'Drifted' },
  { value: 'failed', label: 'Failed' },
  { value: 'awaiting-approval', label: 'Awaiting approval' },
  { value: 'orphaned', label: 'Orphaned' },
  { value: 'expensive', label: 'Expensive' },
];

function why(item: InventoryItem, expensiveMonthlyUsd: number): string[] {
  const r = item.resource;
  const out: string[] = [];
  if (r.drifted) out.push(r.reason ?? 'drifted');
  if (r.state === 'failed' && r.reason) out.push(r.reason);
  if (r.pendingChange) out.push(`change to ${JSON.stringify(r.pendingChange.parameters)} waits for approval`);
  out.push(...(item.orphanReasons ?? []));
  for (const d of r.deviations ?? []) {
    out.push(
      `off the golden path: ${d.parameter} = ${JSON.stringify(d.value)}${d.approvedBy ? '' : ' (awaiting approval)'}`,
    );
  }
  if (item.flags.includes('expensive')) out.push(`above ${formatMonthlyCost(expensiveMonthlyUsd)}`);
  return out;
}

/**
 * The fleet inventory for the platform team: everything provisioned across all teams, with its owner, type, size,
 * monthly cost, type version (and whether it is behind the type's current one), deviations from the golden path and
 * state, filtered by drifted, failed, awaiting approval, orphaned (owner or entity gone from the
 * catalog) and expensive. A drifted resource can be repaired (its declared state re-applied through the driver) or
 * its drift accepted (what exists becomes the declared state) by users with `provisioning.inventory.manage`.
 * @public
 */
export function InventoryContent(props: { initialFilter?: InventoryFilter }) {
  const api = useApi(inventoryApiRef);
  // each type's current version, so a resource applied at an older one shows as behind
  const types = useResourceTypes();
  const currentVersion = new Map((types.value ?? []).map(t => [t.id, t.version]));
  const resourceLink = useRouteRef(resourceRouteRef);
  const manage = usePermission({ permission: provisioningInventoryManagePermission });
  const [filter, setFilterState] = useState<InventoryFilter | 'all'>(props.initialFilter ?? 'all');
  const [page, setPage] = useState(0);
  const [pageSize, setPageSize] = useState(PAGE_SIZES[0]);
  const setFilter = (f: InventoryFilter | 'all') => {
    setFilterState(f);
    setPage(0);
  };
  const [busy, setBusy] = useState<string | undefined>();
  const [message, setMessage] = useState<{ severity: 'success' | 'error'; text: string } | undefined>();
  const { value, loading, error, retry } = useAsyncRetry(
    () =>
      api.getInventory({
        ...(filter === 'all' ? {} : { filter }),
        ...(page > 0 ? { offset: page * pageSize } : {}),
        ...(pageSize !== PAGE_SIZES[0] ? { limit: pageSize } : {}),
      }),
    [api, filter, page, pageSize],
  );

  const act = async (item: InventoryItem, action: 'repair' | 'accept') => {
    setBusy(item.resource.id);
    setMessage(undefined);
    try {
      if (action === 'repair') {
        await api.repairResource(item.resource.id);
        setMessage({ severity: 'success', text: `Repairing ${item.resource.name}: re-applying its declared state` });
      } else {
        const r = await api.acceptDrift(item.resource.id);
        setMessage({
          severity: 'success',
          text: `Accepted the drift of ${item.resource.name}: declared parameters are now ${JSON.stringify(r.parameters)}`,
        });
      }
    } catch (e) {
      setMessage({
        severity: 'error',
        text: describeError(e, { action: action === 'repair' ? 'repair this resource' : 'accept this drift' }).message,
      });
    } finally {
      setBusy(undefined);
      retry();
    }
  };

  return (
    <Box>
      <Box display="flex" flexWrap="wrap" mb={2} role="group" aria-label="Inventory filters">
        {FILTERS.map(f => (
          <Box key={f.value} mr={1} mb={1}>
            <Chip
              clickable
              color={filter === f.value ? 'primary' : 'default'}
              label={`${f.label}${value ? ` (${value.counts[f.value]})` : ''}`}
              onClick={() => setFilter(f.value)}
              data-testid={`filter-${f.value}`}
            />
          </Box>
        ))}
      </Box>
      {message && (
        <Box mb={2}>
          <Alert severity={message.severity} data-testid="inventory-message">
            {message.text}
          </Alert>
        </Box>
      )}
      {value && !value.catalogChecked && (
        <Box mb={2}>
          <Alert severity="warning">The catalog could not be asked: orphaned resources are unknown.</Alert>
        </Box>
      )}
      {loading && !value && <Progress />}
      {error && <ResponseErrorPanel error={error} title="Could not load the inventory" />}
      {value && value.items.length === 0 && (
        <EmptyState
          missing="data"
          title={filter === 'all' ? 'Nothing provisioned yet' : 'Nothing matches this filter'}
          description="Resources requested through the portal appear here, across all teams."
        />
      )}
      {value && value.items.length > 0 && (
        <Table size="small" aria-label="Inventory">
          <TableHead>
            <TableRow>
              <TableCell>Name</TableCell>
              <TableCell>Owner</TableCell>
              <TableCell>Type</TableCell>
              <TableCell>Size</TableCell>
              <TableCell>Version</TableCell>
              <TableCell>Cost</TableCell>
              <TableCell>State</TableCell>
              <TableCell>Why</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {value.items.map(item => {
              const r = item.resource;
              const drifted = r.drifted && r.state === 'ready';
              return (
                <TableRow key={r.id} data-testid={`inventory-${r.name}`}>
                  <TableCell>
                    <Link to={resourceLink({ id: r.id })}>{r.name}</Link>
                  </TableCell>
                  <TableCell>
                    <EntityRefLink entityRef={r.owner} defaultKind="group" />
                  </TableCell>
                  <TableCell>{r.type}</TableCell>
                  <TableCell style={{ whiteSpace: 'nowrap' }}>{item.size ?? '–'}</TableCell>
                  <TableCell style={{ whiteSpace: 'nowrap' }}>
                    {r.appliedVersion ?? '–'}
                    {r.appliedVersion &&
                      currentVersion.get(r.type) &&
                      currentVersion.get(r.type) !== r.appliedVersion &&
                      ` (behind ${currentVersion.get(r.type)})`}
                  </TableCell>
                  <TableCell style={{ whiteSpace: 'nowrap' }}>{formatMonthlyCost(item.monthlyCostUsd)}</TableCell>
                  <TableCell>
                    <StateChip state={r.state} drifted={r.drifted} />
                  </TableCell>
                  <TableCell>
                    {why(item, value.expensiveMonthlyUsd).map(text => (
                      <Typography key={text} variant="body2">
                        {text}
                      </Typography>
                    ))}
                  </TableCell>
                  <TableCell>
                    {drifted && manage.allowed && (
                      <Box display="flex" style={{ whiteSpace: 'nowrap' }}>
                        <Button
                          size="small"
                          variant="outlined"
                          color="primary"
                          disabled={busy !== undefined}
                          onClick={() => act(item, 'repair')}
                        >
                          Repair
                        </Button>
                        <Box ml={1}>
                          <Button
                            size="small"
                            variant="outlined"
                            disabled={busy !== undefined}
                            onClick={() => act(item, 'accept')}
                          >
                            Accept
                          </Button>
                        </Box>
                      </Box>
                    )}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
          {value.totalItems > PAGE_SIZES[0] && (
            <TableFooter>
              <TableRow>
                <TablePagination
                  count={value.totalItems}
                  page={page}
                  rowsPerPage={pageSize}
                  rowsPerPageOptions={PAGE_SIZES}
                  onPageChange={(_e, p) => setPage(p)}
                  onRowsPerPageChange={e => {
                    setPageSize(Number(e.target.value));
                    setPage(0);
                  }}
                />
              </TableRow>
            </TableFooter>
          )}
        </Table>
      )}
    </Box>
  );
}
