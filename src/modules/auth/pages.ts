/** Escapes text for HTML element and attribute content. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function htmlPage(
  title: string,
  body: string,
  styleNonce: string,
  referrer: 'no-referrer' | 'strict-origin' = 'no-referrer',
): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="${referrer}">
<title>${escapeHtml(title)}</title>
<style nonce="${escapeHtml(styleNonce)}">body{font-family:system-ui,sans-serif;margin:3rem auto;max-width:40rem;padding:0 1rem}button{font-size:1.1rem;padding:.5rem 1.5rem}pre{white-space:pre-wrap;background:#f4f4f4;padding:1rem}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

/**
 * The magic link opens this page only (ASVS 7.6.2): a link scanner that fetches it signs nobody
 * in. The token travels on in a POST body, never in a Referer (strict-origin sends the origin
 * alone, and there are no sub-resources). Not no-referrer: a browser then sends `Origin: null`
 * with the form's POST, which the CSRF check (src/http/plugins/csrf.ts) rightly refuses.
 */
export function confirmPage(token: string, styleNonce: string): string {
  return htmlPage(
    'Confirm sign-in · VIOscan',
    `<h1>Sign in to VIOscan</h1>
<p>Press the button to finish signing in on this device.</p>
<form method="post" action="/auth/confirm">
<input type="hidden" name="t" value="${escapeHtml(token)}">
<button type="submit">Sign in</button>
</form>`,
    styleNonce,
    'strict-origin',
  );
}
