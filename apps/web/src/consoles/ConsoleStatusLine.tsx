import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ConsoleStatus } from './session.js';

/** Where a console connection stands, with what the user can do about it (reconnect, take over). */
export function ConsoleStatusLine({ status, onRetry, onTakeOver }: { status: ConsoleStatus; onRetry: () => void; onTakeOver: () => void }) {
  const { t } = useTranslation();
  if (status.kind === 'busy') {
    return (
      <Alert color="orange" role="alert" title={t('consoles.status.busy')} classNames={{ title: 'vireo-title-warn' }} data-console-status="busy">
        <Stack gap="xs" align="flex-start">
          <Text size="sm">{t('consoles.takeOverHint')}</Text>
          <Button size="xs" color="blue.9" onClick={onTakeOver}>
            {t('consoles.takeOver')}
          </Button>
        </Stack>
      </Alert>
    );
  }
  if (status.kind === 'failed') {
    return (
      <Alert color="red" role="alert" title={t('consoles.status.failed', { detail: status.detail })} classNames={{ title: 'vireo-title-danger' }} data-console-status="failed">
        <Button size="xs" color="blue.9" onClick={onRetry}>
          {t('consoles.reconnect')}
        </Button>
      </Alert>
    );
  }
  const text = (() => {
    switch (status.kind) {
      case 'off':
        return t('consoles.status.off');
      case 'connecting':
        return t('consoles.status.connecting');
      case 'connected':
        return t('consoles.status.connected');
      case 'retrying':
        return t('consoles.status.retrying', { seconds: Math.ceil(status.delayMs / 1000), attempt: status.attempt });
      case 'unavailable':
        return status.detail ? t('consoles.status.unavailableDetail', { detail: status.detail }) : t('consoles.status.unavailable');
    }
  })();
  return (
    <Group gap="sm" role="status" aria-live="polite" data-console-status={status.kind}>
      <span className="vireo-console-dot" data-kind={status.kind} aria-hidden />
      <Text size="sm">{text}</Text>
      {(status.kind === 'retrying' || status.kind === 'unavailable') && (
        <Button size="compact-xs" variant="default" onClick={onRetry}>
          {t('consoles.reconnect')}
        </Button>
      )}
    </Group>
  );
}
