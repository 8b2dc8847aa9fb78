/** Localised numbers, sizes, rates and times for the charts' axes, legends and summaries (Intl, no library). */

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

function number(value: number, locale: string, fractionDigits: number): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: fractionDigits }).format(value);
}

/** A byte count in the largest binary unit that keeps it >= 1: "1.5 GiB", "512 B". */
export function formatBytes(bytes: number, locale: string): string {
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${number(Math.sign(bytes) * value, locale, digits)} ${BYTE_UNITS[unit]}`;
}

export function formatByteRate(bytesPerSecond: number, locale: string): string {
  return `${formatBytes(bytesPerSecond, locale)}/s`;
}

export function formatPercentValue(value: number, locale: string): string {
  return `${number(value, locale, value >= 10 ? 0 : 1)} %`;
}

/** Hours and minutes for the time axis, in the user's language. */
export function formatClock(ms: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(ms);
}

/** A full time with seconds, for the data tables and the hovered point. */
export function formatTime(ms: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(ms);
}
