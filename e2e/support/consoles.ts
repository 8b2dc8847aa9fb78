/**
 * Console journeys' VMs: diskless, no NIC, SeaBIOS on a VGA screen and mirrored to the serial console
 * (`<bios useserial='yes'/>`), so both consoles show something without an OS. Defined like the test VM
 * (virsh, recorded for the global teardown) and started by the caller.
 */
import { randomBytes } from 'node:crypto';
import { TEST_VM_PREFIX, testVmXml } from './libvirt.js';

export function consoleVmName(kind: string): string {
  return `${TEST_VM_PREFIX}cons-${kind}-${randomBytes(3).toString('hex')}`;
}

export function consoleVmXml(name: string, graphics: { type: 'vnc' | 'spice'; listen?: string }): string {
  const xml = testVmXml(name, {
    graphics,
    // Plain VGA: SeaBIOS's text screen with no guest driver.
    video: graphics.type === 'spice' ? 'qxl' : 'vga',
    serialConsole: true,
    tablet: false,
  });
  if (!xml.includes('</os>')) throw new Error('the built domain XML has no <os> element to add the serial BIOS to');
  return xml.replace('</os>', "  <bios useserial='yes'/>\n  </os>");
}

/** The live (or with `inactive`, the persistent) first graphics element's attributes from `virsh dumpxml`. */
export function graphicsOf(xml: string): { type: string; port: number | null; listen: string | null } {
  const match = /<graphics\b([^>]*)>/.exec(xml);
  if (!match) throw new Error('no <graphics> in the domain XML');
  const attrs = match[1] ?? '';
  const attr = (name: string) => new RegExp(`\\b${name}='([^']*)'`).exec(attrs)?.[1] ?? null;
  const port = attr('port');
  return { type: attr('type') ?? '', port: port === null ? null : Number(port), listen: attr('listen') };
}

/** A .vv (INI) file's sections and keys. */
export function parseIni(text: string): Record<string, Record<string, string>> {
  const sections: Record<string, Record<string, string>> = {};
  let current: Record<string, string> | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      current = sections[section[1]!] ??= {};
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0 || !current) throw new Error(`not an INI line: ${line}`);
    current[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return sections;
}
