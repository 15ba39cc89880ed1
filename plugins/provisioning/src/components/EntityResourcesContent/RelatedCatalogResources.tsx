import {
  Entity,
  RELATION_DEPENDS_ON,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink, catalogApiRef } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  ANNOTATION_RESOURCE_ID,
  Resource,
} from '@paved/backstage-plugin-provisioning-common';
import { Fragment } from 'react';
import useAsync from 'react-use/esm/useAsync';

type Related = { ref: string; title?: string };

/**
 * How the entity's other catalog resources relate: the Resource entities it `dependsOn` that were not provisioned
 * through Paved (no `paved.dev/resource-id`), and provisioned ones that belong to another entity. Renders nothing
 * when there are none.
 * @internal
 */
export function RelatedCatalogResources(props: {
  entity: Entity;
  /** The provisioned resources already listed for the entity. */
  listed: Resource[];
}) {
  const catalogApi = useApi(catalogApiRef);
  const targets = (props.entity.relations ?? [])
    .filter(r => r.type === RELATION_DEPENDS_ON)
    .map(r => r.targetRef)
    .filter(ref => {
      try {
        return parseEntityRef(ref).kind.toLocaleLowerCase('en-US') === 'resource';
      } catch {
        return false;
      }
    });
  const key = targets.join(',');
  const { value } = useAsync(async () => {
    if (targets.length === 0) return { notPaved: [], elsewhere: [] };
    const { items } = await catalogApi.getEntitiesByRefs({
      entityRefs: targets,
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.title',
        'metadata.annotations',
      ],
    });
    const listedIds = new Set(props.listed.map(r => r.id));
    const notPaved: Related[] = [];
    const elsewhere: Related[] = [];
    items.forEach((e, i) => {
      const ref = e ? stringifyEntityRef(e) : targets[i];
      const item = { ref, title: e?.metadata.title };
      const id = e?.metadata.annotations?.[ANNOTATION_RESOURCE_ID];
      if (!id) notPaved.push(item);
      else if (!listedIds.has(id)) elsewhere.push(item);
    });
    return { notPaved, elsewhere };
  }, [catalogApi, key, props.listed]);

  if (!value || (value.notPaved.length === 0 && value.elsewhere.length === 0)) {
    return null;
  }
  const links = (items: Related[]) =>
    items.map((item, i) => (
      <Fragment key={item.ref}>
        {i > 0 && ', '}
        <EntityRefLink entityRef={item.ref} defaultKind="resource">
          {item.title ?? parseEntityRef(item.ref).name}
        </EntityRefLink>
      </Fragment>
    ));
  const plural = (n: number, one: string, many: string) =>
    `${n} ${n === 1 ? one : many}`;
  return (
    <Box mt={2} data-testid="related-catalog-resources">
      {value.notPaved.length > 0 && (
        <Typography variant="body2" paragraph>
          {plural(
            value.notPaved.length,
            'catalog resource related through dependsOn was',
            'catalog resources related through dependsOn were',
          )}{' '}
          not provisioned through Paved: {links(value.notPaved)}
        </Typography>
      )}
      {value.elsewhere.length > 0 && (
        <Typography variant="body2" paragraph>
          {plural(
            value.elsewhere.length,
            'provisioned resource related through dependsOn belongs',
            'provisioned resources related through dependsOn belong',
          )}{' '}
          to another entity: {links(value.elsewhere)}
        </Typography>
      )}
    </Box>
  );
}
