import { render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';

import { ROUTER_FUTURE } from '../lib/router';
import { BackLink } from './BackLink';

function renderLink() {
  render(
    <MemoryRouter future={ROUTER_FUTURE}>
      <BackLink to="/studio" label="Студия расшифровки" />
    </MemoryRouter>,
  );
}

describe('BackLink', () => {
  it('is a link back to the section in a browser', () => {
    renderLink();
    expect(screen.getByRole('link', { name: '← Студия расшифровки' })).toHaveAttribute(
      'href',
      '/studio',
    );
  });

  it('is not drawn inside MAX, whose own back button does the job', () => {
    window.WebApp = { initData: 'signed-launch-data' };
    renderLink();
    expect(screen.queryByRole('link')).not.toBeInTheDocument();
  });
});
