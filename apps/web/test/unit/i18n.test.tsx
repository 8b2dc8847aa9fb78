// @vitest-environment jsdom
// English and Chinese: the same keys in both, the switch re-renders in Chinese and is remembered.
import './setup-dom.js';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LanguageSelect } from '../../src/components/LanguageSelect.js';
import { en } from '../../src/i18n/en.js';
import { createI18n, detectLanguage, LANGUAGE_STORAGE_KEY } from '../../src/i18n/index.js';
import { zh } from '../../src/i18n/zh.js';

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keys(v as object, `${prefix}${k}.`)));
}

function Probe() {
  const { t } = useTranslation();
  return (
    <>
      <h1>{t('vms.title')}</h1>
      <span>{t('actions.start', { name: 'vm1' })}</span>
      <span>{t('states.shutoff')}</span>
    </>
  );
}

describe('i18n', () => {
  it('has every key in both languages, none empty', () => {
    expect(keys(zh).sort()).toEqual(keys(en).sort());
    for (const k of keys(zh)) expect(k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], zh)).not.toBe('');
  });

  it('picks the saved language, else the browser\'s', () => {
    expect(detectLanguage('zh-CN', ['en-US'])).toBe('zh-CN');
    expect(detectLanguage(null, ['zh-TW', 'en'])).toBe('zh-CN');
    expect(detectLanguage(null, ['fr-FR', 'en-GB'])).toBe('en');
    expect(detectLanguage('xx', ['de'])).toBe('en');
  });

  afterEach(() => vi.unstubAllGlobals());

  /** The app's providers around the picker, with the server's session answer (null: nobody signed in). */
  function renderPicker(user: { language: 'en' | 'zh-CN' | null } | null, calls: { url: string; init?: RequestInit }[] = []) {
    vi.stubGlobal('fetch', (url: string, init?: RequestInit) => {
      calls.push({ url, ...(init && { init }) });
      if (init?.method === 'PUT') return Promise.resolve(new Response(null, { status: 204 }));
      if (!user) return Promise.resolve(Response.json({ type: 'about:blank', title: 'Unauthorized', status: 401 }, { status: 401 }));
      return Promise.resolve(
        Response.json({ user: { name: 'u', role: 'viewer', realm: 'local', mustChangePassword: false, ...user }, authMethod: 'session', csrfToken: 'c' }),
      );
    });
    const i18n = createI18n('en');
    render(
      <MantineProvider withCssVariables={false} withGlobalClasses={false}>
        <QueryClientProvider client={new QueryClient()}>
          <I18nextProvider i18n={i18n}>
            <LanguageSelect />
            <Probe />
          </I18nextProvider>
        </QueryClientProvider>
      </MantineProvider>,
    );
    return i18n;
  }

  it('switches to Chinese from the Language select, and remembers it in the browser', () => {
    localStorage.removeItem(LANGUAGE_STORAGE_KEY);
    renderPicker(null);
    expect(screen.getByRole('heading', { name: 'Virtual machines' })).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Language'), { target: { value: 'zh-CN' } });
    expect(screen.getByRole('heading', { name: '虚拟机' })).toBeTruthy();
    expect(screen.getByText('启动 vm1')).toBeTruthy();
    expect(screen.getByText('已关机')).toBeTruthy();
    expect(screen.getByLabelText('语言')).toBeTruthy();
    expect(localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('zh-CN');
    expect(document.documentElement.lang).toBe('zh-CN');
  });

  it("applies the signed-in user's saved language, and saves a new choice for the user", async () => {
    localStorage.removeItem(LANGUAGE_STORAGE_KEY);
    const calls: { url: string; init?: RequestInit }[] = [];
    renderPicker({ language: 'zh-CN' }, calls);
    expect(await screen.findByRole('heading', { name: '虚拟机' })).toBeTruthy();
    fireEvent.change(screen.getByLabelText('语言'), { target: { value: 'en' } });
    expect(screen.getByRole('heading', { name: 'Virtual machines' })).toBeTruthy();
    await waitFor(() => expect(calls.some((c) => c.init?.method === 'PUT')).toBe(true));
    const put = calls.find((c) => c.init?.method === 'PUT')!;
    expect(put.url).toBe('/api/v1/session/language');
    expect(JSON.parse(put.init?.body as string)).toEqual({ language: 'en' });
  });
});
