import type { ReactNode } from 'react';

/**
 * The box a wide table scrolls in on a narrow screen. It takes focus so a keyboard can scroll it
 * (WCAG 2.1.1; axe's scrollable-region-focusable), and is a named region so that stop says what it is.
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
