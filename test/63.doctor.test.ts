/**
 * `ar-http doctor`: whether OpenUSD, run with the caller's environment, picks ar-http, and what to set.
 * It runs a real usdcat (when OpenUSD is here) and asks a real server's health check.
 */
import path from 'node:path';

import { countingServer } from '../bench/usdTools';
import { runCli } from './helpers/cli';
import { describeWithUsd, usd } from './helpers/usd';

let server: Awaited<ReturnType<typeof countingServer>>;
beforeAll(async () => {
  server = await countingServer(() => undefined);
});
afterAll(() => server?.close());

// A port nothing listens on: the server's own, once closed.
async function closedPortUrl(): Promise<string> {
  const gone = await countingServer(() => undefined);
  await gone.close();
  return gone.url;
}

describe('ar-http doctor without usdcat', () => {
  test('says that no usdcat was found and how to name one; still checks the server', async () => {
    const result = await runCli(['doctor'], {
      PATH: path.dirname(process.execPath),
      PXR_USD_LOCATION: '',
      AR_HTTP_SERVER_URL: server.url,
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('usdcat:            not found');
    expect(result.stdout).toContain("no usdcat found: put OpenUSD's bin folder on PATH, set PXR_USD_LOCATION");
    expect(result.stdout).toMatch(/server: +GET http:\/\/127\.0\.0\.1:\d+\/_ar\/health: 200 /);
  });

  test('a --usdcat that does not exist is named', async () => {
    const result = await runCli(['doctor', '--usdcat', '/nonexistent/usdcat', '--json'], { AR_HTTP_SERVER_URL: server.url });
    expect(result.status).toBe(1);
    const diagnosis = JSON.parse(result.stdout);
    expect(diagnosis).toMatchObject({ usdcat: null, picked: 'no', healthy: false });
    expect(diagnosis.advice).toContain('/nonexistent/usdcat does not exist: pass --usdcat the path of OpenUSD\'s usdcat');
  });
});

describeWithUsd('ar-http doctor with OpenUSD', () => {
  const doctor = (env: Record<string, string>, args: string[] = []) =>
    runCli(['doctor', '--usdcat', usd!.usdcat, ...args], {
      PXR_PLUGINPATH_NAME: usd!.pluginPath,
      PXR_AR_DISABLE_PLUGIN_RESOLVER: '',
      AR_HTTP_SERVER_URL: server.url,
      ...env,
    });

  test('ar-http primary, its transport loading and its server answering: exit status 0', async () => {
    const result = await doctor({});
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`plugin folders:    ${usd!.pluginPath}`);
    expect(result.stdout).toContain(`ar-http plugin:    ${path.join(usd!.pluginPath, 'arHttp.so')}`);
    expect(result.stdout).toContain('primary resolver:  arhttp::ArHttpResolver');
    expect(result.stdout).toContain('ar-http picked:    yes, as the primary resolver');
    expect(result.stdout).toContain(`transport:         ${path.join(usd!.pluginPath, 'arHttpTransport.so')} loads`);
    expect(result.stdout).toMatch(/at load: +ArHttpResolver: loaded from \S+ as the primary resolver/);
    expect(result.stdout).toContain('ar-http is picked and answers.');
  });

  test('another resolver primary: picked through arhttp:, and says how to make it primary', async () => {
    const result = await doctor({ PXR_AR_DISABLE_PLUGIN_RESOLVER: '1' }, ['--json']);
    expect(result.status).toBe(0);
    const diagnosis = JSON.parse(result.stdout);
    expect(diagnosis).toMatchObject({ primaryResolver: 'ArDefaultResolver', uriSchemes: ['arhttp'], picked: 'uri', healthy: true });
    expect(diagnosis.advice.join('\n')).toContain(
      'ArDefaultResolver is the primary resolver (PXR_AR_DISABLE_PLUGIN_RESOLVER is set): ar-http resolves only asset paths written @arhttp:...@',
    );
    expect(diagnosis.advice.join('\n')).toContain("Ar.SetPreferredResolver('arhttp::ArHttpResolver')");
  });

  test('no plugin folder: says PXR_PLUGINPATH_NAME is not set; exit status 1', async () => {
    const result = await doctor({ PXR_PLUGINPATH_NAME: '' });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('ar-http plugin:    not found in those folders');
    expect(result.stdout).toContain("PXR_PLUGINPATH_NAME is not set: set it to ar-http's plugin folder");
    expect(result.stdout).toContain('ar-http picked:    no');
  });

  test('a server that is down: its health check fails, named, exit status 1', async () => {
    const down = await closedPortUrl();
    const result = await doctor({ AR_HTTP_SERVER_URL: down });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`server:            GET ${down}/_ar/health: `);
    expect(result.stdout).toContain(`the server at ${down} does not answer its health check`);
  });
});
