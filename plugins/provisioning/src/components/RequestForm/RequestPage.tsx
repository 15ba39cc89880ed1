import {
  EmptyState,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { provisioningTranslationRef } from '../../translation';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { normalizeGroupRef } from '../../api/errors';
import { useResourceTypes } from '../../hooks/useResourceTypes';
import { resourceRouteRef, rootRouteRef } from '../../routes';
import { RequestForm } from './RequestForm';

/**
 * Route `/provisioning/request/:typeId`; query parameters `owner`, `entityRef` and `system` prefill the form.
 * @internal
 */
export function RequestPage() {
  const { typeId } = useParams();
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const resourceLink = useRouteRef(resourceRouteRef);
  const rootLink = useRouteRef(rootRouteRef);
  const { value: types, loading, error } = useResourceTypes();
  const { t } = useTranslationRef(provisioningTranslationRef);
  if (loading) return <Progress />;
  if (error) {
    return (
      <ResponseErrorPanel error={error} title="Could not load the offerings" />
    );
  }
  const type = types?.find(rt => rt.id === typeId);
  if (!type) {
    return (
      <EmptyState
        missing="data"
        title={`No offering "${typeId}"`}
        description="It may have been removed by the platform team."
        action={<Link to={rootLink()}>See all offerings</Link>}
      />
    );
  }
  return (
    <>
      <Box mb={2}>
        <Link to={rootLink()}>← {t('request.back')}</Link>
      </Box>
      <RequestForm
        key={type.id}
        type={type}
        initialOwner={normalizeGroupRef(search.get('owner') ?? undefined)}
        entityRef={search.get('entityRef') ?? undefined}
        system={search.get('system') ?? undefined}
        onCreated={created => navigate(resourceLink({ id: created.id }))}
      />
    </>
  );
}
