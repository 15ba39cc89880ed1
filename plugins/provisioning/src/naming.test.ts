import { nameProblem } from './naming';

const naming = {
  pattern: '^(?!pg_)[a-z](?:[-a-z0-9]{0,28}[a-z0-9])?$',
  maxLength: 30,
  reserved: ['postgres', 'public'],
  description:
    "lowercase letters, digits and '-', starting with a letter and not ending with '-', at most 30 characters; not starting with 'pg_'; not postgres or public",
};

describe('nameProblem', () => {
  it('accepts a valid name', () => {
    expect(nameProblem('invoice-db', naming)).toBeUndefined();
  });

  it('names the broken rule in the words of the API', () => {
    expect(nameProblem('postgres', naming)).toBe(
      "The name 'postgres' is reserved; choose another one",
    );
    expect(nameProblem('a'.repeat(31), naming)).toBe(
      `The name '${'a'.repeat(31)}' is too long: at most 30 characters`,
    );
    expect(nameProblem('Bad_Name', naming)).toBe(
      "Invalid name 'Bad_Name': use lowercase letters, digits and '-', starting with a letter and not ending with '-'",
    );
    expect(nameProblem('db-', naming)).toMatch(/^Invalid name 'db-'/);
  });

  it('falls back to the generic DNS-label rule without naming rules', () => {
    expect(nameProblem('invoice-db', undefined)).toBeUndefined();
    expect(nameProblem('Invoice', undefined)).toMatch(/^Invalid name/);
  });
});
