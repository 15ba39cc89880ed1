import Box from '@material-ui/core/Box';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import { useSearchParams } from 'react-router-dom';
import { OfferingsList } from '../OfferingsList';
import { ResourcesTable } from '../ResourcesTable';

/**
 * The "Self-service" page body: the offerings and the resources, as two tabs (`?tab=resources`).
 * @internal
 */
export function SelfServicePage() {
  const [search, setSearch] = useSearchParams();
  const tab = search.get('tab') === 'resources' ? 'resources' : 'offerings';
  return (
    <Box>
      <Tabs
        value={tab}
        onChange={(_e, v) => setSearch(v === 'offerings' ? {} : { tab: v })}
        indicatorColor="primary"
        aria-label="Self-service"
      >
        <Tab value="offerings" label="Offerings" />
        <Tab value="resources" label="Resources" />
      </Tabs>
      <Box mt={2}>
        {tab === 'offerings' ? <OfferingsList /> : <ResourcesTable />}
      </Box>
    </Box>
  );
}
