export const usage = `Usage: ar-http <command> [options]

Commands:
  serve [--map FILE] [--host HOST] [--port PORT] [--token-file FILE] [--quiet]
        Run the resolution server (default 127.0.0.1:8000, the sample map).
        With a token (variable AR_HTTP_SERVER_TOKEN, or what --token-file FILE
        holds), requests must send "Authorization: Bearer TOKEN".
  resolve [--anchor PATH] <assetPath...>
        Print each resolved path, one line per asset path (an empty line when
        unresolved); exit status 1 if any is unresolved.
  config
        Print the settings read from the environment, as JSON (secrets redacted).
  plugin-path
        Print the folder to put on PXR_PLUGINPATH_NAME for OpenUSD.
  demo
        Start the sample server on a free port, resolve the sample ids against
        it with \`ar-http resolve\`, and stop.
`;
