import { execFileSync } from 'node:child_process';
import path from 'node:path';

import { backend, resolve, resolveAsync, resolveMany } from '../lib';
import { usdBindingPath } from '../lib/native/binding';
import { makeCertificates, type TestCertificates } from './helpers/certificates';
import { setResolverEnv } from './helpers/env';
import { startTestServer, type TestServer } from './helpers/testServer';

let certificates: TestCertificates;
let server: TestServer;

beforeAll(async () => {
  certificates = makeCertificates();
  server = await startTestServer(
    {
      '/id0x01': { body: '/layers/layer1.usda' },
      '/_ar/resolve': { body: '/layers/a.usda\n/layers/b.usda\n' },
      '/down': { status: 302, headers: { location: 'http://127.0.0.1:1/id0x01' } },
      '*': { status: 404 },
    },
    undefined,
    certificates.server,
  );
});

afterAll(async () => {
  setResolverEnv({});
  await server.close();
  certificates.remove();
});

describe('https:// servers', () => {
  test('are trusted through AR_HTTP_CA_FILE, for GETs and batches', async () => {
    setResolverEnv({ AR_HTTP_SERVER_URL: server.url, AR_HTTP_CA_FILE: certificates.caFile });
    expect(resolve('id0x01')).toBe('/layers/layer1.usda');
    await expect(resolveAsync('id0x01')).resolves.toBe('/layers/layer1.usda');
    const many = await resolveMany(['a', 'b']);
    expect(many).toEqual(['/layers/a.usda', '/layers/b.usda']);
  });

  test('are trusted through OpenSSL\'s SSL_CERT_FILE', () => {
    setResolverEnv({ AR_HTTP_SERVER_URL: server.url, SSL_CERT_FILE: certificates.caFile });
    expect(resolve('id0x01')).toBe('/layers/layer1.usda');
  });

  test('are not trusted on the system store alone when their CA is not in it', async () => {
    const settings = setResolverEnv({ AR_HTTP_SERVER_URL: server.url, AR_HTTP_RETRIES: '0' });
    expect(settings.tls.verify).toBe(true);
    expect(resolve('id0x01')).toBe('');
  });

  test('are not trusted when their certificate names another host', async () => {
    const other = await startTestServer({ '*': { body: '/layers/x.usda' } }, undefined, certificates.otherHost);
    try {
      setResolverEnv({ AR_HTTP_SERVER_URL: other.url, AR_HTTP_CA_FILE: certificates.caFile, AR_HTTP_RETRIES: '0' });
      expect(resolve('id0x01')).toBe('');
      expect((await other.stats()).requests).toHaveLength(0);
    } finally {
      await other.close();
    }
  });

  test('an unreadable AR_HTTP_CA_FILE trusts nothing, with a warning', () => {
    const settings = setResolverEnv({
      AR_HTTP_SERVER_URL: server.url,
      AR_HTTP_CA_FILE: '/nonexistent/ca.pem',
      AR_HTTP_RETRIES: '0',
    });
    expect(settings.warnings).toEqual([expect.stringContaining('AR_HTTP_CA_FILE "/nonexistent/ca.pem" cannot be read')]);
    expect(resolve('id0x01')).toBe('');
  });

  test('AR_HTTP_UNSAFE_NO_TLS_VERIFY=1 turns verification off, and says it is unsafe', () => {
    const settings = setResolverEnv({ AR_HTTP_SERVER_URL: server.url, AR_HTTP_UNSAFE_NO_TLS_VERIFY: '1' });
    expect(settings.tls.verify).toBe(false);
    expect(settings.warnings).toEqual([expect.stringContaining('server certificates are NOT verified')]);
    expect(resolve('id0x01')).toBe('/layers/layer1.usda');
    expect(setResolverEnv({ AR_HTTP_UNSAFE_NO_TLS_VERIFY: 'yes' }).tls.verify).toBe(true);
  });

  test('a redirect from https to http is never followed', async () => {
    const plain = await startTestServer({ '*': { body: '/layers/plain.usda' } });
    try {
      setResolverEnv({ AR_HTTP_SERVER_URL: server.url, AR_HTTP_CA_FILE: certificates.caFile });
      expect(resolve('down')).toBe('');
      expect((await plain.stats()).requests).toHaveLength(0);
    } finally {
      await plain.close();
    }
  });
});

describe('one OpenSSL in the process', () => {
  const exported = (file: string): string[] =>
    execFileSync('nm', ['-D', '--defined-only', file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })
      .split('\n')
      .map((line) => line.split(' ')[2])
      .filter(Boolean);

  test('the bindings show Node nothing but their N-API entry points', () => {
    const bindings = [path.join(__dirname, '..', 'build', 'Release', 'ar_http.node'), usdBindingPath()];
    for (const file of bindings.filter((candidate) => candidate === usdBindingPath() ? backend() === 'usd' : true)) {
      expect(exported(file).sort()).toEqual(['napi_register_module_v1', 'node_api_module_get_api_version_v1']);
    }
  });

  test('every OpenSSL function cpp-httplib calls is Node\'s own, or none is', () => {
    const binding = path.join(__dirname, '..', 'build', 'Release', 'ar_http.node');
    const httplib = /libcpp-httplib\S*\s+=>\s+(\S+)/.exec(execFileSync('ldd', [binding], { encoding: 'utf8' }))?.[1];
    expect(httplib).toBeDefined();
    const called = execFileSync('nm', ['-D', '--undefined-only', httplib!], { encoding: 'utf8' })
      .split('\n')
      .map((line) => line.trim().split(/\s+/)[1]?.replace(/@.*/, ''))
      .filter((name): name is string => /^(SSL|X509|EVP|ERR|BIO|PEM|OPENSSL|CRYPTO|ASN1|GENERAL|OPENSSL_sk)_/.test(name ?? ''));
    expect(called.length).toBeGreaterThan(10);
    const node = new Set(exported(process.execPath));
    const fromNode = called.filter((name) => node.has(name));
    // Node's symbols come first in the process, so its OpenSSL serves all of
    // them; a mix of the two OpenSSLs is what would crash.
    expect([0, called.length]).toContain(fromNode.length);
  });
});
