import { WebAuthnError } from '@simplewebauthn/browser';

/**
 * The browser's WebAuthn refusals (cancelled prompt, timeout, no authenticator) arrive as DOM
 * exceptions with terse names; show them as a sentence the person can act on.
 */
export function passkeyError(error: unknown): unknown {
  const name = error instanceof WebAuthnError ? (error.cause as Error | undefined)?.name : undefined;
  const domName = error instanceof Error ? error.name : undefined;
  if (name === 'NotAllowedError' || domName === 'NotAllowedError')
    return new Error('The passkey prompt was cancelled or timed out. Try again.');
  if (error instanceof WebAuthnError) return new Error(error.message);
  return error;
}
