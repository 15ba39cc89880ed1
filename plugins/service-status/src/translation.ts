import { createTranslationRef } from '@backstage/frontend-plugin-api';

/**
 * Translation reference for the service status plugin. Override messages with
 * `createTranslationMessages({ ref: serviceStatusTranslationRef, messages: {...} })`.
 *
 * @alpha
 */
export const serviceStatusTranslationRef = createTranslationRef({
  id: 'plugin.service-status',
  messages: {
    state: {
      up: 'Up',
      degraded: 'Degraded',
      down: 'Down',
      unknown: 'Unknown',
    },
    healthSource: {
      probe: 'HTTP health probe',
      resource: 'Provisioned resource state',
      none: 'No health source',
    },
    common: {
      since: 'since {{time}}',
      noReasons: 'All checks pass.',
      cancel: 'Cancel',
      refresh: 'Refresh',
    },
    card: {
      title: 'Status',
      viewStatus: 'View status',
      openIncidents_one: '{{count}} open incident',
      openIncidents_other: '{{count}} open incidents',
      noOpenIncidents: 'No open incidents',
      lastProbe: 'Last probe: HTTP {{status}} in {{latency}} ms, {{time}}',
      lastProbeError: 'Last probe failed: {{error}}, {{time}}',
      lastProbeDegraded:
        'Last probe answered degraded: {{reason}} (HTTP {{status}} in {{latency}} ms, {{time}})',
      noHealthSource:
        'No health signal. Add the paved.dev/health-url annotation to probe this entity.',
    },
    content: {
      currentStateTitle: 'Current state',
      reasonsTitle: 'Why',
      uptimeTitle: 'Uptime',
      noSamples: 'no samples',
      samples_one: '{{count}} sample',
      samples_other: '{{count}} samples',
      latencyTitle: 'Latency per hour',
      latencyP50: 'p50',
      latencyP95: 'p95',
      noLatency: 'No latency samples yet.',
      deploymentsTitle: 'Deployments',
      noDeployments:
        'No deployments reported yet. CI pipelines report them with POST /api/service-status/v1/deployments.',
      loadMore: 'Load more',
      dependenciesTitle: 'Dependencies',
      noDependencies: 'This entity declares no dependencies (spec.dependsOn).',
      dependenciesTruncated:
        'Only the nearest dependencies are shown (depth limit reached).',
      dependencyColumn: 'Dependency',
      stateColumn: 'State',
      depthColumn: 'Depth',
      viaColumn: 'Via',
      healthSourceLabel: 'Health source',
      computedAt: 'Computed {{time}}',
    },
    incidents: {
      title: 'Incidents',
      none: 'No incidents.',
      openButton: 'Open incident',
      updateButton: 'Post update',
      resolveButton: 'Resolve',
      showResolved: 'Show resolved',
      openedBy: 'opened by {{user}} {{time}}',
      resolvedAt: 'resolved {{time}}',
      titleLabel: 'Title',
      severityLabel: 'Severity',
      stateLabel: 'State',
      messageLabel: 'What is happening?',
      updateMessageLabel: 'Update',
      resolveMessageLabel: 'Closing note (optional)',
      openDialogTitle: 'Open an incident',
      updateDialogTitle: 'Update incident',
      resolveDialogTitle: 'Resolve incident',
      submitOpen: 'Open incident',
      submitUpdate: 'Post update',
      submitResolve: 'Resolve',
      ownersOnly:
        'Only owners of this entity and the platform team can open incidents.',
      opened: 'Incident opened',
      updated: 'Incident updated',
      resolved: 'Incident resolved',
      severity: {
        sev1: 'SEV1: outage',
        sev2: 'SEV2: major',
        sev3: 'SEV3: minor',
      },
      state: {
        investigating: 'Investigating',
        identified: 'Identified',
        monitoring: 'Monitoring',
        resolved: 'Resolved',
      },
    },
    deployment: {
      status: {
        'in-progress': 'In progress',
        succeeded: 'Succeeded',
        failed: 'Failed',
        cancelled: 'Cancelled',
        'rolled-back': 'Rolled back',
      },
    },
    page: {
      title: 'Service status',
      subtitle: 'Live status of every service and resource',
      tableTitle: 'Services',
      ownerFilter: 'Owner',
      systemFilter: 'System',
      stateFilter: 'State',
      anyOption: 'Any',
      clearFilters: 'Clear filters',
      autoRefresh: 'Auto-refresh (30 s)',
      updatedAt: 'Updated {{time}}',
      nameColumn: 'Name',
      stateColumn: 'State',
      reasonColumn: 'Reason',
      ownerColumn: 'Owner',
      systemColumn: 'System',
      incidentsColumn: 'Open incidents',
      latencyColumn: 'Latency',
      empty: 'No services match these filters.',
      previousPage: 'Previous page',
      nextPage: 'Next page',
      pageLabel: 'Page {{page}}',
    },
  },
});
