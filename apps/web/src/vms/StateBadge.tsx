import { Badge } from '@mantine/core';
import type { DomainStateName } from '@vireo/api';
import { useTranslation } from 'react-i18next';

const COLORS: Record<DomainStateName, string> = {
  running: 'green',
  blocked: 'orange',
  paused: 'yellow',
  pmsuspended: 'yellow',
  shutdown: 'orange',
  shutoff: 'gray',
  crashed: 'red',
  nostate: 'gray',
};

export function StateBadge({ state }: { state: DomainStateName }) {
  const { t } = useTranslation();
  return (
    <Badge color={COLORS[state]} variant="light" data-state={state}>
      {t(`states.${state}`)}
    </Badge>
  );
}
