import type { IncomingMessage } from "node:http";
import { BlockList, isIP } from "node:net";

/** Decides whether a peer address is one of our reverse proxies. */
export interface TrustedProxies {
  has(address: string | undefined): boolean;
}

/** `::ffff:10.0.0.1` (IPv4 on a dual-stack socket) is just 10.0.0.1. */
export function normalizeIp(address: string): string {
  const trimmed = address.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  return mapped?.[1] ?? trimmed;
}

/**
 * A matcher for trusted proxy addresses: IPs, CIDR ranges (`10.0.0.0/8`,
 * `fd00::/8`) or `loopback`. Rejects anything else, so a typo in config does
 * not silently trust nobody (or everybody).
 */
export function trustedProxies(list: readonly string[]): TrustedProxies {
  const blocks = new BlockList();
  for (const raw of list) {
    const entry = raw.trim();
    if (entry === "") continue;
    if (entry === "loopback") {
      blocks.addSubnet("127.0.0.0", 8, "ipv4");
      blocks.addAddress("::1", "ipv6");
      continue;
    }
    const [address = "", prefix] = entry.split("/");
    const family = isIP(address);
    if (family === 0) throw new Error(`Trusted proxy "${entry}" is not an IP address, CIDR range or "loopback"`);
    const type = family === 4 ? "ipv4" : "ipv6";
    if (prefix === undefined) {
      blocks.addAddress(address, type);
    } else {
      const bits = Number(prefix);
      if (!Number.isInteger(bits) || bits < 0 || bits > (family === 4 ? 32 : 128)) {
        throw new Error(`Trusted proxy "${entry}" has an invalid prefix length`);
      }
      blocks.addSubnet(address, bits, type);
    }
  }
  return {
    has(address) {
      if (!address) return false;
      const ip = normalizeIp(address);
      const family = isIP(ip);
      return family !== 0 && blocks.check(ip, family === 4 ? "ipv4" : "ipv6");
    },
  };
}

export function toTrusted(proxies: TrustedProxies | readonly string[]): TrustedProxies {
  return "has" in proxies && typeof proxies.has === "function" ? proxies : trustedProxies(proxies as readonly string[]);
}

/** The address of the TCP peer (the proxy, when there is one). */
export function peerAddress(req: IncomingMessage): string | undefined {
  const address = req.socket.remoteAddress;
  return address === undefined ? undefined : normalizeIp(address);
}

/**
 * The client's IP. X-Forwarded-For is read only when the direct peer is a
 * trusted proxy, from the right, skipping our own proxies: the first address
 * a trusted proxy did not add itself is the client. Anything a client writes
 * into the header further left is ignored.
 */
export function clientIp(req: IncomingMessage, proxies: TrustedProxies | readonly string[]): string {
  const trusted = toTrusted(proxies);
  const peer = peerAddress(req) ?? "";
  if (!trusted.has(peer)) return peer;
  const header = req.headers["x-forwarded-for"];
  const hops = (Array.isArray(header) ? header.join(",") : (header ?? ""))
    .split(",")
    .map((h) => normalizeIp(h))
    .filter((h) => isIP(h) !== 0);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] as string;
    if (!trusted.has(hop)) return hop;
  }
  return hops[0] ?? peer;
}

/** True when the request reached us over TLS, directly or (per X-Forwarded-Proto) via a trusted proxy. */
export function isSecureRequest(req: IncomingMessage, proxies: TrustedProxies | readonly string[]): boolean {
  if ((req.socket as { encrypted?: boolean }).encrypted) return true;
  if (!toTrusted(proxies).has(peerAddress(req))) return false;
  const header = req.headers["x-forwarded-proto"];
  const first = (Array.isArray(header) ? header[0] : header)?.split(",")[0]?.trim().toLowerCase();
  return first === "https";
}
