import './layout.css';
import { Burger, Button, Group, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { Link, Outlet, useNavigate } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiFetch } from '../api/client.js';
import { signOut, useSession } from '../api/session.js';
import { EventsConnection } from '../events/connection.js';
import { HostHealthBanner } from './HostHealthBanner.js';
import { LanguageSelect } from './LanguageSelect.js';
import { ThemeSelect } from './ThemeSelect.js';

/** The signed-in frame: header, navigation, host health, and the one events socket feeding the cache. */
export function AppLayout() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const navigate = useNavigate();
  const session = useSession();
  // Narrow screens fold the navigation and tools behind a menu button (layout.css); wide ones ignore this.
  const [menuOpen, setMenuOpen] = useState(false);
  const closeMenu = () => setMenuOpen(false);

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
        <div className="vireo-header-bar">
          <div className="vireo-header-brand">
            <Text fw={700} size="lg">
              {t('app.name')}
            </Text>
            <Burger
              className="vireo-burger"
              opened={menuOpen}
              onClick={() => setMenuOpen((o) => !o)}
              aria-label={t('charts.menu')}
              aria-expanded={menuOpen}
              aria-controls="vireo-header-menu"
            />
          </div>
          <div id="vireo-header-menu" className="vireo-header-menu" data-open={menuOpen || undefined}>
            <nav aria-label={t('nav.main')}>
              <Group gap="md">
                <Link to="/" className="vireo-navlink" activeOptions={{ exact: true }} onClick={closeMenu}>
                  {t('nav.vms')}
                </Link>
                <Link to="/host" className="vireo-navlink" onClick={closeMenu}>
                  {t('nav.host')}
                </Link>
              </Group>
            </nav>
            <Group gap="sm" align="end" wrap="wrap" className="vireo-header-tools">
              <LanguageSelect />
              <ThemeSelect />
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
          </div>
        </div>
      </header>
      <main className="vireo-main">
        <HostHealthBanner />
        <Outlet />
      </main>
    </div>
  );
}
