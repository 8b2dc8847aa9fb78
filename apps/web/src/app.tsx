import { MantineProvider, Modal, createTheme } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { colorSchemeManager, DEFAULT_COLOR_SCHEME } from './components/color-scheme.js';
import { AppNotifications } from './components/notify.js';
import type { createAppRouter } from './router.js';

export const theme = createTheme({
  primaryColor: 'teal',
  components: {
    // A modal's scroll lock injects a <style> element, which the CSP (style-src 'self') refuses.
    Modal: Modal.extend({ defaultProps: { lockScroll: false } }),
  },
});

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: (count, err) => count < 2 && !(err instanceof Error && 'status' in err && (err as { status: number }).status < 500) },
      mutations: { retry: false },
    },
  });
}

/**
 * The providers. Mantine's CSS (variables and global classes included) comes from its static stylesheet, so no
 * <style> element is injected at run time: the server's CSP allows only 'self' styles.
 */
export function Providers({ queryClient, i18n, children }: { queryClient: QueryClient; i18n: i18n; children: React.ReactNode }) {
  return (
    <MantineProvider
      theme={theme}
      withCssVariables={false}
      withGlobalClasses={false}
      defaultColorScheme={DEFAULT_COLOR_SCHEME}
      colorSchemeManager={colorSchemeManager}
    >
      <I18nextProvider i18n={i18n}>
        <AppNotifications />
        <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
      </I18nextProvider>
    </MantineProvider>
  );
}

export function App({ queryClient, i18n, router }: { queryClient: QueryClient; i18n: i18n; router: ReturnType<typeof createAppRouter> }) {
  return (
    <Providers queryClient={queryClient} i18n={i18n}>
      <RouterProvider router={router} />
    </Providers>
  );
}
