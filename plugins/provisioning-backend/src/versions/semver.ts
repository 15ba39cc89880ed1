import type {
  ResourceTypeDefinition,
  TypeVersion,
} from '@paved/backstage-plugin-provisioning-common';

/** The version of a type that declares none, and of resources created before types had versions. @internal */
export const DEFAULT_TYPE_VERSION = '1.0.0';

const SEMVER = /^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

/** Whether `v` is a semantic version `MAJOR.MINOR.PATCH[-PRERELEASE]` (no build metadata). @internal */
export function isVersion(v: unknown): v is string {
  return typeof v === 'string' && v.length <= 64 && SEMVER.test(v);
}

/**
 * Orders two semantic versions (semver 2.0.0 precedence: numeric parts, then a pre-release sorts before its
 * release, pre-release identifiers compared numerically or lexically). Returns <0, 0 or >0.
 * @internal
 */
export function compareVersions(a: string, b: string): number {
  const pa = SEMVER.exec(a);
  const pb = SEMVER.exec(b);
  if (!pa || !pb) return a.localeCompare(b);
  for (let i = 1; i <= 3; i += 1) {
    const d = Number(pa[i]) - Number(pb[i]);
    if (d !== 0) return d;
  }
  if (!pa[4] && !pb[4]) return 0;
  if (!pa[4]) return 1;
  if (!pb[4]) return -1;
  const xa = pa[4].split('.');
  const xb = pb[4].split('.');
  for (let i = 0; i < Math.max(xa.length, xb.length); i += 1) {
    if (xa[i] === undefined) return -1;
    if (xb[i] === undefined) return 1;
    const na = /^\d+$/.test(xa[i]);
    const nb = /^\d+$/.test(xb[i]);
    if (na && nb) {
      const d = Number(xa[i]) - Number(xb[i]);
      if (d !== 0) return d;
    } else if (na !== nb) {
      return na ? -1 : 1;
    } else if (xa[i] !== xb[i]) {
      return xa[i] < xb[i] ? -1 : 1;
    }
  }
  return 0;
}

/** The type's current version (what rollouts bring resources to). @internal */
export function currentVersion(type: ResourceTypeDefinition): string {
  return type.version ?? DEFAULT_TYPE_VERSION;
}

/** The version new resources of the type are created at. @internal */
export function createVersionOf(type: ResourceTypeDefinition): string {
  return type.createVersion ?? currentVersion(type);
}

/** The declared version `version` of the type, if any. @internal */
export function findVersion(
  type: ResourceTypeDefinition,
  version: string,
): TypeVersion | undefined {
  if (!type.versions || type.versions.length === 0) {
    return version === currentVersion(type) ? { version, settings: {} } : undefined;
  }
  return type.versions.find(v => v.version === version);
}

/**
 * The settings the driver applies at `version`; `{}` (the driver's own behaviour) for a version the type no
 * longer declares.
 * @internal
 */
export function settingsOf(
  type: ResourceTypeDefinition,
  version: string | undefined,
): Record<string, unknown> {
  return (findVersion(type, version ?? createVersionOf(type))?.settings ?? {}) as Record<string, unknown>;
}
