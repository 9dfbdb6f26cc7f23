import { describe, expect, it } from 'vitest';
import { clientKey } from '../../src/http/client-key.ts';

describe('clientKey', () => {
  it.each([
    ['192.0.2.1', '192.0.2.1'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['::ffff:c000:201', '192.0.2.1'],
    ['2001:DB8:0:0:1::1', '2001:db8::'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::'],
    ['2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:db8:1:2::'],
    ['2001:0:0:1::', '2001:0:0:1::'],
    ['fe80::1%eth0', 'fe80::'],
    ['::1', '::'],
    ['2001:db8::ffff:1.2.3.4', '2001:db8::'],
  ])('counts %s as %s', (ip, key) => {
    expect(clientKey(ip)).toBe(key);
  });
});
