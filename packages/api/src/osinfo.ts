import { z } from 'zod';

/** One operating system of the osinfo database (Debian's osinfo-db under /usr/share/osinfo). */
export const OsVariantSchema = z.object({
  id: z.string().describe('the osinfo URI, e.g. http://debian.org/debian/12; goes into the domain metadata'),
  shortId: z.string().describe('e.g. debian12, win11'),
  name: z.string().describe('e.g. Debian 12'),
  vendor: z.string().nullable(),
  family: z.string().nullable().describe('linux, winnt, freebsd, ...'),
  distro: z.string().nullable(),
  version: z.string().nullable(),
  releaseDate: z.string().nullable().describe('YYYY-MM-DD'),
  eolDate: z.string().nullable().describe('YYYY-MM-DD'),
  eol: z
    .boolean()
    .describe('end of life: past its EOL date; without one, released over 5 years ago with a successor in the database'),
  recommended: z
    .object({
      memoryBytes: z.number().nullable(),
      vcpus: z.number().int().nullable(),
      storageBytes: z.number().nullable(),
    })
    .describe('x86_64 (else "all") figures, inherited through derives-from/upgrades, never below the minimum'),
  minimum: z.object({ memoryBytes: z.number().nullable(), storageBytes: z.number().nullable() }),
  devices: z.object({
    virtioDisk: z.boolean(),
    virtioNet: z.boolean(),
    tpm2: z.boolean().describe('the database lists a TPM 2.0 device for the OS (newer osinfo-db releases do for Windows 11)'),
    uefi: z.boolean().describe('the OS needs UEFI firmware (the database marks BIOS unsupported on x86_64)'),
    secureBoot: z.boolean().describe('the database lists Secure Boot as a supported UEFI feature'),
  }),
  cloudImage: z.boolean().describe('the database lists a cloud image (cloud-init) for it'),
});
export type OsVariant = z.infer<typeof OsVariantSchema>;

export const OsVariantListSchema = z.object({
  os: z.array(OsVariantSchema).describe('newest release first'),
  source: z.string().describe('where the database was read, e.g. /usr/share/osinfo (version 20230719)'),
});
export type OsVariantList = z.infer<typeof OsVariantListSchema>;

export const OsVariantQuerySchema = z.object({
  eol: z.enum(['true', 'false']).default('false').describe('include end-of-life systems'),
});
