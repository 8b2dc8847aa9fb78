import { Alert, Button, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../components/notify.js';
import { isRevisionConflict } from './mutations.js';

export interface EditErrorAlertProps {
  error: unknown;
  /** Refetches the definition; what the user typed stays. */
  onReload: () => void;
  /** What a conflict means here, when the generic message does not say enough. */
  conflictMessage?: string;
}

/**
 * A failed change, where it was made: a stale revision (someone else changed the definition) with a reload action,
 * else the server's message (libvirt's own when it has one).
 */
export function EditErrorAlert({ error, onReload, conflictMessage }: EditErrorAlertProps) {
  const { t } = useTranslation();
  if (error === null || error === undefined) return null;
  if (isRevisionConflict(error)) {
    return (
      <Alert color="orange" role="alert" title={t('edit.conflict.title')} classNames={{ title: 'vireo-title-warn' }}>
        <Stack gap="xs" align="flex-start">
          <Text size="sm">{conflictMessage ?? t('edit.conflict.message')}</Text>
          <Button size="xs" color="blue.9" onClick={onReload}>
            {t('edit.conflict.reload')}
          </Button>
        </Stack>
      </Alert>
    );
  }
  return (
    <Alert color="red" role="alert" title={t('edit.failedTitle')} classNames={{ title: 'vireo-title-danger' }}>
      {errorMessage(error)}
    </Alert>
  );
}
