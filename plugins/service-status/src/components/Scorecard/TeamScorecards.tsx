import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Entity, RELATION_OWNED_BY, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogApiRef, EntityRefLink } from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';
import { scorecardApiRef, ScorecardCheckResult } from './ScorecardApi';

/** Scorecard roll-up of one team. @public */
export interface TeamScorecard {
  team: string;
  components: number;
  /** Checks passed over checks run, over all the team's components (0..1). */
  score?: number;
  /** Per check: how many of the team's components pass it. */
  checks: Array<{ id: string; name: string; passed: number; total: number }>;
}

function ownerOf(entity: Entity): string {
  return (
    entity.relations?.find(r => r.type === RELATION_OWNED_BY)?.targetRef ??
    (typeof entity.spec?.owner === 'string' ? String(entity.spec.owner) : 'unknown')
  );
}

/**
 * Rolls entity scorecards up per owning team.
 * @public
 */
export function rollUpScorecards(
  owners: Map<string, string>,
  results: Array<{ entity: string; results: ScorecardCheckResult[] }>,
): TeamScorecard[] {
  const teams = new Map<string, { components: Set<string>; checks: Map<string, { name: string; passed: number; total: number }> }>();
  for (const row of results) {
    const team = owners.get(row.entity.toLocaleLowerCase('en-US')) ?? 'unknown';
    const t = teams.get(team) ?? { components: new Set<string>(), checks: new Map() };
    teams.set(team, t);
    t.components.add(row.entity);
    for (const r of row.results) {
      const c = t.checks.get(r.check.id) ?? { name: r.check.name, passed: 0, total: 0 };
      c.total += 1;
      if (r.result) c.passed += 1;
      t.checks.set(r.check.id, c);
    }
  }
  return [...teams.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([team, t]) => {
      const checks = [...t.checks.entries()].map(([id, c]) => ({ id, ...c }));
      const total = checks.reduce((s, c) => s + c.total, 0);
      const passed = checks.reduce((s, c) => s + c.passed, 0);
      return {
        team,
        components: t.components.size,
        ...(total > 0 ? { score: Math.round((passed / total) * 1000) / 1000 } : {}),
        checks,
      };
    });
}

/**
 * Scorecards rolled up per team: for every team, the share of checks its components pass, and
 * per check how many of its components pass it.
 * @public
 */
export function TeamScorecards() {
  const catalogApi = useApi(catalogApiRef);
  const api = useApi(scorecardApiRef);
  const { value, loading, error } = useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      filter: { kind: 'Component' },
      fields: ['kind', 'metadata.name', 'metadata.namespace', 'spec.owner', 'relations'],
    });
    const owners = new Map(
      items.map(e => [stringifyEntityRef(e).toLocaleLowerCase('en-US'), ownerOf(e)]),
    );
    const results = await api.runChecksForEntities([...owners.keys()]);
    return rollUpScorecards(owners, results);
  }, [catalogApi, api]);
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  const checkNames = [...new Map((value ?? []).flatMap(t => t.checks.map(c => [c.id, c.name] as const))).entries()];
  return (
    <Paper>
      <Typography variant="h6" style={{ padding: 16 }}>
        Scorecards per team
      </Typography>
      <Table size="small" aria-label="Scorecards per team">
        <TableHead>
          <TableRow>
            <TableCell>Team</TableCell>
            <TableCell align="right">Components</TableCell>
            <TableCell align="right">Score</TableCell>
            {checkNames.map(([id, name]) => (
              <TableCell key={id} align="right">
                {name}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {(value ?? []).map(t => (
            <TableRow key={t.team}>
              <TableCell>{t.team === 'unknown' ? 'No owner' : <EntityRefLink entityRef={t.team} />}</TableCell>
              <TableCell align="right">{t.components}</TableCell>
              <TableCell align="right">{t.score === undefined ? '–' : `${Math.round(t.score * 100)}%`}</TableCell>
              {checkNames.map(([id]) => {
                const c = t.checks.find(x => x.id === id);
                return (
                  <TableCell key={id} align="right">
                    {c ? `${c.passed}/${c.total}` : '–'}
                  </TableCell>
                );
              })}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Paper>
  );
}
