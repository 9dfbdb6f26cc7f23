/**
 * Fixes write code between backticks (`X-Content-Type-Options: nosniff`). Renderers show those parts
 * as code, not as literal backticks. An unpaired backtick stays text. Nothing is escaped here.
 */
export interface Span {
  code: boolean;
  text: string;
}

export function codeSpans(text: string): Span[] {
  const parts = text.split('`');
  // An even number of parts means an odd number of backticks: the last one is unpaired.
  const paired =
    parts.length % 2 === 1 ? parts : [...parts.slice(0, -2), `${parts.at(-2)!}\`${parts.at(-1)!}`];
  return paired.map((part, i) => ({ code: i % 2 === 1, text: part })).filter((s) => s.text !== '');
}
