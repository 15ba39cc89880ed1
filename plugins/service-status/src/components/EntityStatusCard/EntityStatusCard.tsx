import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity, useEntityRefLink } from '@backstage/plugin-catalog-react';
import { useEntityHistory, useEntityStatus } from '../../hooks/useEntityStatus';
import { serviceStatusTranslationRef } from '../../translation';
import { formatRelativeTime } from '../../utils/format';
import { LastProbe } from '../LastProbe';
import { StatusChip } from '../StatusChip';
import { StatusReasons } from '../StatusReasons';
import { UptimeTiles } from '../UptimeTiles';

/**
 * Props of the entity status card (`EntityServiceStatusCard`).
 * @public
 */
export interface EntityStatusCardProps {
  /**
   * Path of the Status tab relative to the entity page, for the "View status" link
   * (default `status`); `false` hides the link.
   */
  statusTabPath?: string | false;
  /** How many reasons to show (default 3). */
  maxReasons?: number;
}

/**
 * A compact status card for the entity overview: rolled-up state, the main reasons, uptime
 * over 24h and 7d, open incidents and the last probe. Reloads every 30 s.
 *
 * @public
 */
export function EntityStatusCard(props: EntityStatusCardProps) {
  const { statusTabPath = 'status', maxReasons = 3 } = props;
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const entityLink = useEntityRefLink();
  const { t } = useTranslationRef(serviceStatusTranslationRef);
  const status = useEntityStatus(entityRef);
  const history = useEntityHistory(entityRef);

  const statusLink =
    statusTabPath === false
      ? undefined
      : `${entityLink(entity).replace(/\/$/, '')}/${statusTabPath}`;

  let body;
  if (status.error && !status.value) {
    body = <ResponseErrorPanel error={status.error} />;
  } else if (!status.value) {
    body = <Progress />;
  } else {
    const value = status.value;
    const probe = value.lastProbe;
    const incidents = value.openIncidents.length;
    body = (
      <>
        <Box display="flex" alignItems="center" flexWrap="wrap" mb={1}>
          <StatusChip state={value.state} size="medium" />
          {value.since && (
            <Box ml={1}>
              <Typography variant="body2" color="textSecondary">
                {t('common.since', { time: formatRelativeTime(value.since) })}
              </Typography>
            </Box>
          )}
        </Box>
        <StatusReasons
          reasons={value.reasons}
          entityRef={value.entityRef}
          max={maxReasons}
        />
        {history.value && (
          <Box mt={1}>
            <UptimeTiles uptime={history.value.uptime} windows={['24h', '7d']} />
          </Box>
        )}
        <Box mt={1}>
          <Typography variant="body2">
            {incidents > 0
              ? t('card.openIncidents', { count: incidents })
              : t('card.noOpenIncidents')}
          </Typography>
          {probe && <LastProbe probe={probe} variant="caption" />}
          {value.healthSource === 'none' && (
            <Typography variant="caption" color="textSecondary" component="p">
              {t('card.noHealthSource')}
            </Typography>
          )}
        </Box>
      </>
    );
  }

  return (
    <InfoCard title={t('card.title')}>
      {body}
      {statusLink && (
        <Box mt={2} display="flex" justifyContent="flex-end">
          <Link to={statusLink}>{t('card.viewStatus')} →</Link>
        </Box>
      )}
    </InfoCard>
  );
}
