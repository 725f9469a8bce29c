/**
 * Where resolution servers of this process listen. A synchronous `resolve()` blocks the event loop that such a
 * server answers on, so it would only wait out its deadline and then trip fail-fast: `resolve()` asks here first.
 * Kept on `globalThis` so that two copies of ar-http in one process (a bundled one, say) see each other's.
 */
const key = Symbol.for('ar-http.inProcessServers');
type Registry = Map<object, { address: string; port: number }[]>;
const registry: Registry = ((globalThis as Record<symbol, Registry | undefined>)[key] ??= new Map());

/** `owner` (a Fastify instance) listens on `addresses` until {@link forgetListening}. */
export function noteListening(owner: object, addresses: { address: string; port: number }[]): void {
  registry.set(owner, addresses);
}

export function forgetListening(owner: object): void {
  registry.delete(owner);
}

export function anyInProcessServer(): boolean {
  return registry.size > 0;
}

const loopback = new Set(['localhost', '127.0.0.1', '::1']);
const anyAddress = new Set(['0.0.0.0', '::']);

/** The address of a server of this process that `serverUrl` names (by a loopback name or its own), if any. */
export function inProcessServer(serverUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(serverUrl);
  } catch {
    return undefined;
  }
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  // An IPv6 host without its brackets, as a listening address is written.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const local = loopback.has(host);
  for (const addresses of registry.values()) {
    for (const listening of addresses) {
      if (listening.port !== port) continue;
      if (host === listening.address || (local && (loopback.has(listening.address) || anyAddress.has(listening.address)))) {
        return `${listening.address.includes(':') ? `[${listening.address}]` : listening.address}:${port}`;
      }
    }
  }
  return undefined;
}
