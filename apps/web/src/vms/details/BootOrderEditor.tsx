import { Button, Card, Checkbox, Group, Stack, Text, Title } from '@mantine/core';
import type { DomainDetail } from '@vireo/api';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { notifyError, notifySuccess } from '../../components/notify.js';
import { bootItems, bootOrderOperation, moveItem, sameBootOrder, setEnabled, type BootItem } from './boot-order.js';
import { EditErrorAlert } from './EditErrorAlert.js';
import { useEditDomain, useReloadDetail } from './mutations.js';
import { RestartBadge } from './RestartNotice.js';
import type { RestartFact } from './restart-diff.js';
import { detailView } from './view.js';

export interface BootOrderEditorProps {
  host: string;
  uuid: string;
  name: string;
  detail: DomainDetail;
  canEdit: boolean;
  pending: ReadonlySet<RestartFact>;
}

/**
 * The boot devices as one ordered list: a checkbox puts a device in the boot order, Move up / Move down change its
 * place. Saved as per-device boot order with the definition's ETag.
 */
export function BootOrderEditor({ host, uuid, name, detail, canEdit, pending }: BootOrderEditorProps) {
  const { t } = useTranslation();
  const saved = useMemo(() => bootItems(detailView(detail)), [detail]);
  const [items, setItems] = useState<BootItem[]>(saved);
  const [focus, setFocus] = useState<string | null>(null);
  const buttons = useRef(new Map<string, HTMLButtonElement>());
  const edit = useEditDomain(host, uuid);
  const reload = useReloadDetail(host, uuid);
  const dirty = !sameBootOrder(items, saved);

  // A new definition (saved here, reloaded, or changed elsewhere) replaces the list unless the user has unsaved changes.
  const [base, setBase] = useState(saved);
  if (base !== saved) {
    setBase(saved);
    if (sameBootOrder(items, base)) setItems(saved);
  }

  // A moved row is re-inserted in the DOM, which drops focus: put it back on the button that moved it.
  useEffect(() => {
    if (focus === null) return;
    const button = buttons.current.get(focus);
    if (button && !button.disabled) button.focus();
    else buttons.current.get(focus.replace(/^(up|down):/, (_, dir: string) => (dir === 'up' ? 'down:' : 'up:')))?.focus();
    setFocus(null);
  }, [focus, items]);

  const move = (index: number, delta: -1 | 1) => {
    const item = items[index]!;
    setItems(moveItem(items, index, delta));
    setFocus(`${delta < 0 ? 'up' : 'down'}:${item.key}`);
  };

  const save = () => {
    edit.mutate(
      { etag: detail.etag, operations: [bootOrderOperation(items)] },
      {
        onSuccess: (next) => {
          setItems(bootItems(detailView(next)));
          notifySuccess(t('edit.bootOrder.saved', { name }));
        },
        onError: (err) => notifyError(t('edit.bootOrder.failed', { name }), err),
      },
    );
  };

  const kind = (item: BootItem) => t(`edit.bootOrder.kinds.${item.device}`, { defaultValue: item.device });
  let position = 0;

  return (
    <Card withBorder component="section" aria-labelledby="vm-details-boot">
      <Group gap="xs" mb="sm">
        <Title order={2} size="h4" id="vm-details-boot">
          {t('edit.bootOrder.title')}
        </Title>
        <RestartBadge fact="bootOrder" pending={pending} />
      </Group>
      {items.length === 0 ? (
        <Text size="sm">{t('edit.bootOrder.noDevices')}</Text>
      ) : (
        <Stack gap="xs">
          <ol className="vireo-boot-list" aria-labelledby="vm-details-boot">
            {items.map((item, index) => {
              if (item.enabled) position += 1;
              return (
                <li key={item.key} className="vireo-boot-item" data-enabled={item.enabled}>
                  <span className="vireo-boot-position" aria-hidden="true">
                    {item.enabled ? `${position}.` : '–'}
                  </span>
                  <Stack gap={0} className="vireo-grow">
                    {canEdit ? (
                      <Checkbox
                        label={<span className="vireo-mono">{item.name}</span>}
                        aria-label={t('edit.bootOrder.enable', { name: item.name })}
                        checked={item.enabled}
                        onChange={(e) => setItems(setEnabled(items, item.key, e.currentTarget.checked))}
                      />
                    ) : (
                      <Text size="sm" className="vireo-mono">
                        {item.name}
                      </Text>
                    )}
                    <Text size="xs" c="gray.7">
                      {item.source === null ? kind(item) : `${kind(item)} · ${item.source}`}
                      {!item.enabled && ` · ${t('edit.bootOrder.notBooting')}`}
                    </Text>
                  </Stack>
                  {canEdit && (
                    <Group gap={4} wrap="nowrap">
                      <Button
                        size="compact-sm"
                        variant="default"
                        aria-label={t('edit.bootOrder.moveUp', { name: item.name })}
                        disabled={index === 0}
                        ref={(el) => void (el ? buttons.current.set(`up:${item.key}`, el) : buttons.current.delete(`up:${item.key}`))}
                        onClick={() => move(index, -1)}
                      >
                        {t('edit.bootOrder.up')}
                      </Button>
                      <Button
                        size="compact-sm"
                        variant="default"
                        aria-label={t('edit.bootOrder.moveDown', { name: item.name })}
                        disabled={index === items.length - 1}
                        ref={(el) => void (el ? buttons.current.set(`down:${item.key}`, el) : buttons.current.delete(`down:${item.key}`))}
                        onClick={() => move(index, 1)}
                      >
                        {t('edit.bootOrder.down')}
                      </Button>
                    </Group>
                  )}
                </li>
              );
            })}
          </ol>
          {position === 0 && (
            <Text size="sm" c="gray.7">
              {t('edit.bootOrder.defaultOrder')}
            </Text>
          )}
          <EditErrorAlert error={edit.error} onReload={() => void reload().then(() => edit.reset())} />
          {canEdit && (
            <Group gap="xs">
              <Button color="blue.9" onClick={save} disabled={!dirty} loading={edit.isPending}>
                {t('edit.bootOrder.save')}
              </Button>
              <Button variant="default" onClick={() => setItems(saved)} disabled={!dirty}>
                {t('edit.bootOrder.undo')}
              </Button>
            </Group>
          )}
        </Stack>
      )}
    </Card>
  );
}
