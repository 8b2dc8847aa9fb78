import type { LoginRequest, LoginResponse, PasswordChangeRequest, WhoAmI } from '@vireo/api';
import { useQuery, type QueryClient } from '@tanstack/react-query';
import { ApiError, apiFetch, setCsrfToken } from './client.js';

export const sessionKey = ['session'] as const;

/** Who is signed in; null when nobody (a 401 here is an answer, not an error). */
export async function fetchSession(): Promise<WhoAmI | null> {
  try {
    const who = await apiFetch<WhoAmI>('/api/v1/session', { skipUnauthorizedHandler: true });
    setCsrfToken(who.csrfToken ?? null);
    return who;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw err;
  }
}

export function useSession() {
  return useQuery({ queryKey: sessionKey, queryFn: fetchSession, staleTime: Infinity, retry: false });
}

export async function signIn(client: QueryClient, request: LoginRequest): Promise<LoginResponse> {
  const response = await apiFetch<LoginResponse>('/api/v1/session', { method: 'POST', body: request, skipUnauthorizedHandler: true });
  setCsrfToken(response.csrfToken);
  const who: WhoAmI = { user: response.user, authMethod: 'session', csrfToken: response.csrfToken };
  client.setQueryData(sessionKey, who);
  return response;
}

export async function signOut(client: QueryClient): Promise<void> {
  try {
    await apiFetch<void>('/api/v1/session', { method: 'DELETE', skipUnauthorizedHandler: true });
  } finally {
    setCsrfToken(null);
    client.clear();
    client.setQueryData(sessionKey, null);
  }
}

export async function changePassword(client: QueryClient, request: PasswordChangeRequest): Promise<void> {
  await apiFetch<void>('/api/v1/session/password', { method: 'POST', body: request });
  await client.invalidateQueries({ queryKey: sessionKey });
}
