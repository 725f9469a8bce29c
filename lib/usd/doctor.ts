import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { packagePath } from '../packageRoot';
import { ReservedRoutes } from '../server/routes';

/** What `ar-http doctor` found: whether USD, run with this environment, picks ar-http, and why not. */
export interface Diagnosis {
  /** The USD program run (usdcat), or null when none was found. */
  usdcat: string | null;
  /** The plugin folders USD read (its PLUG_INFO_SEARCH). */
  pluginFolders: string[];
  /** The arHttp library USD registered, or null when no folder it read holds ar-http's plugInfo.json. */
  plugin: string | null;
  /** The type of the primary resolver USD picked. */
  primaryResolver: string | null;
  /** The URI schemes USD gave ar-http. */
  uriSchemes: string[];
  /** Whether ar-http resolves: as the primary resolver, through its URI schemes, or not at all. */
  picked: 'primary' | 'uri' | 'no';
  /** TF_DEBUG=AR_HTTP's line at load, when ar-http was loaded. */
  loadLine: string | null;
  /** arHttpTransport (cpp-httplib, OpenSSL): whether it loads, and what `ldd` finds missing. */
  transport: { library: string; loads: boolean; missing: string[] } | null;
  /** The server's answer to its health check, or why there is none. */
  server: { url: string; ok: boolean; answer: string } | null;
  /** What to set, one sentence each. */
  advice: string[];
  /** USD picks ar-http (primary, or by its URI schemes), it loads, and its server answers (or a pin file does). */
  healthy: boolean;
}

export interface DoctorOptions {
  /** The environment USD would run with (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** The USD program to run (default: usdcat from PXR_USD_LOCATION, else from PATH). */
  usdcat?: string;
  /** The server to check (default: AR_HTTP_SERVER_URL). */
  server?: string;
  /** Bounds the USD run and the health check each (default 30 s and 5 s). */
  timeoutMs?: number;
}

const PROBE_ID = 'ar-http-doctor/probe';

function findUsdcat(env: NodeJS.ProcessEnv): string | null {
  const candidates = [
    env.PXR_USD_LOCATION && path.join(env.PXR_USD_LOCATION, 'bin', 'usdcat'),
    ...(env.PATH ?? '').split(path.delimiter).filter(Boolean).map((folder) => path.join(folder, 'usdcat')),
  ];
  return candidates.find((candidate): candidate is string => !!candidate && existsSync(candidate)) ?? null;
}

/** What USD's own debug output says of plugins and resolvers. */
function readUsdDebug(stderr: string) {
  const folders = /Will check plugin info paths:\n((?: {4}.*\n)*)/.exec(stderr)?.[1];
  const registered = /Registering shared library plugin 'arHttp' at '([^']+)'/.exec(stderr)?.[1] ?? null;
  const primary =
    /ArGetResolver\(\): Using (?:asset resolver|preferred resolver) (\S+)/.exec(stderr)?.[1] ??
    /ArGetResolver\(\): Using default asset resolver (\S+)/.exec(stderr)?.[1] ??
    null;
  const schemes = /ArGetResolver\(\): Using arhttp::ArHttpUriResolver for URI scheme\(s\) \[(.*)\]/.exec(stderr)?.[1];
  return {
    pluginFolders: folders ? folders.split('\n').map((line) => line.trim()).filter(Boolean) : [],
    plugin: registered,
    primaryResolver: primary,
    uriSchemes: schemes ? [...schemes.matchAll(/"([^"]*)"/g)].map((match) => match[1]) : [],
    loadLine: /^ArHttpResolver: loaded from .*$/m.exec(stderr)?.[0] ?? null,
  };
}

/** The libraries `ldd` cannot find for `library`, read as the prebuild and the plugin tarball read them. */
function missingLibraries(library: string): string[] {
  const { dependencies } = require(packagePath('native', 'bundleLibraries.js')) as {
    dependencies: (file: string) => Array<{ name: string; found: string }>;
  };
  try {
    return dependencies(library).filter(({ found }) => !found).map(({ name }) => name);
  } catch (error) {
    return [`ldd ${library} failed: ${(error as Error).message.split('\n')[0]}`];
  }
}

async function checkHealth(url: string, timeoutMs: number): Promise<{ ok: boolean; answer: string }> {
  const health = `${url.replace(/\/+$/, '')}${ReservedRoutes.health}`;
  try {
    const response = await fetch(health, { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await response.text()).slice(0, 200).trim();
    return { ok: response.ok, answer: `GET ${health}: ${response.status} ${body}` };
  } catch (error) {
    const cause = (error as { cause?: Error }).cause;
    return { ok: false, answer: `GET ${health}: ${cause?.message ?? (error as Error).message}` };
  }
}

/**
 * Runs usdcat with the environment USD would have, and USD's debug output of plugins and
 * resolvers (TF_DEBUG), on a probe stage naming an id both ways (`@id@`, `@arhttp:id@`); asks the
 * server's health check; says what to set.
 */
export async function diagnose(options: DoctorOptions = {}): Promise<Diagnosis> {
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const usdcat = options.usdcat ?? findUsdcat(env);
  const serverUrl = options.server ?? env.AR_HTTP_SERVER_URL;
  const diagnosis: Diagnosis = {
    usdcat,
    pluginFolders: [],
    plugin: null,
    primaryResolver: null,
    uriSchemes: [],
    picked: 'no',
    loadLine: null,
    transport: null,
    server: null,
    advice: [],
    healthy: false,
  };
  const advise = (text: string) => diagnosis.advice.push(text);

  if (usdcat !== null && !existsSync(usdcat)) {
    diagnosis.usdcat = null;
    advise(`${usdcat} does not exist: pass --usdcat the path of OpenUSD's usdcat`);
  } else if (usdcat === null) {
    advise('no usdcat found: put OpenUSD\'s bin folder on PATH, set PXR_USD_LOCATION to the OpenUSD install, or pass --usdcat');
  } else {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-doctor-'));
    try {
      const probe = path.join(folder, 'probe.usda');
      writeFileSync(
        probe,
        `#usda 1.0\ndef "Id" (references = @${PROBE_ID}@) {}\ndef "Uri" (references = @arhttp:${PROBE_ID}@) {}\n`,
      );
      const result = await new Promise<string>((done) => {
        execFile(
          usdcat,
          ['--flatten', probe],
          {
            encoding: 'utf8',
            timeout: timeoutMs,
            maxBuffer: 16 << 20,
            env: {
              ...env,
              ...(serverUrl === undefined ? {} : { AR_HTTP_SERVER_URL: serverUrl }),
              TF_DEBUG: 'AR_RESOLVER_INIT PLUG_INFO_SEARCH PLUG_REGISTRATION AR_HTTP',
              TF_DEBUG_OUTPUT_FILE: 'stderr',
            },
          },
          (error, _stdout, stderr) =>
            done(stderr + (error && !error.code ? `\nusdcat failed: ${error.message}` : '')),
        );
      });
      Object.assign(diagnosis, readUsdDebug(result));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }

  const { plugin, primaryResolver } = diagnosis;
  if (primaryResolver === 'arhttp::ArHttpResolver') diagnosis.picked = 'primary';
  else if (diagnosis.uriSchemes.length > 0) diagnosis.picked = 'uri';
  if (diagnosis.usdcat !== null && plugin === null) {
    advise(
      env.PXR_PLUGINPATH_NAME
        ? `no folder on PXR_PLUGINPATH_NAME (${env.PXR_PLUGINPATH_NAME}) holds ar-http's plugInfo.json: name the plugin folder (\`ar-http plugin-path\` prints it for an npm install; for the plugin tarball, its plugin folder)`
        : "PXR_PLUGINPATH_NAME is not set: set it to ar-http's plugin folder (`ar-http plugin-path` prints it for an npm install; for the plugin tarball, its plugin folder)",
    );
  } else if (plugin !== null && diagnosis.picked !== 'primary') {
    const why = env.PXR_AR_DISABLE_PLUGIN_RESOLVER ? ' (PXR_AR_DISABLE_PLUGIN_RESOLVER is set)' : '';
    advise(
      `${primaryResolver ?? 'another resolver'} is the primary resolver${why}: ` +
        (diagnosis.picked === 'uri'
          ? `ar-http resolves only asset paths written @${diagnosis.uriSchemes[0]}:...@`
          : 'ar-http resolves nothing (it was built with no URI scheme)') +
        "; to make it primary, call Ar.SetPreferredResolver('arhttp::ArHttpResolver') (C++: ArSetPreferredResolver) before USD's first Ar.GetResolver()" +
        (why ? ', or unset PXR_AR_DISABLE_PLUGIN_RESOLVER' : ''),
    );
  }

  if (plugin !== null) {
    const library = path.join(path.dirname(plugin), `arHttpTransport${path.extname(plugin)}`);
    const missing = [...new Set([...missingLibraries(plugin), ...missingLibraries(library)])];
    const loadLine = diagnosis.loadLine;
    const loads = loadLine === null ? missing.length === 0 : / loads$/.test(loadLine);
    diagnosis.transport = { library, loads, missing };
    if (missing.length > 0) {
      advise(`the loader cannot find ${missing.join(', ')} for ar-http's libraries: install them (OpenSSL 3, and TBB as your OpenUSD has it)`);
    } else if (!loads) {
      advise(`${library} does not load (see the warning above it): keep arHttpTransport beside arHttp, from the same build`);
    }
  }

  if (serverUrl === undefined || serverUrl === '') {
    if (!env.AR_HTTP_PIN_FILE) advise('AR_HTTP_SERVER_URL is not set: set it to the resolution server (or AR_HTTP_PIN_FILE to a pin file)');
  } else {
    diagnosis.server = { url: serverUrl, ...(await checkHealth(serverUrl, Math.min(timeoutMs, 5_000))) };
    if (!diagnosis.server.ok) {
      advise(`the server at ${serverUrl} does not answer its health check: start it, or set AR_HTTP_SERVER_URL to one that runs`);
    }
  }
  diagnosis.healthy =
    diagnosis.picked !== 'no' &&
    diagnosis.transport?.loads === true &&
    diagnosis.transport.missing.length === 0 &&
    (diagnosis.server === null ? !!env.AR_HTTP_PIN_FILE : diagnosis.server.ok);
  return diagnosis;
}
