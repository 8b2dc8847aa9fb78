import { Alert, Button, Checkbox, NativeSelect, NumberInput, Stack, Text } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { notifyError, notifySuccess } from '../../components/notify.js';
import { DEFAULT_POOL_NAME, DEFAULT_POOL_PATH, preferredPool } from './default-pool.js';
import { makesNewDisk, newVolumeName, type DiskBus } from './form.js';
import { useCreateDefaultPool, usePools } from './queries.js';
import { formatBytes, patcher, toNumber, useReason, type StepProps } from './step-props.js';

export function StorageStep({ host, form, update, errors }: StepProps) {
  const { t, i18n } = useTranslation();
  const reason = useReason();
  const set = patcher(update);
  const pools = usePools(host);
  const createPool = useCreateDefaultPool(host);
  const list = pools.data?.pools ?? [];
  const newDisk = makesNewDisk(form);
  const preferred = preferredPool(list);
  useEffect(() => {
    if (preferred !== '') update((f) => (f.diskPool === '' ? { ...f, diskPool: preferred } : f));
  }, [preferred, update]);
  const busSelect = (
    <NativeSelect
      label={t('wizard.storage.bus')}
      value={form.diskBus}
      data={['virtio', 'sata', 'scsi']}
      onChange={(e) => set({ diskBus: e.currentTarget.value as DiskBus })}
      error={reason(errors.diskBus)}
    />
  );

  if (form.source === 'import') {
    return (
      <Stack gap="md">
        {form.media && <Text size="sm">{t('wizard.media.importNote', { name: form.media.name })}</Text>}
        {busSelect}
      </Stack>
    );
  }

  return (
    <Stack gap="md">
      {pools.isLoading && <Text size="sm">{t('wizard.loading')}</Text>}
      {pools.error && (
        <Alert color="red" role="alert">
          {t('wizard.loadFailed', { what: t('wizard.storage.pool'), error: pools.error.message })}
        </Alert>
      )}
      {pools.data && list.length === 0 && (
        <Alert color="blue" role="status">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{t('wizard.storage.noPool', { name: DEFAULT_POOL_NAME, path: DEFAULT_POOL_PATH })}</Text>
            <Button
              size="xs"
              color="blue.9"
              loading={createPool.isPending}
              onClick={() =>
                createPool.mutate(undefined, {
                  onSuccess: (pool) => {
                    set({ diskPool: pool.name });
                    notifySuccess(t('wizard.storage.poolCreated', { name: pool.name, path: pool.path ?? DEFAULT_POOL_PATH }));
                  },
                  onError: (err) => notifyError(t('wizard.storage.poolFailed'), err),
                })
              }
            >
              {t('wizard.storage.createPool')}
            </Button>
          </Stack>
        </Alert>
      )}
      {(form.source === 'iso' || form.source === 'pxe') && (
        <Checkbox label={t('wizard.storage.newDisk')} checked={form.newDisk} onChange={(e) => set({ newDisk: e.currentTarget.checked })} data-autofocus />
      )}
      {newDisk ? (
        <>
          <NativeSelect
            label={t('wizard.storage.pool')}
            value={form.diskPool}
            data={[
              { value: '', label: t('wizard.network.pick'), disabled: true },
              ...list.map((p) => ({
                value: p.name,
                label: p.active
                  ? t('wizard.storage.poolOption', { name: p.name, free: formatBytes(p.availableBytes, i18n.language) })
                  : t('wizard.storage.poolInactive', { name: p.name }),
                disabled: !p.active,
              })),
            ]}
            onChange={(e) => set({ diskPool: e.currentTarget.value })}
            error={reason(errors.diskPool)}
          />
          <NumberInput
            label={t('wizard.storage.size')}
            min={0}
            decimalScale={4}
            value={Number.isFinite(form.diskSizeGiB) ? form.diskSizeGiB : ''}
            onChange={(v) => set({ diskSizeGiB: toNumber(v) })}
            error={reason(errors.diskSize)}
          />
          <NativeSelect
            label={t('wizard.storage.format')}
            value={form.diskFormat}
            data={['qcow2', 'raw']}
            onChange={(e) => set({ diskFormat: e.currentTarget.value as 'qcow2' | 'raw' })}
            error={reason(errors.diskFormat)}
          />
          {busSelect}
          {form.name.trim() !== '' && <Text size="sm" c="gray.7">{t('wizard.storage.volumeName', { name: newVolumeName(form.name.trim(), form.diskFormat) })}</Text>}
        </>
      ) : (
        <Text size="sm">{t('wizard.storage.noDisk')}</Text>
      )}
    </Stack>
  );
}
