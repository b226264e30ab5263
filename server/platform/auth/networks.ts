import { BlockList, isIP } from 'node:net';

export interface Network {
  cidr: string;
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

/** `10.0.0.0/8, 192.168.1.5, fd00::/8` → networks; throws on anything else (a typo must not open the door). */
export function parseNetworks(raw: string): Network[] {
  return raw
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((cidr) => {
      const [address, prefixText] = cidr.split('/');
      const version = isIP(address ?? '');
      const max = version === 4 ? 32 : 128;
      const prefix = prefixText === undefined ? max : Number(prefixText);
      if (!version || !/^\d+$/.test(prefixText ?? String(max)) || prefix > max)
        throw new Error(`Configuration ADMIN_ALLOWED_NETWORKS: bad network "${cidr}"`);
      return { cidr, address: address!, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
    });
}

/** A matcher for client addresses; an empty list allows every address. IPv4-mapped IPv6 counts as IPv4. */
export function networkMatcher(cidrs: readonly string[]): (ip: string | undefined) => boolean {
  if (cidrs.length === 0) return () => true;
  const list = new BlockList();
  for (const n of parseNetworks(cidrs.join(','))) list.addSubnet(n.address, n.prefix, n.family);
  return (ip) => {
    if (!ip) return false;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
    const address = mapped ? mapped[1]! : ip;
    const version = isIP(address);
    if (!version) return false;
    return list.check(address, version === 4 ? 'ipv4' : 'ipv6');
  };
}
