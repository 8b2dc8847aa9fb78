import type { FastifyRequest } from 'fastify';

/** The origin of an absolute URL, or null for opaque or unparsable ones. */
export function originOf(url: string): string | null {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

/**
 * Whether a change (or WebSocket upgrade) may come from the request's Origin: the server's own origin as the
 * client reached it (Host / X-Forwarded-Host and -Proto from trusted proxies only), or VIREO_PUBLIC_URL.
 * A request without Origin passes: browsers send one with every cross-origin request, every change and every
 * WebSocket upgrade, so its absence means a non-browser client, for which cross-site forgery does not arise.
 */
export function originAllowed(request: FastifyRequest, publicOrigin: string | null, serverScheme: 'https' | 'http'): boolean {
  const header = request.headers.origin;
  if (header === undefined) return true;
  const origin = originOf(header);
  if (origin === null) return false;
  if (publicOrigin !== null && origin === publicOrigin) return true;
  // Fastify reads X-Forwarded-Proto only from trusted proxies; without the header, the scheme is the one we serve.
  const scheme = request.headers['x-forwarded-proto'] === undefined ? serverScheme : request.protocol;
  return request.host !== '' && origin === originOf(`${scheme}://${request.host}`);
}
