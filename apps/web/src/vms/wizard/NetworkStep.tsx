import { Alert, NativeSelect, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { GraphicsChoice, NetworkKind, NicModel } from './form.js';
import { useHostInterfaces, useNetworks } from './queries.js';
import { patcher, useReason, type StepProps } from './step-props.js';

const KINDS: NetworkKind[] = ['none', 'network', 'bridge', 'direct'];

export function NetworkStep({ host, form, update, errors }: StepProps) {
  const { t } = useTranslation();
  const reason = useReason();
  const set = patcher(update);
  const networks = useNetworks(host);
  const interfaces = useHostInterfaces(host);
  const ifaces = interfaces.data?.interfaces ?? [];
  // Bridges libvirt made for its virtual networks are picked as networks; a host bridge is one of the host's own.
  const bridges = ifaces.filter((i) => i.kind === 'bridge' && i.libvirtNetwork === null);
  const nics = ifaces.filter((i) => i.kind === 'ethernet' || i.kind === 'bond' || i.kind === 'vlan');

  const targets =
    form.network === 'network'
      ? (networks.data?.networks ?? []).map((n) => ({ value: n.name, label: n.active ? n.name : t('wizard.network.inactive', { name: n.name }) }))
      : form.network === 'bridge'
        ? bridges.map((b) => ({ value: b.name, label: b.name }))
        : nics.map((n) => ({ value: n.name, label: n.name }));
  const loadError = form.network === 'network' ? networks.error : form.network === 'none' ? null : interfaces.error;
  const targetLabel = form.network === 'network' ? 'networkSelect' : form.network === 'bridge' ? 'bridgeSelect' : 'directSelect';

  return (
    <Stack gap="md">
      <NativeSelect
        label={t('wizard.network.kind')}
        value={form.network}
        data={KINDS.map((k) => ({ value: k, label: t(`wizard.network.${k}`) }))}
        onChange={(e) => set({ network: e.currentTarget.value as NetworkKind, networkTarget: '' })}
        error={form.network === 'none' ? reason(errors.network) : undefined}
        data-autofocus
      />
      {form.network !== 'none' && (
        <>
          <NativeSelect
            label={t(`wizard.network.${targetLabel}`)}
            value={form.networkTarget}
            data={[{ value: '', label: t('wizard.network.pick'), disabled: true }, ...targets]}
            onChange={(e) => set({ networkTarget: e.currentTarget.value })}
            error={reason(errors.network)}
          />
          {form.network === 'bridge' && interfaces.data && bridges.length === 0 && <Text size="sm">{t('wizard.network.noBridges')}</Text>}
          <NativeSelect
            label={t('wizard.network.nicModel')}
            value={form.nicModel}
            data={['virtio', 'e1000e']}
            onChange={(e) => set({ nicModel: e.currentTarget.value as NicModel })}
          />
        </>
      )}
      {loadError && (
        <Alert color="red" role="alert">
          {t('wizard.loadFailed', { what: t(`wizard.network.${targetLabel}`), error: loadError.message })}
        </Alert>
      )}
      <NativeSelect
        label={t('wizard.network.graphics')}
        value={form.graphics}
        data={[
          { value: 'vnc', label: t('wizard.network.vnc') },
          { value: 'spice', label: t('wizard.network.spice') },
          { value: 'none', label: t('wizard.network.graphicsNone') },
        ]}
        onChange={(e) => set({ graphics: e.currentTarget.value as GraphicsChoice })}
        error={reason(errors.graphics)}
      />
    </Stack>
  );
}
