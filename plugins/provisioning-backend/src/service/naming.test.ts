import { assertValidName, mergeNaming } from './naming';

describe('naming', () => {
  const postgres = {
    label: 'PostgreSQL',
    maxLength: 63,
    reserved: ['template1', 'postgres', 'public', 'template0'],
    reservedPrefixes: ['pg-'],
  };

  it('merges the generic rule with the driver rules', () => {
    expect(mergeNaming(postgres)).toEqual({
      pattern: '^(?!pg-)[a-z](?:[-a-z0-9]{0,38}[a-z0-9])?$',
      maxLength: 40,
      reserved: ['postgres', 'public', 'template0', 'template1'],
      description:
        "lowercase letters, digits and '-', starting with a letter and not ending with '-', at most 40 characters; not starting with 'pg-'; not postgres, public, template0 or template1",
    });
    expect(mergeNaming(undefined).reserved).toEqual([]);
    expect(mergeNaming({ label: 'X', maxLength: 10 }).maxLength).toBe(10);
  });

  it('names the rule a name breaks', () => {
    const naming = mergeNaming(postgres);
    expect(() => assertValidName('postgres', naming, postgres)).toThrow(
      "The name 'postgres' is reserved by the PostgreSQL driver; choose another one",
    );
    expect(() => assertValidName('pg-stats', naming, postgres)).toThrow(
      "The name 'pg-stats' starts with 'pg-', which is reserved by the PostgreSQL driver",
    );
    expect(() => assertValidName('a'.repeat(41), naming, postgres)).toThrow(/too long: at most 40/);
    expect(() => assertValidName('Bad', naming, postgres)).toThrow(/Invalid name 'Bad'/);
    const short = { label: 'Tiny', maxLength: 5 };
    expect(() => assertValidName('abcdef', mergeNaming(short), short)).toThrow(
      "The name 'abcdef' is too long: at most 5 characters are allowed by the Tiny driver",
    );
    expect(() => assertValidName('orders-db', naming, postgres)).not.toThrow();
    expect(new RegExp(naming.pattern).test('orders-db')).toBe(true);
    expect(new RegExp(naming.pattern).test('pg-x')).toBe(false);
  });
});
