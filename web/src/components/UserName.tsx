import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';

import { api, type UserPublic } from '../api/client';
import { shortId } from '../lib/format';

const cache = new Map<string, Promise<UserPublic | null>>();

/** Public fields of a user, fetched once per page load however many places show them. */
export function fetchUser(id: string): Promise<UserPublic | null> {
  let hit = cache.get(id);
  if (!hit) {
    hit = api
      .GET('/api/users/{user_id}', { params: { path: { user_id: id } } })
      .then((r) => r.data ?? null)
      .catch(() => null);
    cache.set(id, hit);
  }
  return hit;
}

export function displayName(user: Pick<UserPublic, 'username' | 'first_name' | 'last_name'>) {
  const full = [user.first_name, user.last_name].filter(Boolean).join(' ');
  return full || user.username;
}

/** A link to a user's profile, labelled with their name once known. */
export function UserName({ id }: { id: string }) {
  const [user, setUser] = useState<UserPublic | null>(null);
  useEffect(() => {
    let live = true;
    void fetchUser(id).then((u) => live && setUser(u));
    return () => {
      live = false;
    };
  }, [id]);
  return <Link to={`/users/${id}`}>{user ? displayName(user) : shortId(id)}</Link>;
}
