import { BlockList, isIP } from 'node:net';

/** Host names that always lead to cloud metadata services. */
const METADATA_HOSTNAMES = new Set([
  'metadata.google.internal',
  'metadata.goog',
  'metadata',
  'instance-data',
  'instance-data.ec2.internal',
]);

const blocked = new BlockList();
// IPv4 link-local (includes 169.254.169.254, the AWS/GCP/Azure metadata address).
blocked.addSubnet('169.254.0.0', 16, 'ipv4');
// "This network" / unspecified.
blocked.addSubnet('0.0.0.0', 8, 'ipv4');
// Alibaba Cloud metadata.
blocked.addAddress('100.100.100.200', 'ipv4');
// IPv6 link-local and unspecified.
blocked.addSubnet('fe80::', 10, 'ipv6');
blocked.addAddress('::', 'ipv6');
// AWS IMDS over IPv6.
blocked.addAddress('fd00:ec2::254', 'ipv6');

/**
 * Whether an IP address may never be probed (link-local, unspecified or a cloud metadata
 * address), including IPv4-mapped IPv6 forms such as `::ffff:169.254.169.254`.
 * @internal
 */
export function isForbiddenAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 4) {
    return blocked.check(bare, 'ipv4');
  }
  if (family === 6) {
    const mapped =
      /^(?:0{0,4}:){0,5}(?:0{0,4}:)?ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
    if (mapped) {
      return blocked.check(mapped[1], 'ipv4');
    }
    const mappedHex =
      /^(?:0{0,4}:){0,5}(?:0{0,4}:)?ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(
        bare,
      );
    if (mappedHex) {
      const hi = parseInt(mappedHex[1], 16);
      const lo = parseInt(mappedHex[2], 16);
      const v4 = `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
      return blocked.check(v4, 'ipv4');
    }
    return blocked.check(bare, 'ipv6');
  }
  return false;
}

/** Whether a host name is a well-known cloud metadata name. @internal */
export function isMetadataHostname(hostname: string): boolean {
  return METADATA_HOSTNAMES.has(
    hostname.toLocaleLowerCase('en-US').replace(/\.$/, ''),
  );
}

const DEFAULT_PORTS: Record<string, string> = {
  'http:': '80',
  'https:': '443',
};

/**
 * Matches a URL's host against the allow list. Patterns: `host` (any port), `host:port`,
 * `*.domain` (any subdomain of domain, any port), `*.domain:port`, `[v6addr]`, `[v6addr]:port`.
 * @internal
 */
export function isHostAllowed(url: URL, allow: string[]): boolean {
  const hostname = url.hostname.toLocaleLowerCase('en-US').replace(/\.$/, '');
  const port = url.port || DEFAULT_PORTS[url.protocol] || '';
  return allow.some(pattern => {
    const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(pattern);
    if (!m) {
      return false;
    }
    const [, hostPattern, portPattern] = m;
    if (portPattern && portPattern !== port) {
      return false;
    }
    if (hostPattern.startsWith('*.')) {
      const suffix = hostPattern.slice(1);
      return hostname.endsWith(suffix) && hostname.length > suffix.length;
    }
    return hostPattern === hostname;
  });
}
