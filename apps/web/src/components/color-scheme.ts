/**
 * Light, dark or automatic (the system's) colour scheme, remembered in localStorage. Mantine's colour scheme
 * manager keeps it; its ColorSchemeScript is an inline <script>, which the CSP (script-src 'self') refuses, so
 * main.tsx calls applyStoredColorScheme() before the first render instead: no flash of the wrong scheme.
 */
import './theme.css';
import { localStorageColorSchemeManager, type MantineColorScheme } from '@mantine/core';

export const COLOR_SCHEME_KEY = 'vireo.colorScheme';
export const COLOR_SCHEMES = ['light', 'dark', 'auto'] as const satisfies readonly MantineColorScheme[];
export const DEFAULT_COLOR_SCHEME: MantineColorScheme = 'auto';

export const colorSchemeManager = localStorageColorSchemeManager({ key: COLOR_SCHEME_KEY });

/** The scheme the page shows for a choice: auto follows the system's preference. */
export function resolveColorScheme(choice: MantineColorScheme, prefersDark: boolean): 'light' | 'dark' {
  if (choice === 'auto') return prefersDark ? 'dark' : 'light';
  return choice;
}

export function applyStoredColorScheme(root: HTMLElement = document.documentElement): void {
  const choice = colorSchemeManager.get(DEFAULT_COLOR_SCHEME);
  const prefersDark = typeof window.matchMedia === 'function' && window.matchMedia('(prefers-color-scheme: dark)').matches;
  root.setAttribute('data-mantine-color-scheme', resolveColorScheme(choice, prefersDark));
}
