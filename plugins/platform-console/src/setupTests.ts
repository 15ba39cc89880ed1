import '@testing-library/jest-dom';

// renderInTestApp renders in React.StrictMode, where Material UI v4 (used by
// @backstage/core-components) triggers React's "findDOMNode is deprecated" warning.
// It is known and harmless; drop only that warning to keep test output readable.
/* eslint-disable no-console */
const consoleError = console.error;
console.error = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && args[0].includes('findDOMNode is deprecated')) {
    return;
  }
  consoleError(...args);
};
