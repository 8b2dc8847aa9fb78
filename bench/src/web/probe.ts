/**
 * The in-page half of the web benchmark, installed with `addInitScript` before any of the app's code runs, so it
 * sees the document from the first byte. It only observes (a MutationObserver on attributes and added nodes, a
 * capture-phase click and keydown listener) and records timestamps on the page's own clock, `performance.now()`
 * (from the navigation's start). Each mark has two times:
 *
 *   dom    when the DOM first holds what is awaited: the MutationObserver callback right after React's commit
 *   paint  a task posted from the next animation frame: the frame that shows the change has been produced
 *
 * It finds things by the accessible-name contract of apps/web/README.md: rows `data-testid="vm-row-<name>"`, badges
 * `data-state`, the table's `aria-rowcount` and rows' `aria-rowindex`.
 *
 * Everything here runs in the browser: the function is serialised by Playwright, so it may use nothing from outside.
 */

export interface Mark {
  dom: number;
  paint: number;
}

export interface KeyMark extends Mark {
  /** The keydown's `event.timeStamp` (same clock). */
  key: number;
  /** The table's aria-rowcount after the key (rows + 1 header row). */
  rowcount: number;
}

export interface StateMark extends Mark {
  /** `performance.timeOrigin + dom` / `+ paint`: epoch milliseconds, to compare with another process's clock. */
  domEpoch: number;
  paintEpoch: number;
}

export interface ProbeConfig {
  /**
   * Once the table shows at least this many rows, scroll its scroller to the end and mark `lastRow` when the row whose
   * aria-rowindex equals the table's aria-rowcount is in the DOM. 0: no scrolling.
   */
  scrollToEndAt: number;
}

export interface Probe {
  /** The first VM row in the DOM. */
  firstRow?: Mark;
  /** When the table first held its rows and scrolling to the end started. */
  tableAt?: number;
  /** The last row (after scrolling to the end), with the table's aria-rowcount then. */
  lastRow?: Mark & { rowcount: number };
  /** The last trusted click's event.timeStamp. */
  clickAt?: number;
  /** Resolves once `name`'s paint time is known. */
  when(name: 'firstRow' | 'lastRow'): Promise<Mark>;
  /** Arms the key measurement: the next keydown starts it, the next change of the table's aria-rowcount ends it. */
  armKey(): void;
  keyResult(): Promise<KeyMark>;
  /** Arms the state measurement: ends when row `vm-row-<name>`'s badge has data-state `state`. */
  armState(name: string, state: string): void;
  stateResult(): Promise<StateMark>;
  /** This page's clock as epoch milliseconds (for calibrating against the benchmark's). */
  epochNow(): number;
}

declare global {
  interface Window {
    __vireoBench: Probe;
  }
}

export function installProbe(config: ProbeConfig): void {
  const now = (): number => performance.now();
  /** Calls back with the time of a task posted from the next animation frame (after that frame's rendering). */
  const afterNextFrame = (done: (t: number) => void): void => {
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => done(now());
      channel.port2.postMessage(0);
    });
  };
  const waiters = new Map<string, (m: Mark) => void>();
  const markPainted = (name: 'firstRow' | 'lastRow', m: Mark): void => {
    waiters.get(name)?.(m);
    waiters.delete(name);
  };

  let key: { armed: boolean; start?: number; before: string | null; resolve?: (m: KeyMark) => void; result?: KeyMark } = {
    armed: false,
    before: null,
  };
  let state: { name: string; want: string; resolve?: (m: StateMark) => void; result?: StateMark; seen: boolean } | undefined;

  const rowTable = (): Element | null => document.querySelector('[role="table"][aria-rowcount]');

  function scrollerOf(el: Element): Element {
    for (let e: Element | null = el.parentElement; e; e = e.parentElement) {
      const oy = getComputedStyle(e).overflowY;
      if ((oy === 'auto' || oy === 'scroll') && e.scrollHeight > e.clientHeight) return e;
    }
    return document.scrollingElement ?? document.documentElement;
  }

  const probe: Probe = {
    when(name) {
      const have = probe[name];
      if (have && have.paint > 0) return Promise.resolve(have);
      return new Promise((resolve) => waiters.set(name, resolve));
    },
    armKey() {
      key = { armed: true, before: rowTable()?.getAttribute('aria-rowcount') ?? null };
    },
    keyResult() {
      if (key.result) return Promise.resolve(key.result);
      return new Promise((resolve) => (key.resolve = resolve));
    },
    armState(name, want) {
      state = { name, want, seen: false };
      check();
    },
    stateResult() {
      if (!state) return Promise.reject(new Error('armState was not called'));
      if (state.result) return Promise.resolve(state.result);
      const s = state;
      return new Promise((resolve) => (s.resolve = resolve));
    },
    epochNow: () => performance.timeOrigin + performance.now(),
  };
  window.__vireoBench = probe;

  function check(): void {
    const t = now();
    if (!probe.firstRow && document.querySelector('[data-testid^="vm-row-"]')) {
      const m: Mark = { dom: t, paint: 0 };
      probe.firstRow = m;
      afterNextFrame((p) => {
        m.paint = p;
        markPainted('firstRow', m);
      });
    }
    const table = rowTable();
    const rowcount = Number(table?.getAttribute('aria-rowcount') ?? 0);
    if (config.scrollToEndAt > 0 && table && !probe.lastRow && rowcount - 1 >= config.scrollToEndAt) {
      const row = table.querySelector('[data-testid^="vm-row-"]');
      if (row) {
        probe.tableAt ??= t;
        // Again whenever the end moved away (the list grew meanwhile: other domains on the same daemon).
        const scroller = scrollerOf(row);
        if (scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight - 1) scroller.scrollTop = scroller.scrollHeight;
      }
    }
    if (probe.tableAt !== undefined && !probe.lastRow && table?.querySelector(`[role="row"][aria-rowindex="${rowcount}"]`)) {
      const m = { dom: t, paint: 0, rowcount };
      probe.lastRow = m;
      afterNextFrame((p) => {
        m.paint = p;
        markPainted('lastRow', m);
      });
    }
    if (key.armed && key.start !== undefined && !key.result && table && table.getAttribute('aria-rowcount') !== key.before) {
      const k = key;
      const m: KeyMark = { key: k.start!, dom: t, paint: 0, rowcount };
      k.armed = false;
      afterNextFrame((p) => {
        m.paint = p;
        k.result = m;
        k.resolve?.(m);
      });
    }
    if (state && !state.seen) {
      const badge = document.querySelector(`[data-testid="vm-row-${CSS.escape(state.name)}"] [data-state]`);
      if (badge?.getAttribute('data-state') === state.want) {
        const s = state;
        s.seen = true;
        const m: StateMark = { dom: t, paint: 0, domEpoch: performance.timeOrigin + t, paintEpoch: 0 };
        afterNextFrame((p) => {
          m.paint = p;
          m.paintEpoch = performance.timeOrigin + p;
          s.result = m;
          s.resolve?.(m);
        });
      }
    }
  }

  document.addEventListener(
    'click',
    (e) => {
      if (e.isTrusted) probe.clickAt = e.timeStamp;
    },
    true,
  );
  document.addEventListener(
    'keydown',
    (e) => {
      if (key.armed && key.start === undefined) key.start = e.timeStamp;
    },
    true,
  );
  new MutationObserver(check).observe(document, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['aria-rowcount', 'aria-rowindex', 'data-state', 'data-testid'],
  });
}
