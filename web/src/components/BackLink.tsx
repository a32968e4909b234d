import { Link } from 'react-router-dom';

import { isInsideMax } from '../lib/max';

/**
 * The "← Section" link at the top of an inner page. Inside MAX the messenger's own back button
 * (Layout) does this job, so the link is not drawn: two back controls would only confuse.
 */
export function BackLink({ to, label }: { to: string; label: string }) {
  if (isInsideMax()) return null;
  return (
    <p className="mb-1">
      <Link to={to} className="mh-back-link">
        ← {label}
      </Link>
    </p>
  );
}
