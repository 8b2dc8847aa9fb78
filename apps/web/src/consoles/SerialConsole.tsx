import '@xterm/xterm/css/xterm.css';
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import { Button, Group, Stack, Text } from '@mantine/core';
import type { ConsoleTicket } from '@vireo/api';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConsoleStatusLine } from './ConsoleStatusLine.js';
import { withCspSafeStyles } from './csp-styles.js';
import { consoleSocketUrl, type TransportHandlers } from './session.js';
import { useConsoleSession } from './useConsoleSession.js';

export const SCROLLBACK_LINES = 5000;

export interface SerialConsoleProps {
  host: string;
  uuid: string;
  name: string;
  live: boolean;
}

/** The domain's serial console (libvirt's console stream through the server) in xterm.js. */
export function SerialConsole({ host, uuid, name, live }: SerialConsoleProps) {
  const { t } = useTranslation();
  const container = useRef<HTMLDivElement>(null);
  const term = useRef<Terminal | null>(null);
  const socket = useRef<WebSocket | null>(null);
  const [note, setNote] = useState<string | null>(null);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const terminal = new Terminal({
      scrollback: SCROLLBACK_LINES,
      cursorBlink: true,
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
      fontSize: 14,
      theme: { background: '#000000', foreground: '#e6e6e6' },
    });
    const fit = new FitAddon();
    terminal.loadAddon(fit);
    withCspSafeStyles(() => terminal.open(element));
    const encoder = new TextEncoder();
    const input = terminal.onData((data) => {
      const ws = socket.current;
      if (ws?.readyState === WebSocket.OPEN) ws.send(encoder.encode(data));
    });
    const binaryInput = terminal.onBinary((data) => {
      const ws = socket.current;
      if (ws?.readyState === WebSocket.OPEN) ws.send(Uint8Array.from(data, (c) => c.charCodeAt(0) & 0xff));
    });
    // The container follows the page (and full screen): the terminal follows the container.
    const resize = new ResizeObserver(() => {
      if (element.clientWidth > 0 && element.clientHeight > 0) fit.fit();
    });
    resize.observe(element);
    fit.fit();
    term.current = terminal;
    return () => {
      resize.disconnect();
      input.dispose();
      binaryInput.dispose();
      term.current = null;
      terminal.dispose();
    };
  }, []);

  const open = useCallback((ticket: ConsoleTicket, handlers: TransportHandlers) => {
    const ws = new WebSocket(consoleSocketUrl(ticket.path));
    ws.binaryType = 'arraybuffer';
    ws.addEventListener('open', () => {
      handlers.onOpen();
      term.current?.focus();
    });
    ws.addEventListener('message', (e: MessageEvent<ArrayBuffer | string>) => {
      term.current?.write(typeof e.data === 'string' ? e.data : new Uint8Array(e.data));
    });
    ws.addEventListener('close', (e) => {
      if (socket.current === ws) socket.current = null;
      handlers.onClose(e.code, e.reason);
    });
    socket.current = ws;
    return {
      close: () => {
        if (socket.current === ws) socket.current = null;
        ws.close(1000);
      },
    };
  }, []);
  const session = useConsoleSession(host, uuid, 'serial', live, open);

  const copy = async () => {
    const text = term.current?.getSelection() ?? '';
    if (text === '') return;
    try {
      await navigator.clipboard.writeText(text);
      setNote(t('consoles.serial.copied'));
    } catch {
      setNote(t('consoles.serial.clipboardDenied'));
    }
    term.current?.focus();
  };

  const paste = async () => {
    try {
      const text = await navigator.clipboard.readText();
      term.current?.paste(text);
      setNote(null);
    } catch {
      setNote(t('consoles.serial.clipboardDenied'));
    }
    term.current?.focus();
  };

  const connected = session.status.kind === 'connected';
  return (
    <Stack gap="sm" className="vireo-console-frame">
      <Group justify="space-between" gap="sm" wrap="wrap">
        <ConsoleStatusLine status={session.status} onRetry={session.retry} onTakeOver={session.takeOver} />
        <Group gap="xs">
          <Button size="xs" variant="default" onClick={() => void copy()}>
            {t('consoles.serial.copy')}
          </Button>
          <Button size="xs" variant="default" disabled={!connected} onClick={() => void paste()}>
            {t('consoles.serial.paste')}
          </Button>
          <Button
            size="xs"
            variant="default"
            onClick={() => {
              term.current?.clear();
              term.current?.focus();
            }}
          >
            {t('consoles.serial.clear')}
          </Button>
        </Group>
      </Group>
      {note && (
        <Text size="xs" c="gray.7" role="status">
          {note}
        </Text>
      )}
      <div ref={container} className="vireo-serial-screen" role="region" aria-label={t('consoles.serial.terminal', { name })} data-testid="serial-screen" />
    </Stack>
  );
}
