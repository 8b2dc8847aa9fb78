/** axe-core run inside the page (its source injected, as the browser extension does), violations summarised. */
import type { Page } from '@playwright/test';
import axe from 'axe-core';

declare global {
  interface Window {
    axe: typeof axe;
  }
}

export interface Violation {
  id: string;
  impact: string | null;
  help: string;
  /** Each offending element: its selector and axe's reason (e.g. the contrast ratio and colours found). */
  nodes: { target: string; why: string }[];
}

/** `exclude`: CSS selectors of elements axe leaves out (a known issue owned elsewhere, said where it is used). */
export async function axeViolations(page: Page, exclude: readonly string[] = []): Promise<Violation[]> {
  // Evaluated through the DevTools protocol, so the page's Content-Security-Policy does not apply to it.
  await page.evaluate(axe.source);
  return page.evaluate(async (excluded) => {
    const context = excluded.length === 0 ? document : { include: [document], exclude: excluded.map((s) => [s]) };
    const results = await window.axe.run(context as axe.ElementContext, { resultTypes: ['violations'] });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: JSON.stringify(n.target), why: n.failureSummary ?? '' })),
    }));
  }, [...exclude]);
}

/** The violations that count against us: serious and critical ones. */
export async function seriousViolations(page: Page, exclude: readonly string[] = []): Promise<Violation[]> {
  return (await axeViolations(page, exclude)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
