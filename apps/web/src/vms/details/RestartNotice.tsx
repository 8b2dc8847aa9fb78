import { Alert, Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { RESTART_FACTS, type RestartFact } from './restart-diff.js';

/** Beside a fact whose persistent value differs from the one the VM runs with. */
export function RestartBadge({ fact, pending }: { fact: RestartFact; pending: ReadonlySet<RestartFact> }) {
  const { t } = useTranslation();
  if (!pending.has(fact)) return null;
  return (
    <Badge variant="outline" className="vireo-restart-badge" data-pending-restart={fact}>
      {t('edit.restart.badge')}
    </Badge>
  );
}

/** The page-level summary of what waits for the next start. */
export function RestartNotice({ pending }: { pending: ReadonlySet<RestartFact> }) {
  const { t, i18n } = useTranslation();
  if (pending.size === 0) return null;
  const facts = RESTART_FACTS.filter((f) => pending.has(f)).map((f) => t(`edit.restart.facts.${f}`));
  const list = new Intl.ListFormat(i18n.language, { style: 'long', type: 'conjunction' }).format(facts);
  return (
    <Alert color="orange" role="status" title={t('edit.restart.noticeTitle')} classNames={{ title: 'vireo-title-warn' }}>
      {t('edit.restart.notice', { facts: list })}
    </Alert>
  );
}
