import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { IconBundleBlueprint } from '@backstage/plugin-app-react';
import SvgIcon, { SvgIconProps } from '@material-ui/core/SvgIcon';

/** The git logo (a generic git icon, not a hosting service's), for links to repositories. */
export function GitIcon(props: SvgIconProps) {
  return (
    <SvgIcon {...props} viewBox="0 0 24 24">
      <path d="M23.55 10.93 13.07.45a1.55 1.55 0 0 0-2.19 0L8.7 2.63l2.76 2.76a1.84 1.84 0 0 1 2.33 2.35l2.66 2.66a1.84 1.84 0 1 1-1.1 1.04l-2.48-2.48v6.53a1.84 1.84 0 1 1-1.52-.05V8.84a1.84 1.84 0 0 1-1-2.42L7.63 3.7.45 10.88a1.55 1.55 0 0 0 0 2.19l10.48 10.48a1.55 1.55 0 0 0 2.19 0l10.43-10.43a1.55 1.55 0 0 0 0-2.19Z" />
    </SvgIcon>
  );
}

/** Icons the app adds to Backstage's defaults: `git` (links of scaffolder tasks to repositories). */
export const iconsModule = createFrontendModule({
  pluginId: 'app',
  extensions: [
    IconBundleBlueprint.make({
      name: 'paved',
      params: { icons: { git: GitIcon } },
    }),
  ],
});
