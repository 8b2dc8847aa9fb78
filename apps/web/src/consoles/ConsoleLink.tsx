import { Button } from '@mantine/core';
import { useRouter } from '@tanstack/react-router';
import type { DomainSummary, Role } from '@vireo/api';
import { useTranslation } from 'react-i18next';
import { consoleLive } from './session.js';

/** The console page of a domain; `popout` hides the app's header (a window of its own). */
export function consoleHref(host: string, uuid: string, popout = false): string {
  return `/vms/${encodeURIComponent(host)}/${encodeURIComponent(uuid)}/console${popout ? '?popout=true' : ''}`;
}

/** Consoles need the operator role (the ticket route's), and a domain with a running QEMU. */
export function canOpenConsole(state: DomainSummary['state'], role: Role): boolean {
  return role !== 'viewer' && consoleLive(state);
}

/** A monitor glyph: the list's rows have room for an icon, not another word. */
function ScreenIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <rect x="3" y="4" width="18" height="12" rx="1.5" />
      <path d="M8 20h8M12 16v4" />
    </svg>
  );
}

/**
 * "Console" for a VM: a real link (new tab with a modified click), followed within the app when a router is
 * there (the VM list's table is also rendered without one). `compact`: an icon with the same accessible name.
 */
export function ConsoleLink({ host, domain, compact = false }: { host: string; domain: Pick<DomainSummary, 'uuid' | 'name'>; compact?: boolean }) {
  const { t } = useTranslation();
  const router = useRouter({ warn: false }) as ReturnType<typeof useRouter> | null;
  const href = consoleHref(host, domain.uuid);
  const label = t('consoles.openFor', { name: domain.name });
  const onClick = (e: React.MouseEvent<HTMLAnchorElement>) => {
    if (!router || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    void router.navigate({ href });
  };
  if (compact) {
    // A plain link styled like the list's row buttons (vm-table.css): rows are mounted often and must stay cheap.
    return (
      <a href={href} className="vireo-act vireo-act-icon" aria-label={label} title={t('consoles.open')} onClick={onClick}>
        <ScreenIcon />
      </a>
    );
  }
  return (
    <Button component="a" href={href} size="xs" variant="default" aria-label={label} onClick={onClick}>
      {t('consoles.open')}
    </Button>
  );
}
