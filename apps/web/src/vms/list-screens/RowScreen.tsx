import type { DomainSummary, Role } from '@vireo/api';
import { useRouter } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { canOpenConsole, consoleHref } from '../../consoles/ConsoleLink.js';
import { ScreenThumbnail } from '../../consoles/ScreenThumbnail.js';

export interface RowScreenProps {
  host: string;
  domain: DomainSummary;
  role: Role;
}

/**
 * A VM list row's screen (only mounted while "Show screens" is on): the live thumbnail of a running VM with a
 * display, a link to its console; a neutral placeholder, asking nothing of the server, for any other.
 */
export function RowScreen({ host, domain: d, role }: RowScreenProps) {
  const { t } = useTranslation();
  // The table is also rendered without a router (tests): then the link is plain navigation.
  const router = useRouter({ warn: false }) as ReturnType<typeof useRouter> | null;
  if (d.graphics === null || !canOpenConsole(d.state, role)) {
    const why = d.graphics === null ? t('vms.screens.noDisplay') : t('vms.screens.notRunning');
    return <ScreenThumbnail host={host} uuid={d.uuid} name={d.name} running={false} size="row" emptyText={why} />;
  }
  const href = consoleHref(host, d.uuid);
  return (
    // Out of the tab order: the row's "Open console of <name>" link is the keyboard's way to the same page.
    <a
      className="vireo-thumb-link"
      href={href}
      tabIndex={-1}
      title={t('consoles.openFor', { name: d.name })}
      onClick={(e) => {
        if (!router || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        void router.navigate({ href });
      }}
    >
      <ScreenThumbnail host={host} uuid={d.uuid} name={d.name} running size="row" />
    </a>
  );
}
