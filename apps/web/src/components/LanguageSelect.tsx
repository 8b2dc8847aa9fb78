import { NativeSelect } from '@mantine/core';
import type { LanguageRequest, WhoAmI } from '@vireo/api';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { apiFetch } from '../api/client.js';
import { sessionKey, useSession } from '../api/session.js';
import { LANGUAGES, saveLanguage, type Language } from '../i18n/index.js';
import { notifyError } from './notify.js';

/**
 * The language picker. Signed in, the choice is also the user's (kept by the server and applied wherever they sign
 * in); on the sign-in page it is the browser's only.
 */
export function LanguageSelect() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const client = useQueryClient();
  const user = session.data?.user;

  // The user's saved choice wins over this browser's once they are signed in.
  const saved = user?.language ?? null;
  useEffect(() => {
    if (saved !== null && saved !== i18n.language) saveLanguage(i18n, saved);
    // Only a change of the saved choice applies it: the user may pick another one meanwhile.
  }, [saved]);

  const choose = (language: Language) => {
    saveLanguage(i18n, language);
    if (!user) return;
    client.setQueryData<WhoAmI | null>(sessionKey, (who) => (who ? { ...who, user: { ...who.user, language } } : who));
    const body: LanguageRequest = { language };
    apiFetch<void>('/api/v1/session/language', { method: 'PUT', body }).catch((err: unknown) => notifyError(t('header.languageNotSaved'), err));
  };

  return (
    <NativeSelect
      label={t('header.language')}
      size="xs"
      value={i18n.language}
      data={LANGUAGES.map((l) => ({ value: l.value, label: l.label }))}
      onChange={(e) => choose(e.currentTarget.value as Language)}
      className="vireo-language"
    />
  );
}
