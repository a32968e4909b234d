import { render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';

import { useColorScheme } from './useColorScheme';

function Probe() {
  return <span data-testid="scheme">{useColorScheme()}</span>;
}

afterEach(() => {
  document.documentElement.removeAttribute('data-bs-theme');
  document.documentElement.removeAttribute('data-mh-max');
});

describe('useColorScheme', () => {
  it('follows the system in a browser and leaves MAX’s look off', () => {
    const { getByTestId } = render(<Probe />);
    expect(getByTestId('scheme')).toHaveTextContent('light');
    expect(document.documentElement).toHaveAttribute('data-bs-theme', 'light');
    expect(document.documentElement).not.toHaveAttribute('data-mh-max');
  });

  it('inside MAX takes the scheme MAX names and turns MAX UI’s look on', () => {
    window.WebApp = { initData: 'signed-launch-data', colorScheme: 'dark' };
    const { getByTestId } = render(<Probe />);
    expect(getByTestId('scheme')).toHaveTextContent('dark');
    expect(document.documentElement).toHaveAttribute('data-bs-theme', 'dark');
    expect(document.documentElement).toHaveAttribute('data-mh-max');
  });
});
