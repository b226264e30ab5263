import { describe, expect, it } from 'vitest';
import { networkMatcher, parseNetworks } from './networks.js';

describe('ADMIN_ALLOWED_NETWORKS', () => {
  it('matches IPv4 and IPv6 networks, single addresses and IPv4-mapped IPv6', () => {
    const allows = networkMatcher(['10.20.0.0/16', '192.168.1.5', 'fd00::/8']);
    expect(allows('10.20.3.4')).toBe(true);
    expect(allows('::ffff:10.20.3.4')).toBe(true);
    expect(allows('10.21.0.1')).toBe(false);
    expect(allows('192.168.1.5')).toBe(true);
    expect(allows('192.168.1.6')).toBe(false);
    expect(allows('fd12::1')).toBe(true);
    expect(allows('2001:db8::1')).toBe(false);
    expect(allows(undefined)).toBe(false);
    expect(allows('not-an-ip')).toBe(false);
  });

  it('allows everyone when no network is configured, and refuses a malformed entry at start', () => {
    expect(networkMatcher([])('203.0.113.9')).toBe(true);
    expect(() => parseNetworks('10.0.0.0/33')).toThrow(/ADMIN_ALLOWED_NETWORKS/);
    expect(() => parseNetworks('10.0.0/8')).toThrow(/ADMIN_ALLOWED_NETWORKS/);
    expect(parseNetworks(' 10.0.0.0/8 , ::1 ').map((n) => n.cidr)).toEqual(['10.0.0.0/8', '::1']);
  });
});
