export { DeviationsPanel, showValue } from './DeviationsPanel';
export { JustificationField, justificationProblem } from './JustificationField';
