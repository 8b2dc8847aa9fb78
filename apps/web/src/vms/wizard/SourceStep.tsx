import { Alert, Checkbox, Radio, Select, Stack, Text, TextInput, type OptionsFilter } from '@mantine/core';
import type { InstallMedia } from '@vireo/api';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyOsDefaults, withMedia, type SourceKind, type WizardForm } from './form.js';
import { matchesWords, osOptions } from './os-options.js';
import { useInstallMedia, useOsList } from './queries.js';
import { DESCRIPTION, formatBytes, patcher, useReason, type StepProps } from './step-props.js';

const SOURCES: SourceKind[] = ['iso', 'import', 'cloud', 'pxe'];

/** Which install media a source picks from: CD images to boot, or disk images to import or copy. */
export function mediaFor(source: SourceKind, media: readonly InstallMedia[]): InstallMedia[] {
  if (source === 'pxe') return [];
  const kind = source === 'iso' ? 'iso' : 'disk-image';
  return media.filter((m) => m.kind === kind);
}

/** Mantine's option filter: every word of the search in the option's label (no groups are used here). */
const wordFilter: OptionsFilter = ({ options, search, limit }) =>
  options.filter((o) => 'label' in o && matchesWords(o.label, search)).slice(0, limit);

export function SourceStep({ host, form, update, errors }: StepProps) {
  const { t, i18n } = useTranslation();
  const reason = useReason();
  const set = patcher(update);
  const media = useInstallMedia(host);
  const [showEol, setShowEol] = useState(false);
  const osList = useOsList(showEol);

  const choices = useMemo(() => mediaFor(form.source, media.data?.media ?? []), [form.source, media.data]);
  const mediaData = choices.map((m) => ({
    value: m.path,
    label: t('wizard.media.option', { name: m.name, origin: m.origin, size: formatBytes(m.sizeBytes, i18n.language) }),
  }));
  const osData = useMemo(
    () =>
      osOptions(
        // The chosen OS stays listed when end-of-life systems are hidden again.
        [...(osList.data?.os ?? []), ...(form.os && !osList.data?.os.some((os) => os.id === form.os?.id) ? [form.os] : [])],
        showEol || form.os?.eol === true,
      )
        .filter((os) => showEol || !os.eol || os.id === form.os?.id)
        .map((os) => ({
          value: os.id,
          label: os.eol ? t('wizard.os.eolTag', { name: os.name }) : os.name,
        })),
    [osList.data, showEol, form.os, t],
  );
  const dirs = media.data?.directories ?? [];

  const onSource = (value: string) =>
    update((f): WizardForm => {
      const source = value as SourceKind;
      const keep = f.media !== null && mediaFor(source, [f.media]).length > 0;
      return { ...f, source, media: keep ? f.media : null };
    });

  return (
    <Stack gap="md">
      <TextInput
        label={t('wizard.name')}
        placeholder={t('wizard.namePlaceholder')}
        required
        value={form.name}
        onChange={(e) => set({ name: e.currentTarget.value })}
        error={reason(errors.name)}
        autoComplete="off"
        spellCheck={false}
        data-autofocus
      />
      <Radio.Group label={t('wizard.source.label')} value={form.source} onChange={onSource}>
        <Stack gap={6} mt={4}>
          {SOURCES.map((s) => (
            <Radio key={s} value={s} label={t(`wizard.source.${s}`)} />
          ))}
        </Stack>
      </Radio.Group>
      {form.source !== 'pxe' && (
        <Select
          label={t(`wizard.media.${form.source}`)}
          placeholder={t('wizard.media.placeholder')}
          classNames={DESCRIPTION}
          description={dirs.length > 0 ? t('wizard.media.where', { dirs: dirs.join(', ') }) : t('wizard.media.wherePools')}
          searchable
          clearable
          required
          limit={200}
          filter={wordFilter}
          nothingFoundMessage={t('wizard.media.none')}
          data={mediaData}
          value={form.media?.path ?? null}
          onChange={(value) => update((f) => withMedia(f, choices.find((m) => m.path === value) ?? null))}
          error={reason(errors.media)}
          comboboxProps={{ transitionProps: { duration: 0 } }}
        />
      )}
      {media.error && (
        <Alert color="red" role="alert">
          {t('wizard.loadFailed', { what: t(`wizard.media.${form.source === 'pxe' ? 'iso' : form.source}`), error: media.error.message })}
        </Alert>
      )}
      {form.source === 'import' && form.media && <Text size="sm">{t('wizard.media.importNote', { name: form.media.name })}</Text>}
      {form.source === 'cloud' && form.media && <Text size="sm">{t('wizard.media.cloudNote', { name: form.media.name })}</Text>}
      {form.source === 'pxe' && <Text size="sm">{t('wizard.media.pxeNote')}</Text>}
      <Select
        label={t('wizard.os.label')}
        placeholder={t('wizard.os.placeholder')}
        classNames={DESCRIPTION}
        description={t('wizard.os.description')}
        searchable
        clearable
        limit={100}
        filter={wordFilter}
        nothingFoundMessage={t('wizard.os.none')}
        data={osData}
        value={form.os?.id ?? null}
        onChange={(value) => update((f) => applyOsDefaults(f, osList.data?.os.find((os) => os.id === value) ?? null))}
        comboboxProps={{ transitionProps: { duration: 0 } }}
      />
      <Checkbox label={t('wizard.os.showEol')} checked={showEol} onChange={(e) => setShowEol(e.currentTarget.checked)} />
      {osList.error && (
        <Alert color="red" role="alert">
          {t('wizard.loadFailed', { what: t('wizard.os.label'), error: osList.error.message })}
        </Alert>
      )}
    </Stack>
  );
}
