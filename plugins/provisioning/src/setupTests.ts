import '@testing-library/jest-dom';

// Keep test output quiet: silence only known warnings from third-party code (Material UI v4 transitions use
// findDOMNode; React Router v6 announces v7 flags). Anything else still reaches the console.
const KNOWN_NOISE = [
  /findDOMNode is deprecated/,
  /React Router Future Flag Warning/,
  /\[JSS\] processedRuleToParse/,
];
for (const method of ['error', 'warn'] as const) {
  // eslint-disable-next-line no-console
  const original = console[method];
  jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
    const text = args.map(a => String(a)).join(' ');
    if (KNOWN_NOISE.some(re => re.test(text))) return;
    original(...args);
  });
}
