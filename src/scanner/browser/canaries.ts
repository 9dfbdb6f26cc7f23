/**
 * Key-logging canaries: a fake name, e-mail, phone and password typed key by key into the page's
 * visible inputs without submitting (no Enter, no click), so that detect.ts can search every request
 * for them. The values are made up to collide with nothing a page sends on its own: an invented
 * name, an address at example.com (RFC 2606), a 555-01xx number (reserved for fiction in the NANP),
 * mixed case in the e-mail so that a hash of the normalised value tells itself apart, and no
 * value inside another (the e-mail does not contain the name).
 */
import type { Frame, Page } from 'playwright-core';
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

type FieldFacts = Parameters<typeof canaryFor>[0] & { visible: boolean; editable: boolean };

const FIELDS = 'input, textarea';

/**
 * What canaryFor needs of every candidate field, in one round trip per frame. An expression, not a
 * function: tsx renames helpers inside functions Playwright would serialize. The page may lie
 * here; the worst it gets is a canary in the wrong field.
 */
const DESCRIBE_FIELDS = `Array.from(document.querySelectorAll(${JSON.stringify(FIELDS)}), (el) => {
  const box = el.getBoundingClientRect();
  const label = el.getAttribute('aria-label') || (el.labels && el.labels[0] ? el.labels[0].textContent : null);
  return {
    type: el.getAttribute('type'), autocomplete: el.getAttribute('autocomplete'), name: el.getAttribute('name'),
    id: el.getAttribute('id'), placeholder: el.getAttribute('placeholder'), label: label ? label.slice(0, 100) : null,
    visible: box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden',
    editable: !el.disabled && !el.readOnly,
  };
})`;

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
    const fields = frame.locator('input, textarea');
    let facts: FieldFacts[];
    try {
      facts = ((await fields.evaluateAll(DESCRIBE_FIELDS)) as FieldFacts[]).slice(
        0,
        MAX_CANDIDATES_PER_FRAME,
      );
    } catch {
      continue; // the frame went away
    }
    for (const [index, field] of facts.entries()) {
      if (left() <= 0 || filled >= MAX_FIELDS) break;
      const canary = field.visible && field.editable ? canaryFor(field) : undefined;
      if (!canary) continue;
      try {
        await fields.nth(index).focus({ timeout: Math.min(left(), 1000) });
        await page.keyboard.type(canary.value);
        filled++;
      } catch {
        // detached or refused: next field
      }
    }
  }
  // Leave the last field as a visitor would (its blur and change events fire); Tab never submits.
  if (filled > 0 && left() > 0) await page.keyboard.press('Tab').catch(() => undefined);
  return filled;
}
