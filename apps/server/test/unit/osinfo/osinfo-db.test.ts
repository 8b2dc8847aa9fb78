// The osinfo-db reader on a small fixture tree made by the test: inheritance, EOL, devices, firmware, sorting.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOsinfoDb } from '../../../src/osinfo/osinfo-db.js';
import { OsinfoService } from '../../../src/osinfo/osinfo-service.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'vireo-osinfo-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function osFile(rel: string, body: string): void {
  const file = path.join(root, 'os', rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `<?xml version="1.0"?>\n<libosinfo version="0.0.1">\n${body}\n</libosinfo>\n`);
}

const GiB = 1024 ** 3;
const NOW = Date.parse('2026-11-25T00:00:00Z');

writeFileSync(path.join(root, 'VERSION'), '20990101');
osFile(
  'example.org/distro-1.xml',
  `<os id="http://example.org/distro/1">
    <short-id>distro1</short-id>
    <name>Distro 1</name><name xml:lang="de">Distro Eins</name>
    <vendor>Example</vendor><family>linux</family><distro>distro</distro><version>1</version>
    <release-date>2019-01-01</release-date>
    <resources arch="all">
      <minimum><n-cpus>1</n-cpus><ram>${GiB}</ram><storage>${10 * GiB}</storage></minimum>
      <recommended><n-cpus>2</n-cpus><ram>${2 * GiB}</ram><storage>${20 * GiB}</storage></recommended>
    </resources>
    <resources arch="x86_64"><recommended><ram>${3 * GiB}</ram></recommended></resources>
    <devices>
      <device id="http://pcisig.com/pci/1af4/1001"/>
      <device id="http://pcisig.com/pci/1af4/1000"/>
    </devices>
  </os>`,
);
osFile(
  'example.org/distro-2.xml',
  `<os id="http://example.org/distro/2">
    <short-id>distro2</short-id><short-id>distrotwo</short-id>
    <name>Distro 2</name>
    <vendor>Example</vendor><family>linux</family><distro>distro</distro><version>2</version>
    <derives-from id="http://example.org/distro/1"/>
    <release-date>2024-06-01</release-date>
    <image arch="x86_64" format="qcow2" cloud-init="true"><url>https://example.org/d2.qcow2</url></image>
  </os>`,
);
osFile(
  'example.org/distro-old.xml',
  `<os id="http://example.org/distro/0">
    <short-id>distro0</short-id><name>Distro 0</name>
    <release-date>2010-01-01</release-date><eol-date>2015-01-01</eol-date>
  </os>
  <os id="http://example.org/rolling">
    <short-id>rolling</short-id><name>Rolling</name>
    <release-date>2012-01-01</release-date><release-status>rolling</release-status>
  </os>`,
);
osFile(
  'example.com/win-11.xml',
  `<os id="http://example.com/win/11">
    <short-id>win11</short-id><name>Windows 11</name><family>winnt</family>
    <upgrades id="http://example.com/win/10"/>
    <release-date>2021-10-05</release-date>
    <firmware arch="x86_64" type="efi"><feature name="secure-boot" supported="true"/></firmware>
    <firmware arch="x86_64" type="bios" supported="false"/>
    <devices><device id="http://trustedcomputinggroup.org/tpm/2.0"/></devices>
    <resources arch="x86_64"><minimum><n-cpus>2</n-cpus><ram>${4 * GiB}</ram><storage>${64 * GiB}</storage></minimum></resources>
  </os>`,
);
osFile('example.com/win-10.xml', `<os id="http://example.com/win/10"><short-id>win10</short-id><name>Windows 10</name><eol-date>2029-01-09</eol-date></os>`);
// Installable drivers (virtio-win) sit in <os>.d/ directories: not what a fresh guest has, so not read.
osFile(
  'example.com/win-11.d/drivers.xml',
  `<os id="http://example.com/win/11"><short-id>win11</short-id><devices><device id="http://pcisig.com/pci/1af4/1001"/></devices></os>`,
);
osFile('example.com/broken.xml', '<os id="http://example.com/broken"><name>unclosed</os');

describe('loadOsinfoDb', () => {
  it('resolves resources and devices through derives-from, per field, the guest arch first', async () => {
    const db = await loadOsinfoDb(root, NOW);
    expect(db.source).toBe(`${root} (version 20990101)`);
    const d2 = db.os.find((o) => o.shortId === 'distro2')!;
    expect(d2).toMatchObject({
      id: 'http://example.org/distro/2',
      name: 'Distro 2',
      vendor: 'Example',
      version: '2',
      eol: false,
      recommended: { memoryBytes: 3 * GiB, vcpus: 2, storageBytes: 20 * GiB },
      minimum: { memoryBytes: GiB, storageBytes: 10 * GiB },
      devices: { virtioDisk: true, virtioNet: true, tpm2: false, uefi: false, secureBoot: false },
      cloudImage: true,
    });
    expect(db.os.find((o) => o.shortId === 'distro1')!.name).toBe('Distro 1');
  });

  it('reads firmware needs and TPM devices, and leaves out the drivers of <os>.d', async () => {
    const db = await loadOsinfoDb(root, NOW);
    const win11 = db.os.find((o) => o.shortId === 'win11')!;
    expect(win11.devices).toEqual({ virtioDisk: false, virtioNet: false, tpm2: true, uefi: true, secureBoot: true });
    // No recommendation of its own: the minimum is the least the wizard should offer.
    expect(win11.recommended).toEqual({ memoryBytes: 4 * GiB, vcpus: 2, storageBytes: 64 * GiB });
    expect(win11.minimum.memoryBytes).toBe(4 * GiB);
    // Upgrades is followed for inheritance too; win10's EOL date is its own, not win11's.
    expect(win11.eol).toBe(false);
  });

  it('marks end of life by date, or five years after release when superseded, never for rolling releases', async () => {
    const db = await loadOsinfoDb(root, NOW);
    const eol = Object.fromEntries(db.os.map((o) => [o.shortId, o.eol]));
    // distro1: 2019 and distro2 derives from it; win11: 2021 but nothing newer; win10: its EOL date is ahead.
    expect(eol).toEqual({ distro0: true, distro1: true, distro2: false, rolling: false, win10: false, win11: false });
  });

  it('sorts newest release first, undated last, and skips a broken file', async () => {
    const db = await loadOsinfoDb(root, NOW);
    expect(db.os.map((o) => o.shortId)).toEqual(['distro2', 'win11', 'distro1', 'rolling', 'distro0', 'win10']);
  });

  it('gives an empty list that says why when there is no database', async () => {
    const db = await loadOsinfoDb(path.join(root, 'missing'));
    expect(db.os).toEqual([]);
    expect(db.source).toMatch(/no osinfo database \(ENOENT\)/);
  });

  it('serves the list without end-of-life systems unless asked, reading the files once', async () => {
    const service = new OsinfoService(root, () => NOW);
    const [current, all] = await Promise.all([service.list(false), service.list(true)]);
    expect(current.os.map((o) => o.shortId)).toEqual(['distro2', 'win11', 'rolling', 'win10']);
    expect(all.os).toHaveLength(6);
    expect((await service.list(true)).os[0]).toBe(all.os[0]);
  });
});
