import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Switch from '@material-ui/core/Switch';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import AddIcon from '@material-ui/icons/Add';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type {
  Incident,
  IncidentSeverity,
} from '@paved/backstage-plugin-service-status-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useInterval from 'react-use/esm/useInterval';
import { serviceStatusApiRef } from '../../api';
import { REFRESH_INTERVAL_MS } from '../../hooks/useEntityStatus';
import { serviceStatusTranslationRef } from '../../translation';
import { formatDateTime, formatRelativeTime } from '../../utils/format';
import {
  OpenIncidentDialog,
  ResolveIncidentDialog,
  UpdateIncidentDialog,
} from './IncidentDialogs';

const useStyles = makeStyles(theme => ({
  incident: {
    borderLeft: `4px solid ${theme.palette.divider}`,
    paddingLeft: theme.spacing(1.5),
    marginBottom: theme.spacing(2),
  },
  sev1: { borderLeftColor: theme.palette.error.main },
  sev2: { borderLeftColor: theme.palette.warning.main },
  sev3: { borderLeftColor: theme.palette.info.main },
  resolved: { borderLeftColor: theme.palette.success.main, opacity: 0.8 },
  updates: { margin: theme.spacing(0.5, 0, 0, 0), paddingLeft: theme.spacing(2) },
  chip: { marginRight: theme.spacing(1) },
}));

/**
 * Props of {@link IncidentsPanel}.
 * @internal
 */
export interface IncidentsPanelProps {
  entityRef: string;
  /** Whether the signed-in user may open, update and resolve incidents (owners). */
  canManage: boolean;
  /** Called after an incident was opened, updated or resolved. */
  onChange?: () => void;
}

/**
 * Open (and optionally resolved) incidents of an entity with their timelines, and the
 * open / update / resolve actions for owners.
 * @internal
 */
export function IncidentsPanel(props: IncidentsPanelProps) {
  const { entityRef, canManage, onChange } = props;
  const api = useApi(serviceStatusApiRef);
  const classes = useStyles();
  const { t } = useTranslationRef(serviceStatusTranslationRef);
  const [showResolved, setShowResolved] = useState(false);
  const [opening, setOpening] = useState(false);
  const [updating, setUpdating] = useState<Incident | undefined>();
  const [resolving, setResolving] = useState<Incident | undefined>();

  const { value, loading, error, retry } = useAsyncRetry(
    () =>
      api.listIncidents({
        entityRef,
        state: showResolved ? 'all' : 'open',
        limit: 20,
      }),
    [api, entityRef, showResolved],
  );
  // Incidents opened elsewhere (another user, an API client) show up without a reload; not
  // while a dialog is open.
  const dialogOpen = opening || Boolean(updating) || Boolean(resolving);
  useInterval(retry, dialogOpen ? null : REFRESH_INTERVAL_MS);

  const changed = () => {
    setOpening(false);
    setUpdating(undefined);
    setResolving(undefined);
    retry();
    onChange?.();
  };

  const severityLabel = (severity: IncidentSeverity) =>
    t(`incidents.severity.${severity}`);

  let body;
  if (error) {
    body = <ResponseErrorPanel error={error} />;
  } else if (loading && !value) {
    body = <Progress />;
  } else if (!value || value.items.length === 0) {
    body = <Typography variant="body2">{t('incidents.none')}</Typography>;
  } else {
    body = value.items.map(incident => {
      const isOpen = incident.state !== 'resolved';
      const latest = incident.updates[incident.updates.length - 1];
      return (
        <Box
          key={incident.id}
          className={`${classes.incident} ${
            isOpen ? classes[incident.severity] : classes.resolved
          }`}
          component="article"
          aria-label={incident.title}
        >
          <Typography variant="subtitle1">{incident.title}</Typography>
          <Box display="flex" alignItems="center" flexWrap="wrap" my={0.5}>
            <Chip
              size="small"
              className={classes.chip}
              label={severityLabel(incident.severity)}
            />
            <Chip
              size="small"
              variant="outlined"
              className={classes.chip}
              label={t(`incidents.state.${incident.state}`)}
            />
            <Typography
              variant="caption"
              color="textSecondary"
              title={formatDateTime(incident.createdAt)}
            >
              {t('incidents.openedBy', {
                user: incident.createdBy.replace(/^user:(default\/)?/, ''),
                time: formatRelativeTime(incident.createdAt),
              })}
              {incident.resolvedAt &&
                ` · ${t('incidents.resolvedAt', {
                  time: formatRelativeTime(incident.resolvedAt),
                })}`}
            </Typography>
          </Box>
          {latest && (
            <ul className={classes.updates}>
              {[...incident.updates]
                .reverse()
                .slice(0, 3)
                .map(update => (
                  <li key={update.id}>
                    <Typography variant="body2">
                      <Typography
                        component="span"
                        variant="caption"
                        color="textSecondary"
                        title={formatDateTime(update.at)}
                      >
                        {formatRelativeTime(update.at)} ·{' '}
                        {t(`incidents.state.${update.state}`)}:{' '}
                      </Typography>
                      {update.message}
                    </Typography>
                  </li>
                ))}
            </ul>
          )}
          {isOpen && canManage && (
            <Box mt={0.5}>
              <Button size="small" onClick={() => setUpdating(incident)}>
                {t('incidents.updateButton')}
              </Button>
              <Button
                size="small"
                color="primary"
                onClick={() => setResolving(incident)}
              >
                {t('incidents.resolveButton')}
              </Button>
            </Box>
          )}
        </Box>
      );
    });
  }

  return (
    <>
      <Box
        display="flex"
        justifyContent="space-between"
        alignItems="center"
        flexWrap="wrap"
        mb={1}
      >
        <FormControlLabel
          control={
            <Switch
              size="small"
              checked={showResolved}
              onChange={event => setShowResolved(event.target.checked)}
            />
          }
          label={t('incidents.showResolved')}
        />
        {canManage ? (
          <Button
            variant="outlined"
            color="primary"
            size="small"
            startIcon={<AddIcon />}
            onClick={() => setOpening(true)}
          >
            {t('incidents.openButton')}
          </Button>
        ) : (
          <Typography variant="caption" color="textSecondary">
            {t('incidents.ownersOnly')}
          </Typography>
        )}
      </Box>
      {body}
      {canManage && (
        <OpenIncidentDialog
          open={opening}
          entityRef={entityRef}
          onClose={() => setOpening(false)}
          onOpened={changed}
        />
      )}
      {updating && (
        <UpdateIncidentDialog
          incident={updating}
          onClose={() => setUpdating(undefined)}
          onUpdated={changed}
        />
      )}
      {resolving && (
        <ResolveIncidentDialog
          incident={resolving}
          onClose={() => setResolving(undefined)}
          onResolved={changed}
        />
      )}
    </>
  );
}
