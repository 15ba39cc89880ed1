import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import CancelIcon from '@material-ui/icons/Cancel';
import { InfoCard, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';
import { scorecardApiRef, ScorecardCheckResult } from './ScorecardApi';

/**
 * The checks of a scorecard with a pass/fail icon each and the score (passed of all).
 * @public
 */
export function ScorecardChecks(props: { results: ScorecardCheckResult[] }) {
  const passed = props.results.filter(r => r.result).length;
  return (
    <>
      <Typography variant="h6" data-testid="scorecard-score">
        {passed} of {props.results.length} checks pass
      </Typography>
      <List dense aria-label="Scorecard checks">
        {props.results.map(r => (
          <ListItem key={r.check.id} data-testid={`check-${r.check.id}`} data-result={String(r.result)}>
            <ListItemIcon>
              {r.result ? (
                <CheckCircleIcon style={{ color: '#2e7d32' }} aria-label="passed" />
              ) : (
                <CancelIcon color="error" aria-label="failed" />
              )}
            </ListItemIcon>
            <ListItemText primary={r.check.name} secondary={r.check.description} />
          </ListItem>
        ))}
      </List>
    </>
  );
}

/**
 * The Paved scorecard of the current entity (a card for the entity overview): every check
 * configured in the Tech Insights backend (`techInsights.factChecker.checks`), run over the
 * entity's latest facts.
 * @public
 */
export function EntityScorecardCard() {
  const { entity } = useEntity();
  const api = useApi(scorecardApiRef);
  const entityRef = stringifyEntityRef(entity);
  const { value, loading, error } = useAsync(() => api.runChecks(entityRef), [api, entityRef]);
  return (
    <InfoCard title="Scorecard" subheader="Paved checks (Tech Insights)">
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && value.length === 0 && (
        <Typography variant="body2">No scorecard checks are configured.</Typography>
      )}
      {value && value.length > 0 && <ScorecardChecks results={value} />}
    </InfoCard>
  );
}
