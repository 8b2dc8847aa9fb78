import type { ConsoleTicket, ConsoleType } from '@vireo/api';
import { useEffect, useRef, useState } from 'react';
import { requestTicket } from './api.js';
import { ConsoleSession, type ConsoleStatus, type ConsoleTransport, type TransportHandlers } from './session.js';

export interface ConsoleSessionControls {
  status: ConsoleStatus;
  takeOver: () => void;
  retry: () => void;
}

/**
 * A ConsoleSession for one console of one domain while mounted: `live` (the events-fed state) starts and parks
 * it, `open` attaches the viewer to a ticket (read at connect time, so it may change between renders).
 */
export function useConsoleSession(
  host: string,
  uuid: string,
  type: ConsoleType,
  live: boolean,
  open: (ticket: ConsoleTicket, handlers: TransportHandlers) => ConsoleTransport,
): ConsoleSessionControls {
  const [status, setStatus] = useState<ConsoleStatus>({ kind: 'off' });
  const session = useRef<ConsoleSession | null>(null);
  const openRef = useRef(open);
  const liveRef = useRef(live);
  useEffect(() => {
    openRef.current = open;
  }, [open]);

  useEffect(() => {
    const s = new ConsoleSession({
      type,
      requestTicket: (t, force) => requestTicket(host, uuid, t, force),
      open: (ticket, handlers) => openRef.current(ticket, handlers),
      onStatus: setStatus,
    });
    session.current = s;
    s.setRunning(liveRef.current);
    return () => {
      s.dispose();
      session.current = null;
    };
  }, [host, uuid, type]);

  useEffect(() => {
    liveRef.current = live;
    session.current?.setRunning(live);
  }, [live]);

  return {
    status,
    takeOver: () => session.current?.takeOver(),
    retry: () => session.current?.retry(),
  };
}
