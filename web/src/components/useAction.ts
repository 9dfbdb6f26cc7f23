import { useState } from 'react';

export interface Action {
  /** True while an action runs. */
  busy: boolean;
  /** The key of the running action (to say which button is working), or undefined. */
  pending: string | undefined;
  /** The last action's failure (through `mapError`), until the next action starts. */
  error: unknown;
  setError(error: unknown): void;
  /** Runs `action` under `key`: clears the error, marks it busy; resolves true when it succeeded. */
  run(action: () => Promise<unknown>, key?: string): Promise<boolean>;
}

/**
 * The busy and error state of a user's action (a form submit, a button): one action at a time,
 * its failure kept for display. `mapError` turns a failure into what is shown.
 */
export function useAction(mapError: (failure: unknown) => unknown = (failure) => failure): Action {
  const [pending, setPending] = useState<string>();
  const [error, setError] = useState<unknown>();
  const run = async (action: () => Promise<unknown>, key = 'action') => {
    setPending(key);
    setError(undefined);
    try {
      await action();
      return true;
    } catch (failure) {
      setError(mapError(failure));
      return false;
    } finally {
      setPending(undefined);
    }
  };
  return { busy: pending !== undefined, pending, error, setError, run };
}
