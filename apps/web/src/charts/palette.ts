/** Chart colours per colour scheme (canvas drawing needs concrete colours; CSS swatches use the same via classes). */
import { DEFAULT_THEME } from '@mantine/core';

export type Scheme = 'light' | 'dark';

export interface Palette {
  series: readonly string[];
  axis: string;
  grid: string;
}

const c = DEFAULT_THEME.colors;

/** Series colours in order: the swatch classes `vireo-swatch-<i>` in charts.css match them. */
export const PALETTES: Record<Scheme, Palette> = {
  light: { series: [c.teal[8], c.blue[7], c.orange[8], c.grape[7]], axis: c.gray[7], grid: c.gray[3] },
  dark: { series: [c.teal[4], c.blue[4], c.orange[4], c.grape[4]], axis: c.dark[0], grid: c.dark[4] },
};

/** A colour with an alpha channel, for the area under a line. */
export function translucent(hex: string, alpha: number): string {
  const a = Math.round(alpha * 255)
    .toString(16)
    .padStart(2, '0');
  return `${hex}${a}`;
}
