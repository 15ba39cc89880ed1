export { IncidentsPanel } from './IncidentsPanel';
export type { IncidentsPanelProps } from './IncidentsPanel';
export {
  OpenIncidentDialog,
  UpdateIncidentDialog,
  ResolveIncidentDialog,
} from './IncidentDialogs';
