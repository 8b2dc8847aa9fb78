/** libvirt encodes versions as major * 1,000,000 + minor * 1,000 + micro (connectGetLibVersion, connectGetVersion). */
export function formatLibvirtVersion(encoded: bigint | number): string {
  const n = Number(encoded);
  return `${Math.floor(n / 1_000_000)}.${Math.floor(n / 1000) % 1000}.${n % 1000}`;
}
