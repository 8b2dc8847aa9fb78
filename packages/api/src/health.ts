import { z } from 'zod';

/** Liveness of the server process itself; per-host libvirt health is reported by the hosts API. */
export const HealthSchema = z.object({
  status: z.literal('ok'),
  version: z.string(),
});
export type Health = z.infer<typeof HealthSchema>;
