import Box from '@material-ui/core/Box';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { useRouteRef } from '@backstage/core-plugin-api';
import { approvalsRouteRef, rolloutsRouteRef, rootRouteRef } from '../../routes';
import { ApprovalsPage } from '../ApprovalsPage';
import { InventoryContent } from '../InventoryContent';
import { RecommendationsContent } from '../RecommendationsContent';
import { OfferingsList } from '../OfferingsList';
import { ResourcesTable } from '../ResourcesTable';
import { RolloutsView } from '../Rollouts';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { provisioningTranslationRef } from '../../translation';

/**
 * The "Self-service" page body: the offerings, the resources (`?tab=resources`) and the approvals
 * (`/provisioning/approvals`), as tabs.
 * @internal
 */
export function SelfServicePage(props: { tab?: 'approvals' | 'inventory' | 'rightsizing' | 'rollouts' }) {
  const { t } = useTranslationRef(provisioningTranslationRef);
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const rootLink = useRouteRef(rootRouteRef);
  const approvalsLink = useRouteRef(approvalsRouteRef);
  const rolloutsLink = useRouteRef(rolloutsRouteRef);
  let tab: 'offerings' | 'resources' | 'approvals' | 'inventory' | 'rightsizing' | 'rollouts' = 'offerings';
  if (props.tab) tab = props.tab;
  else if (search.get('tab') === 'resources') tab = 'resources';
  const setTab = (v: string) => {
    if (v === 'approvals') navigate(approvalsLink());
    else if (v === 'rollouts') navigate(rolloutsLink());
    // until the platform console takes them: the fleet inventory and rightsizing (issue 13)
    else if (v === 'inventory' || v === 'rightsizing') navigate(`${rootLink()}/${v}`);
    else if (v === 'resources') navigate(`${rootLink()}?tab=resources`);
    else navigate(rootLink());
  };
  return (
    <Box>
      <Tabs
        value={tab}
        onChange={(_e, v) => setTab(v)}
        indicatorColor="primary"
        aria-label={t('selfService.title')}
      >
        <Tab value="offerings" label={t('selfService.tabs.offerings')} />
        <Tab value="resources" label={t('selfService.tabs.resources')} />
        <Tab value="approvals" label={t('approvals.tab')} />
        <Tab value="inventory" label="Inventory" />
        <Tab value="rightsizing" label="Rightsizing" />
        <Tab value="rollouts" label="Rollouts" />
      </Tabs>
      <Box mt={2}>
        {tab === 'offerings' && <OfferingsList />}
        {tab === 'resources' && <ResourcesTable />}
        {tab === 'approvals' && <ApprovalsPage />}
        {tab === 'inventory' && <InventoryContent />}
        {tab === 'rightsizing' && <RecommendationsContent />}
        {tab === 'rollouts' && <RolloutsView />}
      </Box>
    </Box>
  );
}
