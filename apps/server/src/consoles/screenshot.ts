import { PNG } from 'pngjs';

export interface RgbImage {
  width: number;
  height: number;
  /** 3 bytes per pixel, rows top to bottom. */
  rgb: Buffer;
}

/** A screenshot as libvirt streams it: PNG from QEMU 7.1 on, binary PPM before. */
export function decodeScreenshot(mime: string, data: Buffer): RgbImage {
  if (mime === 'image/png') {
    const png = PNG.sync.read(data);
    const rgb = Buffer.alloc(png.width * png.height * 3);
    for (let i = 0, o = 0; i < png.data.length; i += 4, o += 3) {
      rgb[o] = png.data[i]!;
      rgb[o + 1] = png.data[i + 1]!;
      rgb[o + 2] = png.data[i + 2]!;
    }
    return { width: png.width, height: png.height, rgb };
  }
  if (mime === 'image/x-portable-pixmap') return parsePpm(data);
  throw new Error(`screenshots of type ${mime} are not supported`);
}

/** Binary PPM (P6) with 8-bit channels, as QEMU before 7.1 writes screenshots. */
export function parsePpm(data: Buffer): RgbImage {
  // Header: "P6", width, height, maxval, separated by whitespace (comments allowed), then one whitespace byte.
  let pos = 0;
  const token = (): string => {
    for (;;) {
      while (pos < data.length && /\s/.test(String.fromCharCode(data[pos]!))) pos++;
      if (data[pos] === 0x23) {
        while (pos < data.length && data[pos] !== 0x0a) pos++;
        continue;
      }
      break;
    }
    const start = pos;
    while (pos < data.length && !/\s/.test(String.fromCharCode(data[pos]!))) pos++;
    return data.subarray(start, pos).toString('latin1');
  };
  const magic = token();
  const width = Number(token());
  const height = Number(token());
  const maxval = Number(token());
  pos++;
  if (magic !== 'P6' || !(width > 0) || !(height > 0) || maxval !== 255) {
    throw new Error(`not an 8-bit binary PPM (header ${magic} ${width} ${height} ${maxval})`);
  }
  const rgb = data.subarray(pos, pos + width * height * 3);
  if (rgb.length < width * height * 3) throw new Error(`truncated PPM: ${rgb.length} of ${width * height * 3} bytes`);
  return { width, height, rgb };
}

/** Scales down by averaging boxes of pixels (never up), and encodes as PNG. */
export function encodeThumbnail(image: RgbImage, maxWidth: number): Buffer {
  const scale = Math.min(1, maxWidth / image.width);
  const w = Math.max(1, Math.round(image.width * scale));
  const h = Math.max(1, Math.round(image.height * scale));
  const png = new PNG({ width: w, height: h });
  for (let y = 0; y < h; y++) {
    const y0 = Math.floor((y * image.height) / h);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * image.height) / h));
    for (let x = 0; x < w; x++) {
      const x0 = Math.floor((x * image.width) / w);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * image.width) / w));
      let r = 0;
      let g = 0;
      let b = 0;
      for (let yy = y0; yy < y1; yy++) {
        let i = (yy * image.width + x0) * 3;
        for (let xx = x0; xx < x1; xx++, i += 3) {
          r += image.rgb[i]!;
          g += image.rgb[i + 1]!;
          b += image.rgb[i + 2]!;
        }
      }
      const n = (y1 - y0) * (x1 - x0);
      const o = (y * w + x) * 4;
      png.data[o] = Math.round(r / n);
      png.data[o + 1] = Math.round(g / n);
      png.data[o + 2] = Math.round(b / n);
      png.data[o + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}
