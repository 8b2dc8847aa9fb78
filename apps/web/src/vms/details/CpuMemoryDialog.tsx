import { Button, Group, Modal, NativeSelect, NumberInput, Stack, Text } from '@mantine/core';
import type { DomainDetail, DomainEdit } from '@vireo/api';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.js';
import { useHostSummary } from '../../api/queries.js';
import { notifyError, notifySuccess } from '../../components/notify.js';
import { formatKiB } from '../vm-logic.js';
import {
  cpuMemoryOperations,
  fieldOfServerError,
  initialValues,
  MEMORY_UNITS,
  validate,
  type CpuMemoryErrors,
  type CpuMemoryField,
  type CpuMemoryValues,
  type MemoryUnit,
} from './cpu-memory.js';
import { EditErrorAlert } from './EditErrorAlert.js';
import { useEditDomain, useReloadDetail } from './mutations.js';
import { detailView } from './view.js';

export interface CpuMemoryDialogProps {
  host: string;
  uuid: string;
  name: string;
  /** The definition the edit is based on; after a reload it is the current one, what the user typed stays. */
  detail: DomainDetail;
  onClose: () => void;
}

const numberOf = (v: number | string): number | '' => (typeof v === 'number' ? v : v.trim() === '' || Number.isNaN(Number(v)) ? '' : Number(v));

/** Maximum and current vCPUs and memory of the persistent definition, sent as typed edits with the definition's ETag. */
export function CpuMemoryDialog({ host, uuid, name, detail, onClose }: CpuMemoryDialogProps) {
  const { t, i18n } = useTranslation();
  const view = detailView(detail);
  const [values, setValues] = useState<CpuMemoryValues>(() => initialValues(view));
  const [errors, setErrors] = useState<CpuMemoryErrors>({});
  const [serverErrors, setServerErrors] = useState<Partial<Record<CpuMemoryField, string>>>({});
  const [unchanged, setUnchanged] = useState(false);
  const edit = useEditDomain(host, uuid);
  const reload = useReloadDetail(host, uuid);
  const hostSummary = useHostSummary(host);
  const freeBytes = hostSummary.data?.memory.freeBytes;

  const set = <K extends keyof CpuMemoryValues>(key: K, value: CpuMemoryValues[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setUnchanged(false);
    if (key in errors || key in serverErrors) {
      setErrors(({ [key as CpuMemoryField]: _, ...rest }) => rest);
      setServerErrors(({ [key as CpuMemoryField]: _, ...rest }) => rest);
    }
  };

  const submit = () => {
    const problems = validate(values);
    setErrors(problems);
    setServerErrors({});
    if (Object.keys(problems).length > 0) return;
    const operations = cpuMemoryOperations(view, values);
    if (operations.length === 0) {
      setUnchanged(true);
      return;
    }
    edit.mutate(
      { etag: detail.etag, operations },
      {
        onSuccess: () => {
          notifySuccess(t('edit.cpuMemory.saved', { name }));
          onClose();
        },
        onError: (err) => {
          setServerErrors(serverFieldErrors(err, operations));
          notifyError(t('edit.cpuMemory.failed', { name }), err);
        },
      },
    );
  };

  const fieldError = (field: CpuMemoryField): string | undefined => {
    const problem = errors[field];
    return problem ? t(`edit.cpuMemory.errors.${problem}`) : serverErrors[field];
  };
  const unitOptions = MEMORY_UNITS.map((u) => ({ value: u, label: t(`units.${u}`) }));

  return (
    <Modal
      opened
      onClose={onClose}
      title={t('edit.cpuMemory.title', { name })}
      transitionProps={{ duration: 0 }}
      closeButtonProps={{ 'aria-label': t('edit.cancel') }}
    >
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack gap="sm">
          <Group grow align="flex-start">
            <NumberInput
              label={t('edit.cpuMemory.maxVcpus')}
              value={values.maxVcpus}
              onChange={(v) => set('maxVcpus', numberOf(v))}
              min={1}
              allowDecimal={false}
              allowNegative={false}
              hideControls
              error={fieldError('maxVcpus')}
            />
            <NumberInput
              label={t('edit.cpuMemory.vcpus')}
              value={values.vcpus}
              onChange={(v) => set('vcpus', numberOf(v))}
              min={1}
              allowDecimal={false}
              allowNegative={false}
              hideControls
              error={fieldError('vcpus')}
            />
          </Group>
          <Group align="flex-start" wrap="nowrap">
            <NumberInput
              className="vireo-grow"
              label={t('edit.cpuMemory.maxMemory')}
              value={values.maxMemory}
              onChange={(v) => set('maxMemory', numberOf(v))}
              allowNegative={false}
              decimalScale={3}
              hideControls
              error={fieldError('maxMemory')}
            />
            <NativeSelect
              label={t('edit.cpuMemory.maxMemoryUnit')}
              value={values.maxMemoryUnit}
              onChange={(e) => set('maxMemoryUnit', e.currentTarget.value as MemoryUnit)}
              data={unitOptions}
            />
          </Group>
          <Group align="flex-start" wrap="nowrap">
            <NumberInput
              className="vireo-grow"
              label={t('edit.cpuMemory.memory')}
              description={t('edit.cpuMemory.memoryHint')}
              classNames={{ description: 'vireo-description' }}
              value={values.memory}
              onChange={(v) => set('memory', numberOf(v))}
              allowNegative={false}
              decimalScale={3}
              hideControls
              error={fieldError('memory')}
            />
            <NativeSelect
              label={t('edit.cpuMemory.memoryUnit')}
              value={values.memoryUnit}
              onChange={(e) => set('memoryUnit', e.currentTarget.value as MemoryUnit)}
              data={unitOptions}
            />
          </Group>
          {freeBytes !== undefined && (
            <Text size="sm" c="gray.7">
              {t('edit.cpuMemory.hostFree', { free: formatKiB(freeBytes / 1024, i18n.language) })}
            </Text>
          )}
          {detail.summary.state !== 'shutoff' && (
            <Text size="sm" c="gray.7">
              {t('edit.cpuMemory.appliesOnRestart')}
            </Text>
          )}
          {unchanged && (
            <Text size="sm" role="status">
              {t('edit.unchanged')}
            </Text>
          )}
          <EditErrorAlert error={edit.error} onReload={() => void reload().then(() => edit.reset())} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('edit.cancel')}
            </Button>
            <Button type="submit" color="blue.9" loading={edit.isPending}>
              {t('edit.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The server's field errors, by the form field each is about (the edits sent say which). */
function serverFieldErrors(err: unknown, sent: readonly DomainEdit[]): Partial<Record<CpuMemoryField, string>> {
  const out: Partial<Record<CpuMemoryField, string>> = {};
  if (!(err instanceof ApiError)) return out;
  for (const f of err.fields) {
    const field = fieldOfServerError(f, sent);
    if (field && out[field] === undefined) out[field] = f.reason;
  }
  return out;
}
