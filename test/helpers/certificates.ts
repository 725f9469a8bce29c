import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { TlsIdentity } from './testServer';

export interface TestCertificates {
  /** The test CA's certificate (PEM file). */
  caFile: string;
  /** Signed by the test CA for 127.0.0.1 and localhost. */
  server: TlsIdentity;
  /** Signed by the test CA for another name only. */
  otherHost: TlsIdentity;
  remove(): void;
}

/** A throwaway CA and two server certificates it signed, made with the openssl command. */
export function makeCertificates(): TestCertificates {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ar-http-tls-'));
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  };
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ecKey, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2',
    '-subj', '/CN=ar-http test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  const issue = (name: string, altNames: string): TlsIdentity => {
    openssl('req', ...ecKey, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
    writeFileSync(
      path.join(dir, `${name}.ext`),
      `subjectAltName=${altNames}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`,
    );
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial',
      '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`);
    return {
      key: readFileSync(path.join(dir, `${name}.key`), 'utf8'),
      cert: readFileSync(path.join(dir, `${name}.pem`), 'utf8'),
    };
  };
  return {
    caFile: path.join(dir, 'ca.pem'),
    server: issue('server', 'IP:127.0.0.1,DNS:localhost'),
    otherHost: issue('other', 'DNS:other.example'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
