import { Button, Group, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { Link, Outlet, useNavigate } from '@tanstack/react-router';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { apiFetch } from '../api/client.js';
import { signOut, useSession } from '../api/session.js';
import { EventsConnection } from '../events/connection.js';
import { HostHealthBanner } from './HostHealthBanner.js';
import { LanguageSelect } from './LanguageSelect.js';

/** The signed-in frame: header, navigation, host health, and the one events socket feeding the cache. */
export function AppLayout() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const navigate = useNavigate();
  const session = useSession();

  useEffect(() => {
    const events = new EventsConnection({
      client,
      // A socket that never opened may mean the session expired: asking who we are lets a 401 send us to sign-in.
      onConnectFailed: () => void apiFetch('/api/v1/session').catch(() => undefined),
    });
    events.start();
    return () => events.stop();
  }, [client]);

  const user = session.data?.user;
  return (
    <div className="vireo-shell">
      <header className="vireo-header">
        <Group justify="space-between" wrap="wrap" gap="sm">
          <Group gap="lg" wrap="wrap">
            <Text fw={700} size="lg">
              {t('app.name')}
            </Text>
            <nav aria-label={t('nav.main')}>
              <Group gap="md">
                <Link to="/" className="vireo-navlink" activeOptions={{ exact: true }}>
                  {t('nav.vms')}
                </Link>
                <Link to="/host" className="vireo-navlink">
                  {t('nav.host')}
                </Link>
              </Group>
            </nav>
          </Group>
          <Group gap="sm" align="end" wrap="wrap">
            <LanguageSelect />
            {user && (
              <Text size="sm" title={t('header.signedInAs', { name: user.name, role: t(`roles.${user.role}`) })}>
                {user.name}
              </Text>
            )}
            <Button
              variant="default"
              size="xs"
              onClick={() => {
                void signOut(client).finally(() => void navigate({ to: '/login', search: {} }));
              }}
            >
              {t('header.signOut')}
            </Button>
          </Group>
        </Group>
      </header>
      <main className="vireo-main">
        <HostHealthBanner />
        <Outlet />
      </main>
    </div>
  );
}
