import { useState, type FormEvent } from 'react';
import { useAction } from './useAction.ts';

/** An address as typed, with `https://` added when it names no scheme. */
export const withScheme = (url: string): string =>
  /^[a-z][a-z0-9+.-]*:\/\//i.test(url.trim()) ? url.trim() : `https://${url.trim()}`;

/**
 * A form around a web address (the landing page's scan, adding a site): the typed address, and a
 * submit that passes it on with its scheme, busy and failing like any action.
 */
export function useUrlForm(onUrl: (url: string) => Promise<unknown>) {
  const [url, setUrl] = useState('');
  const { busy, error, run } = useAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(() => onUrl(withScheme(url)));
  };
  return { url, setUrl, busy, error, submit };
}
