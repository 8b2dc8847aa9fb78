import { Alert, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.js';
import { GIB, makesNewDisk, memoryBytes, toCreateRequest, type HostFacts } from './form.js';
import { fetchPreview } from './queries.js';
import { formatBytes, useReason, type StepProps } from './step-props.js';

export interface SummaryStepProps extends StepProps {
  facts: HostFacts;
  creating: boolean;
  onCreate: (start: boolean) => void;
  onBack: () => void;
}

export function SummaryStep({ host, form, errors, facts, creating, onCreate, onBack }: SummaryStepProps) {
  const { t, i18n } = useTranslation();
  const reason = useReason();
  const locale = i18n.language;
  const request = toCreateRequest(form, facts, false);
  // The XML the server would define, built by the same code as the create; keyed by the request, so it follows edits.
  const preview = useQuery({
    queryKey: ['domain-preview', host, JSON.stringify([request.spec, request.cloudInit])],
    queryFn: () => fetchPreview(host, request),
    retry: false,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
  const none = t('wizard.summary.none');
  const yesNo = (b: boolean) => (b ? t('wizard.summary.yes') : t('wizard.summary.no'));
  const firmware = form.firmware === 'bios' ? t('wizard.hardware.bios') : form.firmware === 'uefi' ? t('wizard.hardware.uefi') : t('wizard.hardware.uefiSecure');
  let disk = none;
  if (form.source === 'import' && form.media) disk = t('wizard.summary.diskImport', { name: form.media.name, bus: form.diskBus });
  else if (makesNewDisk(form)) {
    disk = t('wizard.summary.diskNew', { size: formatBytes(form.diskSizeGiB * GIB, locale), format: form.diskFormat, bus: form.diskBus, pool: form.diskPool });
  }
  const network =
    form.network === 'none' ? none : `${t(`wizard.network.${form.network}`)}: ${form.networkTarget} (${form.nicModel})`;
  const graphics = form.graphics === 'none' ? t('wizard.network.graphicsNone') : t(`wizard.network.${form.graphics}`);
  const source = `${t(`wizard.source.${form.source}`)}${form.media ? `: ${form.media.name}` : ''}`;

  const rows: [string, string][] = [
    [t('wizard.summary.name'), form.name.trim()],
    [t('wizard.summary.source'), source],
    [t('wizard.summary.os'), form.os?.name ?? t('wizard.summary.osNone')],
    [t('wizard.summary.cpuMemory'), t('wizard.summary.cpuMemoryValue', { vcpus: form.vcpus, memory: formatBytes(memoryBytes(form), locale) })],
    [t('wizard.summary.firmware'), firmware],
    [t('wizard.summary.tpm'), yesNo(form.tpm)],
    [t('wizard.summary.disk'), disk],
    [t('wizard.summary.network'), network],
    [t('wizard.summary.graphics'), graphics],
  ];
  const previewError = preview.error;
  const formError = reason(errors.form);

  return (
    <Stack gap="md">
      <Table className="vireo-wizard-summary" withRowBorders>
        <Table.Tbody>
          {rows.map(([k, v]) => (
            <Table.Tr key={k}>
              <Table.Th scope="row">{k}</Table.Th>
              <Table.Td>{v}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Title order={3} id="vireo-wizard-xml">
        {t('wizard.summary.xml')}
      </Title>
      {preview.isPending && <Text size="sm">{t('wizard.summary.xmlLoading')}</Text>}
      {previewError && (
        <Alert color="red" role="alert" title={t('wizard.summary.xmlFailed')}>
          {previewError instanceof ApiError && previewError.fields.length > 0
            ? previewError.fields.map((f) => `${f.field}: ${f.reason}`).join('; ')
            : previewError.message}
        </Alert>
      )}
      {preview.data && (
        <pre className="vireo-wizard-pre vireo-wizard-xml" aria-labelledby="vireo-wizard-xml" tabIndex={0} data-testid="wizard-xml">
          {preview.data.xml}
        </pre>
      )}
      {formError !== undefined && (
        <Alert color="red" role="alert" title={t('wizard.failed', { name: form.name.trim() })}>
          {formError}
        </Alert>
      )}
      <Group justify="space-between" wrap="wrap">
        <Button variant="default" onClick={onBack} disabled={creating}>
          {t('wizard.back')}
        </Button>
        <Group gap="sm" wrap="wrap">
          <Button variant="default" onClick={() => onCreate(false)} loading={creating}>
            {t('wizard.summary.customise')}
          </Button>
          <Button color="blue.9" onClick={() => onCreate(true)} loading={creating} data-autofocus>
            {t('wizard.summary.createAndStart')}
          </Button>
        </Group>
      </Group>
    </Stack>
  );
}
