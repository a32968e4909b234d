import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';

import { api, type UserPublic } from '../api/client';
import { useI18n } from '../i18n/I18nProvider';

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

/** A link to a user's profile, labelled with their name once known (never with the id). */
export function UserName({ id }: { id: string }) {
  const { t } = useI18n();
  const [user, setUser] = useState<UserPublic | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    void fetchUser(id).then((u) => live && setUser(u));
    return () => {
      live = false;
    };
  }, [id]);
  const label = user ? displayName(user) : user === null ? t('user.unknown') : '…';
  return <Link to={`/users/${id}`}>{label}</Link>;
}
