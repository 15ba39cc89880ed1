/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createTranslationRef } from '@backstage/frontend-plugin-api';

/**
 * User-facing strings of the platform console plugin. Override messages with
 * `createTranslationMessages({ ref: platformConsoleTranslationRef, messages: {...} })`.
 *
 * @alpha
 */
export const platformConsoleTranslationRef = createTranslationRef({
  id: 'plugin.platform-console',
  messages: {
    page: {
      title: 'Platform console',
      subtitle: 'The platform as a product: cost, fleet, adoption, delivery and scorecards',
    },
    tabs: {
      cost: 'Cost',
      inventory: 'Inventory',
      rightsizing: 'Rightsizing',
      adoption: 'Adoption',
      delivery: 'Delivery',
      scorecards: 'Scorecards',
    },
    costTab: {
      drillDownLabel: 'Cost drill-down',
      allTeams: 'All teams',
      demoData: 'Demo data: seeded history, not real spend',
      thisMonthTitle: 'This month',
      soFarLabel: 'This month so far',
      soFarIn: 'so far in {{month}}',
      forecastLabel: 'Forecast to month end',
      forecastHelp: 'forecast to month end (live resources at their price)',
      topResourcesTitle: 'Top resources this month',
      noCostThisMonth: 'No cost recorded this month.',
      topResourcesLabel: 'Top resources',
      resourceColumn: 'Resource',
      teamColumn: 'Team',
      componentColumn: 'Component',
      thisMonthColumn: 'This month',
      costsSubheader:
        "Last 12 months, from the cost ledger (real lifetimes at the type's USD/month price, prorated per day)",
      exportCsv: 'Export CSV (FOCUS)',
      noCostInMonths: 'No cost recorded in these months.',
      costsTableLabel: '{{column}} costs',
      twelveMonthsColumn: '12 months',
      resourceTitle: 'Resource {{name}}',
      resourceTableLabel: 'Resource cost per month',
      monthColumn: 'Month',
      costColumn: 'Cost',
    },
    costTitles: {
      owner: 'Cost per team per month',
      system: 'Cost per system per month',
      component: 'Cost per component per month',
      resource: 'Cost per resource per month',
      domain: 'Cost per domain per month',
    },
    costColumns: {
      owner: 'Team',
      system: 'System',
      component: 'Component',
      resource: 'Resource',
      domain: 'Domain',
    },
    costChart: {
      others: 'others',
    },
    entityCostCard: {
      title: 'Cost',
      systemSubheader: "The system's resources",
      componentSubheader: 'Its resources and what it depends on',
      empty: 'No provisioned resources billed in the last 12 months.',
      soFarAndForecast: '{{soFar}} this month so far, forecast {{forecast}}',
      demoData: 'Includes demo data (seeded history, not real spend)',
      chartLabel: 'Cost per resource per month',
    },
  },
});
