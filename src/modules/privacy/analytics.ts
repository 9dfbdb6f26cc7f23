import type { ResolvedConfig } from '../../config/load.ts';

export interface AnalyticsScript {
  /** The one third-party origin the CSP allows (script-src and connect-src). */
  origin: string;
  src: string;
  domain: string;
}

/**
 * Plausible's cookieless script, only when PLAUSIBLE_DOMAIN is set: loaded from PLAUSIBLE_HOST
 * (default https://plausible.io), which also receives the page-view events. Without the variable
 * no page and no CSP directive names any third-party origin.
 */
export function analyticsScript(
  config: Pick<ResolvedConfig, 'plausibleDomain' | 'plausibleHost'>,
): AnalyticsScript | null {
  if (!config.plausibleDomain) return null;
  const origin = new URL(config.plausibleHost).origin;
  return { origin, src: `${origin}/js/script.js`, domain: config.plausibleDomain };
}

const attr = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** An external script element (no inline code, so the strict CSP needs no hash or nonce). */
export function analyticsTag(script: AnalyticsScript): string {
  return `<script defer data-domain="${attr(script.domain)}" src="${attr(script.src)}"></script>`;
}

/** index.html with the analytics tag before </head>, or unchanged when analytics are off. */
export function withAnalytics(html: string, script: AnalyticsScript | null): string {
  if (!script) return html;
  return html.replace('</head>', `  ${analyticsTag(script)}\n  </head>`);
}
