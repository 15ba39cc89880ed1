import { Content, Header, Page } from '@backstage/core-components';
import { Route, Routes } from 'react-router-dom';
import { RequestPage } from './RequestForm';
import { ResourcePage } from './ResourcePage';
import { SelfServicePage } from './SelfServicePage';
import { RolloutPage } from './Rollouts';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { provisioningTranslationRef } from '../translation';

/**
 * Routes of the Self-service page: `/` (offerings and resources), `/approvals`, `/inventory`, `/rightsizing`,
 * `/request/:typeId`, `/resources/:id`, `/rollouts` and `/rollouts/:id`.
 * @internal
 */
export function ProvisioningRoutes() {
  return (
    <Routes>
      <Route path="/" element={<SelfServicePage />} />
      <Route path="/approvals" element={<SelfServicePage tab="approvals" />} />
      <Route path="/inventory" element={<SelfServicePage tab="inventory" />} />
      <Route path="/rightsizing" element={<SelfServicePage tab="rightsizing" />} />
      <Route path="/request/:typeId" element={<RequestPage />} />
      <Route path="/resources/:id" element={<ResourcePage />} />
      <Route path="/rollouts" element={<SelfServicePage tab="rollouts" />} />
      <Route path="/rollouts/:id" element={<RolloutPage />} />
    </Routes>
  );
}

/**
 * The Self-service page with its own header, for the legacy frontend system (the new one adds the header).
 * @internal
 */
export function ProvisioningRouter(props: { withHeader?: boolean }) {
  const { t } = useTranslationRef(provisioningTranslationRef);
  if (!props.withHeader) {
    return (
      <Content>
        <ProvisioningRoutes />
      </Content>
    );
  }
  return (
    <Page themeId="tool">
      <Header
        title={t('selfService.title')}
        subtitle={t('selfService.subtitle')}
      />
      <Content>
        <ProvisioningRoutes />
      </Content>
    </Page>
  );
}
