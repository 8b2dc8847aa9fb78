import type { DomainSummary } from '@vireo/api';
import { describe, expect, it } from 'vitest';
import { DomainStore } from '../../../src/domains/domain-store.js';
import { domainRow } from '../../helpers/domain-row.js';

const row = (uuid: string, name: string, extra: Partial<DomainSummary> = {}): DomainSummary => domainRow(uuid, { name, ...extra });

describe('DomainStore', () => {
  it('lists by name and reports a put only when something but stats changed', () => {
    const s = new DomainStore();
    expect(s.put(row('2', 'b'))).not.toBeNull();
    expect(s.put(row('1', 'a'))).not.toBeNull();
    expect(s.list().map((r) => r.name)).toEqual(['a', 'b']);
    expect(s.put(row('1', 'a'))).toBeNull();
    expect(s.put(row('1', 'a', { state: 'running', id: 3 }))).toMatchObject({ state: 'running', id: 3 });
  });

  it('keeps the stats tick\'s numbers across re-reads, and never mutates a row already handed out', () => {
    const s = new DomainStore();
    s.put(row('1', 'a', { state: 'running' }));
    const handedOut = s.get('1')!;
    s.applyStats(new Map([['1', { cpuPercent: 12, memoryUsedKiB: 500 }]]));
    expect(handedOut.cpuPercent).toBeNull();
    expect(s.get('1')).toMatchObject({ cpuPercent: 12, memoryUsedKiB: 500 });
    // A re-read from libvirt has no stats: the known ones stay, and it is not a change.
    expect(s.put(row('1', 'a', { state: 'running' }))).toBeNull();
    expect(s.get('1')!.cpuPercent).toBe(12);
    // Not in the next tick (stopped): nulls.
    s.applyStats(new Map());
    expect(s.get('1')).toMatchObject({ cpuPercent: null, memoryUsedKiB: null });
  });

  it('patches event state and replaces everything on a rebuild, naming what went away', () => {
    const s = new DomainStore();
    s.put(row('1', 'a'));
    s.put(row('2', 'b'));
    expect(s.patch('1', { state: 'paused', stateReason: 'user' })).toMatchObject({ state: 'paused' });
    expect(s.patch('1', { state: 'paused', stateReason: 'user' })).toBeNull();
    expect(s.patch('9', { state: 'paused' })).toBeNull();
    expect(s.replaceAll([row('1', 'a'), row('3', 'c')])).toEqual(['2']);
    expect(s.list().map((r) => r.uuid)).toEqual(['1', '3']);
    expect(s.delete('1')?.name).toBe('a');
    expect(s.size).toBe(1);
  });
});
