/**
 * The console benchmark's TCP source, as a process of its own so that it does not share the measuring client's
 * event loop. A connection's first byte says what it wants: `B` a bulk stream of BULK_BYTES (argv[2]), `E` an echo
 * of everything after. The bulk is one MiB written again and again, respecting backpressure. Prints its port.
 */
import net from 'node:net';

const bulkBytes = Number(process.argv[2]);
if (!Number.isInteger(bulkBytes) || bulkBytes <= 0) throw new Error('usage: source.js BULK_BYTES');

const block = Buffer.alloc(1024 * 1024, 0x5a);
for (let i = 0; i < block.length; i += 997) block[i] = i & 0xff;

const server = net.createServer((socket) => {
  socket.setNoDelay(true);
  socket.on('error', () => undefined);
  socket.once('data', (first: Buffer) => {
    if (first[0] === 0x42) {
      let left = bulkBytes;
      const pump = () => {
        while (left > 0) {
          const chunk = left >= block.length ? block : block.subarray(0, left);
          left -= chunk.length;
          if (!socket.write(chunk)) return void socket.once('drain', pump);
        }
      };
      pump();
    } else {
      if (first.length > 1) socket.write(first.subarray(1));
      socket.pipe(socket);
    }
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as net.AddressInfo).port}\n`));
process.once('SIGTERM', () => process.exit(0));
