import { compareVersions, isVersion, settingsOf } from './semver';

describe('semver', () => {
  it('recognises semantic versions', () => {
    expect(['1.0.0', '0.1.2', '10.20.30', '1.1.0-rc.1', '1.0.0-alpha-1'].every(isVersion)).toBe(true);
    expect(['1.0', 'v1.0.0', '01.0.0', '1.0.0+build', '', 'x'].some(isVersion)).toBe(false);
  });

  it('orders by semver precedence', () => {
    const sorted = ['1.10.0', '1.2.0', '1.0.0-rc.1', '1.0.0', '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '2.0.0']
      .sort(compareVersions);
    expect(sorted).toEqual(['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-rc.1', '1.0.0', '1.2.0', '1.10.0', '2.0.0']);
  });

  it('answers the settings of a version, {} for a type without versions or an unknown version', () => {
    const type = {
      id: 't', title: 't', description: '', driver: 'd', parameters: {}, pricing: {},
      policy: { approvalRequiredForSizes: [] }, repairDrift: false, entityType: 'database',
    };
    expect(settingsOf(type, undefined)).toEqual({});
    const versioned = { ...type, version: '1.1.0', versions: [{ version: '1.1.0', settings: { a: 1 } }] };
    expect(settingsOf(versioned, '1.1.0')).toEqual({ a: 1 });
    expect(settingsOf(versioned, '0.9.0')).toEqual({});
  });
});
