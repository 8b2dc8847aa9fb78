/** What every wizard step gets, and the small helpers they share. */
import { useTranslation } from 'react-i18next';
import { formatKiB } from '../vm-logic.js';
import type { WizardForm } from './form.js';
import type { FieldErrors, Reason } from './validate.js';

export interface StepProps {
  host: string;
  form: WizardForm;
  /** Replaces the form (for changes that depend on it, e.g. picking an OS). */
  update: (change: (form: WizardForm) => WizardForm) => void;
  errors: FieldErrors;
}

/** Input descriptions in a colour that keeps WCAG AA contrast (Mantine's dimmed one does not). */
export const DESCRIPTION = { description: 'vireo-wizard-description' };

/** Sets some fields. */
export function patcher(update: StepProps['update']) {
  return (patch: Partial<WizardForm>) => update((f) => ({ ...f, ...patch }));
}

/** A reason as text beside its field: a catalogue message, or the server's own words. */
export function useReason(): (reason: Reason | undefined) => string | undefined {
  const { t } = useTranslation();
  return (reason) => {
    if (reason === undefined) return undefined;
    if ('text' in reason) return reason.text;
    return t(`wizard.errors.${reason.key}`, reason.values ?? {});
  };
}

export function formatBytes(bytes: number, locale: string): string {
  return formatKiB(bytes / 1024, locale);
}

/** A NumberInput's value as a number (NaN while the field is empty). */
export function toNumber(value: number | string): number {
  return typeof value === 'number' ? value : value.trim() === '' ? Number.NaN : Number(value);
}
