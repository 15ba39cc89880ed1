import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import useAsync from 'react-use/esm/useAsync';
import { WidgetState } from './WidgetState';

/** The golden paths (scaffolder templates in the catalog), each linking straight to its form. */
export function GoldenPathsCard() {
  const catalogApi = useApi(catalogApiRef);
  const templates = useAsync(async () => {
    const res = await catalogApi.getEntities({
      filter: { kind: 'Template' },
      fields: [
        'metadata.name',
        'metadata.namespace',
        'metadata.title',
        'metadata.description',
      ],
    });
    return res.items.sort((a, b) =>
      (a.metadata.title ?? a.metadata.name).localeCompare(
        b.metadata.title ?? b.metadata.name,
      ),
    );
  }, [catalogApi]);

  return (
    <WidgetState
      loading={templates.loading || (!templates.error && !templates.value)}
      error={templates.error}
      empty={templates.value?.length === 0}
      emptyText="The platform team has not published any golden paths yet."
    >
      <List dense aria-label="Golden paths">
        {templates.value?.map(t => (
          <ListItem key={`${t.metadata.namespace}/${t.metadata.name}`} divider>
            <ListItemText
              primary={
                <Link
                  to={`/create/templates/${t.metadata.namespace ?? 'default'}/${
                    t.metadata.name
                  }`}
                >
                  {t.metadata.title ?? t.metadata.name}
                </Link>
              }
              secondary={t.metadata.description}
            />
          </ListItem>
        ))}
      </List>
      <Link to="/create">All golden paths</Link>
    </WidgetState>
  );
}
