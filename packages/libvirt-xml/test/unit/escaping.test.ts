/**
 * Property tests: any string XML 1.0 can carry survives edit -> serialize -> parse -> read back, and the serialized
 * text is well-escaped markup. What "exactly" means per field (the layer's documented choice):
 *   - names (domain, network, pool, volume) and titles: exact, leading and trailing whitespace included, as libvirt
 *     keeps them; line breaks are refused (libvirt refuses them in names and titles), so is '/' in names;
 *   - description and other element text: exact except line ends, which XML parsers turn into LF;
 *   - attribute values (disk source paths, DHCP host names): exact, line ends and tabs included (written as
 *     character references).
 * Code points XML cannot represent (C0 controls other than tab/LF/CR, lone surrogates, U+FFFE, U+FFFF) are refused
 * with EditError before the document changes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDhcpHost,
  addDnsHost,
  canonicalDiff,
  canonicallyEqual,
  changeMedia,
  dom,
  EditError,
  findDevice,
  networkUpdateSnippet,
  parseXml,
  serializeXml,
  setDescription,
  setName,
  setNetworkName,
  setPoolName,
  setTitle,
  setVolumeName,
} from '../../src/index.js';

const DOMAIN = `<domain type='qemu'>
  <name>esc</name>
  <memory unit='KiB'>65536</memory>
  <os><type arch='x86_64'>hvm</type></os>
  <devices>
    <disk type='file' device='cdrom'>
      <source file='/srv/a.iso'/>
      <target dev='sda' bus='sata'/>
      <readonly/>
    </disk>
  </devices>
</domain>`;

const NETWORK = `<network>
  <name>esc</name>
  <ip address='192.168.7.1' netmask='255.255.255.0'/>
</network>`;

function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/** One code point XML can carry, from the whole Unicode range including the astral planes. */
const xmlChar = fc
  .integer({ min: 0, max: 0x10ffff })
  .filter(isXmlChar)
  .map((cp) => String.fromCodePoint(cp));

/** Biased towards what escaping gets wrong: markup, quotes, entities, CDATA ends, whitespace. */
const tricky = fc.constantFrom('<', '>', '&', "'", '"', ']]>', '&amp;', '&#x41;', '<!--', '-->', '<?', ' ', '\t', '\n', '\r', '\r\n', '🐧', 'é');

const xmlText = fc.string({ unit: fc.oneof({ arbitrary: xmlChar, weight: 3 }, { arbitrary: tricky, weight: 2 }), minLength: 1, maxLength: 40 });

/** A string with at least one code point XML cannot represent. */
const badChar = fc.oneof(
  fc.integer({ min: 0, max: 0x1f }).filter((c) => c !== 0x9 && c !== 0xa && c !== 0xd).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
  fc.constantFrom('\uFFFE', '\uFFFF'),
);
const withBadChar = fc.tuple(xmlText, badChar, xmlText).map(([a, b, c]) => a + b + c);

const names = xmlText.filter((s) => !/[/\n\r]/.test(s));
const titles = xmlText.filter((s) => !/[\n\r]/.test(s));

/**
 * The serialized text is markup a strict parser reads the same way: every `&` starts an entity, every `<` starts
 * markup, no attribute value holds `<` or its own quote, and nothing outside XML's character set appears.
 */
function expectWellEscaped(xml: string): void {
  const problems: string[] = [];
  for (const m of xml.matchAll(/&/g)) {
    if (!/^&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/.test(xml.slice(m.index))) problems.push(`bare & at ${xml.slice(m.index, m.index + 12)}`);
  }
  for (const m of xml.matchAll(/</g)) {
    if (!/^<[A-Za-z_:/?!]/.test(xml.slice(m.index, m.index + 2))) problems.push(`bare < at ${xml.slice(m.index, m.index + 12)}`);
  }
  for (const tag of xml.matchAll(/<[A-Za-z_][^>]*>/g)) {
    // Inside a start tag: name="value" pairs only, values free of '<' and of the quote that delimits them.
    if (!/^<[\w:.-]+(\s+[\w:.-]+=("[^"<]*"|'[^'<]*'))*\s*\/?>$/.test(tag[0])) problems.push(`odd start tag ${tag[0]}`);
  }
  for (const ch of xml) if (!isXmlChar(ch.codePointAt(0)!)) problems.push(`U+${ch.codePointAt(0)!.toString(16)}`);
  expect(problems).toEqual([]);
}

function roundTrip(doc: ReturnType<typeof parseXml>): ReturnType<typeof parseXml> {
  const xml = serializeXml(doc);
  expectWellEscaped(xml);
  return parseXml(xml);
}

function textOf(doc: ReturnType<typeof parseXml>, path: string): string | undefined {
  const el = dom.at(doc.documentElement!, path);
  return el ? (el.textContent ?? '') : undefined;
}

const RUNS = { numRuns: 300 };

describe('values survive edit -> serialize -> parse', () => {
  it('domain name, exactly', () => {
    fc.assert(
      fc.property(names, (name) => {
        const doc = parseXml(DOMAIN);
        setName(doc, name);
        expect(textOf(roundTrip(doc), 'name')).toBe(name);
      }),
      RUNS,
    );
  });

  it('title, exactly', () => {
    fc.assert(
      fc.property(titles, (title) => {
        const doc = parseXml(DOMAIN);
        setTitle(doc, title);
        expect(textOf(roundTrip(doc), 'title')).toBe(title);
      }),
      RUNS,
    );
  });

  it('description, exactly but for line ends, and nothing else changes', () => {
    fc.assert(
      fc.property(xmlText, (description) => {
        const doc = parseXml(DOMAIN);
        setDescription(doc, description);
        const back = roundTrip(doc);
        expect(textOf(back, 'description')).toBe(description.replace(/\r\n?/g, '\n'));
        const diff = canonicalDiff(DOMAIN, back);
        for (const l of [...diff.added, ...diff.removed]) expect(l.startsWith('/domain[0]/description[0]')).toBe(true);
      }),
      RUNS,
    );
  });

  it('CD-ROM source path, exactly (an attribute keeps tabs and line ends)', () => {
    fc.assert(
      fc.property(xmlText.filter((s) => s.trim() !== ''), (path) => {
        const doc = parseXml(DOMAIN);
        changeMedia(doc, 'sda', { file: path });
        const back = roundTrip(doc);
        const source = dom.child(findDevice(back, { kind: 'disk', target: 'sda' })!, 'source');
        expect(dom.attr(source, 'file')).toBe(path);
      }),
      RUNS,
    );
  });

  it('network, pool and volume names, DNS hostnames and DHCP host names', () => {
    fc.assert(
      fc.property(names, xmlText.filter((s) => s.trim() !== ''), (name, label) => {
        const net = parseXml(NETWORK);
        setNetworkName(net, name);
        addDnsHost(net, { ip: '192.168.7.9', hostnames: [label] });
        addDhcpHost(net, { name: label, ip: '192.168.7.10' });
        const back = roundTrip(net);
        expect(textOf(back, 'name')).toBe(name);
        expect(textOf(back, 'dns/host/hostname')).toBe(label.replace(/\r\n?/g, '\n'));
        expect(dom.attr(dom.at(back.documentElement!, 'ip/dhcp/host'), 'name')).toBe(label);

        const snippet = networkUpdateSnippet({ section: 'ip-dhcp-host', host: { name: label, ip: '192.168.7.11' } }).xml;
        expectWellEscaped(snippet);
        expect(dom.attr(parseXml(snippet).documentElement!, 'name')).toBe(label);

        const pool = parseXml("<pool type='dir'><name>p</name></pool>");
        setPoolName(pool, name);
        expect(textOf(roundTrip(pool), 'name')).toBe(name);
        const vol = parseXml('<volume><name>v</name></volume>');
        setVolumeName(vol, name);
        expect(textOf(roundTrip(vol), 'name')).toBe(name);
      }),
      RUNS,
    );
  });
});

describe('values XML cannot carry', () => {
  it('are refused with EditError, leaving the document unchanged', () => {
    fc.assert(
      fc.property(withBadChar, (bad) => {
        const doc = parseXml(DOMAIN);
        for (const edit of [
          () => setName(doc, bad),
          () => setTitle(doc, bad),
          () => setDescription(doc, bad),
          () => changeMedia(doc, 'sda', { file: bad }),
        ]) {
          expect(edit).toThrow(EditError);
        }
        expect(canonicallyEqual(doc, DOMAIN)).toBe(true);
      }),
      RUNS,
    );
  });

  it('a name with line breaks or a slash is refused; surrounding spaces are kept', () => {
    const doc = parseXml(DOMAIN);
    expect(() => setName(doc, 'a\nb')).toThrow(/line breaks/);
    expect(() => setName(doc, 'a/b')).toThrow(/'\/'/);
    setName(doc, '  spaced  ');
    expect(textOf(roundTrip(doc), 'name')).toBe('  spaced  ');
  });
});
