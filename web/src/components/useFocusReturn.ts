import { useEffect, useRef, type RefObject } from 'react';

const FOCUSABLE =
  'input:not([disabled]), textarea:not([disabled]), select:not([disabled]), button:not([disabled]), a[href], [tabindex="-1"]';

/**
 * For a dialog, menu or inline form that `open`s next to the control that opened it: focus moves
 * to its first field (or `initial`) when it opens, Escape closes it, and focus goes back to the
 * element that had it before (WAI-ARIA APG, dialog pattern). When the form *replaces* its opener,
 * the opener is a new element after closing: the parent uses useFocusOnClose for that.
 */
export function useFocusReturn<T extends HTMLElement>({
  open,
  onClose,
  initial = FOCUSABLE,
}: {
  open: boolean;
  onClose: () => void;
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
      if (opener.current?.isConnected) opener.current.focus();
    };
  }, [open]);
  return container;
}

/** Focus `target` when `open` turns false: the button a form or confirmation replaced, rendered again. */
export function useFocusOnClose(open: boolean, target: RefObject<HTMLElement | null>): void {
  const was = useRef(open);
  useEffect(() => {
    if (was.current && !open) target.current?.focus();
    was.current = open;
  }, [open]);
}
