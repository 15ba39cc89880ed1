import { createTranslationRef } from '@backstage/frontend-plugin-api';

/**
 * User-facing strings of the provisioning plugin; override them with the app's translation API.
 * @alpha
 */
export const provisioningTranslationRef = createTranslationRef({
  id: 'plugin.provisioning',
  messages: {
    selfService: {
      title: 'Self-service',
      subtitle: 'Request and manage platform resources',
      tabs: { offerings: 'Offerings', resources: 'Resources' },
    },
    offerings: {
      parameters: 'Parameters',
      size: 'Size',
      price: 'Price',
      needsApproval: '(needs approval)',
      quota: 'At most {{quota}} per team.',
      request: 'Request',
      loadError: 'Could not load the offerings',
      emptyTitle: 'No offerings yet',
      emptyDescription:
        'The platform team has not declared any resource types. Resource types are configured under provisioning.types in app-config.yaml.',
    },
    resources: {
      owner: 'Owner',
      myTeams: 'My teams',
      allOwners: 'All owners',
      aGroup: 'A group…',
      group: 'Group',
      type: 'Type',
      allTypes: 'All types',
      state: 'State',
      allStates: 'All states',
      previousPage: 'Previous page',
      nextPage: 'Next page',
      totalsTitle: 'Monthly cost per owner',
      loadError: 'Could not load resources',
      emptyTitle: 'No resources',
      emptyDescription:
        'Nothing matches these filters. Request one from the Offerings tab.',
      noMoreDescription: 'No more resources.',
      noTeamTitle: 'You are not a member of any team',
      noTeamDescription:
        'Resources are owned by groups. Choose "All owners" or a group to see resources.',
      chooseGroupTitle: 'Choose a group',
      chooseGroupDescription: 'Pick the group whose resources you want to see.',
    },
    request: {
      title: 'Request {{type}}',
      name: 'Name',
      nameRules: 'Naming rules',
      nameHelp:
        'A DNS label, unique per type, e.g. invoice-db. It cannot be changed later.',
      owner: 'Owner',
      ownerHelp:
        'The team that owns it: its members can see the credentials, change and delete it.',
      anotherGroup: 'Another group…',
      owningGroup: 'Owning group',
      entityRef: 'Belongs to (entity ref, optional)',
      entityRefHelp:
        'The component that uses it, e.g. component:default/orders-api.',
      submit: 'Submit request',
      back: 'All offerings',
    },
    estimate: {
      title: 'Estimated monthly cost',
      today: '(today {{cost}})',
      needsApproval:
        '{{subject}} needs approval by {{approvers}}. Nothing is created until it is approved.',
      noApproval: 'No approval needed: it is created as soon as you submit.',
      needsApprovalUpdate:
        '{{subject}} needs approval by {{approvers}}. Nothing changes until it is approved.',
      noApprovalUpdate:
        'No approval needed: the change is applied as soon as you submit.',
    },
    resource: {
      update: 'Update',
      delete: 'Delete',
      retry: 'Retry',
      approve: 'Approve',
      reject: 'Reject',
      withdraw: 'Withdraw',
      withdrawRequest: 'Withdraw request',
      failedTitle: 'The last operation failed',
      cancel: 'Cancel',
      progress: 'Progress',
      overview: 'Overview',
      outputs: 'Outputs',
      events: 'Events',
      noOutputs: 'No outputs yet: they appear once the resource is ready.',
      noEvents: 'No events yet.',
      notOwner:
        'Owned by {{owner}}: only its members can see the credentials, change or delete it.',
      deleted: 'Deleted.',
      back: 'Back to Self-service',
      inCatalog: 'In the catalog',
      pollError:
        'Lost contact with the provisioning service; showing the last known state and retrying…',
      notFoundTitle: 'Resource not found',
      notFoundDescription: 'It does not exist or has been deleted.',
    },
    credentials: {
      title: 'Credentials',
      reveal: 'Reveal',
      hide: 'Hide',
      copy: 'Copy',
      copied: 'Copied',
      connectionUrl: 'Connection URL',
      ownersOnly:
        'Only members of {{owner}} can see the credentials of this resource.',
      notReady: 'Credentials are available once the resource is ready.',
    },
    pendingChange: {
      title: 'Change awaiting approval',
      intro:
        'The resource keeps serving with its current settings (credentials stay available) until the platform team approves this change. A new update replaces it.',
      parameter: 'Parameter',
      from: 'Now',
      to: 'After approval',
      cost: 'Monthly cost',
      requestedBy: 'Requested by',
    },
    approvals: {
      tab: 'Approvals',
      emptyTitle: 'Nothing waits for approval',
      emptyDescription:
        'New requests and changes that need the platform team appear here.',
      notApprover:
        'Only approvers (the platform team) can approve or reject; you can see what waits.',
      forbidden:
        'Only approvers (the platform team) can see what waits for approval.',
      newResource: 'New resource',
      change: 'Change',
    },
    deleteDialog: {
      title: 'Delete {{name}}?',
      dependentsTitle: 'These entities depend on it (their dependsOn names it):',
      noDependents: 'No catalog entity depends on it.',
      force: 'Force remove the record without calling the driver',
      forceHelp:
        'Platform team only: use when the infrastructure is already gone or cannot be deleted. The record is marked deleted and the action is audited; nothing is removed from the infrastructure.',
      forceConfirm: 'Force remove',
      confirmLabel: 'Type the resource name to confirm',
      confirmHelp: 'Type {{name}}',
    },
    updateDialog: {
      title: 'Update {{name}}',
      changes: 'What will change',
      noChanges: 'Nothing yet: change a parameter above.',
      submit: 'Apply update',
    },
    approvalDialog: {
      approveTitle: 'Approve {{name}}',
      rejectTitle: 'Reject {{name}}',
      approveText:
        'The resource is created (or changed) as requested, and the cost is charged to its owner.',
      rejectText:
        'The request is closed and nothing is created. Tell the requester why.',
      reason: 'Reason',
      reasonOptional: 'Reason (optional)',
      confirmApprove: 'Confirm approval',
      confirmReject: 'Confirm rejection',
    },
    entity: {
      title: 'Provisioned resources',
      requestResource: 'Request a resource',
      emptyTitle: 'No resources yet',
      noneProvisioned:
        '{{name}} has no resources provisioned through Paved.',
      total: 'Total: {{cost}}',
    },
  },
});
