import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './app.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, createQueryClient } from './app.js';
import { applyStoredColorScheme } from './components/color-scheme.js';
import { createI18n } from './i18n/index.js';
import { createAppRouter } from './router.js';

// Before the first render: the stored theme, without the inline script the CSP would refuse.
applyStoredColorScheme();
const queryClient = createQueryClient();
const i18n = createI18n();
const router = createAppRouter(queryClient);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App queryClient={queryClient} i18n={i18n} router={router} />
  </StrictMode>,
);
