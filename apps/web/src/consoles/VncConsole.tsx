import RFB from '@novnc/novnc';
import { Button, Group, NativeSelect, Paper, Stack, Text, Textarea } from '@mantine/core';
import type { ConsoleTicket } from '@vireo/api';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConsoleStatusLine } from './ConsoleStatusLine.js';
import { MAX_TYPED_CHARS, sendKeysEvents, sendKeysLabel, type SendKeysId, typingEvents, TYPING_INTERVAL_MS } from './keys.js';
import { SendKeysMenu } from './SendKeysMenu.js';
import { consoleSocketUrl, type TransportHandlers } from './session.js';
import { useConsoleSession } from './useConsoleSession.js';
import { savedScaling, SCALING, SCALING_KEY, scalingFlags, sendEvents, typeGroups, type ScalingMode } from './vnc-controls.js';

export interface VncConsoleProps {
  host: string;
  uuid: string;
  name: string;
  live: boolean;
  /** The console page's own URL for the pop-out window. */
  popOutHref: string;
  popout: boolean;
}

/** A VNC display through the server's WebSocket proxy, drawn by noVNC, with the usual viewer controls. */
export function VncConsole({ host, uuid, name, live, popOutHref, popout }: VncConsoleProps) {
  const { t } = useTranslation();
  const frame = useRef<HTMLDivElement>(null);
  const screen = useRef<HTMLDivElement>(null);
  const rfb = useRef<RFB | null>(null);
  const [scaling, setScaling] = useState<ScalingMode>(savedScaling);
  const scalingRef = useRef(scaling);
  const [clipboardOpen, setClipboardOpen] = useState(false);
  const [clipboard, setClipboard] = useState('');
  const [typing, setTyping] = useState<{ done: number; total: number } | null>(null);
  const cancelTyping = useRef<(() => void) | null>(null);
  const [lastSent, setLastSent] = useState<string | null>(null);

  const open = useCallback((ticket: ConsoleTicket, handlers: TransportHandlers) => {
    const target = screen.current;
    if (!target) throw new Error('the console screen is not mounted');
    // Our own socket, handed to noVNC: its close code (busy, ended, bad ticket) decides what happens next.
    const socket = new WebSocket(consoleSocketUrl(ticket.path));
    socket.addEventListener('close', (e) => handlers.onClose(e.code, e.reason));
    const client = new RFB(target, socket, { shared: true });
    Object.assign(client, scalingFlags(scalingRef.current));
    client.background = 'rgb(0, 0, 0)';
    client.addEventListener('connect', () => handlers.onOpen());
    client.addEventListener('clipboard', (e) => setClipboard((e as CustomEvent<{ text: string }>).detail.text));
    rfb.current = client;
    return {
      close: () => {
        if (rfb.current === client) rfb.current = null;
        client.disconnect();
      },
    };
  }, []);
  const session = useConsoleSession(host, uuid, 'vnc', live, open);

  useEffect(() => {
    scalingRef.current = scaling;
    globalThis.localStorage?.setItem(SCALING_KEY, scaling);
    if (rfb.current) Object.assign(rfb.current, scalingFlags(scaling));
  }, [scaling]);

  const stopTyping = useCallback(() => {
    cancelTyping.current?.();
    cancelTyping.current = null;
    setTyping(null);
  }, []);
  useEffect(() => stopTyping, [stopTyping]);

  const send = (id: SendKeysId) => {
    if (!rfb.current) return;
    sendEvents(rfb.current, sendKeysEvents(id));
    setLastSent(sendKeysLabel(id) ?? t('consoles.vnc.printScreen'));
    rfb.current.focus();
  };

  const typeText = () => {
    stopTyping();
    cancelTyping.current = typeGroups(
      () => rfb.current,
      typingEvents(clipboard),
      TYPING_INTERVAL_MS,
      (done, total) => setTyping({ done, total }),
      stopTyping,
    );
  };

  const connected = session.status.kind === 'connected';
  const tooLong = clipboard.length > MAX_TYPED_CHARS;
  return (
    <Stack gap="sm" ref={frame} className="vireo-console-frame">
      <Group justify="space-between" gap="sm" wrap="wrap">
        <ConsoleStatusLine status={session.status} onRetry={session.retry} onTakeOver={session.takeOver} />
        <Group gap="xs" wrap="wrap" align="end">
          <NativeSelect
            size="xs"
            label={t('consoles.vnc.scaling')}
            value={scaling}
            onChange={(e) => setScaling(e.currentTarget.value as ScalingMode)}
            data={SCALING.map((m) => ({ value: m, label: t(`consoles.vnc.${m}`) }))}
          />
          <SendKeysMenu disabled={!connected} onSend={send} />
          <Button size="xs" variant="default" aria-expanded={clipboardOpen} aria-controls="vireo-console-clipboard" onClick={() => setClipboardOpen((o) => !o)}>
            {t('consoles.vnc.clipboard')}
          </Button>
          <Button size="xs" variant="default" onClick={() => void frame.current?.requestFullscreen?.()}>
            {t('consoles.vnc.fullScreen')}
          </Button>
          {!popout && (
            <Button
              size="xs"
              variant="default"
              onClick={() => window.open(popOutHref, `vireo-console-${uuid}`, 'popup,width=1100,height=860')}
            >
              {t('consoles.vnc.popOut')}
            </Button>
          )}
        </Group>
      </Group>
      {lastSent && (
        <Text size="xs" c="gray.7" role="status">
          {t('consoles.vnc.sent', { keys: lastSent })}
        </Text>
      )}
      {clipboardOpen && (
        <Paper withBorder p="sm" id="vireo-console-clipboard">
          <Stack gap="xs">
            <Text size="xs" c="gray.7">
              {t('consoles.vnc.clipboardHint')}
            </Text>
            <Textarea
              label={t('consoles.vnc.clipboardText')}
              autosize
              minRows={2}
              maxRows={8}
              value={clipboard}
              onChange={(e) => setClipboard(e.currentTarget.value)}
              error={tooLong ? t('consoles.vnc.tooLong', { count: MAX_TYPED_CHARS }) : undefined}
            />
            <Group gap="xs">
              <Button size="xs" variant="default" disabled={!connected || clipboard === ''} onClick={() => rfb.current?.clipboardPasteFrom(clipboard)}>
                {t('consoles.vnc.sendClipboard')}
              </Button>
              {typing ? (
                <>
                  <Button size="xs" variant="default" onClick={stopTyping}>
                    {t('consoles.vnc.stopTyping')}
                  </Button>
                  <Text size="xs" role="status">
                    {t('consoles.vnc.typing', typing)}
                  </Text>
                </>
              ) : (
                <Button size="xs" variant="default" disabled={!connected || clipboard === '' || tooLong} onClick={typeText}>
                  {t('consoles.vnc.typeText')}
                </Button>
              )}
            </Group>
          </Stack>
        </Paper>
      )}
      <div
        ref={screen}
        className="vireo-display-screen"
        data-scaling={scaling}
        data-connected={connected || undefined}
        role="region"
        aria-label={t('consoles.vnc.screen', { name })}
        data-testid="vnc-screen"
      />
      <Text size="xs" c="gray.7">
        {t('consoles.vnc.focus')}
      </Text>
    </Stack>
  );
}
