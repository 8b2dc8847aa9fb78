import { createDecipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ByteQueue } from '../../../src/consoles/byte-queue.js';
import { acceptClientWithoutAuth, authenticateToServer, RfbError, vncDesKey, vncResponse } from '../../../src/consoles/rfb-auth.js';

/** A scripted peer: what it has been sent, and a queue to feed it replies. */
function peer() {
  const written: Buffer[] = [];
  const input = new ByteQueue();
  return { input, written, write: (b: Buffer) => written.push(Buffer.from(b)), all: () => Buffer.concat(written) };
}

describe('VNC authentication', () => {
  it('reverses the bits of each key byte and pads to 8', () => {
    expect([...vncDesKey('ab')]).toEqual([0x86, 0x46, 0, 0, 0, 0, 0, 0]);
    expect(vncDesKey('123456789').length).toBe(8);
  });

  it('encrypts the challenge with DES under the VNC key (decrypts back)', () => {
    const challenge = Buffer.from('0123456789abcdef', 'latin1');
    const response = vncResponse(challenge, 'secret');
    const key = vncDesKey('secret');
    const d = createDecipheriv('des-ede3-ecb', Buffer.concat([key, key, key]), null);
    d.setAutoPadding(false);
    expect(Buffer.concat([d.update(response), d.final()])).toEqual(challenge);
    // The standard DES test vector: key 0x01 x8 (bits reversed: 0x80 x8), zero block.
    expect(vncResponse(Buffer.alloc(16), '\x80\x80\x80\x80\x80\x80\x80\x80').subarray(0, 8).toString('hex')).toBe('8ca64de9c1b123a7');
  });

  it('authenticates to a server that asks for a password', async () => {
    const vm = peer();
    const done = authenticateToServer(vm.input, vm.write, 'pw');
    vm.input.push(Buffer.from('RFB 003.008\n'));
    vm.input.push(Buffer.from([2, 1, 2]));
    const challenge = Buffer.alloc(16, 7);
    vm.input.push(challenge);
    vm.input.push(Buffer.from([0, 0, 0, 0]));
    await done;
    const sent = vm.all();
    expect(sent.subarray(0, 12).toString()).toBe('RFB 003.008\n');
    expect(sent[12]).toBe(2);
    expect(sent.subarray(13)).toEqual(vncResponse(challenge, 'pw'));
  });

  it('reports a wrong password with the server\'s reason', async () => {
    const vm = peer();
    const done = authenticateToServer(vm.input, vm.write, 'pw');
    vm.input.push(Buffer.concat([Buffer.from('RFB 003.008\n'), Buffer.from([1, 2]), Buffer.alloc(16), Buffer.from([0, 0, 0, 1, 0, 0, 0, 6]), Buffer.from('denied')]));
    await expect(done).rejects.toThrow(/refused the password: denied/);
  });

  it('refuses a display that offers only other security types', async () => {
    const vm = peer();
    const done = authenticateToServer(vm.input, vm.write, 'pw');
    vm.input.push(Buffer.concat([Buffer.from('RFB 003.008\n'), Buffer.from([1, 19])]));
    await expect(done).rejects.toThrow(RfbError);
  });
});

describe('the browser side without authentication', () => {
  it('offers None to an RFB 3.8 client and confirms it', async () => {
    const browser = peer();
    const done = acceptClientWithoutAuth(browser.input, browser.write);
    browser.input.push(Buffer.from('RFB 003.008\n'));
    browser.input.push(Buffer.from([1]));
    await done;
    expect(browser.all()).toEqual(Buffer.concat([Buffer.from('RFB 003.008\n'), Buffer.from([1, 1]), Buffer.from([0, 0, 0, 0])]));
  });

  it('speaks 3.3 to an old client (the server names the type)', async () => {
    const browser = peer();
    const done = acceptClientWithoutAuth(browser.input, browser.write);
    browser.input.push(Buffer.from('RFB 003.003\n'));
    await done;
    expect(browser.all().subarray(12)).toEqual(Buffer.from([0, 0, 0, 1]));
  });

  it('leaves bytes after the handshake in the queue (the ClientInit goes on to the VM)', async () => {
    const browser = peer();
    const done = acceptClientWithoutAuth(browser.input, browser.write);
    browser.input.push(Buffer.concat([Buffer.from('RFB 003.008\n'), Buffer.from([1, 1])]));
    await done;
    expect(browser.input.drain()).toEqual(Buffer.from([1]));
  });
});
