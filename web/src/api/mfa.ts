import {
  startAuthentication,
  startRegistration,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/browser';
import { request, setCsrfToken } from './http.ts';
import type {
  Passkey,
  PasskeyList,
  PasskeyRegistered,
  PasskeyRename,
  RecoveryCodes,
  TotpCode,
  TotpEnabled,
  TotpSetup,
  Verified,
} from './account-security-types.ts';

const base = '/api/v1/auth/mfa';

/** Every step-up and enrolment rotates the session: the answer carries the new CSRF token. */
async function rotated<T extends { csrfToken: string }>(answer: Promise<T>): Promise<T> {
  const result = await answer;
  setCsrfToken(result.csrfToken);
  return result;
}

export const mfaApi = {
  totpSetup: () => request<TotpSetup>('POST', `${base}/totp/setup`, {}),
  totpEnable: (code: string) =>
    rotated(request<TotpEnabled>('POST', `${base}/totp/enable`, { code } satisfies TotpCode)),
  totpVerify: (code: string) =>
    rotated(request<Verified>('POST', `${base}/totp/verify`, { code } satisfies TotpCode)),
  recoveryVerify: (code: string) =>
    rotated(request<Verified>('POST', `${base}/recovery/verify`, { code } satisfies TotpCode)),
  /** Ten new recovery codes, answered once; the old ones stop working. */
  recoveryRegenerate: () => request<RecoveryCodes>('POST', `${base}/recovery/regenerate`, {}),
  totpRemove: () => request<void>('DELETE', `${base}/totp`),

  passkeys: () => request<PasskeyList>('GET', `${base}/passkeys`),
  renamePasskey: (id: string, name: string) =>
    request<void>('PATCH', `${base}/passkeys/${encodeURIComponent(id)}`, {
      name: name.trim(),
    } satisfies PasskeyRename),
  removePasskey: (id: string) => request<void>('DELETE', `${base}/passkeys/${encodeURIComponent(id)}`),

  /** Options from the server → navigator.credentials.create() → the response back to the server. */
  addPasskey: async (name: string): Promise<Passkey> => {
    const optionsJSON = await request<PublicKeyCredentialCreationOptionsJSON>(
      'POST',
      `${base}/passkeys/register/options`,
      {},
    );
    const response = await startRegistration({ optionsJSON });
    const result = await rotated(
      request<PasskeyRegistered>('POST', `${base}/passkeys/register`, {
        ...(name.trim() && { name: name.trim() }),
        response,
      }),
    );
    return result.passkey;
  },

  /** Step up with a passkey: navigator.credentials.get() over the server's challenge. */
  verifyPasskey: async (): Promise<Verified> => {
    const optionsJSON = await request<PublicKeyCredentialRequestOptionsJSON>(
      'POST',
      `${base}/passkeys/verify/options`,
      {},
    );
    const response = await startAuthentication({ optionsJSON });
    return rotated(request<Verified>('POST', `${base}/passkeys/verify`, { response }));
  },
};
