/**
 * Run by certificate.ts as a child process: makes the self-signed key and certificate and prints them as JSON.
 * Kept out of the server process so node-forge never occupies its memory.
 */
import { generate } from 'selfsigned';

interface Request {
  hostname: string;
  dns: string[];
  ips: string[];
  now: string;
  validityDays: number;
}

async function main(request: Request): Promise<void> {
  const now = new Date(request.now);
  const pems = await generate([{ name: 'commonName', value: request.hostname || 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 60 * 60_000), // tolerate a client clock a little behind
    notAfterDate: new Date(now.getTime() + request.validityDays * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          ...request.dns.map((value) => ({ type: 2 as const, value })),
          ...request.ips.map((ip) => ({ type: 7 as const, ip })),
        ],
      },
    ],
  });
  process.stdout.write(JSON.stringify({ cert: pems.cert, key: pems.private }));
}

main(JSON.parse(process.argv[2] ?? '{}') as Request).catch((err: unknown) => {
  process.stderr.write(`certificate generation failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
