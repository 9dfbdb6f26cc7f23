import { AppError } from '../../errors.ts';

/** RFC 5321 §4.5.3.1: 64-octet local part, 254-octet path in practice. */
const MAX_LENGTH = 254;
// Deliberately plain: one @, no spaces or angle brackets, a dotted domain. Anything fancier is
// rejected rather than guessed at, because the address is also a mail header value.
const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** Lower-cases and checks an address; throws invalid_email. */
export function normalizeEmail(input: string): string {
  const email = input.trim().toLowerCase();
  if (email.length > MAX_LENGTH || !EMAIL.test(email)) throw new AppError('invalid_email');
  return email;
}

export function isEmail(input: string): boolean {
  try {
    normalizeEmail(input);
    return true;
  } catch {
    return false;
  }
}
