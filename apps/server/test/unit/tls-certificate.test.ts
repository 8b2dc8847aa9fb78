import { X509Certificate } from 'node:crypto';
import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrCreateCertificate, type CertificateHost } from '../../src/tls/certificate.js';
import { tmpDir } from '../helpers/harness.js';

const HOST: CertificateHost = {
  hostname: 'kvm1',
  addresses: ['192.0.2.10', '2001:db8::10', '127.0.0.1'],
  now: new Date('2026-01-01T00:00:00Z'),
};

describe('self-signed certificate', () => {
  it('is generated on first start with SANs for the host, SHA-256 and a private key file', async () => {
    const dataDir = tmpDir();
    const tls = await loadOrCreateCertificate({ tls: null, dataDir }, HOST);
    expect(tls.source).toBe('generated');
    expect(tls.certFile).toBe(path.join(dataDir, 'tls', 'server.crt'));

    const x509 = new X509Certificate(tls.cert);
    const sans = x509.subjectAltName?.split(', ') ?? [];
    expect(sans).toEqual(
      expect.arrayContaining(['DNS:kvm1', 'DNS:localhost', 'IP Address:192.0.2.10', 'IP Address:2001:DB8:0:0:0:0:0:10', 'IP Address:127.0.0.1', 'IP Address:0:0:0:0:0:0:0:1']),
    );
    expect(x509.checkHost('kvm1')).toBe('kvm1');
    expect(x509.checkIP('192.0.2.10')).toBe('192.0.2.10');
    expect(x509.ca).toBe(false);
    // The signature algorithm is not exposed by X509Certificate; it is in the DER: ecdsa-with-SHA256 is 1.2.840.10045.4.3.2.
    expect(x509.raw.includes(Buffer.from('06082a8648ce3d040302', 'hex'))).toBe(true);
    expect(tls.fingerprint256).toBe(x509.fingerprint256);
    expect(tls.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(x509.verify(x509.publicKey)).toBe(true);

    expect(statSync(tls.keyFile).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(tls.keyFile)).mode & 0o777).toBe(0o700);
  });

  it('is reused on the next start, and replaced when it nears expiry', async () => {
    const dataDir = tmpDir();
    const first = await loadOrCreateCertificate({ tls: null, dataDir }, HOST);
    const again = await loadOrCreateCertificate({ tls: null, dataDir }, { ...HOST, now: new Date('2026-06-01T00:00:00Z') });
    expect(again.source).toBe('reused');
    expect(again.fingerprint256).toBe(first.fingerprint256);
    expect(again.key).toBe(first.key);

    const late = await loadOrCreateCertificate({ tls: null, dataDir }, { ...HOST, now: new Date('2028-04-01T00:00:00Z') });
    expect(late.source).toBe('generated');
    expect(late.fingerprint256).not.toBe(first.fingerprint256);
  });

  it('uses the operator certificate when one is configured, and names a broken one', async () => {
    const made = await loadOrCreateCertificate({ tls: null, dataDir: tmpDir() }, HOST);
    const given = await loadOrCreateCertificate({ tls: { certFile: made.certFile, keyFile: made.keyFile }, dataDir: tmpDir() }, HOST);
    expect(given.source).toBe('provided');
    expect(given.fingerprint256).toBe(made.fingerprint256);

    const junk = path.join(tmpDir(), 'junk.pem');
    writeFileSync(junk, 'not a certificate');
    await expect(
      loadOrCreateCertificate({ tls: { certFile: junk, keyFile: made.keyFile }, dataDir: tmpDir() }, HOST),
    ).rejects.toThrow(/VIREO_TLS_CERT \(.*junk\.pem\) is not a PEM certificate/);
  });
});
