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

export async function axeViolations(page: Page): Promise<Violation[]> {
  // Evaluated through the DevTools protocol, so the page's Content-Security-Policy does not apply to it.
  await page.evaluate(axe.source);
  return page.evaluate(async () => {
    const results = await window.axe.run(document, { resultTypes: ['violations'] });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: JSON.stringify(n.target), why: n.failureSummary ?? '' })),
    }));
  });
}

/** The violations that count against us: serious and critical ones. */
export async function seriousViolations(page: Page): Promise<Violation[]> {
  return (await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
