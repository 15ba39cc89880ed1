export { EntityScorecardCard, ScorecardChecks } from './EntityScorecardCard';
export { TeamScorecards, rollUpScorecards } from './TeamScorecards';
export type { TeamScorecard } from './TeamScorecards';
export { scorecardApiRef, ScorecardClient } from './ScorecardApi';
export type { ScorecardApi, ScorecardCheckResult } from './ScorecardApi';
