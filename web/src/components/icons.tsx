/**
 * Inline line icons (24×24, stroke = currentColor). Inline SVG instead of an icon font keeps the
 * initial download small and needs no network. All are decorative: the text next to them is the
 * accessible name, so they are hidden from assistive technology.
 */
import type { ReactElement, ReactNode } from 'react';

export type IconComponent = (props: { className?: string }) => ReactElement;

function icon(children: ReactNode): IconComponent {
  return function Icon({ className }) {
    return (
      <svg
        className={className}
        width="24"
        height="24"
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
        aria-hidden="true"
        focusable="false"
      >
        {children}
      </svg>
    );
  };
}

export const FeedIcon = icon(
  <>
    <rect x="3" y="4" width="18" height="16" rx="2" />
    <circle cx="9" cy="10" r="2" />
    <path d="m21 16-5-5-9 9" />
  </>,
);

export const CollectionIcon = icon(
  <>
    <rect x="3" y="3" width="7" height="7" rx="1" />
    <rect x="14" y="3" width="7" height="7" rx="1" />
    <rect x="3" y="14" width="7" height="7" rx="1" />
    <rect x="14" y="14" width="7" height="7" rx="1" />
  </>,
);

export const UploadIcon = icon(
  <>
    <path d="M12 15V3" />
    <path d="m7 8 5-5 5 5" />
    <path d="M4 15v4a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-4" />
  </>,
);

export const ExchangeIcon = icon(
  <>
    <path d="M4 8h14" />
    <path d="m14 4 4 4-4 4" />
    <path d="M20 16H6" />
    <path d="m10 12-4 4 4 4" />
  </>,
);

export const StudioIcon = icon(
  <>
    <path d="M4 10v4" />
    <path d="M8 6v12" />
    <path d="M12 3v18" />
    <path d="M16 7v10" />
    <path d="M20 10v4" />
  </>,
);

export const SettingsIcon = icon(
  <>
    <path d="M4 6h10" />
    <path d="M18 6h2" />
    <circle cx="16" cy="6" r="2" />
    <path d="M4 12h2" />
    <path d="M10 12h10" />
    <circle cx="8" cy="12" r="2" />
    <path d="M4 18h10" />
    <path d="M18 18h2" />
    <circle cx="16" cy="18" r="2" />
  </>,
);

export const CompassIcon = icon(
  <>
    <circle cx="12" cy="12" r="9" />
    <path d="m15.5 8.5-2 5-5 2 2-5z" />
  </>,
);

export const LockIcon = icon(
  <>
    <rect x="5" y="11" width="14" height="10" rx="2" />
    <path d="M8 11V7a4 4 0 0 1 8 0v4" />
  </>,
);

export const DownloadIcon = icon(
  <>
    <path d="M12 3v12" />
    <path d="m7 10 5 5 5-5" />
    <path d="M4 19h16" />
  </>,
);

export const CloseIcon = icon(
  <>
    <path d="M6 6l12 12" />
    <path d="M18 6 6 18" />
  </>,
);

export const ChevronLeftIcon = icon(<path d="m15 5-7 7 7 7" />);

export const ChevronRightIcon = icon(<path d="m9 5 7 7-7 7" />);

export const ExpandIcon = icon(
  <>
    <path d="M4 9V4h5" />
    <path d="M20 9V4h-5" />
    <path d="M4 15v5h5" />
    <path d="M20 15v5h-5" />
  </>,
);
