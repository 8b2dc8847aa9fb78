import { Alert, Button, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useRouter } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.js';
import { changePassword } from '../api/session.js';

// @vireo/api's PASSWORD_MIN_LENGTH (a value import from it would bundle zod; the server checks it anyway).
const PASSWORD_MIN_LENGTH = 12;

export function ChangePasswordPage() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const router = useRouter();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const tooShort = next !== '' && next.length < PASSWORD_MIN_LENGTH;
  const mismatch = confirm !== '' && confirm !== next;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (tooShort || mismatch || next === '') return;
    setBusy(true);
    setError(null);
    try {
      await changePassword(client, { currentPassword: current, newPassword: next });
      router.history.push('/');
    } catch (err) {
      const detail = err instanceof ApiError ? [err.detail ?? err.title, ...err.fields.map((f) => f.reason)].join(' ') : String(err);
      setError(detail);
      setBusy(false);
    }
  };

  return (
    <main className="vireo-center">
      <Paper withBorder p="xl" radius="md" className="vireo-login">
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Stack>
            <Title order={1} size="h2">
              {t('password.title')}
            </Title>
            <Text size="sm">{t('password.intro')}</Text>
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <PasswordInput
              label={t('password.current')}
              autoComplete="current-password"
              required
              withAsterisk={false}
              value={current}
              onChange={(e) => setCurrent(e.currentTarget.value)}
            />
            <PasswordInput
              label={t('password.new')}
              autoComplete="new-password"
              required
              withAsterisk={false}
              value={next}
              error={tooShort ? t('password.tooShort', { count: PASSWORD_MIN_LENGTH }) : undefined}
              onChange={(e) => setNext(e.currentTarget.value)}
            />
            <PasswordInput
              label={t('password.confirm')}
              autoComplete="new-password"
              required
              withAsterisk={false}
              value={confirm}
              error={mismatch ? t('password.mismatch') : undefined}
              onChange={(e) => setConfirm(e.currentTarget.value)}
            />
            <Button type="submit" loading={busy} disabled={current === '' || next === '' || tooShort || confirm !== next}>
              {t('password.submit')}
            </Button>
          </Stack>
        </form>
      </Paper>
    </main>
  );
}
