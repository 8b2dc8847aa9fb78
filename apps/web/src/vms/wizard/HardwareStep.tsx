import { Alert, Checkbox, Group, NativeSelect, NumberInput, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useHostSummary } from '../../api/queries.js';
import { GIB, MIB, type FirmwareChoice, type MemoryUnit } from './form.js';
import { DESCRIPTION, formatBytes, patcher, toNumber, useReason, type StepProps } from './step-props.js';

export function HardwareStep({ host, form, update, errors }: StepProps) {
  const { t, i18n } = useTranslation();
  const reason = useReason();
  const set = patcher(update);
  const summary = useHostSummary(host);
  const facts = summary.data;
  const locale = i18n.language;

  // Switching the unit keeps the amount: 2 GiB becomes 2048 MiB, 1536 MiB becomes 1.5 GiB.
  const onUnit = (unit: MemoryUnit) =>
    update((f) => {
      if (f.memoryUnit === unit || !Number.isFinite(f.memory)) return { ...f, memoryUnit: unit };
      const bytes = f.memory * (f.memoryUnit === 'GiB' ? GIB : MIB);
      return { ...f, memoryUnit: unit, memory: unit === 'GiB' ? Math.round((bytes / GIB) * 100) / 100 : Math.round(bytes / MIB) };
    });

  return (
    <Stack gap="md">
      {facts && !facts.kvm.available && (
        <Alert color="orange" role="status">
          {t('wizard.hardware.kvmMissing')}
        </Alert>
      )}
      <NumberInput
        label={t('wizard.hardware.vcpus')}
        classNames={DESCRIPTION}
        description={facts ? t('wizard.hardware.vcpusHint', { count: facts.cpu.count }) : undefined}
        min={1}
        max={4096}
        allowDecimal={false}
        value={Number.isFinite(form.vcpus) ? form.vcpus : ''}
        onChange={(v) => set({ vcpus: toNumber(v) })}
        error={reason(errors.vcpus)}
        data-autofocus
      />
      <Group gap="sm" align="flex-start" wrap="wrap">
        <NumberInput
          label={t('wizard.hardware.memory')}
          classNames={DESCRIPTION}
          description={
            facts
              ? t('wizard.hardware.freeMemory', { free: formatBytes(facts.memory.freeBytes, locale), total: formatBytes(facts.memory.totalBytes, locale) })
              : undefined
          }
          min={0}
          decimalScale={form.memoryUnit === 'GiB' ? 2 : 0}
          value={Number.isFinite(form.memory) ? form.memory : ''}
          onChange={(v) => set({ memory: toNumber(v) })}
          error={reason(errors.memory)}
        />
        <NativeSelect
          label={t('wizard.hardware.memoryUnit')}
          value={form.memoryUnit}
          data={[
            { value: 'MiB', label: t('units.MiB') },
            { value: 'GiB', label: t('units.GiB') },
          ]}
          onChange={(e) => onUnit(e.currentTarget.value as MemoryUnit)}
        />
      </Group>
      <NativeSelect
        label={t('wizard.hardware.firmware')}
        value={form.firmware}
        data={[
          { value: 'bios', label: t('wizard.hardware.bios') },
          { value: 'uefi', label: t('wizard.hardware.uefi') },
          { value: 'uefi-secure', label: t('wizard.hardware.uefiSecure') },
        ]}
        onChange={(e) => set({ firmware: e.currentTarget.value as FirmwareChoice })}
        error={reason(errors.firmware)}
      />
      <Checkbox
        label={t('wizard.hardware.tpm')}
        classNames={DESCRIPTION}
        description={t('wizard.hardware.tpmHint')}
        checked={form.tpm}
        onChange={(e) => set({ tpm: e.currentTarget.checked })}
        error={reason(errors.tpm)}
      />
    </Stack>
  );
}
