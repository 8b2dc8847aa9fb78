import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en.js';
import { zh } from './zh.js';

export const LANGUAGES = [
  { value: 'en', label: 'English' },
  { value: 'zh-CN', label: '简体中文' },
] as const;
export type Language = (typeof LANGUAGES)[number]['value'];

export const LANGUAGE_STORAGE_KEY = 'vireo.language';

/** The saved choice, else the browser's language: Chinese for any zh-*, English otherwise. */
export function detectLanguage(stored: string | null, navigatorLanguages: readonly string[]): Language {
  if (stored === 'en' || stored === 'zh-CN') return stored;
  for (const lang of navigatorLanguages) {
    const l = lang.toLowerCase();
    if (l.startsWith('zh')) return 'zh-CN';
    if (l.startsWith('en')) return 'en';
  }
  return 'en';
}

function readStored(): string | null {
  try {
    return globalThis.localStorage?.getItem(LANGUAGE_STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

export function createI18n(language?: Language): i18n {
  const instance = i18next.createInstance();
  const navLanguages = typeof navigator === 'undefined' ? [] : navigator.languages ?? [navigator.language];
  const lng = language ?? detectLanguage(readStored(), navLanguages);
  void instance.use(initReactI18next).init({
    resources: { en: { translation: en }, 'zh-CN': { translation: zh } },
    lng,
    fallbackLng: 'en',
    interpolation: { escapeValue: false }, // React escapes
    initAsync: false,
    returnNull: false,
  });
  instance.on('languageChanged', (lang) => {
    if (typeof document !== 'undefined') document.documentElement.lang = lang;
  });
  if (typeof document !== 'undefined') document.documentElement.lang = lng;
  return instance;
}

export function saveLanguage(instance: i18n, language: Language): void {
  try {
    globalThis.localStorage?.setItem(LANGUAGE_STORAGE_KEY, language);
  } catch {
    // private mode: the choice lasts for this page only
  }
  void instance.changeLanguage(language);
}
