/*
 * The demo users offered on the development sign-in page (catalog/org.yaml), one API each.
 */
import { ApiRef, createApiRef } from '@backstage/core-plugin-api';
import type { DemoUserAuthApi } from './DemoUserAuth';

/** A demo user: catalog User name, who they are, and the API that signs in as them. */
export interface DemoUser {
  user: string;
  title: string;
  message: string;
  apiRef: ApiRef<DemoUserAuthApi>;
}

const demoUser = (user: string, title: string, message: string): DemoUser => ({
  user,
  title,
  message,
  apiRef: createApiRef<DemoUserAuthApi>({
    id: `paved.dev-sign-in.${user.replace(/[^a-z0-9]/g, '-')}`,
  }),
});

export const demoUsers: DemoUser[] = [
  demoUser(
    'dana.ortiz',
    'Dana Ortiz (orders team)',
    'Development: a service owner. Requests databases for the orders services; large sizes wait for approval.',
  ),
  demoUser(
    'priya.raman',
    'Priya Raman (platform team)',
    'Development: an approver. Sees the requests waiting for the platform team and approves or rejects them.',
  ),
  demoUser(
    'amara.okafor',
    'Amara Okafor (payments team)',
    'Development: another team, who cannot manage the orders team’s resources.',
  ),
];
