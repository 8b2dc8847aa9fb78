import { Switch } from '@mantine/core';
import type { Role } from '@vireo/api';
import { useTranslation } from 'react-i18next';
import { canTakeScreens } from './screens-preference.js';

/** "Show screens" above the VM list; nothing for viewers. */
export function ScreensToggle({ role, on, onChange }: { role: Role; on: boolean; onChange: (on: boolean) => void }) {
  const { t } = useTranslation();
  if (!canTakeScreens(role)) return null;
  return <Switch className="vireo-screens-toggle" label={t('vms.screens.toggle')} checked={on} onChange={(e) => onChange(e.currentTarget.checked)} />;
}
