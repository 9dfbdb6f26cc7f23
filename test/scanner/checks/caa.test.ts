import { describe } from 'vitest';
import { caa } from '../../../src/scanner/checks/caa.ts';
import { set } from '../helpers/artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

const caaAt = (sets: { name: string; records: string[] }[]) =>
  set((a) => {
    a.dns!.caa = sets.map((s) => ({ ...s, type: 'CAA', rcode: 'NOERROR' }));
  });

describe('caa', () => {
  checkTable(caa, 'caa-present', [
    [
      'no CAA anywhere',
      caaAt([
        { name: 'www.example.test', records: [] },
        { name: 'example.test', records: [] },
      ]),
      'caa-missing',
      'warn',
    ],
    [
      'unknown critical tag',
      caaAt([{ name: 'example.test', records: ['128 tbs "x"'] }]),
      'caa-invalid',
      'fail',
    ],
    ['malformed record', caaAt([{ name: 'example.test', records: ['garbage'] }]), 'caa-invalid', 'fail'],
    [
      'found at the parent: closest set wins',
      caaAt([
        { name: 'www.example.test', records: [] },
        { name: 'example.test', records: ['0 issue "ca.example"'] },
      ]),
      'caa-present',
      'pass',
    ],
    [
      'unknown non-critical tag is fine',
      caaAt([{ name: 'example.test', records: ['0 future "x"'] }]),
      'caa-present',
      'pass',
    ],
  ]);
});
