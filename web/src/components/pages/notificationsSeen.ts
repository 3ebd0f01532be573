// When the user last looked at the notifications page, kept in localStorage per user name, so
// the bell counts only what is newer. The mark is the newest `lastAt` the page showed (the
// server's clock, as notifications are stamped), not the browser's time: a browser clock that
// runs ahead would otherwise hide new notifications.
import { useCallback, useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();
const storageKey = (username: string) => `hookline.notificationsSeenAt.${username}`;

export function readNotificationsSeenAt(username: string): string | null {
  try {
    return localStorage.getItem(storageKey(username));
  } catch {
    return null; // storage refused (a private window): everything counts as unread
  }
}

/** Moves the mark forward to `lastAt` (never back), and tells every bell. */
export function markNotificationsSeen(username: string, lastAt: string): void {
  const current = readNotificationsSeenAt(username);
  if (current !== null && current >= lastAt) return;
  try {
    localStorage.setItem(storageKey(username), lastAt);
  } catch {
    return;
  }
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  // another tab of the console marked them seen
  window.addEventListener('storage', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', listener);
  };
}

/** The mark, re-read when this tab or another one moves it. */
export function useNotificationsSeenAt(username: string): string | null {
  const read = useCallback(() => readNotificationsSeenAt(username), [username]);
  return useSyncExternalStore(subscribe, read);
}
