import type { CookieSerializeOptions } from '@fastify/cookie';

/**
 * The session cookie. Over HTTPS it carries the `__Host-` prefix, which browsers accept only with Secure,
 * Path=/ and no Domain, so a sibling subdomain cannot plant or shadow it.
 */
export function sessionCookieName(insecureHttp: boolean): string {
  return insecureHttp ? 'vireo_session' : '__Host-vireo_session';
}

export function sessionCookieOptions(insecureHttp: boolean, maxAgeMs: number): CookieSerializeOptions {
  return {
    httpOnly: true,
    secure: !insecureHttp,
    sameSite: 'strict',
    path: '/',
    maxAge: Math.floor(maxAgeMs / 1000),
  };
}
