import './consoles.css';
import './spice.css';
import { Button, Group, Stack, Text } from '@mantine/core';
import type { ConsoleTicket } from '@vireo/api';
import { useCallback, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConsoleStatusLine } from './ConsoleStatusLine.js';
import { sendKeysEvents, sendKeysLabel, type SendKeysId } from './keys.js';
import { SendKeysMenu } from './SendKeysMenu.js';
import { consoleSocketUrl, type TransportHandlers } from './session.js';
import { connectSpice, type SpiceClient } from './spice-client.js';
import { isUnmappableKey, spiceKeyEvents } from './spice-keys.js';
import { useConsoleSession } from './useConsoleSession.js';

export interface SpiceConsoleProps {
  host: string;
  uuid: string;
  name: string;
  live: boolean;
}

/**
 * A SPICE display in the page, drawn by spice-html5 through the server's proxy: one ticket per session, a socket per
 * channel. Loaded lazily (with spice-html5) by SpicePanel.
 */
export function SpiceConsole({ host, uuid, name, live }: SpiceConsoleProps) {
  const { t } = useTranslation();
  const frame = useRef<HTMLDivElement>(null);
  const screen = useRef<HTMLDivElement>(null);
  const client = useRef<SpiceClient | null>(null);
  const [lastSent, setLastSent] = useState<string | null>(null);
  // spice-html5 finds the element it draws into by id.
  const screenId = `vireo-spice-${useId().replace(/[^\w-]/g, '')}`;

  const open = useCallback((ticket: ConsoleTicket, handlers: TransportHandlers) => {
    const target = screen.current;
    if (!target) throw new Error('the console screen is not mounted');
    const spice = connectSpice({
      url: consoleSocketUrl(ticket.path),
      password: ticket.password ?? '',
      screen: target,
      onConnected: () => handlers.onOpen(),
      onEnded: (code, reason) => handlers.onClose(code, reason),
    });
    client.current = spice;
    return {
      close: () => {
        if (client.current === spice) client.current = null;
        spice.close();
      },
    };
  }, []);
  const session = useConsoleSession(host, uuid, 'spice', live, open);

  const send = (id: SendKeysId) => {
    if (!client.current?.sendKeys(spiceKeyEvents(sendKeysEvents(id)))) return;
    setLastSent(sendKeysLabel(id) ?? t('consoles.vnc.printScreen'));
    screen.current?.querySelector('canvas')?.focus();
  };

  const connected = session.status.kind === 'connected';
  return (
    <Stack gap="sm" ref={frame} className="vireo-console-frame">
      <Group justify="space-between" gap="sm" wrap="wrap">
        <ConsoleStatusLine status={session.status} onRetry={session.retry} onTakeOver={session.takeOver} />
        <Group gap="xs" wrap="wrap" align="end">
          <SendKeysMenu disabled={!connected} onSend={send} />
          <Button size="xs" variant="default" onClick={() => void frame.current?.requestFullscreen?.()}>
            {t('consoles.vnc.fullScreen')}
          </Button>
        </Group>
      </Group>
      {lastSent && (
        <Text size="xs" c="gray.7" role="status">
          {t('consoles.vnc.sent', { keys: lastSent })}
        </Text>
      )}
      <div
        className="vireo-display-screen"
        data-connected={connected || undefined}
        role="region"
        aria-label={t('consoles.vnc.screen', { name })}
        data-testid="spice-screen"
        onKeyDownCapture={(e) => {
          if (isUnmappableKey({ keyCode: e.keyCode, isComposing: e.nativeEvent.isComposing })) e.stopPropagation();
        }}
      >
        <div ref={screen} id={screenId} className="vireo-spice-display" />
      </div>
      <Text size="xs" c="gray.7">
        {t('consoles.vnc.focus')}
      </Text>
    </Stack>
  );
}
