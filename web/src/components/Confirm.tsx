import { useRef, type ReactNode } from 'react';
import { useFocusOnClose, useFocusReturn } from './useFocusReturn.ts';

/**
 * The second step of a destructive action: a group named `label` with the danger button and a way
 * back. With `children` (the question) it is a `.confirm` box; without, a row of buttons.
 */
export function Confirm({
  label,
  confirm,
  working,
  cancel,
  disabled = false,
  busy = false,
  onConfirm,
  onCancel,
  children,
}: {
  label: string;
  /** The danger button's text, and its text while the action runs. */
  confirm: string;
  working: string;
  cancel: string;
  /** Another action runs: the danger button waits. */
  disabled?: boolean;
  /** This action runs. */
  busy?: boolean;
  onConfirm(): void;
  onCancel(): void;
  children?: ReactNode;
}) {
  // Focus starts on the way back (never the danger button); Escape cancels.
  const box = useFocusReturn<HTMLDivElement>({
    open: true,
    onClose: onCancel,
    initial: '.button.ghost',
  });
  const buttons = (
    <div className="actions" {...(children ? {} : { role: 'group', 'aria-label': label, ref: box })}>
      <button type="button" className="button danger" disabled={disabled || busy} onClick={onConfirm}>
        {busy ? working : confirm}
      </button>
      <button type="button" className="button ghost" disabled={busy} onClick={onCancel}>
        {cancel}
      </button>
    </div>
  );
  if (!children) return buttons;
  return (
    <div className="confirm" role="group" aria-label={label} ref={box}>
      {children}
      {buttons}
    </div>
  );
}

/**
 * A destructive action in two steps: the `ask` button (named `askLabel` where its text alone is
 * ambiguous) until `asking`, then the confirmation.
 */
export function Confirmable({
  asking,
  ask,
  askLabel,
  onAsk,
  ...confirm
}: Parameters<typeof Confirm>[0] & { asking: boolean; ask: string; askLabel?: string; onAsk(): void }) {
  const button = useRef<HTMLButtonElement>(null);
  useFocusOnClose(asking, button);
  if (asking) return <Confirm {...confirm} />;
  return (
    <button
      ref={button}
      type="button"
      className="button secondary"
      disabled={confirm.disabled}
      onClick={onAsk}
      aria-label={askLabel}
    >
      {ask}
    </button>
  );
}
