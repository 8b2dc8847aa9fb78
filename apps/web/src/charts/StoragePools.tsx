import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { usePools } from '../vms/wizard/queries.js';
import { formatBytes } from './format.js';

/** Capacity and allocation of each storage pool, as a native <meter> (named by the pool and its use). */
export function StoragePools({ host }: { host: string }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const pools = usePools(host);
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });

  if (pools.isPending) return <Text>{t('charts.storageLoading')}</Text>;
  // The pools route may be missing (an older server) or failing: the rest of the page stays useful.
  if (pools.error) return <Text c="gray.7">{t('charts.storageUnavailable', { error: pools.error.message })}</Text>;
  const list = [...pools.data.pools].sort((a, b) => a.name.localeCompare(b.name, locale));
  if (list.length === 0) return <Text c="gray.7">{t('charts.noPools')}</Text>;
  return (
    <ul className="vireo-pools">
      {list.map((p) => {
        const share = p.capacityBytes > 0 ? p.allocationBytes / p.capacityBytes : 0;
        return (
          <li key={p.uuid} className="vireo-pool">
            <div className="vireo-pool-head">
              <span>
                <strong>{p.name}</strong> {p.type}
                {!p.active && ` (${t('charts.poolInactive')})`}
              </span>
              {p.capacityBytes > 0 && (
                <span>
                  {t('charts.poolUsed', {
                    allocation: formatBytes(p.allocationBytes, locale),
                    capacity: formatBytes(p.capacityBytes, locale),
                    percent: percent.format(share),
                  })}
                </span>
              )}
            </div>
            <meter
              min={0}
              max={Math.max(1, p.capacityBytes)}
              value={p.allocationBytes}
              low={p.capacityBytes * 0.75}
              high={p.capacityBytes * 0.9}
              optimum={0}
              aria-label={t('charts.poolBar', { name: p.name, percent: percent.format(share) })}
            />
          </li>
        );
      })}
    </ul>
  );
}
