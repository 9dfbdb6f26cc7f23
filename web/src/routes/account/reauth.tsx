import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { href, useRouter } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import { SecondFactor } from './SecondFactor.tsx';

interface Pending {
  retry(): Promise<void>;
  cancel(): void;
}

/**
 * Adding or removing a factor needs a sign-in or verification in the last 20 minutes
 * (`reauth_required`, NIST 800-63B §6.1.2.1). `guarded(action)` runs the action; on that refusal
 * it holds the action until the person verifies (the prompt below), then runs it once more.
 */
export function useReauth() {
  const [pending, setPending] = useState<Pending | null>(null);
  const guarded = useCallback(
    <T,>(action: () => Promise<T>): Promise<T> =>
      action().catch((error: unknown) => {
        if (!(error instanceof ApiError && error.code === 'reauth_required')) throw error;
        return new Promise<T>((resolve, reject) =>
          setPending({
            retry: () => action().then(resolve, reject),
            cancel: () => reject(new Error('Not changed: confirm it is you to make this change.')),
          }),
        );
      }),
    [],
  );
  return { guarded, pending, setPending };
}

export function ReauthPrompt({
  reauth,
  totp,
  passkeys,
}: {
  reauth: ReturnType<typeof useReauth>;
  totp: boolean;
  passkeys: boolean;
}) {
  const { signOut } = useSession();
  const { navigate } = useRouter();
  const { pending, setPending } = reauth;
  const heading = useRef<HTMLHeadingElement>(null);
  // Keyboard and screen-reader users land on the prompt the moment it appears.
  useEffect(() => {
    if (pending) heading.current?.focus();
  }, [pending]);
  if (!pending) return null;
  const cancel = () => {
    pending.cancel();
    setPending(null);
  };
  return (
    <section className="card reauth" aria-labelledby="reauth-heading" role="region">
      <h2 id="reauth-heading" ref={heading} tabIndex={-1}>
        Confirm it is you
      </h2>
      {totp || passkeys ? (
        <>
          <p>This change needs a fresh verification with your second factor.</p>
          <SecondFactor
            idPrefix="reauth"
            totp={totp}
            passkeys={passkeys}
            onVerified={async () => {
              setPending(null);
              await pending.retry();
            }}
          />
        </>
      ) : (
        <>
          <p>This change needs a sign-in within the last 20 minutes. Sign out, sign in again, then retry.</p>
          <button
            type="button"
            className="button primary"
            onClick={() => void signOut().then(() => navigate(href('signIn')))}
          >
            Sign out and sign in again
          </button>
        </>
      )}
      <button type="button" className="button ghost" onClick={cancel}>
        Cancel
      </button>
    </section>
  );
}
