import { Switch } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { notifyError, notifySuccess } from '../../components/notify.js';
import { useSetAutostart } from './mutations.js';

export interface AutostartSwitchProps {
  host: string;
  uuid: string;
  name: string;
  /** As the events-fed list has it. */
  enabled: boolean;
}

/** Start the VM when the host boots: operators and admins (viewers see Yes/No). */
export function AutostartSwitch({ host, uuid, name, enabled }: AutostartSwitchProps) {
  const { t } = useTranslation();
  const autostart = useSetAutostart(host, uuid);
  // While the change is on its way the switch shows what was asked for.
  const checked = autostart.isPending ? autostart.variables : enabled;
  return (
    <Switch
      aria-label={t('edit.autostart.label')}
      label={checked ? t('details.yes') : t('details.no')}
      checked={checked}
      disabled={autostart.isPending}
      onChange={(e) => {
        const next = e.currentTarget.checked;
        autostart.mutate(next, {
          onSuccess: () => notifySuccess(t(next ? 'edit.autostart.on' : 'edit.autostart.off', { name })),
          onError: (err) => notifyError(t('edit.autostart.failed', { name }), err),
        });
      }}
    />
  );
}
