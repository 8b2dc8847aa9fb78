import { Button, Popover, Stack } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SEND_KEYS, sendKeysLabel, type SendKeysId } from './keys.js';

/** The "Send keys" button of a graphical console and its menu of combinations (Ctrl+Alt+Del ...). */
export function SendKeysMenu({ disabled, onSend }: { disabled: boolean; onSend: (id: SendKeysId) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <Popover position="bottom-end" withinPortal={false} opened={open} onChange={setOpen} transitionProps={{ duration: 0 }}>
      <Popover.Target>
        <Button size="xs" variant="default" disabled={disabled} aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          {t('consoles.vnc.sendKeys')}
        </Button>
      </Popover.Target>
      <Popover.Dropdown aria-label={t('consoles.vnc.sendKeys')} className="vireo-console-keys" p={4}>
        <Stack gap={2}>
          {SEND_KEYS.map((id) => (
            <Button
              key={id}
              size="compact-sm"
              variant="subtle"
              color="dark"
              justify="flex-start"
              onClick={() => {
                setOpen(false);
                onSend(id);
              }}
            >
              {sendKeysLabel(id) ?? t('consoles.vnc.printScreen')}
            </Button>
          ))}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
