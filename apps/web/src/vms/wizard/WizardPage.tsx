import './wizard.css';
import { Button, Group, Stack, Stepper, Title } from '@mantine/core';
import type { Task } from '@vireo/api';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.js';
import { useDomains, useHostSummary } from '../../api/queries.js';
import { notifyError, notifySuccess } from '../../components/notify.js';
import { trackTask } from '../../tasks/track-task.js';
import { taskErrorMessage } from '../../tasks/task-cache.js';
import { CloudInitStep } from './CloudInitStep.js';
import { HardwareStep } from './HardwareStep.js';
import { NetworkStep } from './NetworkStep.js';
import { SourceStep } from './SourceStep.js';
import { StorageStep } from './StorageStep.js';
import { SummaryStep } from './SummaryStep.js';
import { initialForm, toCreateRequest, type HostFacts, type WizardForm } from './form.js';
import { createDomain } from './queries.js';
import type { StepProps } from './step-props.js';
import { FIELDS, firstStepWithError, serverErrors, stepErrors, STEPS, validateForm, type FieldErrors, type StepId } from './validate.js';

export interface WizardPageProps {
  host: string;
}

/** The steps this form goes through: cloud-init only for a cloud image. */
export function visibleSteps(form: Pick<WizardForm, 'source'>): StepId[] {
  return STEPS.filter((s) => s !== 'cloudInit' || form.source === 'cloud');
}

const vmPath = (host: string, uuid: string) => `/vms/${encodeURIComponent(host)}/${encodeURIComponent(uuid)}`;

/**
 * The create-VM wizard: one form over a few steps (Enter or Next goes on, each step checks its own fields), a
 * summary with the XML the server would define, and two ends: create and start, or define and open the VM's
 * page to customise it first. A failed create keeps everything typed, with the reason beside the field.
 */
export function WizardPage({ host }: WizardPageProps) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const navigate = useNavigate();
  const domains = useDomains(host);
  const summary = useHostSummary(host);
  const [form, setForm] = useState<WizardForm>(initialForm);
  const [step, setStep] = useState<StepId>('source');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [creating, setCreating] = useState(false);
  const bodyRef = useRef<HTMLDivElement>(null);
  const moved = useRef(false);
  const update = useCallback((change: (f: WizardForm) => WizardForm) => setForm(change), []);

  const steps = visibleSteps(form);
  const index = Math.max(0, steps.indexOf(step));
  const facts: HostFacts = { kvm: summary.data?.kvm.available ?? true };
  const existingNames = domains.data?.domains.map((d) => d.name) ?? [];

  // After a step change, focus goes to the new step's first field (or its first invalid one), for keyboard users.
  useEffect(() => {
    if (!moved.current) return;
    moved.current = false;
    const body = bodyRef.current;
    const target =
      body?.querySelector<HTMLElement>('[aria-invalid="true"]') ??
      body?.querySelector<HTMLElement>('[data-autofocus]') ??
      body?.querySelector<HTMLElement>('input, select, textarea, button');
    target?.focus();
  });

  const goTo = (next: StepId, nextErrors: FieldErrors = {}) => {
    moved.current = true;
    setErrors(nextErrors);
    setStep(next);
  };

  const onNext = () => {
    const mine = stepErrors(validateForm(form, { existingNames }), step);
    if (Object.keys(mine).length > 0) {
      moved.current = true;
      setErrors(mine);
      return;
    }
    const next = steps[index + 1];
    if (next) goTo(next);
  };
  const onBack = () => {
    const prev = steps[index - 1];
    if (prev) goTo(prev);
  };

  const finish = (uuid: string | undefined, start: boolean) => {
    if (!start && uuid !== undefined) void navigate({ to: '/vms/$host/$uuid', params: { host, uuid } });
    else void navigate({ to: '/' });
  };

  const onCreate = async (start: boolean) => {
    const all = validateForm(form, { existingNames });
    const bad = firstStepWithError(all);
    if (bad !== null) {
      goTo(bad, stepErrors(all, bad));
      return;
    }
    const name = form.name.trim();
    setCreating(true);
    setErrors({});
    try {
      const outcome = await createDomain(host, toCreateRequest(form, facts, start));
      if (outcome.kind === 'created') {
        notifySuccess(t('wizard.created', { name }));
        finish(outcome.detail.summary.uuid, start);
        return;
      }
      const task: Task = await trackTask(client, outcome.accepted.task, {
        t,
        locale: i18n.language,
        title: t('wizard.task.title', { name }),
        successMessage: t('wizard.task.done', { name }),
        open: {
          label: t('wizard.task.open', { name }),
          href: (done) => (done.result?.['uuid'] ? vmPath(host, done.result['uuid']) : null),
          go: (href) => void navigate({ to: href }),
        },
      });
      if (task.state === 'succeeded') finish(task.result?.['uuid'], start);
      else setErrors({ form: { text: taskErrorMessage(task) || t('tasks.failedUnknown') } });
    } catch (err) {
      if (err instanceof ApiError) {
        const mapped = serverErrors(err);
        const where = firstStepWithError(mapped) ?? 'summary';
        if (mapped.form) notifyError(t('wizard.failed', { name }), err);
        goTo(where, where === 'summary' ? mapped : stepErrors(mapped, where));
        // The other steps' reasons come back when the user reaches them and presses Next.
      } else {
        notifyError(t('wizard.failed', { name }), err);
        setErrors({ form: { text: err instanceof Error ? err.message : String(err) } });
      }
    } finally {
      setCreating(false);
    }
  };

  const props: StepProps = { host, form, update, errors };
  const hasErrors = FIELDS.some((f) => errors[f] !== undefined);

  return (
    <Stack gap="md" className="vireo-wizard">
      <Title order={1}>{t('wizard.title')}</Title>
      <nav aria-label={t('wizard.steps.label')}>
        <Stepper
          active={index}
          onStepClick={(i) => {
            const target = steps[i];
            if (target && i < index) goTo(target);
          }}
          allowNextStepsSelect={false}
          size="sm"
          color="blue.9"
          wrap
        >
          {steps.map((s) => (
            <Stepper.Step key={s} label={t(`wizard.steps.${s}`)} aria-current={s === step ? 'step' : undefined} />
          ))}
        </Stepper>
      </nav>
      <section aria-labelledby="vireo-wizard-step" ref={bodyRef}>
        <Title order={2} id="vireo-wizard-step" className="vireo-wizard-step-title">
          {t(`wizard.steps.${step}`)}
        </Title>
        {hasErrors && step !== 'summary' && (
          <p className="vireo-visually-hidden" role="status">
            {t('wizard.fixErrors')}
          </p>
        )}
        {step === 'summary' ? (
          <SummaryStep {...props} facts={facts} creating={creating} onCreate={(start) => void onCreate(start)} onBack={onBack} />
        ) : (
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              onNext();
            }}
          >
            <Stack gap="md">
              {step === 'source' && <SourceStep {...props} />}
              {step === 'hardware' && <HardwareStep {...props} />}
              {step === 'storage' && <StorageStep {...props} />}
              {step === 'network' && <NetworkStep {...props} />}
              {step === 'cloudInit' && <CloudInitStep {...props} />}
              <Group justify="space-between">
                <Group gap="sm">
                  <Button variant="default" onClick={() => void navigate({ to: '/' })}>
                    {t('wizard.cancel')}
                  </Button>
                  {index > 0 && (
                    <Button variant="default" onClick={onBack}>
                      {t('wizard.back')}
                    </Button>
                  )}
                </Group>
                <Button type="submit" color="blue.9">{t('wizard.next')}</Button>
              </Group>
            </Stack>
          </form>
        )}
      </section>
    </Stack>
  );
}
