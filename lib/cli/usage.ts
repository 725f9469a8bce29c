/** What each command takes and does, as `ar-http <command> --help` prints it. */
export const commandUsage = {
  serve: `  serve [--store SPEC | --map FILE] [--host HOST] [--port PORT] [--token-file FILE]
        [--content DIR [--content-immutable]] [--quiet]
        Run the resolution server (default 127.0.0.1:8000, the sample map).
        --store sqlite:FILE or postgres://user@host/db keeps what the admin API
        writes, with its history; --map FILE (a JSON map) and the sample map
        are read-only.
        --content DIR also serves DIR's files at /_ar/content/<path> (GET,
        HEAD; strong ETags, If-None-Match, Range; Cache-Control: no-cache, or
        immutable with --content-immutable when files never change once
        written). Never a folder listing, a dot-file or a path out of DIR.
        With a token (variable AR_HTTP_SERVER_TOKEN, or what --token-file FILE
        holds), requests must send "Authorization: Bearer TOKEN".
`,
  resolve: `  resolve [--anchor PATH] [--snapshot ID] <assetPath...>
        Print each resolved path, one line per asset path (an empty line when
        unresolved); exit status 1 if any is unresolved. --snapshot asks the
        server as of that snapshot instead of its latest answers.
`,
  pin: `  pin <stage...> [--out FILE] [--snapshot ID] [--server URL] [--strict]
        Freeze the resolution of the stages (layer files, or ids the server
        resolves) into a pin file for AR_HTTP_PIN_FILE: every asset path their
        layers name (usda, usdc, usdz; layers reached through the server's
        answers too) that the filesystem does not answer, with the server's
        answer (as of snapshot ID when given), or null when unresolved.
        --out FILE is written atomically (without it the pin file goes to
        stdout). Prints "N layers, N asset paths, N pinned, N unresolved",
        lists the unresolved on stderr, and exits 1 for them only with
        --strict (the file is written either way). The server is --server,
        else AR_HTTP_SERVER_URL.
`,
  config: `  config
        Print the settings read from the environment, as JSON (secrets redacted).
`,
  'plugin-path': `  plugin-path
        Print the folder to put on PXR_PLUGINPATH_NAME for OpenUSD.
`,
  doctor: `  doctor [--usdcat PATH] [--server URL] [--json]
        Say whether OpenUSD, run with this environment, picks ar-http: the
        plugin folders it read, where it found ar-http, which resolver is
        primary, ar-http's URI schemes, whether the transport library loads
        (ldd), what the server (--server, else AR_HTTP_SERVER_URL) answers to
        its health check, and what to set. Runs usdcat (--usdcat, else
        PXR_USD_LOCATION/bin/usdcat, else PATH's). Exit status 1 when
        ar-http is not picked, does not load or its server does not answer.
`,
  demo: `  demo
        Start the sample server on a free port, resolve the sample ids against
        it with \`ar-http resolve\`, and stop.
`,
  mappings: `  mappings list|get|set|delete|history [--server URL] [--json]
        The server's mappings, through its admin API (with the AsyncClient):
          mappings list                            every mapping, one a line
          mappings get <assetPath>                 its resolved path
          mappings set <assetPath> <resolvedPath>  add or replace
          mappings delete <assetPath>              remove
          mappings history <assetPath>             its changes, newest first
        The server is --server, else AR_HTTP_SERVER_URL, else
        http://localhost:8000; AR_HTTP_SERVER_TOKEN is sent as a bearer token.
`,
  snapshot: `  snapshot create [--label TEXT] | list | show <id> [--server URL] [--json]
        The server's snapshots (as mappings does): create names the current
        change and prints its id; resolve as of it with AR_HTTP_SNAPSHOT=<id>.
`,
  store: `  store import <map.json> --store SPEC [--content-url URL --content-root DIR]
  store export --store SPEC [--out FILE]
        Copy a JSON map file's mappings into a store, or a store's out as one.
        --content-url URL --content-root DIR: each resolved path under DIR is
        written as URL followed by its path under DIR, percent-encoded name by
        name (URL as served by serve --content DIR, e.g.
        http://host:8000/_ar/content/, or any static server); others as they are.
`,
  'client-types': `  client-types <url-or-file> [--out FILE] [--import MODULE] [--header "N: v"]
        Write a TypeScript module holding an OpenAPI 3 description (as const)
        and Client, the AsyncClient typed by it. A URL ending in .json is the
        description; any other URL is a service serving /openapi.json.
`,
} satisfies Record<string, string>;

export type CommandName = keyof typeof commandUsage;

/** `ar-http --help`: every command. */
export const usage = `Usage: ar-http <command> [options]
  ar-http <command> --help   one command's usage
  ar-http --version

Commands:
${Object.values(commandUsage).join('')}`;

/** `ar-http <command> --help`. */
export function usageOf(command: CommandName): string {
  return `Usage: ar-http ${commandUsage[command].trimStart()}`;
}
