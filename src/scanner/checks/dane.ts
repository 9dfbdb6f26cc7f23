import type { Check } from '../types.ts';
import { quote, result } from './helpers.ts';

const USAGE = ['PKIX-TA', 'PKIX-EE', 'DANE-TA', 'DANE-EE'];

export const dane: Check = {
  id: 'dane',
  category: 'domain',
  title: 'DANE TLSA records, where published, match the certificate',
  failureTitle: 'DANE TLSA records do not match the certificate or are not signed',
  description:
    'Looks up TLSA records at `_443._tcp.<host>` (RFC 6698, RFC 7671). When present they must be DNSSEC-validated ' +
    'and at least one end-entity record (usage 1 or 3) must match the certificate the server presents (full ' +
    'certificate or public key, SHA-256 or SHA-512). Trust-anchor records (usage 0 or 2) name a CA in the chain, ' +
    'which this scan does not collect: they are reported as not verified. No TLSA records is fine for a website.',
  remediation:
    'Publish TLSA records only in a DNSSEC-signed zone and update them before every certificate or key change, ' +
    'e.g. `_443._tcp.www.example.com. TLSA 3 1 1 <sha256 of the public key>`; otherwise remove them.',
  references: ['https://www.rfc-editor.org/rfc/rfc6698', 'https://www.rfc-editor.org/rfc/rfc7671'],
  requires: ['dns', 'tls'],
  outcomes: {
    'dane-mismatch': 'No end-entity TLSA record matches the certificate the server presents.',
    'dane-unsigned': 'TLSA records exist but the answer was not DNSSEC-validated, so clients ignore them.',
    'dane-unverified': 'Only trust-anchor TLSA records (usage 0/2): not verified by this scan.',
    'dane-valid': 'A validated TLSA record matches the certificate.',
    'dane-not-published': 'No TLSA records (DANE is not used for HTTPS).',
  },
  run(a) {
    const tlsa = a.dns!.tlsa;
    if (tlsa.error) throw new Error(`TLSA lookup of ${tlsa.name} failed: ${tlsa.error.message}`);
    if (tlsa.records.length === 0)
      return result('dane-not-published', 'pass', `no TLSA records at ${quote(tlsa.name)}`);
    const ev = `${quote(tlsa.name)}: ${tlsa.records.map((r) => quote(r, 100)).join(', ')}`;
    if (!tlsa.authenticated) {
      return result('dane-unsigned', 'fail', ev, [
        { outcome: 'dane-unsigned', title: 'TLSA records are not protected by DNSSEC', evidence: ev },
      ]);
    }
    const fp = a.tls?.certificate?.fingerprints;
    const parsed = tlsa.records
      .map((r) => r.split(' '))
      .map(([u, s, m, data]) => ({
        usage: Number(u),
        selector: Number(s),
        matching: Number(m),
        data: (data ?? '').toLowerCase(),
      }));
    const endEntity = parsed.filter((r) => r.usage === 1 || r.usage === 3);
    if (endEntity.length === 0) {
      const usages = [...new Set(parsed.map((r) => USAGE[r.usage] ?? String(r.usage)))].join(', ');
      return result('dane-unverified', 'skipped', `${ev} (${usages}: the CA chain is not collected)`);
    }
    if (!fp) throw new Error('no certificate to compare the TLSA records with');
    const matches = endEntity.some((r) => {
      const key =
        `${r.selector === 0 ? 'cert' : 'spki'}Sha${r.matching === 2 ? 512 : 256}` as keyof typeof fp;
      return (
        (r.selector === 0 || r.selector === 1) && (r.matching === 1 || r.matching === 2) && fp[key] === r.data
      );
    });
    if (!matches) {
      const evidence = `${ev}; certificate SHA-256 ${fp.certSha256.slice(0, 16)}…, public key SHA-256 ${fp.spkiSha256.slice(0, 16)}…`;
      return result('dane-mismatch', 'fail', evidence, [
        { outcome: 'dane-mismatch', title: 'No TLSA record matches the server certificate', evidence },
      ]);
    }
    return result('dane-valid', 'pass', ev);
  },
};
