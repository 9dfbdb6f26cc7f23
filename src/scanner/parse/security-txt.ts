/**
 * Tolerant security.txt parser (RFC 9116 §2, §4 ABNF). Never throws.
 * Recognises an OpenPGP cleartext signature wrapper (RFC 9116 §2.3, RFC 4880 §7) without verifying it.
 */

export interface SecurityTxtField {
  name: string;
  value: string;
  line: number;
}

export interface SecurityTxt {
  fields: SecurityTxtField[];
  contact: string[];
  canonical: string[];
  /** Raw Expires value (the first one). */
  expires?: string;
  /** Expires as epoch ms when it is a valid RFC 3339 date-time (§2.5.5). */
  expiresAt?: number;
  signed: boolean;
  /** Syntax problems, each naming its line. */
  errors: string[];
}

/** Fields defined by RFC 9116 §2.5 and the IANA registry (§6.4); CSAF was registered later. */
export const KNOWN_FIELDS = [
  'acknowledgments',
  'canonical',
  'contact',
  'encryption',
  'expires',
  'hiring',
  'policy',
  'preferred-languages',
  'csaf',
] as const;

const FIELD_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// RFC 3339 §5.6 date-time; the "T" and "Z" may be lower-case.
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function unwrapSignature(lines: string[]): { content: string[]; signed: boolean; offset: number } {
  if (lines[0]?.trim() !== '-----BEGIN PGP SIGNED MESSAGE-----')
    return { content: lines, signed: false, offset: 0 };
  let start = 1;
  while (start < lines.length && lines[start]?.trim() !== '') start++; // armor headers ("Hash: ...")
  const end = lines.findIndex((l) => l.trim() === '-----BEGIN PGP SIGNATURE-----');
  const body = lines.slice(start + 1, end === -1 ? lines.length : end);
  // RFC 4880 §7.1: dash-escaped lines start with "- ".
  return {
    content: body.map((l) => (l.startsWith('- ') ? l.slice(2) : l)),
    signed: end !== -1,
    offset: start + 1,
  };
}

export function parseSecurityTxt(input: string): SecurityTxt {
  const result: SecurityTxt = { fields: [], contact: [], canonical: [], signed: false, errors: [] };
  if (typeof input !== 'string') return result;
  const { content, signed, offset } = unwrapSignature(input.split(/\r?\n/));
  result.signed = signed;
  content.forEach((rawLine, i) => {
    const lineNo = i + 1 + offset;
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) return;
    const colon = line.indexOf(':');
    const name = colon === -1 ? '' : line.slice(0, colon).trim();
    const value = colon === -1 ? '' : line.slice(colon + 1).trim();
    if (colon === -1 || !FIELD_NAME.test(name)) {
      result.errors.push(`line ${lineNo}: not a "Field: value" line`);
      return;
    }
    if (value === '') {
      result.errors.push(`line ${lineNo}: ${name} has an empty value`);
      return;
    }
    result.fields.push({ name, value, line: lineNo });
    const lower = name.toLowerCase();
    if (lower === 'contact') result.contact.push(value);
    else if (lower === 'canonical') result.canonical.push(value);
    else if (lower === 'expires') {
      if (result.expires !== undefined) {
        result.errors.push(`line ${lineNo}: Expires must appear only once (RFC 9116 §2.5.5)`);
        return;
      }
      result.expires = value;
      const t = Date.parse(value);
      if (RFC3339.test(value) && Number.isFinite(t)) result.expiresAt = t;
      else result.errors.push(`line ${lineNo}: Expires is not an RFC 3339 date-time`);
    } else if (lower === 'preferred-languages') {
      if (result.fields.filter((f) => f.name.toLowerCase() === lower).length > 1) {
        result.errors.push(`line ${lineNo}: Preferred-Languages must appear only once (RFC 9116 §2.5.8)`);
      }
    }
  });
  for (const uri of [...result.contact, ...result.canonical]) {
    if (!URL.canParse(uri)) result.errors.push(`${JSON.stringify(uri.slice(0, 80))} is not a URI`);
  }
  return result;
}
