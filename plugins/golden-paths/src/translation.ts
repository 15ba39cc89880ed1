/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createTranslationRef } from '@backstage/frontend-plugin-api';

/**
 * User-facing strings of the golden paths plugin. Override messages with
 * `createTranslationMessages({ ref: goldenPathsTranslationRef, messages: {...} })`.
 *
 * @alpha
 */
export const goldenPathsTranslationRef = createTranslationRef({
  id: 'plugin.golden-paths',
  messages: {
    page: {
      title: 'Golden paths',
      subtitle: 'Template versions across the fleet, upgrades and campaigns',
      empty: 'No versioned golden paths yet.',
    },
    fleet: {
      templateTitle: '{{title}} (v{{version}})',
      servicesCount: '{{number}} services',
      behindCount: '{{number}} behind',
      openCount: '{{number}} open upgrades',
      conflictedCount: '{{number}} conflicted',
      mergedCount: '{{number}} merged',
      failedCount: '{{number}} failed',
      queuedCount: '{{number}} queued',
      versionsTitle: 'Versions',
      versionServices_one: '{{version}}: {{count}} service',
      versionServices_other: '{{version}}: {{count}} services',
      startCampaign: 'Open upgrades for all {{number}} services behind',
      campaignProgress: 'Campaign to v{{version}}: {{done}} of {{total}} done',
      servicesTitle: 'Services',
      serviceColumn: 'Service',
      ownerColumn: 'Owner',
      versionColumn: 'Version',
      behindColumn: 'Behind',
      upgradeColumn: 'Upgrade',
      yes: 'yes',
      no: 'no',
      upgradeStatus: '{{status}} (v{{version}})',
      upgradeStatusOnBranch: '{{status}} (v{{version}}, {{branch}})',
    },
    card: {
      title: 'Golden path',
      notVersioned: 'Not made from a versioned golden path.',
      madeFrom: 'Made from {{template}} v{{version}}.',
      newerAvailable: 'v{{version}} is available. What changes:',
      upToDate: 'Up to date with the newest version.',
      upgradeStatus: 'Upgrade to v{{version}}: {{status}}',
      upgradeStatusOnBranch: 'Upgrade to v{{version}}: {{status}} on branch {{branch}}',
      upgrade: 'Upgrade',
      merging: 'Merging…',
      merge: 'Merge {{branch}}',
    },
    gitAccessTokens: {
      title: 'Git access tokens',
      subtitle: "Clone and push the portal's repositories from anywhere",
      newTokenTitle: 'New git access token',
      intro:
        "Git clients (git clone, fetch, push) sign in to the portal's git server with a token: give it as the password when git asks (any user name). Everyone signed in may clone; members of the owning team may push.",
      tokenName: 'Token name',
      tokenNamePlaceholder: 'laptop',
      create: 'Create token',
      issued: 'Token {{name}} (copy it now; it is not shown again):',
      cloneCommand: 'git clone {{base}}/paved-git/<repository>.git',
      tableTitle: 'Your git access tokens',
      empty: 'No tokens yet.',
      nameColumn: 'Name',
      tokenColumn: 'Token',
      createdColumn: 'Created',
      lastUsedColumn: 'Last used',
      never: 'never',
      revoke: 'Revoke',
      revokeLabel: 'Revoke {{name}}',
    },
    retirementPlan: {
      title: 'What will go',
      chooseService: 'Choose a service first.',
    },
    tabs: {
      fleet: 'Fleet',
      adoption: 'Adoption',
    },
    adoption: {
      stageStarted: 'Runs started',
      stageCompleted: 'Completed',
      stageInCatalog: 'In the catalog',
      stageDeployed: 'Deployed',
      stageHealthy: 'Healthy now',
      funnelLabel: 'Adoption funnel',
      ofPrevious: '({{percent}} of previous)',
      overallColumn: 'Overall',
      firstDeploymentColumn: 'Run → first deployment',
      unknown: 'Unknown',
      couldNotRead: 'Could not read {{source}}',
      funnelTitle: 'Golden-path funnel',
      funnelSubheader: 'Template runs of the last {{weeks}} weeks',
      templateLabel: 'Template',
      allTemplates: 'All templates',
      medianToFirstDeployment: 'Median time from template run to first reported deployment:',
      shareTitle: 'Made by a golden path',
      shareDetail: '{{fromGoldenPath}} of {{components}} components in the catalog',
      selfServiceTitle: 'Self-service requests per week',
      selfServiceSubheader: '{{total}} in {{weeks}} weeks',
      selfServiceWeek: 'Week of {{week}}: {{requests}}',
      perTemplate: 'Per template',
      perTemplateLabel: 'Adoption per template',
      perTeam: 'Per team',
      teamLabel: 'Team',
      perTeamLabel: 'Adoption per team',
      minutes: '{{value}} min',
      hours: '{{value}} h',
      days: '{{value}} days',
    },
  },
});
