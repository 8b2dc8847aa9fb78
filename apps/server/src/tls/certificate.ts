import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Config } from '../config/config.js';

const execFileP = promisify(execFile);

export interface TlsMaterial {
  cert: string;
  key: string;
  /** SHA-256 of the certificate, colon-separated hex, as browsers show it. */
  fingerprint256: string;
  source: 'provided' | 'generated' | 'reused';
  certFile: string;
  keyFile: string;
}

export interface CertificateHost {
  hostname: string;
  /** IP addresses to name in the certificate. */
  addresses: string[];
  now: Date;
}

// Browsers cap publicly trusted certificates at 398 days; for a self-signed one, that only adds churn.
const VALIDITY_DAYS = 825;
// A certificate this close to expiry is replaced at start.
const RENEW_BEFORE_MS = 7 * 86_400_000;

export function localHost(): CertificateHost {
  const addresses = Object.values(os.networkInterfaces())
    .flatMap((list) => list ?? [])
    .map((i) => i.address);
  return { hostname: os.hostname(), addresses, now: new Date() };
}

/** DNS names and IPs the certificate is valid for: the host's name and addresses, and loopback. */
export function subjectAltNames(host: CertificateHost): { dns: string[]; ips: string[] } {
  const dns = [...new Set([host.hostname, 'localhost'].filter((n) => n !== ''))];
  const ips = [...new Set([...host.addresses, '127.0.0.1', '::1'])];
  return { dns, ips };
}

/**
 * Generates the key and certificate in a child process: the generator (node-forge) costs several MiB that the
 * server would otherwise carry for the rest of its life, for a job done once.
 */
async function generateCertificate(host: CertificateHost): Promise<{ cert: string; key: string }> {
  const here = fileURLToPath(import.meta.url);
  // The built server finds the script beside it; tests run these sources, whose build output is in dist/.
  const script = here.endsWith('.ts')
    ? here.replace(/[/\\]src[/\\]tls[/\\]certificate\.ts$/, '/dist/tls/generate-certificate.js')
    : fileURLToPath(new URL('./generate-certificate.js', import.meta.url));
  const { stdout } = await execFileP(process.execPath, [script, JSON.stringify({ ...subjectAltNames(host), hostname: host.hostname, now: host.now.toISOString(), validityDays: VALIDITY_DAYS })], {
    timeout: 60_000,
  });
  return JSON.parse(stdout) as { cert: string; key: string };
}

function writeAtomically(file: string, data: string, mode: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, file);
}

function parse(pem: string, what: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (err) {
    throw new Error(`${what} is not a PEM certificate: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * The certificate to serve: the operator's (VIREO_TLS_CERT/KEY), else the self-signed one in
 * `<dataDir>/tls`, generated on first start (EC P-256, signed with SHA-256, key mode 0600) and reused after,
 * until it nears expiry.
 */
export async function loadOrCreateCertificate(
  config: Pick<Config, 'tls' | 'dataDir'>,
  host: CertificateHost = localHost(),
): Promise<TlsMaterial> {
  if (config.tls) {
    const cert = readFileSync(config.tls.certFile, 'utf8');
    const key = readFileSync(config.tls.keyFile, 'utf8');
    const x509 = parse(cert, `VIREO_TLS_CERT (${config.tls.certFile})`);
    return { cert, key, fingerprint256: x509.fingerprint256, source: 'provided', ...config.tls };
  }

  const dir = path.join(config.dataDir, 'tls');
  const certFile = path.join(dir, 'server.crt');
  const keyFile = path.join(dir, 'server.key');
  if (existsSync(certFile) && existsSync(keyFile)) {
    const cert = readFileSync(certFile, 'utf8');
    const key = readFileSync(keyFile, 'utf8');
    const x509 = parse(cert, certFile);
    if (Date.parse(x509.validTo) - host.now.getTime() > RENEW_BEFORE_MS) {
      return { cert, key, fingerprint256: x509.fingerprint256, source: 'reused', certFile, keyFile };
    }
  }

  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { cert, key } = await generateCertificate(host);
  writeAtomically(keyFile, key, 0o600);
  writeAtomically(certFile, cert, 0o644);
  return { cert, key, fingerprint256: parse(cert, certFile).fingerprint256, source: 'generated', certFile, keyFile };
}
