import { Button } from '@mantine/core';
import type { Role } from '@vireo/api';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';

/** The VM list's way into the wizard, for admins (creating a VM picks host resources). Kept apart from the wizard's code. */
export function CreateVmButton({ role }: { role: Role }) {
  const { t } = useTranslation();
  if (role !== 'admin') return null;
  return (
    <Button component={Link} to="/vms/new" color="blue.9">
      {t('wizard.createButton')}
    </Button>
  );
}
