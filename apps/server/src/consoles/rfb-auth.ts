import { createCipheriv } from 'node:crypto';
import type { ByteQueue } from './byte-queue.js';

/**
 * The VNC side of a password-protected display. The proxy answers the VM's VNC authentication itself and offers the
 * browser no authentication, so the password never reaches the browser (RFC 6143, sections 7.1-7.2).
 */

const VERSION_38 = Buffer.from('RFB 003.008\n', 'latin1');
const SECURITY_NONE = 1;
const SECURITY_VNC = 2;

export class RfbError extends Error {}

/** VNC authentication's DES key: the password's first 8 bytes, zero-padded, each byte's bits reversed. */
export function vncDesKey(password: string): Buffer {
  const key = Buffer.alloc(8);
  Buffer.from(password, 'latin1').copy(key, 0, 0, 8);
  for (let i = 0; i < 8; i++) {
    let b = key[i]!;
    let r = 0;
    for (let bit = 0; bit < 8; bit++) {
      r = (r << 1) | (b & 1);
      b >>= 1;
    }
    key[i] = r;
  }
  return key;
}

/** The response to a VNC authentication challenge: its two 8-byte blocks DES-encrypted with the key. */
export function vncResponse(challenge: Buffer, password: string): Buffer {
  const key = vncDesKey(password);
  // Single DES is triple DES with three equal keys; OpenSSL 3 keeps plain DES in its legacy provider only.
  const cipher = createCipheriv('des-ede3-ecb', Buffer.concat([key, key, key]), null);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(challenge), cipher.final()]);
}

async function readReason(input: ByteQueue): Promise<string> {
  const len = (await input.read(4)).readUInt32BE(0);
  return (await input.read(Math.min(len, 4096))).toString('utf8');
}

/**
 * Authenticates to the VM's VNC server as a client (RFB 3.8, VNC authentication), leaving it waiting for the
 * ClientInit the browser will send.
 */
export async function authenticateToServer(input: ByteQueue, write: (b: Buffer) => void, password: string): Promise<void> {
  const version = (await input.read(12)).toString('latin1');
  if (!/^RFB 003\.00[378]\n$/.test(version)) throw new RfbError(`the display does not speak RFB (greeting ${JSON.stringify(version)})`);
  if (version !== 'RFB 003.008\n') throw new RfbError(`the display speaks ${version.trim()}; Vireo needs RFB 3.8 to authenticate for you`);
  write(VERSION_38);
  const count = (await input.read(1))[0]!;
  if (count === 0) throw new RfbError(`the display refused the connection: ${await readReason(input)}`);
  const types = [...(await input.read(count))];
  if (!types.includes(SECURITY_VNC)) {
    if (types.includes(SECURITY_NONE)) {
      // The password was removed after the ticket was issued: no authentication needed after all.
      write(Buffer.from([SECURITY_NONE]));
    } else {
      throw new RfbError(`the display offers no VNC password authentication (security types ${types.join(', ')})`);
    }
  } else {
    write(Buffer.from([SECURITY_VNC]));
    const challenge = await input.read(16);
    write(vncResponse(challenge, password));
  }
  const result = (await input.read(4)).readUInt32BE(0);
  if (result !== 0) throw new RfbError(`the display refused the password: ${await readReason(input)}`);
}

/**
 * Plays the VNC server's side of the handshake toward the browser with "no authentication", for RFB 3.3, 3.7 and 3.8
 * clients; afterwards the browser's ClientInit goes straight on to the VM.
 */
export async function acceptClientWithoutAuth(input: ByteQueue, write: (b: Buffer) => void): Promise<void> {
  write(VERSION_38);
  const version = (await input.read(12)).toString('latin1');
  const m = /^RFB 003\.(\d{3})\n$/.exec(version);
  if (!m) throw new RfbError(`the browser's VNC client does not speak RFB (greeting ${JSON.stringify(version)})`);
  const minor = Number(m[1]);
  if (minor < 7) {
    // RFB 3.3: the server names the security type; no result message for None.
    write(Buffer.from([0, 0, 0, SECURITY_NONE]));
    return;
  }
  write(Buffer.from([1, SECURITY_NONE]));
  const chosen = (await input.read(1))[0];
  if (chosen !== SECURITY_NONE) throw new RfbError(`the browser's VNC client chose security type ${String(chosen)}, not None`);
  // 3.8 sends a SecurityResult for None as well; 3.7 does not.
  if (minor >= 8) write(Buffer.from([0, 0, 0, 0]));
}
