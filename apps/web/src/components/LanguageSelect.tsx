import { NativeSelect } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, saveLanguage, type Language } from '../i18n/index.js';

export function LanguageSelect() {
  const { t, i18n } = useTranslation();
  return (
    <NativeSelect
      label={t('header.language')}
      size="xs"
      value={i18n.language}
      data={LANGUAGES.map((l) => ({ value: l.value, label: l.label }))}
      onChange={(e) => saveLanguage(i18n, e.currentTarget.value as Language)}
      className="vireo-language"
    />
  );
}
