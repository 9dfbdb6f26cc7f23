/**
 * Key-logging canaries: a fake name, e-mail, phone and password typed key by key into the page's
 * visible inputs without submitting (no Enter, no click), so that detect.ts can search every request
 * for them. The values are made up to collide with nothing a page sends on its own: an invented
 * name, an address at example.com (RFC 2606), a 555-01xx number (reserved for fiction in the NANP),
 * mixed case in the e-mail so that a hash of the normalised value tells itself apart, and no
 * value inside another (the e-mail does not contain the name).
 */
import type { ElementHandle, Frame, Page } from 'playwright-core';
import type { CanaryField } from './types.ts';

export const CANARIES: Record<CanaryField, string> = {
  name: 'Vioqa Zentrowski',
  email: 'Tamsin.Qorvel.7c3f@example.com',
  phone: '+1 971 555 0123',
  password: 'Vq-Canary-7c3f-Pw!',
};

/** Typed into given-name / family-name fields. */
export const CANARY_NAME_PARTS = { given: 'Vioqa', family: 'Zentrowski' } as const;

const MAX_FIELDS = 20;
const MAX_CANDIDATES_PER_FRAME = 60;

/** What to type into a field, from its autocomplete token, type, name, id, placeholder or label. */
export function canaryFor(field: {
  type?: string | null;
  autocomplete?: string | null;
  name?: string | null;
  id?: string | null;
  placeholder?: string | null;
  label?: string | null;
}): { field: CanaryField; value: string } | undefined {
  const type = (field.type ?? 'text').toLowerCase();
  if (!['text', 'email', 'tel', 'password', ''].includes(type)) return undefined;
  const tokens = (field.autocomplete ?? '').toLowerCase().split(/\s+/);
  const words = [field.name, field.id, field.placeholder, field.label].join(' ').toLowerCase();
  const has = (...wanted: string[]) => wanted.some((t) => tokens.includes(t));
  if (type === 'password' || has('current-password', 'new-password'))
    return { field: 'password', value: CANARIES.password };
  if (type === 'email' || has('email') || /e-?mail/.test(words))
    return { field: 'email', value: CANARIES.email };
  if (type === 'tel' || has('tel', 'tel-national') || /phone|mobile|\btel\b/.test(words))
    return { field: 'phone', value: CANARIES.phone };
  if (has('given-name') || /first.?name|fname|given/.test(words))
    return { field: 'name', value: CANARY_NAME_PARTS.given };
  if (has('family-name') || /last.?name|lname|surname|family/.test(words))
    return { field: 'name', value: CANARY_NAME_PARTS.family };
  if (has('name') || /\bname\b|full.?name|your.?name/.test(words))
    return { field: 'name', value: CANARIES.name };
  return undefined;
}

function sameOrigin(frame: Frame, origin: string): boolean {
  try {
    return new URL(frame.url()).origin === origin;
  } catch {
    return false;
  }
}

async function describe(input: ElementHandle): Promise<Parameters<typeof canaryFor>[0]> {
  const [type, autocomplete, name, id, placeholder, label] = await Promise.all(
    ['type', 'autocomplete', 'name', 'id', 'placeholder', 'aria-label'].map((a) => input.getAttribute(a)),
  );
  return { type, autocomplete, name, id, placeholder, label };
}

/**
 * Types the canaries into matching visible, editable inputs of the page and its same-origin frames,
 * within the budget; returns how many fields were filled. Never throws: a frame that goes away or a
 * field that refuses focus is skipped.
 */
export async function typeCanaries(page: Page, budgetMs = 4000): Promise<number> {
  const deadline = Date.now() + budgetMs;
  const left = () => deadline - Date.now();
  let filled = 0;
  let origin: string;
  try {
    origin = new URL(page.url()).origin;
  } catch {
    return 0;
  }
  for (const frame of page.frames().filter((f) => sameOrigin(f, origin))) {
    if (left() <= 0 || filled >= MAX_FIELDS) break;
    let inputs: ElementHandle[];
    try {
      inputs = (await frame.$$('input, textarea')).slice(0, MAX_CANDIDATES_PER_FRAME);
    } catch {
      continue;
    }
    for (const input of inputs) {
      if (left() <= 0 || filled >= MAX_FIELDS) break;
      try {
        if (!(await input.isVisible()) || !(await input.isEditable())) continue;
        const canary = canaryFor(await describe(input));
        if (!canary) continue;
        await input.focus();
        await page.keyboard.type(canary.value);
        filled++;
      } catch {
        // detached or refused: next field
      }
    }
    await Promise.all(inputs.map((input) => input.dispose().catch(() => undefined)));
  }
  // Leave the last field as a visitor would (its blur and change events fire); Tab never submits.
  if (filled > 0 && left() > 0) await page.keyboard.press('Tab').catch(() => undefined);
  return filled;
}
