import { Checkbox, PasswordInput, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { buildCloudConfig } from './cloud-config.js';
import type { CloudInitForm } from './form.js';
import { DESCRIPTION, useReason, type StepProps } from './step-props.js';

export function CloudInitStep({ form, update, errors }: StepProps) {
  const { t } = useTranslation();
  const reason = useReason();
  const ci = form.cloudInit;
  const set = (patch: Partial<CloudInitForm>) => update((f) => ({ ...f, cloudInit: { ...f.cloudInit, ...patch } }));
  const generated = buildCloudConfig(ci);

  return (
    <Stack gap="md">
      <Text size="sm">{t('wizard.cloudInit.intro')}</Text>
      <TextInput
        label={t('wizard.cloudInit.hostname')}
        classNames={DESCRIPTION}
        description={t('wizard.cloudInit.hostnameHint')}
        value={ci.hostname}
        onChange={(e) => set({ hostname: e.currentTarget.value })}
        autoComplete="off"
        spellCheck={false}
        disabled={ci.useRaw}
        data-autofocus
      />
      <TextInput
        label={t('wizard.cloudInit.user')}
        value={ci.user}
        onChange={(e) => set({ user: e.currentTarget.value })}
        autoComplete="off"
        spellCheck={false}
        disabled={ci.useRaw}
      />
      <PasswordInput
        label={t('wizard.cloudInit.password')}
        value={ci.password}
        onChange={(e) => set({ password: e.currentTarget.value })}
        autoComplete="new-password"
        disabled={ci.useRaw}
      />
      <Textarea
        label={t('wizard.cloudInit.sshKeys')}
        classNames={DESCRIPTION}
        description={t('wizard.cloudInit.sshKeysHint')}
        value={ci.sshKeys}
        onChange={(e) => set({ sshKeys: e.currentTarget.value })}
        rows={3}
        spellCheck={false}
        disabled={ci.useRaw}
      />
      <TextInput
        label={t('wizard.cloudInit.packages')}
        classNames={DESCRIPTION}
        description={t('wizard.cloudInit.packagesHint')}
        value={ci.packages}
        onChange={(e) => set({ packages: e.currentTarget.value })}
        autoComplete="off"
        spellCheck={false}
        disabled={ci.useRaw}
      />
      <Checkbox
        label={t('wizard.cloudInit.useRaw')}
        checked={ci.useRaw}
        // Starting the raw editor from what the fields make, so nothing typed so far is lost.
        onChange={(e) => set({ useRaw: e.currentTarget.checked, ...(e.currentTarget.checked && ci.raw.trim() === '' ? { raw: generated } : {}) })}
      />
      {ci.useRaw ? (
        <Textarea
          label={t('wizard.cloudInit.raw')}
          classNames={DESCRIPTION}
          description={t('wizard.cloudInit.rawHint')}
          value={ci.raw}
          onChange={(e) => set({ raw: e.currentTarget.value })}
          rows={12}
          spellCheck={false}
          className="vireo-wizard-code"
          error={reason(errors.userData)}
        />
      ) : (
        <div>
          <Text size="sm" fw={600} id="vireo-wizard-generated">
            {t('wizard.cloudInit.generated')}
          </Text>
          <pre className="vireo-wizard-pre" aria-labelledby="vireo-wizard-generated" tabIndex={0}>
            {generated}
          </pre>
        </div>
      )}
    </Stack>
  );
}
