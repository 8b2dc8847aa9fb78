import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * libvirt's own test documents in shared/, beside the repository (CI clones the repo next to its copy of shared/).
 * Tests that assert facts about named files read these; the corpus test may be pointed elsewhere.
 */
export const SHARED_FIXTURES = fileURLToPath(new URL('../../../../../shared/fixtures/libvirt-xml/', import.meta.url));

/** The corpus every document of which must round-trip: `$VIREO_XML_CORPUS`, else the shared fixtures. */
export const CORPUS = process.env['VIREO_XML_CORPUS'] ?? SHARED_FIXTURES;

/** The text of one shared fixture, e.g. `fixtureText('domain', 'metadata.xml')`. */
export function fixtureText(category: string, name: string): string {
  return readFileSync(join(SHARED_FIXTURES, category, name), 'utf8');
}
