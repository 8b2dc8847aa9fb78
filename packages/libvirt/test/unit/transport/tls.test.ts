import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLibvirtUri, TlsTransport, TransportError, transportForUri } from '../../../src/transport/index.js';

function haveOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

interface Pki {
  dir: string;
  caCert: string;
  otherCaCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

/** Throwaway CA, server (localhost + 127.0.0.1) and client certificates, plus an unrelated CA, made with openssl. */
function makePki(dir: string): Pki {
  const run = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const makeCa = (name: string): void =>
    run('req', '-x509', ...ec, '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '2', '-subj', `/CN=${name}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  const makeLeaf = (name: string, cn: string, ext: string): void => {
    writeFileSync(join(dir, `${name}.ext`), ext);
    run('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
    run('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out',
      `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`);
  };
  makeCa('ca');
  makeCa('otherca');
  makeLeaf('server', 'localhost',
    'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' +
      'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  makeLeaf('client', 'vireo-client',
    'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n');
  const read = (f: string): string => readFileSync(join(dir, f), 'utf8');
  return {
    dir,
    caCert: read('ca.pem'),
    otherCaCert: read('otherca.pem'),
    serverCert: read('server.pem'),
    serverKey: read('server.key'),
    clientCert: read('client.pem'),
    clientKey: read('client.key'),
  };
}

/** Resolves with the first chunk the stream delivers. */
async function firstChunk(stream: Duplex): Promise<string> {
  const [chunk] = (await once(stream, 'data')) as [Buffer];
  return chunk.toString();
}

describe.skipIf(!haveOpenssl())('TlsTransport (openssl-made PKI)', () => {
  let tmp: string;
  let pki: Pki;
  let pkiPath: string;
  let server: Server;
  let port: number;
  /** Client certificate subjects the server accepted, in order. */
  const clients: string[] = [];
  /** What the server does after the handshake: confirm like libvirtd, close at once, or send a wrong byte. */
  let mode: 'libvirtd' | 'close' | 'bad-byte' = 'libvirtd';

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'vireo-tls-'));
    pki = makePki(tmp);
    // libvirt's pkipath layout.
    pkiPath = join(tmp, 'pki');
    mkdirSync(pkiPath);
    writeFileSync(join(pkiPath, 'cacert.pem'), pki.caCert);
    writeFileSync(join(pkiPath, 'clientcert.pem'), pki.clientCert);
    writeFileSync(join(pkiPath, 'clientkey.pem'), pki.clientKey);

    // Like libvirtd: demands a client certificate from our CA.
    server = createServer(
      { key: pki.serverKey, cert: pki.serverCert, ca: pki.caCert, requestCert: true, rejectUnauthorized: true },
      (socket: TLSSocket) => {
        socket.on('error', () => {});
        const cn = socket.getPeerCertificate().subject?.CN;
        clients.push(`${socket.authorized ? 'authorized' : 'unauthorized'}:${typeof cn === 'string' ? cn : '?'}`);
        if (mode === 'close') {
          socket.end();
          return;
        }
        // libvirtd's confirmation that our certificate passed; the transport must swallow it.
        socket.write(mode === 'bad-byte' ? '\x00' : '\x01');
        socket.write('hello over tls\n');
        socket.pipe(socket);
      },
    );
    server.on('tlsClientError', () => {});
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });

  afterAll(() => {
    server?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('connects with the pkipath layout, verifies the server and presents the client certificate', async () => {
    const transport = transportForUri(parseLibvirtUri(`qemu+tls://127.0.0.1:${port}/system?pkipath=${pkiPath}`));
    expect(transport).toBeInstanceOf(TlsTransport);
    expect(transport.description).toBe(`tls:127.0.0.1:${port}`);
    const stream = await transport.connect();
    expect(await firstChunk(stream)).toBe('hello over tls\n');
    stream.write('ping\n');
    expect(await firstChunk(stream)).toBe('ping\n');
    expect(clients.at(-1)).toBe('authorized:vireo-client');
    stream.destroy();
  });

  it('accepts PEM contents instead of files, checking the DNS name', async () => {
    const transport = new TlsTransport({
      host: '127.0.0.1',
      port,
      servername: 'localhost',
      ca: pki.caCert,
      cert: pki.clientCert,
      key: Buffer.from(pki.clientKey),
    });
    const stream = await transport.connect();
    expect(await firstChunk(stream)).toBe('hello over tls\n');
    stream.destroy();
  });

  it('refuses a server certificate from another CA', async () => {
    const transport = new TlsTransport({
      host: '127.0.0.1',
      port,
      ca: pki.otherCaCert,
      cert: pki.clientCert,
      key: pki.clientKey,
    });
    const err = await transport.connect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as Error).message).toMatch(
      new RegExp(`^cannot connect to libvirt at tls:127\\.0\\.0\\.1:${port}: server certificate rejected`),
    );
    expect((err as TransportError).code).toMatch(/UNABLE_TO_VERIFY|SELF_SIGNED|ISSUER/);
  });

  it('refuses a server whose certificate names another host', async () => {
    const transport = new TlsTransport({
      host: '127.0.0.1',
      port,
      servername: 'db.example.org',
      ca: pki.caCert,
      cert: pki.clientCert,
      key: pki.clientKey,
    });
    const err = await transport.connect().catch((e: unknown) => e);
    expect((err as TransportError).code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    expect((err as Error).message).toContain('expecting db.example.org');
  });

  it('no_verify=1 skips the server checks, as libvirt does', async () => {
    const otherPki = join(tmp, 'other-pki');
    mkdirSync(otherPki);
    writeFileSync(join(otherPki, 'cacert.pem'), pki.otherCaCert);
    writeFileSync(join(otherPki, 'clientcert.pem'), pki.clientCert);
    writeFileSync(join(otherPki, 'clientkey.pem'), pki.clientKey);
    const transport = transportForUri(
      parseLibvirtUri(`qemu+tls://127.0.0.1:${port}/system?pkipath=${otherPki}&no_verify=1`),
    );
    const stream = await transport.connect();
    expect(await firstChunk(stream)).toBe('hello over tls\n');
    stream.destroy();
  });

  it('names the missing CA file', async () => {
    const empty = join(tmp, 'empty-pki');
    mkdirSync(empty);
    const err = await new TlsTransport({ host: '127.0.0.1', port, pkiPath: empty }).connect().catch((e: unknown) => e);
    expect((err as Error).message).toContain(`CA certificate ${join(empty, 'cacert.pem')} not found`);
  });

  it('a client without a certificate is refused by a server that demands one', async () => {
    const serverRefused = once(server, 'tlsClientError');
    const transport = new TlsTransport({ host: '127.0.0.1', port, ca: pki.caCert, pkiPath: join(tmp, 'nothing') });
    const err = await transport.connect().catch((e: unknown) => e);
    await serverRefused;
    expect(err).toBeInstanceOf(TransportError);
    expect((err as Error).message).toMatch(/certificate/);
    expect((err as Error).message).toContain('none presented');
  });

  describe('the confirmation byte libvirtd sends after checking our certificate', () => {
    const good = (): TlsTransport =>
      new TlsTransport({ host: '127.0.0.1', port, ca: pki.caCert, cert: pki.clientCert, key: pki.clientKey });

    it('a close instead of the byte is a refusal', async () => {
      mode = 'close';
      try {
        const err = await good().connect().catch((e: unknown) => e);
        expect((err as TransportError).code).toBe('TLS_CLIENT_REFUSED');
        expect((err as Error).message).toContain('the daemon refused us after the TLS handshake');
      } finally {
        mode = 'libvirtd';
      }
    });

    it('any other byte is a refusal', async () => {
      mode = 'bad-byte';
      try {
        const err = await good().connect().catch((e: unknown) => e);
        expect((err as Error).message).toContain('confirmation byte was 0x00');
      } finally {
        mode = 'libvirtd';
      }
    });
  });
});
