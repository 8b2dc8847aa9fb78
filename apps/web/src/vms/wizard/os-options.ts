/** The OS picker's list: recent releases first, end-of-life systems only when asked for. */
import type { OsVariant } from '@vireo/api';

export function osOptions(list: readonly OsVariant[], showEol: boolean): OsVariant[] {
  return list
    .filter((os) => showEol || !os.eol)
    .slice()
    .sort((a, b) => (b.releaseDate ?? '').localeCompare(a.releaseDate ?? '') || a.name.localeCompare(b.name));
}

/** Whether every word of the search is somewhere in the text (`deb 12` finds "Debian 12"), ignoring case. */
export function matchesWords(text: string, search: string): boolean {
  const hay = text.toLowerCase();
  return search
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '')
    .every((w) => hay.includes(w));
}
