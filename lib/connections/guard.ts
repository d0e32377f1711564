import dns from "node:dns/promises";
import net from "node:net";
import os from "node:os";
import { invalid } from "@/lib/errors";
import { parsePostgresUrl } from "@/lib/contracts/postgres-url";

/**
 * Where a source or warehouse url may point. Two rules:
 * - never at the app's own database (same server, same database name): a source reading it would
 *   hand back api key hashes, users and other syncs' settings through checkpoints and the warehouse;
 * - when `SOURCE_HOSTS_ALLOW` is set (comma-separated hosts, IPs or CIDRs), only at those hosts.
 * Another database on the app's own server stays allowed: that is the default warehouse's server.
 */
export async function assertAllowedTarget(url: string, field: string): Promise<void> {
  const target = parsePostgresUrl(url);
  if (!target) throw invalid(`${field}: not a valid postgres:// or postgresql:// URL`, field);

  const allow = allowList();
  const targetAddrs = await resolveAll(target.host);
  if (allow) {
    const ok = allow.some((rule) => rule.matchHost(target.host) || targetAddrs.some((a) => rule.matchAddr(a)));
    // Same words whether the host does not exist or is not listed: no probing through this message.
    if (!ok) throw invalid(`${field}: this host is not in the allowed source hosts (SOURCE_HOSTS_ALLOW)`, field, "host_not_allowed");
  }

  const own = process.env.DATABASE_URL ? parsePostgresUrl(process.env.DATABASE_URL) : null;
  if (!own || own.database !== target.database || own.port !== target.port) return;
  const ownAddrs = await resolveAll(own.host);
  const local = localAddresses();
  const isOwnServer = (a: string) => ownAddrs.includes(a) || (local.has(a) && ownAddrs.some((o) => local.has(o)));
  if (target.host === own.host || targetAddrs.some(isOwnServer)) {
    throw invalid(`${field}: this is the app's own database; point the sync at another database`, field, "own_database");
  }
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "::1", "0.0.0.0", "::"]);

async function resolveAll(host: string): Promise<string[]> {
  if (net.isIP(host)) return [canonicalAddr(host)];
  if (host === "localhost") return ["127.0.0.1", "::1"];
  try {
    const found = await dns.lookup(host, { all: true, verbatim: true });
    return found.map((f) => canonicalAddr(f.address));
  } catch {
    return [];
  }
}

/** Every loopback form and every address of this machine: all of them reach a server listening here. */
function localAddresses(): Set<string> {
  const out = new Set<string>(LOOPBACK);
  for (const list of Object.values(os.networkInterfaces())) for (const a of list ?? []) out.add(canonicalAddr(a.address));
  return out;
}

function canonicalAddr(a: string): string {
  const v4mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  // The URL parser writes ::ffff:127.0.0.1 as ::ffff:7f00:1.
  const v4hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(a);
  const fromHex = (h: string) => [parseInt(h, 16) >> 8, parseInt(h, 16) & 255];
  const addr = v4mapped ? v4mapped[1] : v4hex ? [...fromHex(v4hex[1]), ...fromHex(v4hex[2])].join(".") : a.toLowerCase();
  if (net.isIPv4(addr) && addr.startsWith("127.")) return "127.0.0.1";
  // One spelling per IPv6 address (0:0:0:0:0:0:0:1 and ::1 are the same host).
  if (net.isIPv6(addr)) return new URL(`http://[${addr.replace(/%.*$/, "")}]`).hostname.replace(/^\[|\]$/g, "");
  return addr;
}

type Rule = { matchHost: (h: string) => boolean; matchAddr: (a: string) => boolean };

function allowList(): Rule[] | null {
  const raw = process.env.SOURCE_HOSTS_ALLOW?.trim();
  if (!raw) return null;
  return raw
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)
    .map((entry): Rule => {
      const [base, bits] = entry.split("/");
      if (net.isIP(base)) {
        const family = net.isIPv4(base) ? "ipv4" : "ipv6";
        const list = new net.BlockList();
        if (bits !== undefined) list.addSubnet(base, Number(bits), family);
        else list.addAddress(base, family);
        return {
          matchHost: () => false,
          matchAddr: (a) => {
            try {
              return list.check(a, net.isIPv4(a) ? "ipv4" : "ipv6");
            } catch {
              return false;
            }
          },
        };
      }
      return { matchHost: (h) => h === entry, matchAddr: () => false };
    });
}
