import { useCallback, useEffect, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Timeline from '@material-ui/lab/Timeline';
import TimelineConnector from '@material-ui/lab/TimelineConnector';
import TimelineContent from '@material-ui/lab/TimelineContent';
import TimelineDot from '@material-ui/lab/TimelineDot';
import TimelineItem from '@material-ui/lab/TimelineItem';
import TimelineOppositeContent from '@material-ui/lab/TimelineOppositeContent';
import TimelineSeparator from '@material-ui/lab/TimelineSeparator';
import {
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type {
  Deployment,
  DeploymentStatus,
} from '@paved/backstage-plugin-service-status-common';
import { serviceStatusApiRef } from '../../api';
import { serviceStatusTranslationRef } from '../../translation';
import { formatDateTime, formatRelativeTime } from '../../utils/format';

const useStyles = makeStyles(theme => ({
  timeline: { padding: 0, margin: 0 },
  opposite: { flex: 0, minWidth: 110, paddingLeft: 0 },
  succeeded: { backgroundColor: theme.palette.success.main },
  failed: { backgroundColor: theme.palette.error.main },
  'rolled-back': { backgroundColor: theme.palette.warning.main },
  cancelled: { backgroundColor: theme.palette.grey[500] },
  'in-progress': { backgroundColor: theme.palette.info.main },
}));

/**
 * Props of {@link DeploymentsTimeline}.
 * @internal
 */
export interface DeploymentsTimelineProps {
  entityRef: string;
  /** Page size (default 10). */
  pageSize?: number;
}

/**
 * An entity's deployments, newest first, as a timeline coloured by outcome, with paging.
 * @internal
 */
export function DeploymentsTimeline(props: DeploymentsTimelineProps) {
  const { entityRef, pageSize = 10 } = props;
  const api = useApi(serviceStatusApiRef);
  const classes = useStyles();
  const { t } = useTranslationRef(serviceStatusTranslationRef);
  const [items, setItems] = useState<Deployment[]>([]);
  const [nextCursor, setNextCursor] = useState<string | undefined>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error | undefined>();

  const load = useCallback(
    async (cursor?: string) => {
      setLoading(true);
      setError(undefined);
      try {
        const page = await api.listDeployments({
          entityRef,
          cursor,
          limit: pageSize,
        });
        setItems(previous => {
          if (!cursor) {
            return page.items;
          }
          // Deployments recorded while paging shift the pages; show each one once.
          const seen = new Set(previous.map(item => item.id));
          return [...previous, ...page.items.filter(item => !seen.has(item.id))];
        });
        setNextCursor(page.nextCursor);
      } catch (e) {
        setError(e as Error);
      } finally {
        setLoading(false);
      }
    },
    [api, entityRef, pageSize],
  );

  useEffect(() => {
    load();
  }, [load]);

  if (error && items.length === 0) {
    return <ResponseErrorPanel error={error} />;
  }
  if (loading && items.length === 0) {
    return <Progress />;
  }
  if (items.length === 0) {
    return (
      <Typography variant="body2">{t('content.noDeployments')}</Typography>
    );
  }

  const statusLabel = (status: DeploymentStatus) =>
    t(`deployment.status.${status}`);

  return (
    <>
      <Timeline className={classes.timeline} aria-label={t('content.deploymentsTitle')}>
        {items.map((deployment, index) => (
          <TimelineItem key={deployment.id}>
            <TimelineOppositeContent className={classes.opposite}>
              <Typography
                variant="caption"
                color="textSecondary"
                title={formatDateTime(deployment.startedAt)}
              >
                {formatRelativeTime(deployment.startedAt)}
              </Typography>
            </TimelineOppositeContent>
            <TimelineSeparator>
              <TimelineDot className={classes[deployment.status]} />
              {index < items.length - 1 && <TimelineConnector />}
            </TimelineSeparator>
            <TimelineContent>
              <Typography variant="body2">
                <strong>{deployment.version}</strong> → {deployment.environment}
                {' · '}
                {statusLabel(deployment.status)}
              </Typography>
              <Typography variant="caption" color="textSecondary">
                {deployment.commit && `${deployment.commit.slice(0, 7)} · `}
                {deployment.createdBy}
                {deployment.url && (
                  <>
                    {' · '}
                    <Link to={deployment.url}>{deployment.url.replace(/^https?:\/\//, '')}</Link>
                  </>
                )}
              </Typography>
            </TimelineContent>
          </TimelineItem>
        ))}
      </Timeline>
      {error && <ResponseErrorPanel error={error} />}
      {nextCursor && (
        <Box display="flex" justifyContent="center">
          <Button
            size="small"
            disabled={loading}
            onClick={() => load(nextCursor)}
          >
            {t('content.loadMore')}
          </Button>
        </Box>
      )}
    </>
  );
}
