// A console WebSocket as the browser opens it, with reads of exact byte counts and the close it ended with.
import WebSocket from 'ws';
import type { SignedIn } from '../../helpers/harness.js';
import { ByteQueue } from '../../../src/consoles/byte-queue.js';

export interface ConsoleClient {
  ws: WebSocket;
  read(n: number): Promise<Buffer>;
  send(b: Buffer): void;
  waitForText(pattern: RegExp, timeoutMs: number): Promise<string>;
  received(): Buffer;
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

export function consoleSocket(base: string, path: string, who: SignedIn, options: { origin?: string } = {}): Promise<ConsoleClient> {
  const origin = options.origin ?? base.replace(/^wss:/, 'https:');
  const ws = new WebSocket(`${base}${path}`, { headers: { cookie: who.cookie, origin }, rejectUnauthorized: false });
  const queue = new ByteQueue();
  const all: Buffer[] = [];
  let text = '';
  const watchers = new Set<() => void>();
  ws.on('message', (data: Buffer) => {
    queue.push(data);
    all.push(data);
    text += data.toString('latin1');
    for (const w of [...watchers]) w();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.once('close', (code, reason) => {
      queue.fail(new Error(`socket closed (${code})`));
      resolve({ code, reason: reason.toString() });
    });
  });
  const client: ConsoleClient = {
    ws,
    read: (n) => queue.read(n),
    send: (b) => ws.send(b, { binary: true }),
    received: () => Buffer.concat(all),
    closed,
    close: () => ws.close(),
    waitForText: (pattern, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const m = pattern.exec(text);
          if (!m) return;
          clearTimeout(timer);
          watchers.delete(check);
          resolve(m[0]);
        };
        const timer = setTimeout(() => {
          watchers.delete(check);
          reject(new Error(`no ${String(pattern)} on the console within ${timeoutMs} ms; got ${JSON.stringify(text.slice(-200))}`));
        }, timeoutMs);
        watchers.add(check);
        check();
      }),
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
  });
}
