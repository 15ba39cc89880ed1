import {
  EmptyState,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useApiHolder, useRouteRef } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type { Recommendation } from '@paved/backstage-plugin-provisioning-common';
import useAsync from 'react-use/esm/useAsync';
import { inventoryApiRef } from '../../api';
import { formatMonthlyCost } from '../../format';
import { resourceRouteRef } from '../../routes';

/** The link to a resource's page with the update form open and pre-filled with the recommended size. @internal */
export function useResizeLink(): (rec: Recommendation) => string {
  const resourceLink = useRouteRef(resourceRouteRef);
  return rec =>
    `${resourceLink({ id: rec.resourceId })}${
      rec.recommendedSize ? `?resize=${encodeURIComponent(rec.recommendedSize)}` : ''
    }`;
}

/**
 * Every rightsizing recommendation the user may see (all teams, or the given owners), largest saving first, each
 * with its evidence and one click to the resource's update form pre-filled with the recommended size.
 * Recommendations never act on their own.
 * @public
 */
export function RecommendationsContent(props: { owner?: string[] }) {
  const api = useApi(inventoryApiRef);
  const resizeLink = useResizeLink();
  const ownerKey = (props.owner ?? []).join(',');
  const { value, loading, error } = useAsync(
    () => api.listRecommendations({ owner: props.owner }),
    [api, ownerKey],
  );
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} title="Could not load the recommendations" />;
  if (!value || value.items.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No rightsizing recommendations"
        description="A resource gets one when its measured utilisation stays low for 7 days (peak at most 60% of a cheaper size). Utilisation is sampled at every drift check."
      />
    );
  }
  return (
    <Box>
      <Typography variant="h6" data-testid="total-saving">
        {value.items.length} recommendation{value.items.length === 1 ? '' : 's'}, saving{' '}
        {formatMonthlyCost(value.totalMonthlySavingUsd)} in total
      </Typography>
      <Table size="small" aria-label="Rightsizing recommendations">
        <TableHead>
          <TableRow>
            <TableCell>Resource</TableCell>
            <TableCell>Owner</TableCell>
            <TableCell>Change</TableCell>
            <TableCell>Saving</TableCell>
            <TableCell>Why</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {value.items.map(rec => (
            <TableRow key={rec.resourceId} data-testid={`recommendation-${rec.resourceName}`}>
              <TableCell>
                <Link to={resizeLink({ ...rec, recommendedSize: undefined })}>{rec.resourceName}</Link>
                <Typography variant="caption" display="block">
                  {rec.type}
                </Typography>
              </TableCell>
              <TableCell>
                <EntityRefLink entityRef={rec.owner} defaultKind="group" />
              </TableCell>
              <TableCell style={{ whiteSpace: 'nowrap' }}>
                {rec.action === 'resize' ? `${rec.currentSize} -> ${rec.recommendedSize}` : 'delete (idle)'}
              </TableCell>
              <TableCell style={{ whiteSpace: 'nowrap' }}>{formatMonthlyCost(rec.monthlySavingUsd)}</TableCell>
              <TableCell>
                {rec.message}
                {rec.evidence.demo && (
                  <Chip size="small" label="demo data" style={{ marginLeft: 8 }} />
                )}
              </TableCell>
              <TableCell>
                {rec.action === 'resize' && (
                  <Button
                    size="small"
                    variant="outlined"
                    color="primary"
                    component={Link as any}
                    to={resizeLink(rec)}
                  >
                    Resize to {rec.recommendedSize}
                  </Button>
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}

/**
 * The recommendation of one resource, for its owners on the resource page; `onResize` opens the update form
 * pre-filled with the recommended size. Renders nothing without a recommendation (or when it cannot be loaded).
 * @internal
 */
export function RecommendationBanner(props: { resourceId: string; onResize: (size: string) => void }) {
  // optional: an app that did not install the inventory API simply shows no recommendation
  const api = useApiHolder().get(inventoryApiRef);
  const { value } = useAsync(
    async () => api?.listRecommendations({ resourceId: props.resourceId }).catch(() => undefined),
    [api, props.resourceId],
  );
  const rec = value?.items[0];
  if (!rec) return null;
  return (
    <Box mb={2}>
      <Alert
        severity="info"
        data-testid="recommendation"
        action={
          rec.action === 'resize' && rec.recommendedSize ? (
            <Button color="inherit" size="small" onClick={() => props.onResize(rec.recommendedSize!)}>
              Resize to {rec.recommendedSize}
            </Button>
          ) : undefined
        }
      >
        <strong>Rightsizing:</strong> {rec.message}
        {rec.evidence.demo ? ' (demo data)' : ''}
      </Alert>
    </Box>
  );
}
