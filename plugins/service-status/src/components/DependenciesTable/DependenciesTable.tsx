import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { DependencyStatus } from '@paved/backstage-plugin-service-status-common';
import { serviceStatusTranslationRef } from '../../translation';
import { compareStates, formatRelativeTime } from '../../utils/format';
import { StatusChip } from '../StatusChip';

/**
 * Props of {@link DependenciesTable}.
 * @internal
 */
export interface DependenciesTableProps {
  entityRef: string;
  dependencies: DependencyStatus[];
  truncated?: boolean;
}

/**
 * The states of an entity's (transitive) dependencies, worst and nearest first, each linking
 * to its entity page.
 * @internal
 */
export function DependenciesTable(props: DependenciesTableProps) {
  const { entityRef, dependencies, truncated } = props;
  const { t } = useTranslationRef(serviceStatusTranslationRef);
  if (dependencies.length === 0) {
    return (
      <Typography variant="body2">{t('content.noDependencies')}</Typography>
    );
  }
  // "Via" only says something once dependencies of dependencies are listed.
  const showVia = dependencies.some(dependency => dependency.depth > 1);
  const titles = new Map(
    dependencies.flatMap(d => (d.title ? [[d.entityRef, d.title]] : [])),
  );
  const rows = [...dependencies].sort(
    (a, b) =>
      compareStates(a.state, b.state) ||
      a.depth - b.depth ||
      a.entityRef.localeCompare(b.entityRef),
  );
  return (
    <>
      <Table size="small" aria-label={t('content.dependenciesTitle')}>
        <TableHead>
          <TableRow>
            <TableCell>{t('content.dependencyColumn')}</TableCell>
            <TableCell>{t('content.stateColumn')}</TableCell>
            <TableCell align="right">{t('content.depthColumn')}</TableCell>
            {showVia && <TableCell>{t('content.viaColumn')}</TableCell>}
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map(dependency => (
            <TableRow key={dependency.entityRef}>
              <TableCell>
                <EntityRefLink entityRef={dependency.entityRef} hideIcon>
                  {dependency.title ?? undefined}
                </EntityRefLink>
              </TableCell>
              <TableCell>
                <StatusChip state={dependency.state} />
                {dependency.cause && (
                  <Typography variant="body2" component="div">
                    {dependency.cause}
                  </Typography>
                )}
                {dependency.since && (
                  <Typography
                    variant="caption"
                    color="textSecondary"
                    component="div"
                  >
                    {t('common.since', {
                      time: formatRelativeTime(dependency.since),
                    })}
                  </Typography>
                )}
              </TableCell>
              <TableCell align="right">{dependency.depth}</TableCell>
              {showVia && (
                <TableCell>
                  {dependency.via === entityRef ? (
                    '–'
                  ) : (
                    <EntityRefLink entityRef={dependency.via} hideIcon>
                      {titles.get(dependency.via)}
                    </EntityRefLink>
                  )}
                </TableCell>
              )}
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {truncated && (
        <Typography variant="caption" color="textSecondary">
          {t('content.dependenciesTruncated')}
        </Typography>
      )}
    </>
  );
}
