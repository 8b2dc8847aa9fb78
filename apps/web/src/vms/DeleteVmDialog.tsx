import { Alert, Button, Checkbox, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import type { DomainDetail, DomainSummary, StorageVolumeList } from '@vireo/api';
import { useMutation, useQueries, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiFetch } from '../api/client.js';
import { canDelete, disksOf, mustForceOff, resolveDisks } from './delete-logic.js';

const enc = encodeURIComponent;

export interface DeleteVmDialogProps {
  host: string;
  /** The VM as the live list has it now (its state follows events while the dialog is open). */
  domain: DomainSummary;
  onClose: () => void;
}

/** Delete a VM: pick the disks to delete too (none by default; shared media never), confirm by typing its name. */
export function DeleteVmDialog({ host, domain, onClose }: DeleteVmDialogProps) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState('');
  const [volumes, setVolumes] = useState<ReadonlySet<string>>(new Set());
  const detail = useQuery({
    queryKey: ['domain-detail', host, domain.uuid],
    queryFn: () => apiFetch<DomainDetail>(`/api/v1/hosts/${enc(host)}/domains/${enc(domain.uuid)}`),
    staleTime: 0,
  });
  const remove = useMutation({
    mutationFn: (paths: string[]) =>
      apiFetch<unknown>(`/api/v1/hosts/${enc(host)}/domains/${enc(domain.uuid)}`, { method: 'DELETE', body: { volumes: paths } }),
    // The row leaves the list when the events stream reports the undefine.
    onSuccess: () => onClose(),
  });
  const listed = disksOf(detail.data?.view);
  // Pool-volume disks (as the wizard makes them) name no path: the pools' volume lists give it, and who uses it.
  const pools = [...new Set(listed.flatMap((d) => (d.volume ? [d.volume.pool] : [])))];
  const volumeLists = useQueries({
    queries: pools.map((pool) => ({
      queryKey: ['pool-volumes', host, pool],
      queryFn: () => apiFetch<StorageVolumeList>(`/api/v1/hosts/${enc(host)}/storage/pools/${enc(pool)}/volumes`),
      staleTime: 0,
    })),
  });
  const disks = resolveDisks(
    listed,
    (pool, name) => volumeLists[pools.indexOf(pool)]?.data?.volumes.find((v) => v.name === name),
    domain.name,
  );
  const running = mustForceOff(domain.state);

  const toggle = (path: string, checked: boolean) =>
    setVolumes((v) => {
      const next = new Set(v);
      if (checked) next.add(path);
      else next.delete(path);
      return next;
    });

  return (
    <Modal
      opened
      onClose={onClose}
      title={t('delete.title', { name: domain.name })}
      transitionProps={{ duration: 0 }}
      closeButtonProps={{ 'aria-label': t('delete.cancel') }}
      size="lg"
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (canDelete(typed, domain.name, domain.state)) remove.mutate([...volumes]);
        }}
      >
        <Stack gap="sm">
          <Text size="sm">{t('delete.intro')}</Text>
          {running && (
            <Alert color="orange" role="status">
              {t('delete.forceOffFirst')}
            </Alert>
          )}
          {detail.isLoading && <Text size="sm">{t('delete.loading')}</Text>}
          {detail.error && (
            <Alert color="red" role="alert">
              {detail.error.message}
            </Alert>
          )}
          {detail.data && (
            <fieldset className="vireo-fieldset">
              <legend>{t('delete.disks')}</legend>
              {disks.length === 0 ? (
                <Text size="sm">{t('delete.noDisks')}</Text>
              ) : (
                <Stack gap={6}>
                  {disks.map((d) => (
                    <Group key={d.key} gap={6} wrap="nowrap">
                      <Checkbox
                        label={d.path ?? d.key}
                        disabled={d.shared || d.path === undefined}
                        checked={!d.shared && d.path !== undefined && volumes.has(d.path)}
                        onChange={(e) => {
                          if (d.path !== undefined) toggle(d.path, e.currentTarget.checked);
                        }}
                      />
                      {d.shared && (
                        <Text size="sm" c="gray.7">
                          {t('delete.shared')}
                        </Text>
                      )}
                    </Group>
                  ))}
                </Stack>
              )}
            </fieldset>
          )}
          <TextInput label={t('delete.confirm')} value={typed} onChange={(e) => setTyped(e.currentTarget.value)} autoComplete="off" spellCheck={false} />
          {remove.error && (
            <Alert color="red" role="alert">
              {`${t('delete.failed', { name: domain.name })}: ${remove.error.message}`}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('delete.cancel')}
            </Button>
            <Button type="submit" color="red" disabled={!canDelete(typed, domain.name, domain.state)} loading={remove.isPending}>
              {t('delete.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
