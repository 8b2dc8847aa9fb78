/**
 * The pool the wizard offers to create when a host has none, as virt-manager does. The same values as
 * @vireo/api's DEFAULT_POOL (a unit test says so), kept here because a value import from the contract bundles zod.
 */
export const DEFAULT_POOL_NAME = 'default';
export const DEFAULT_POOL_PATH = '/var/lib/libvirt/images';

/** The pool a new disk goes to unless the user picks another: `default` when active, else the first active one. */
export function preferredPool(pools: readonly { name: string; active: boolean }[]): string {
  const active = pools.filter((p) => p.active);
  return (active.find((p) => p.name === DEFAULT_POOL_NAME) ?? active[0])?.name ?? '';
}
