import { MAX_MESSAGE_CHARS, readHealthBody } from './healthBody';

describe('readHealthBody', () => {
  it.each([
    [
      'message',
      { status: 'degraded', message: 'pool at 97 %' },
      { state: 'degraded', message: 'pool at 97 %' },
    ],
    [
      'IETF output',
      { status: 'warn', output: 'disk 91 % full' },
      { state: 'degraded', message: 'disk 91 % full' },
    ],
    [
      'reason',
      { status: 'unavailable', reason: 'model timed out' },
      { state: 'down', message: 'model timed out' },
    ],
    [
      'string details',
      { status: 'ok', details: 'all good' },
      { message: 'all good' },
    ],
    [
      'IETF checks',
      {
        status: 'fail',
        checks: {
          'db:connections': [{ status: 'fail', output: 'refused' }],
          'cpu:utilization': [{ status: 'pass' }],
        },
      },
      { state: 'down', message: 'db:connections: fail: refused' },
    ],
    ['no status', { uptime: 3 }, {}],
  ])('reads %s', (_name, body, expected) => {
    expect(readHealthBody('application/json', JSON.stringify(body))).toEqual(
      expected,
    );
  });

  it('reads JSON without a content type and ignores broken JSON', () => {
    expect(readHealthBody(undefined, '{"status":"degraded"}')).toEqual({
      state: 'degraded',
    });
    expect(readHealthBody('application/json', '{"status":')).toEqual({});
  });

  it('keeps one line of bounded length', () => {
    const long = 'x'.repeat(1000);
    const { message } = readHealthBody('text/plain', `  first\tline  \nsecond`);
    expect(message).toBe('first line');
    expect(readHealthBody('text/plain', long).message).toHaveLength(
      MAX_MESSAGE_CHARS,
    );
  });

  it('ignores HTML', () => {
    expect(readHealthBody('text/html', '<html>oops</html>')).toEqual({});
  });
});
