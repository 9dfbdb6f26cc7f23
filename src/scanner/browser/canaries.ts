/**
 * Key-logging canaries: a fake name, e-mail, phone and password typed into the page's inputs
 * without submitting (detect.ts then searches every request for them).
 *
 * CONTRACT STUB — the detection work fills in the typing.
 */
import type { Page } from 'playwright-core';
import type { CanaryField } from './types.ts';

export const CANARIES: Record<CanaryField, string> = {
  name: 'Ida Tarbell-Vioscan',
  email: 'canary.vioscan@example.org',
  phone: '+1 971 555 0123',
  password: 'Vioscan-Canary-Pw-71',
};

/** Types the canaries into matching inputs; returns how many fields were filled. */
export async function typeCanaries(_page: Page, _budgetMs = 4000): Promise<number> {
  return 0;
}
