/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { HumanDuration } from '@backstage/types';

export interface Config {
  scaffolder?: {
    /** Settings of the Paved scaffolder module (`@paved/backstage-plugin-scaffolder-backend-module-provisioning`). */
    paved?: {
      /** Local git hosting used by the `publish:paved-git` action (the embedded default; production uses GitHub/GitLab). */
      git?: {
        /**
         * Directory holding the bare repositories `<name>.git`. Relative paths resolve from the backend's
         * working directory (`packages/backend` in the monorepo). Default `../../.data/git`.
         */
        directory?: string;
        /** Branch the scaffolded repositories are published to. Default `main`. */
        defaultBranch?: string;
      };
      /**
       * Workspace provider `paved-filesystem` (used when `scaffolder.taskRecovery.workspaceProvider` is
       * `paved-filesystem`): where copies of running tasks' workspaces are kept.
       */
      workspaces?: {
        /** Directory, relative to the backend's working directory. Default `../../.data/scaffolder-workspaces`. */
        directory?: string;
      };
      /**
       * Backstop cleanup: resources of runs that ended `failed`/`cancelled` without their
       * `if: failure()` cleanup step are released by a scheduled task.
       */
      cleanup?: {
        /** How often the sweep runs. Default `{ minutes: 1 }`. */
        frequency?: HumanDuration | string;
        /** How long after a run ended its resources are left alone. Default `{ minutes: 5 }`. */
        gracePeriod?: HumanDuration | string;
      };
    };
  };
  /** Paved settings outside the scaffolder. */
  paved?: {
    /** URL readers of `@paved/backstage-plugin-scaffolder-backend-module-provisioning`. */
    reading?: {
      /**
       * Folders on the backend's machine whose files may be read through `file://` URLs, e.g. to
       * register a local checkout with "Register existing component"
       * (`file:///home/me/src/my-service/catalog-info.yaml`) and build its TechDocs. Relative paths
       * resolve from the backend's working directory. `.git` and `node_modules` are never read, nor
       * symbolic links that leave a folder. Default: none (no `file://` URL is readable).
       */
      folders?: string[];
    };
  };
}
