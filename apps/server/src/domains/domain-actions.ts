import type { DomainAction, Task } from '@vireo/api';
import type { LibvirtConnection } from '@vireo/libvirt';
import { resolveDomain, type DomainContext, type ResolvedDomain } from './domain-context.js';
import type { DomainRef } from './domain-reader.js';

type QuickAction = Exclude<DomainAction, 'managedsave'>;

const QUICK: Readonly<Record<QuickAction, (conn: LibvirtConnection, dom: DomainRef) => Promise<unknown>>> = {
  // Starts from the managed save image when there is one, as virsh start does.
  start: (conn, dom) => conn.domainCreateWithFlags({ dom, flags: 0 }),
  // ACPI power button (or the guest agent, as the hypervisor chooses): the guest may ignore it.
  shutdown: (conn, dom) => conn.domainShutdownFlags({ dom, flags: 0 }),
  reboot: (conn, dom) => conn.domainReboot({ dom, flags: 0 }),
  reset: (conn, dom) => conn.domainReset({ dom, flags: 0 }),
  destroy: (conn, dom) => conn.domainDestroyFlags({ dom, flags: 0 }),
  suspend: (conn, dom) => conn.domainSuspend({ dom }),
  resume: (conn, dom) => conn.domainResume({ dom }),
  nmi: (conn, dom) => conn.domainInjectNMI({ dom, flags: 0 }),
};

// How often a managed save's progress is asked (domainGetJobInfo on the shared connection).
const JOB_POLL_MS = 500;

/**
 * Runs a lifecycle action. Quick ones are done when this resolves (null) and the row is re-read, so a list fetched
 * right after shows the new state; a managed save writes all guest memory to disk, so it is a task with progress.
 */
export async function runAction(ctx: DomainContext, hostId: string, uuid: string, action: DomainAction): Promise<Task | null> {
  const d = await resolveDomain(ctx, hostId, uuid);
  if (action === 'managedsave') return ctx.tasks.start('domain.managedsave', hostId, d.uuid, (task) => managedSave(d, (fraction, step) => task.progress(fraction, step)));
  await QUICK[action](d.conn, d.dom);
  await d.runtime.tracker.refresh(d.uuid, action);
  return null;
}

async function managedSave(d: ResolvedDomain, progress: (fraction: number, step?: string) => void): Promise<{ uuid: string }> {
  progress(0, `saving the memory of ${d.dom.name}`);
  let done = false;
  const poll = (async () => {
    while (!done) {
      await new Promise((resolve) => setTimeout(resolve, JOB_POLL_MS).unref());
      if (done) break;
      const job = await d.conn.domainGetJobInfo({ dom: d.dom }).catch(() => null);
      if (!job) continue;
      const total = Number(job.memTotal || job.dataTotal);
      const processed = Number(job.memTotal ? job.memProcessed : job.dataProcessed);
      if (total > 0) progress(Math.min(0.99, processed / total));
    }
  })();
  try {
    // The save holds its call for as long as it takes: on a dedicated connection, the shared one stays free.
    await d.runtime.host.connections.withDedicated((c) => c.domainManagedSave({ dom: d.dom, flags: 0 }));
  } finally {
    done = true;
    await poll;
  }
  await d.runtime.tracker.refresh(d.uuid, 'managedsave');
  return { uuid: d.uuid };
}
