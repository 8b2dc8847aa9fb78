import { Button, Group, Text } from '@mantine/core';
import type { DomainSummary, Role } from '@vireo/api';
import { useTranslation } from 'react-i18next';
import { BULK_ACTIONS, bulkTargets, type BulkAction } from './vm-bulk.js';

export interface BulkActionBarProps {
  domains: readonly DomainSummary[];
  selected: ReadonlySet<string>;
  role: Role;
  /** Runs `action` on `targets`: the selected VMs in a state the action applies to. */
  onRun: (action: BulkAction, targets: DomainSummary[]) => void;
}

/** "Start selected", "Shut down selected", ...: operators and admins; disabled with nothing selected. */
export function BulkActionBar({ domains, selected, role, onRun }: BulkActionBarProps) {
  const { t } = useTranslation();
  if (role === 'viewer') return null;
  const count = domains.filter((d) => selected.has(d.uuid)).length;
  return (
    <Group gap="xs" role="toolbar" aria-label={t('bulk.toolbar')} wrap="wrap">
      {BULK_ACTIONS.map((action) => (
        <Button
          key={action}
          size="xs"
          variant={action === 'destroy' ? 'light' : 'default'}
          color={action === 'destroy' ? 'red' : undefined}
          disabled={count === 0}
          onClick={() => onRun(action, bulkTargets(domains, selected, action))}
        >
          {t(`bulk.${action}`)}
        </Button>
      ))}
      <Text size="sm" c="gray.7" aria-live="polite">
        {t('bulk.selectedCount', { count })}
      </Text>
    </Group>
  );
}
