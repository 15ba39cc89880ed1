import {
  EmptyState,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { EntityRefLink, catalogApiRef } from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  ANNOTATION_RESOURCE_ID,
  Resource,
  provisioningResourceApprovePermission,
  provisioningResourceDeletePermission,
  provisioningResourceUpdatePermission,
} from '@paved/backstage-plugin-provisioning-common';
import { ReactNode, useEffect, useState } from 'react';
import { useParams, useSearchParams } from 'react-router-dom';
import { RecommendationBanner } from '../RecommendationsContent';
import { provisioningApiRef } from '../../api';
import { describeError, fieldErrorsFrom, ownerName } from '../../api/errors';
import { formatMonthlyCost, schemaProperties } from '../../format';
import { useOwnerGroups } from '../../hooks/useOwnerGroups';
import { useResourceTypes } from '../../hooks/useResourceTypes';
import { rootRouteRef } from '../../routes';
import { StateChip } from '../StateChip';
import { ApprovalDialog } from './ApprovalDialog';
import { CredentialsPanel } from './CredentialsPanel';
import { DeleteDialog } from './DeleteDialog';
import { EventTimeline } from './EventTimeline';
import { PendingChangePanel } from './PendingChangePanel';
import { ProgressView } from './ProgressView';
import { UpdateDialog } from './UpdateDialog';
import { useResource } from './useResource';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { provisioningTranslationRef } from '../../translation';
import { ExtendDialog, TimeLeft } from '../TimeToLive';
import { DeviationsPanel, showValue } from '../Deviations';

type Dialogs = 'update' | 'delete' | 'approve' | 'reject' | 'extend' | undefined;

function Row(props: { label: string; children: ReactNode }) {
  return (
    <TableRow>
      <TableCell component="th" scope="row">
        {props.label}
      </TableCell>
      <TableCell>{props.children}</TableCell>
    </TableRow>
  );
}

/**
 * The page of one resource (`/provisioning/resources/:id`): state with live progress, event timeline, outputs,
 * credentials (owners only) and the day-2 actions update, delete, retry, approve and reject.
 * @internal
 */
export function ResourcePage(props: { id?: string }) {
  const params = useParams();
  const id = props.id ?? params.id ?? '';
  const api = useApi(provisioningApiRef);
  const { t } = useTranslationRef(provisioningTranslationRef);
  const rootLink = useRouteRef(rootRouteRef);
  const { resource, events, error, loading, refresh } = useResource(id);
  const { value: types } = useResourceTypes();
  const { groups } = useOwnerGroups();
  const [dialog, setDialog] = useState<Dialogs>();
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | undefined>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  // `?resize=<size>` (a rightsizing recommendation's link) opens the update form pre-filled with that size
  const [search, setSearch] = useSearchParams();
  const [prefill, setPrefill] = useState<Record<string, unknown> | undefined>();
  const resizeTo = search.get('resize');

  const catalogApi = useApi(catalogApiRef);
  const { value: catalogEntity } = useAsync(async () => {
    // The Resource entity the catalog provider made of it, if any (its name may differ from the resource's).
    const { items } = await catalogApi.getEntities({
      filter: {
        kind: 'resource',
        [`metadata.annotations.${ANNOTATION_RESOURCE_ID}`]: id,
      },
      fields: ['kind', 'metadata.name', 'metadata.namespace'],
    });
    return items[0] ? stringifyEntityRef(items[0]) : undefined;
  }, [catalogApi, id, resource?.state]);

  const approve = usePermission({
    permission: provisioningResourceApprovePermission,
    resourceRef: id,
  });
  const update = usePermission({
    permission: provisioningResourceUpdatePermission,
    resourceRef: id,
  });
  const remove = usePermission({
    permission: provisioningResourceDeletePermission,
    resourceRef: id,
  });

  const resizeType = resource && types?.find(rt => rt.id === resource.type);
  const resizeAllowed =
    !!resource && (groups.includes(resource.owner) || update.allowed);
  useEffect(() => {
    if (!resizeTo || !resource || !resizeType || !resizeAllowed) return;
    if (resource.state !== 'ready') return;
    // once: the parameter is dropped so that closing the form does not open it again
    setPrefill({ ...resource.parameters, size: resizeTo });
    setDialog('update');
    const next = new URLSearchParams(search);
    next.delete('resize');
    setSearch(next, { replace: true });
  }, [resizeTo, resource, resizeType, resizeAllowed, search, setSearch]);

  if (loading && !resource) return <Progress />;
  if (error && !resource) {
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 404) {
      return (
        <EmptyState
          missing="data"
          title={t('resource.notFoundTitle')}
          description={t('resource.notFoundDescription')}
          action={<Link to={rootLink()}>{t('resource.back')}</Link>}
        />
      );
    }
    return (
      <ResponseErrorPanel
        error={error}
        title={describeError(error, { action: 'see this resource' }).message}
      />
    );
  }
  if (!resource) return null;

  const type = types?.find(rt => rt.id === resource.type);
  const isOwner = groups.includes(resource.owner);
  const live = resource.state !== 'deleted' && resource.state !== 'deleting';
  // Delete works in every state but deleted (a stuck or failed delete can be repeated).
  const deletable = resource.state !== 'deleted';
  const pending = resource.pendingChange;
  const awaitsDecision = resource.state === 'awaiting-approval' || !!pending;
  const canChange = isOwner || update.allowed;
  const canDelete = isOwner || remove.allowed;
  const owner = ownerName(resource.owner);

  const run = async (
    action: string,
    fn: () => Promise<Resource>,
    fields: string[] = [],
    whoMay: string | null = resource.owner,
  ) => {
    setBusy(true);
    setActionError(undefined);
    setFieldErrors({});
    try {
      const updated = await fn();
      setDialog(undefined);
      refresh(updated);
    } catch (e) {
      setFieldErrors(fieldErrorsFrom(e, fields));
      setActionError(
        describeError(e, { owner: whoMay ?? undefined, action }).message,
      );
    } finally {
      setBusy(false);
    }
  };

  const openResize = (size: string) => {
    setPrefill({ ...resource.parameters, size });
    setDialog('update');
  };
  const closeDialog = () => {
    setPrefill(undefined);
    setDialog(undefined);
    setActionError(undefined);
    setFieldErrors({});
  };

  const outputs = Object.entries(resource.outputs ?? {});

  return (
    <Box>
      <Box mb={1} display="flex" gridGap={16}>
        <Link to={`${rootLink()}?tab=resources`}>← {t('resource.back')}</Link>
        {catalogEntity && (
          <Typography variant="body2" component="span">
            {t('resource.inCatalog')}:{' '}
            <EntityRefLink entityRef={catalogEntity} />
          </Typography>
        )}
      </Box>
      <Box
        display="flex"
        alignItems="center"
        gridGap={16}
        mb={2}
        flexWrap="wrap"
      >
        <Typography variant="h4" component="h1">
          {resource.name}
        </Typography>
        <StateChip state={resource.state} drifted={resource.drifted} />
        {live && <TimeLeft expiresAt={resource.expiresAt} size="medium" />}
        <Box flexGrow={1} />
        {live && canChange && type?.ttl && resource.expiresAt && (
          <Button variant="outlined" onClick={() => setDialog('extend')}>
            Extend
          </Button>
        )}
        {resource.state === 'awaiting-approval' && canChange && (
          <Button
            variant="outlined"
            disabled={busy}
            onClick={() =>
              run('withdraw this request', () =>
                api.withdrawResource(resource.id),
              )
            }
          >
            {t('resource.withdrawRequest')}
          </Button>
        )}
        {resource.state === 'awaiting-approval' && approve.allowed && (
          <>
            <Button
              variant="contained"
              color="primary"
              onClick={() => setDialog('approve')}
            >
              {t('resource.approve')}
            </Button>
            <Button variant="outlined" onClick={() => setDialog('reject')}>
              {t('resource.reject')}
            </Button>
          </>
        )}
        {live && canChange && type && (
          <Button
            variant="outlined"
            color="primary"
            disabled={resource.state !== 'ready' && resource.state !== 'failed'}
            onClick={() => setDialog('update')}
          >
            {t('resource.update')}
          </Button>
        )}
        {deletable && canDelete && (
          <Button
            variant="outlined"
            color="secondary"
            onClick={() => setDialog('delete')}
          >
            {t('resource.delete')}
          </Button>
        )}
      </Box>
      {!isOwner && live && (
        <Box mb={2}>
          <Alert severity="info">
            {t('resource.notOwner', { owner: owner ?? resource.owner })}
          </Alert>
        </Box>
      )}
      {error && (
        <Box mb={2}>
          <Alert severity="warning" data-testid="poll-error">
            {t('resource.pollError')}
          </Alert>
        </Box>
      )}
      {isOwner && live && resource.state === 'ready' && (
        <RecommendationBanner resourceId={resource.id} onResize={openResize} />
      )}
      {actionError && !dialog && (
        <Box mb={2}>
          <Alert severity="error" data-testid="action-error">
            {actionError}
          </Alert>
        </Box>
      )}
      {resource.state === 'failed' && (
        <Box mb={2}>
          <Alert
            severity="error"
            data-testid="failed-reason"
            action={
              canChange ? (
                <Button
                  color="inherit"
                  size="small"
                  disabled={busy}
                  onClick={() =>
                    run('retry this resource', () =>
                      api.retryResource(resource.id),
                    )
                  }
                >
                  {t('resource.retry')}
                </Button>
              ) : undefined
            }
          >
            <strong>{t('resource.failedTitle')}:</strong>{' '}
            {resource.reason ?? '–'}
          </Alert>
        </Box>
      )}
      {resource.state === 'ready' &&
        resource.conditions
          .filter(c => c.status === 'False' && c.type !== 'Drifted')
          .map(c => (
            <Box mb={2} key={c.type}>
              <Alert severity="warning" data-testid={`condition-${c.type}`}>
                <strong>{c.reason ?? c.type}:</strong> {c.message ?? '–'}
              </Alert>
            </Box>
          ))}
      {resource.state === 'deleted' && (
        <Box mb={2}>
          <Alert severity="success">
            {t('resource.deleted')}{' '}
            <Link to={rootLink()}>{t('resource.back')}</Link>
          </Alert>
        </Box>
      )}
      <Grid container spacing={2}>
        {pending && (
          <Grid item xs={12}>
            <PendingChangePanel
              change={pending}
              currentMonthlyCostUsd={resource.monthlyCostUsd}
              canWithdraw={canChange}
              canDecide={approve.allowed}
              busy={busy}
              onWithdraw={() =>
                run('withdraw this change', () =>
                  api.withdrawResource(resource.id),
                )
              }
              onApprove={() => setDialog('approve')}
              onReject={() => setDialog('reject')}
            />
            {(pending.deviations ?? []).some(d => !d.approvedBy) && (
              <Box mt={2}>
                <DeviationsPanel
                  title="Deviations this change asks for"
                  deviations={pending.deviations!.filter(d => !d.approvedBy)}
                />
              </Box>
            )}
          </Grid>
        )}
        {(resource.deviations ?? []).length > 0 && (
          <Grid item xs={12}>
            <DeviationsPanel deviations={resource.deviations} />
          </Grid>
        )}
        <Grid item xs={12}>
          <InfoCard title={t('resource.progress')}>
            <ProgressView resource={resource} />
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={6}>
          <InfoCard title={t('resource.overview')}>
            <Table size="small" aria-label="Overview">
              <TableBody>
                <Row label="Type">{type?.title ?? resource.type}</Row>
                {resource.appliedVersion && (
                  <Row label="Type version">
                    {resource.appliedVersion}
                    {resource.targetVersion && resource.targetVersion !== resource.appliedVersion
                      ? ` (applying ${resource.targetVersion})`
                      : ''}
                    {type?.version && type.version !== resource.appliedVersion && !resource.targetVersion
                      ? ` (current: ${type.version})`
                      : ''}
                  </Row>
                )}
                <Row label="Owner">
                  <EntityRefLink
                    entityRef={resource.owner}
                    defaultKind="group"
                  />
                </Row>
                <Row label="Belongs to">
                  {resource.entityRef ? (
                    <EntityRefLink entityRef={resource.entityRef} />
                  ) : (
                    '–'
                  )}
                </Row>
                {resource.system && (
                  <Row label="System">
                    <EntityRefLink entityRef={resource.system} />
                  </Row>
                )}
                {(type
                  ? schemaProperties(type.parameters).map(([k]) => k)
                  : Object.keys(resource.parameters)
                )
                  .filter(k => resource.parameters[k] !== undefined)
                  .map(k => (
                    <Row label={k} key={k}>
                      {showValue(resource.parameters[k])}
                    </Row>
                  ))}
                <Row label="Monthly cost">
                  {formatMonthlyCost(resource.monthlyCostUsd)}
                </Row>
                {resource.expiresAt && (
                  <Row label="Expires">
                    {new Date(resource.expiresAt).toLocaleString()}
                    {resource.ttl ? ` (time to live ${resource.ttl})` : ''}
                  </Row>
                )}
                <Row label="Requested by">
                  {resource.createdBy} on{' '}
                  {new Date(resource.createdAt).toLocaleString()}
                </Row>
              </TableBody>
            </Table>
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={6}>
          <InfoCard title={t('resource.outputs')}>
            {outputs.length === 0 ? (
              <Typography variant="body2" color="textSecondary">
                {t('resource.noOutputs')}
              </Typography>
            ) : (
              <Table size="small" aria-label="Outputs">
                <TableBody>
                  {outputs.map(([k, v]) => (
                    <Row label={k} key={k}>
                      <code>{v}</code>
                    </Row>
                  ))}
                </TableBody>
              </Table>
            )}
          </InfoCard>
          <Box mt={2}>
            <CredentialsPanel resource={resource} isOwner={isOwner} />
          </Box>
        </Grid>
        <Grid item xs={12}>
          <InfoCard title={t('resource.events')}>
            <EventTimeline events={events} />
          </InfoCard>
        </Grid>
      </Grid>
      {dialog === 'update' && type && (
        <UpdateDialog
          open
          resource={resource}
          type={type}
          initialParameters={prefill}
          busy={busy}
          error={actionError}
          fieldErrors={fieldErrors}
          onCancel={closeDialog}
          onSubmit={(parameters, justification) =>
            run(
              'change this resource',
              () =>
                api.updateResource(resource.id, {
                  parameters,
                  ...(justification ? { justification } : {}),
                }),
              schemaProperties(type.parameters).map(([k]) => `parameters.${k}`),
            )
          }
        />
      )}
      {dialog === 'extend' && type?.ttl && (
        <ExtendDialog
          open
          resource={resource}
          rules={type.ttl}
          onClose={closeDialog}
          onExtended={updated => {
            setDialog(undefined);
            refresh(updated);
          }}
        />
      )}
      {dialog === 'delete' && (
        <DeleteDialog
          open
          resource={resource}
          type={type}
          busy={busy}
          error={actionError}
          onCancel={closeDialog}
          canForce={approve.allowed}
          onConfirm={force =>
            run(
              force ? 'force-remove this resource' : 'delete this resource',
              () =>
                force
                  ? api.deleteResource(resource.id, { force })
                  : api.deleteResource(resource.id),
              [],
              force ? null : resource.owner,
            )
          }
        />
      )}
      {(dialog === 'approve' || dialog === 'reject') && awaitsDecision && (
        <ApprovalDialog
          decision={dialog}
          resource={resource}
          busy={busy}
          error={actionError}
          onCancel={closeDialog}
          onConfirm={reason =>
            dialog === 'approve'
              ? run(
                  'approve requests',
                  () =>
                    api.approveResource(resource.id, reason ? { reason } : {}),
                  [],
                  null,
                )
              : run(
                  'reject requests',
                  () => api.rejectResource(resource.id, { reason }),
                  [],
                  null,
                )
          }
        />
      )}
    </Box>
  );
}
