import { describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { consoleInfo, displaysOf, hostEndpoint, isLocalOnly, virtViewerFile } from '../../../src/consoles/endpoints.js';
import { decodeScreenshot, encodeThumbnail, parsePpm } from '../../../src/consoles/screenshot.js';

const live = (graphics: string) => `<domain type='qemu' id='3'><name>d</name><devices>${graphics}<serial type='pty'><target port='0'/></serial></devices></domain>`;

describe('display endpoints', () => {
  it('reaches a wildcard listen on loopback, a specific one on its address, and a socket by path', () => {
    const [any, v6, specific, sock] = [
      "<graphics type='vnc' port='5901' autoport='yes' listen='0.0.0.0'><listen type='address' address='0.0.0.0'/></graphics>",
      "<graphics type='spice' port='5902' listen='::'/>",
      "<graphics type='vnc' port='5903' listen='192.0.2.5'/>",
      "<graphics type='vnc'><listen type='socket' socket='/run/libvirt/qemu/d.vnc'/></graphics>",
    ].map((g) => displaysOf(live(g)).displays[0]!.view);
    expect(hostEndpoint(any!)).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 5901 });
    expect(hostEndpoint(v6!)).toEqual({ kind: 'tcp', host: '::1', port: 5902 });
    expect(hostEndpoint(specific!)).toEqual({ kind: 'tcp', host: '192.0.2.5', port: 5903 });
    expect(hostEndpoint(sock!)).toEqual({ kind: 'unix', path: '/run/libvirt/qemu/d.vnc' });
    expect([any, specific, sock].map((g) => isLocalOnly(g!))).toEqual([false, false, true]);
  });

  it('has no endpoint for a shut-off display (no port) or listen none', () => {
    expect(hostEndpoint(displaysOf(live("<graphics type='vnc' port='-1' autoport='yes'/>")).displays[0]!.view)).toBeNull();
    expect(hostEndpoint(displaysOf(live("<graphics type='spice' port='5900'><listen type='none'/></graphics>")).displays[0]!.view)).toBeNull();
  });

  it('reports passwords only to the server, and only "set" in the info', () => {
    const xml = live("<graphics type='vnc' port='5901' passwd='s3cret' listen='127.0.0.1'/>");
    expect(displaysOf(xml).displays[0]!.password).toBe('s3cret');
    const info = consoleInfo('running', xml);
    expect(info).toEqual({
      state: 'running',
      serial: true,
      graphics: [{ type: 'vnc', listen: '127.0.0.1', socket: null, port: 5901, tlsPort: null, passwordSet: true, localOnly: true }],
    });
    expect(JSON.stringify(info)).not.toContain('s3cret');
  });

  it('writes a virt-viewer file remote-viewer reads', () => {
    const text = virtViewerFile({ type: 'spice', host: 'kvm.example', port: 5902, password: 'pw', title: 'web 1' });
    const lines = text.split('\n');
    expect(lines[0]).toBe('[virt-viewer]');
    const kv = Object.fromEntries(lines.slice(1).filter((l) => l.includes('=')).map((l) => l.split('=', 2) as [string, string]));
    expect(kv).toMatchObject({ type: 'spice', host: 'kvm.example', port: '5902', password: 'pw', title: 'web 1' });
  });
});

describe('screenshots', () => {
  function ppm(width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): Buffer {
    const body = Buffer.alloc(width * height * 3);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) body.set(pixel(x, y), (y * width + x) * 3);
    return Buffer.concat([Buffer.from(`P6\n# QEMU\n${width} ${height}\n255\n`), body]);
  }

  it('reads a P6 image and scales it down by averaging', () => {
    const image = parsePpm(ppm(4, 2, (x) => (x < 2 ? [200, 0, 0] : [0, 0, 100])));
    expect(image).toMatchObject({ width: 4, height: 2 });
    const png = PNG.sync.read(encodeThumbnail(image, 2));
    expect([png.width, png.height]).toEqual([2, 1]);
    expect([...png.data.subarray(0, 8)]).toEqual([200, 0, 0, 255, 0, 0, 100, 255]);
  });

  it('never scales up, and refuses what is not an 8-bit P6', () => {
    const png = PNG.sync.read(encodeThumbnail(parsePpm(ppm(3, 3, () => [1, 2, 3])), 640));
    expect(png.width).toBe(3);
    expect(() => parsePpm(Buffer.from('P5\n1 1\n255\n\0'))).toThrow(/PPM/);
    expect(() => parsePpm(Buffer.from('P6\n2 2\n255\n\0\0\0'))).toThrow(/truncated/);
  });

  it('reads PNG screenshots (QEMU 7.1 and later) the same way', () => {
    const src = new PNG({ width: 2, height: 1 });
    src.data.set([10, 20, 30, 255, 40, 50, 60, 255]);
    const image = decodeScreenshot('image/png', PNG.sync.write(src));
    expect(image).toMatchObject({ width: 2, height: 1 });
    expect([...image.rgb]).toEqual([10, 20, 30, 40, 50, 60]);
    expect(() => decodeScreenshot('image/bmp', Buffer.alloc(4))).toThrow(/not supported/);
  });
});
