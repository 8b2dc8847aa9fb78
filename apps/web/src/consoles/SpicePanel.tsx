import { Alert, Badge, Button, Group, Modal, Stack, Text, Title } from '@mantine/core';
import type { ConsoleInfo, DomainEdit } from '@vireo/api';
import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../components/notify.js';
import { EditErrorAlert } from '../vms/details/EditErrorAlert.js';
import { useEditDomain, useReloadDetail } from '../vms/details/mutations.js';
import { useDomainDetail } from '../vms/details/queries.js';
import { consoleInfoKey, fetchVirtViewerFile, saveTextFile } from './api.js';

// spice-html5 comes with the viewer, only to pages that show one.
const SpiceConsole = lazy(() => import('./SpiceConsole.js').then((m) => ({ default: m.SpiceConsole })));

type Graphics = ConsoleInfo['graphics'][number];
type Change = 'switch' | 'listen';

export interface SpicePanelProps {
  host: string;
  uuid: string;
  name: string;
  graphics: Graphics;
  live: boolean;
  canOpen: boolean;
  canEdit: boolean;
}

/**
 * A SPICE display: the in-browser viewer (spice-html5 through the server's proxy, which reaches a display that
 * listens only on the host) for users who may open consoles, and what a native viewer needs: a virt-viewer file for
 * remote-viewer (when the display is reachable from the user's machine), listening on all addresses, or switching
 * the VM to VNC.
 */
export function SpicePanel({ host, uuid, name, graphics, live, canOpen, canEdit }: SpicePanelProps) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const detail = useDomainDetail(host, uuid);
  const edit = useEditDomain(host, uuid);
  const reload = useReloadDetail(host, uuid);
  const [confirming, setConfirming] = useState<Change | null>(null);
  const [done, setDone] = useState<Change | null>(null);
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const [downloading, setDownloading] = useState(false);
  // A start or stop of the VM applied (or will apply) what was changed and outdated a refused download: the
  // console info, refetched on the state change, tells what is now.
  const [seenLive, setSeenLive] = useState(live);
  if (live !== seenLive) {
    setSeenLive(live);
    setDone(null);
    setDownloadError(null);
  }

  const download = async () => {
    setDownloading(true);
    setDownloadError(null);
    try {
      saveTextFile(await fetchVirtViewerFile(host, uuid), `${name}.vv`, 'application/x-virt-viewer');
    } catch (err) {
      setDownloadError(err);
    } finally {
      setDownloading(false);
    }
  };

  const apply = (change: Change) => {
    const etag = detail.data?.etag;
    if (!etag) return;
    const operation: DomainEdit = change === 'switch' ? { op: 'graphicsType', type: 'vnc' } : { op: 'graphicsListen', address: '0.0.0.0' };
    edit.mutate(
      { etag, operations: [operation] },
      {
        onSuccess: () => {
          setConfirming(null);
          setDone(change);
          void client.invalidateQueries({ queryKey: consoleInfoKey(host, uuid) });
        },
      },
    );
  };

  return (
    <Stack gap="sm">
      <Group gap="xs">
        <Title order={2} size="h4">
          {t('consoles.spice.title')}
        </Title>
        {done && live && (
          <Badge color="orange" variant="light" data-pending-restart="graphics">
            {t('consoles.spice.restartNeeded')}
          </Badge>
        )}
      </Group>
      {canOpen ? (
        <Suspense fallback={<Text>{t('consoles.loading')}</Text>}>
          <SpiceConsole host={host} uuid={uuid} name={name} live={live} />
        </Suspense>
      ) : (
        <Alert color="gray" role="note" data-testid="spice-explanation">
          {t('consoles.needsOperator')}
        </Alert>
      )}
      {canOpen && (
        <Text size="sm" c="gray.7" data-testid="spice-explanation">
          {t('consoles.spice.viewerNote')}
        </Text>
      )}
      {canOpen && graphics.localOnly && done !== 'listen' && (
        <Alert color="orange" role="note" data-testid="spice-local-only">
          {t('consoles.spice.localOnly', { address: graphics.listen ?? graphics.socket ?? '127.0.0.1' })}
        </Alert>
      )}
      {done && (
        <Alert color="teal" role="status">
          {t(done === 'switch' ? 'consoles.spice.switched' : 'consoles.spice.listenChanged')}
        </Alert>
      )}
      <Group gap="xs">
        {canOpen && (
          <Button size="sm" variant="default" loading={downloading} onClick={() => void download()}>
            {t('consoles.spice.download')}
          </Button>
        )}
        {canEdit && graphics.localOnly && graphics.listen !== null && done === null && (
          <Button size="sm" variant="default" disabled={!detail.data} onClick={() => setConfirming('listen')}>
            {t('consoles.spice.listenAll')}
          </Button>
        )}
        {canEdit && done !== 'switch' && (
          <Button size="sm" variant="default" disabled={!detail.data} onClick={() => setConfirming('switch')}>
            {t('consoles.spice.switchToVnc')}
          </Button>
        )}
      </Group>
      {downloadError !== null && (
        <Alert color="red" role="alert" title={t('consoles.spice.downloadFailed')} classNames={{ title: 'vireo-title-danger' }}>
          {errorMessage(downloadError)}
        </Alert>
      )}
      {confirming && (
        <Modal
          opened
          transitionProps={{ duration: 0 }}
          onClose={() => {
            setConfirming(null);
            edit.reset();
          }}
          closeButtonProps={{ 'aria-label': t('consoles.spice.cancel') }}
          title={confirming === 'listen' ? t('consoles.spice.listenAll') : t('consoles.spice.switchConfirmTitle', { name })}
        >
          <Stack gap="sm">
            <Text size="sm">{confirming === 'listen' ? t('consoles.spice.listenAllConfirm', { name }) : t('consoles.spice.switchConfirm')}</Text>
            <EditErrorAlert error={edit.error} onReload={() => void reload().then(() => edit.reset())} />
            <Group justify="flex-end" gap="xs">
              <Button variant="default" onClick={() => setConfirming(null)}>
                {t('consoles.spice.cancel')}
              </Button>
              <Button color="blue.9" loading={edit.isPending} onClick={() => apply(confirming)}>
                {t('consoles.spice.confirm')}
              </Button>
            </Group>
          </Stack>
        </Modal>
      )}
    </Stack>
  );
}
