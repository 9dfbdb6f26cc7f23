import { useEffect, useRef, type RefObject } from 'react';

const FOCUSABLE =
  'input:not([disabled]), textarea:not([disabled]), select:not([disabled]), button:not([disabled]), a[href], [tabindex="-1"]';

/**
 * For a dialog, menu or inline form that `open`s in place of (or next to) the control that opened
 * it: focus moves to its first field (or button) when it opens, Escape closes it, and focus goes
 * back to the element that had it before, or to `fallback` when that element is gone (the button
 * was replaced by the form). WAI-ARIA APG, dialog pattern: "When a dialog closes, focus returns".
 */
export function useFocusReturn<T extends HTMLElement>({
  open,
  onClose,
  fallback,
  initial = FOCUSABLE,
}: {
  open: boolean;
  onClose: () => void;
  /** Where focus goes back when the opener is gone (a button the form replaced, then rendered anew). */
  fallback?: RefObject<HTMLElement | null>;
  /** Which element takes focus first (a confirmation starts on its safe button, not the danger one). */
  initial?: string;
}): RefObject<T | null> {
  const container = useRef<T>(null);
  const opener = useRef<HTMLElement | null>(null);
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    if (!open) return;
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    container.current?.querySelector<HTMLElement>(initial)?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      if (container.current && !container.current.contains(document.activeElement)) return;
      event.preventDefault();
      close.current();
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      // After React has put the opener back (when the form replaced it).
      const back = opener.current;
      requestAnimationFrame(() => {
        if (back?.isConnected) back.focus();
        else fallback?.current?.focus();
      });
    };
  }, [open]);
  return container;
}
