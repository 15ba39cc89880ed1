export {
  devToolsModules,
  PLATFORM_TEAM_REF,
  TEMPLATE_MANAGEMENT_PERMISSION,
  DEVTOOLS_PERMISSION,
} from './devToolsModules';
export { useIsPlatformTeam } from './useIsPlatformTeam';
