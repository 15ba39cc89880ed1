import { apiError } from '../testUtils';
import { describeError, fieldErrorsFrom, normalizeGroupRef } from './errors';

describe('describeError', () => {
  it('says who may do it on 403', () => {
    const d = describeError(apiError(403, 'not a member'), {
      owner: 'group:default/orders-team',
      action: 'delete this resource',
    });
    expect(d.status).toBe(403);
    expect(d.message).toContain(
      'Only members of orders-team can delete this resource',
    );
  });

  it('passes the server message through on 400 and wraps 5xx', () => {
    expect(describeError(apiError(400, 'name is taken')).message).toBe(
      'name is taken',
    );
    expect(describeError(apiError(503, 'db down')).message).toMatch(
      /provisioning service failed \(503\): db down/,
    );
  });
});

describe('fieldErrorsFrom', () => {
  const fields = ['name', 'owner', 'parameters.size', 'parameters.extensions'];

  it('maps JSON pointers to parameter fields', () => {
    expect(
      fieldErrorsFrom(
        apiError(
          400,
          'request/body/parameters/size must be equal to one of the allowed values',
        ),
        fields,
      ),
    ).toEqual({
      'parameters.size':
        'request/body/parameters/size must be equal to one of the allowed values',
    });
  });

  it('maps a top-level field', () => {
    expect(
      fieldErrorsFrom(
        apiError(400, "name 'Bad_Name' is not a DNS label"),
        fields,
      ),
    ).toEqual({ name: "name 'Bad_Name' is not a DNS label" });
  });

  it('ignores other statuses and unknown fields', () => {
    expect(fieldErrorsFrom(apiError(403, 'name'), fields)).toEqual({});
    expect(fieldErrorsFrom(apiError(400, 'quota exceeded'), fields)).toEqual(
      {},
    );
  });
});

describe('normalizeGroupRef', () => {
  it('fills kind and namespace', () => {
    expect(normalizeGroupRef('orders-team')).toBe('group:default/orders-team');
    expect(normalizeGroupRef('group:default/x')).toBe('group:default/x');
    expect(normalizeGroupRef(undefined)).toBeUndefined();
  });
});
