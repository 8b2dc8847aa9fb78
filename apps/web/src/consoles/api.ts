/** The console calls of the API: what a domain offers, tickets, the virt-viewer file and the screenshot URL. */
import type { ConsoleInfo, ConsoleTicket, ConsoleType } from '@vireo/api';
import { useQuery } from '@tanstack/react-query';
import { ApiError, apiFetch } from '../api/client.js';

const enc = encodeURIComponent;
const domainPath = (host: string, uuid: string) => `/api/v1/hosts/${enc(host)}/domains/${enc(uuid)}`;

export const consoleInfoKey = (host: string, uuid: string) => ['console-info', host, uuid] as const;

/** The domain's displays and serial port (live ports while running); refetched when its state changes. */
export function useConsoleInfo(host: string, uuid: string, state: string | undefined) {
  return useQuery({
    queryKey: [...consoleInfoKey(host, uuid), state ?? ''],
    queryFn: () => apiFetch<ConsoleInfo>(`${domainPath(host, uuid)}/consoles`),
    staleTime: 30_000,
    refetchOnWindowFocus: false,
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
  });
}

export function requestTicket(host: string, uuid: string, type: ConsoleType, force: boolean): Promise<ConsoleTicket> {
  return apiFetch<ConsoleTicket>(`${domainPath(host, uuid)}/consoles`, { method: 'POST', body: { type, force } });
}

export function screenshotUrl(host: string, uuid: string, width: number, tick: number): string {
  return `${domainPath(host, uuid)}/screenshot?width=${width}&t=${tick}`;
}

/** The virt-viewer file's text; a 409 (SPICE on localhost, not running) comes back as ApiError with the reason. */
export async function fetchVirtViewerFile(host: string, uuid: string): Promise<string> {
  const body = await apiFetch<unknown>(`${domainPath(host, uuid)}/consoles/spice.vv`, {
    headers: { accept: 'application/x-virt-viewer, application/problem+json' },
  });
  if (typeof body !== 'string') throw new Error('the server sent no virt-viewer file');
  return body;
}

/** Saves text as a file through a temporary link (the browser's download, no navigation). */
export function saveTextFile(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own copy once started; the URL can go at the next turn.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
