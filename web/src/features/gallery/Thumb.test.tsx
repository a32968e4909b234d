import { render, screen } from '@testing-library/react';
import { rgbaToThumbHash } from 'thumbhash';
import { describe, expect, it } from 'vitest';

import type { Photo } from '../../api/client';
import { placeholderUrl, Thumb } from './Thumb';

/** A real ThumbHash of a 4x4 red image, base64-encoded as the API sends it. */
function redHash(): string {
  const rgba = new Uint8Array(4 * 4 * 4);
  for (let i = 0; i < rgba.length; i += 4) rgba.set([220, 20, 20, 255], i);
  const bytes = rgbaToThumbHash(4, 4, rgba);
  return btoa(String.fromCharCode(...bytes));
}

const PHOTO: Photo = {
  id: '00000000-0000-4000-8000-000000000001',
  status: 'ready',
  owner_id: 'o',
  creator_id: 'o',
  is_public: true,
  description: 'a red square',
  tags: [],
  width: 400,
  height: 300,
  placeholder: redHash(),
  taken_at: null,
  camera: null,
  mime: 'image/jpeg',
  size: 1000,
  original_filename: 'red.jpg',
  urls: { original: '/o', preview: '/p', thumb: '/t' },
  is_favorite: false,
  created_at: '2026-11-22T06:00:00Z',
};

describe('Thumb', () => {
  it('decodes the ThumbHash into a PNG data URL', () => {
    expect(placeholderUrl(PHOTO.placeholder)).toMatch(/^data:image\/png;base64,/);
    expect(placeholderUrl(null)).toBeNull();
    expect(placeholderUrl('not base64 at all!')).toBeNull();
  });

  it('paints the placeholder behind a lazily loaded image', () => {
    render(<Thumb photo={PHOTO} />);
    const img = screen.getByRole('img', { name: 'a red square' });
    expect(img).toHaveAttribute('src', `${window.location.origin}/t`);
    expect(img).toHaveAttribute('loading', 'lazy');
    expect(img.parentElement!.style.backgroundImage).toMatch(/^url\("?data:image\/png/);
  });

  it('shows the processing state when there is no rendition yet', () => {
    render(
      <Thumb
        photo={{
          ...PHOTO,
          status: 'processing',
          placeholder: null,
          urls: { original: '/o', preview: null, thumb: null },
        }}
      />,
    );
    expect(screen.queryByRole('img')).toBeNull();
    expect(screen.getByText('Processing…')).toBeInTheDocument();
  });
});
