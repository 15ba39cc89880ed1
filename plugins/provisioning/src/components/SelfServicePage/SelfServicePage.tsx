import Box from '@material-ui/core/Box';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import { useSearchParams } from 'react-router-dom';
import { OfferingsList } from '../OfferingsList';
import { ResourcesTable } from '../ResourcesTable';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { provisioningTranslationRef } from '../../translation';

/**
 * The "Self-service" page body: the offerings and the resources, as two tabs (`?tab=resources`).
 * @internal
 */
export function SelfServicePage() {
  const { t } = useTranslationRef(provisioningTranslationRef);
  const [search, setSearch] = useSearchParams();
  const tab = search.get('tab') === 'resources' ? 'resources' : 'offerings';
  return (
    <Box>
      <Tabs
        value={tab}
        onChange={(_e, v) => setSearch(v === 'offerings' ? {} : { tab: v })}
        indicatorColor="primary"
        aria-label={t('selfService.title')}
      >
        <Tab value="offerings" label={t('selfService.tabs.offerings')} />
        <Tab value="resources" label={t('selfService.tabs.resources')} />
      </Tabs>
      <Box mt={2}>
        {tab === 'offerings' ? <OfferingsList /> : <ResourcesTable />}
      </Box>
    </Box>
  );
}
