import { DomainEventDetail, DomainEventType } from '@vireo/libvirt';
import { describe, expect, it } from 'vitest';
import { reasonName, stateAfterLifecycle, stateName } from '../../../src/domains/state-names.js';

describe('domain state names', () => {
  it('names states and reasons as libvirt numbers them', () => {
    expect(stateName(1)).toBe('running');
    expect(stateName(5)).toBe('shutoff');
    expect(stateName(99)).toBe('nostate');
    expect(reasonName('paused', 1)).toBe('user');
    expect(reasonName('shutoff', 2)).toBe('destroyed');
    expect(reasonName('running', 5)).toBe('unpaused');
    expect(reasonName('running', 77)).toBe('unknown(77)');
  });

  it('gives the state a lifecycle event leaves, in the same reason names a re-read gives', () => {
    const T = DomainEventType;
    const D = DomainEventDetail;
    expect(stateAfterLifecycle(T.SUSPENDED, D.SUSPENDED.PAUSED)).toEqual({ state: 'paused', reason: reasonName('paused', 1), active: true });
    expect(stateAfterLifecycle(T.RESUMED, D.RESUMED.UNPAUSED)).toEqual({ state: 'running', reason: reasonName('running', 5), active: true });
    expect(stateAfterLifecycle(T.STARTED, D.STARTED.BOOTED)).toEqual({ state: 'running', reason: reasonName('running', 1), active: true });
    expect(stateAfterLifecycle(T.STOPPED, D.STOPPED.DESTROYED)).toEqual({ state: 'shutoff', reason: reasonName('shutoff', 2), active: false });
    expect(stateAfterLifecycle(T.STOPPED, D.STOPPED.SAVED)!.reason).toBe(reasonName('shutoff', 5));
    expect(stateAfterLifecycle(T.CRASHED, D.CRASHED.PANICKED)).toEqual({ state: 'crashed', reason: 'panicked', active: true });
    expect(stateAfterLifecycle(T.DEFINED, D.DEFINED.ADDED)).toBeNull();
    expect(stateAfterLifecycle(T.UNDEFINED, D.UNDEFINED.REMOVED)).toBeNull();
  });
});
