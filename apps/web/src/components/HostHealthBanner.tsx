import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useHosts } from '../api/queries.js';

/** One alert per host whose libvirt connection is not up; it goes away by itself when the events say it recovered. */
export function HostHealthBanner() {
  const { t } = useTranslation();
  const hosts = useHosts();
  const down = (hosts.data ?? []).filter((h) => h.health.state !== 'connected');
  if (down.length === 0) return null;
  return (
    <>
      {down.map((h) => (
        <Alert key={h.id} role="alert" color="red" variant="filled" title={t('host.unreachable')} className="vireo-banner">
          {t('host.unreachableDetail', {
            host: h.id,
            state: t(`host.health.${h.health.state}`),
            error: h.health.lastError ?? t('common.unknown'),
          })}
        </Alert>
      ))}
    </>
  );
}
