import { Alert, Button, NativeSelect, Paper, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
import type { Realm } from '@vireo/api';
import { useQueryClient } from '@tanstack/react-query';
import { useRouter } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.js';
import { signIn } from '../api/session.js';
import { LanguageSelect } from '../components/LanguageSelect.js';

/** Only same-site paths are followed after sign-in (no open redirect). */
export function safeRedirect(target: string | undefined): string {
  if (!target || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) return '/';
  if (target.startsWith('/login') || target.startsWith('/change-password')) return '/';
  return target;
}

export function LoginPage({ redirect, expired }: { redirect?: string | undefined; expired?: boolean | undefined }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const router = useRouter();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [realm, setRealm] = useState<'' | Realm>('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await signIn(client, { username, password, ...(realm === '' ? {} : { realm }) });
      const target = res.user.mustChangePassword ? '/change-password' : safeRedirect(redirect);
      router.history.push(target);
    } catch (err) {
      setError(err instanceof ApiError ? (err.detail ?? err.title) : String(err));
      setBusy(false);
    }
  };

  return (
    <main className="vireo-center">
      <Paper withBorder p="xl" radius="md" className="vireo-login">
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Stack>
            <Title order={1} size="h2">
              {t('login.title')}
            </Title>
            {expired && !error && (
              <Alert color="yellow" role="status">
                {t('login.expired')}
              </Alert>
            )}
            {error && (
              <Alert color="red" role="alert" title={t('login.failed')}>
                {error}
              </Alert>
            )}
            <TextInput
              label={t('login.username')}
              autoComplete="username"
              required
              withAsterisk={false}
              value={username}
              onChange={(e) => setUsername(e.currentTarget.value)}
            />
            <PasswordInput
              label={t('login.password')}
              autoComplete="current-password"
              required
              withAsterisk={false}
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
            <NativeSelect
              label={t('login.realm')}
              value={realm}
              onChange={(e) => setRealm(e.currentTarget.value as '' | Realm)}
              data={[
                { value: '', label: t('login.realmAuto') },
                { value: 'local', label: t('login.realmLocal') },
                { value: 'pam', label: t('login.realmPam') },
              ]}
            />
            <Button type="submit" loading={busy} disabled={username === '' || password === ''}>
              {t('login.submit')}
            </Button>
            <LanguageSelect />
          </Stack>
        </form>
      </Paper>
    </main>
  );
}
