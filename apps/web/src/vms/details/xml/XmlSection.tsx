import { Alert, Button, Card, Group, List, Stack, Text, Title } from '@mantine/core';
import type { DomainDetail } from '@vireo/api';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { notifyError, notifySuccess } from '../../../components/notify.js';
import { EditErrorAlert } from '../EditErrorAlert.js';
import { isRevisionConflict, useReloadDetail, useReplaceXml } from '../mutations.js';
import { xmlProblems, type XmlProblem } from './xml-problems.js';

// CodeMirror comes in its own chunk, fetched when an editor is first opened.
const XmlCodeEditor = lazy(() => import('./codemirror.js').then((m) => ({ default: m.XmlCodeEditor })));
const XmlDiffView = lazy(() => import('./codemirror.js').then((m) => ({ default: m.XmlDiffView })));

export interface XmlSectionProps {
  host: string;
  uuid: string;
  name: string;
  detail: DomainDetail;
  /** Admins replace the definition; everyone else gets a read-only editor. */
  canEdit: boolean;
}

type Mode = 'view' | 'edit' | 'review';

/** The definition the draft is based on: its text for the diff, its ETag for If-Match. */
interface Base {
  etag: string;
  xml: string;
}

const NO_PROBLEMS: readonly XmlProblem[] = [];

/**
 * The inactive definition's XML: shown as text, opened in an editor on demand, reviewed as a diff against the
 * definition it was based on, then applied (PUT with If-Match). The server's schema and libvirt errors come back
 * at their lines; a definition changed meanwhile is reported with a reload that keeps the edits.
 */
export function XmlSection({ host, uuid, name, detail, canEdit }: XmlSectionProps) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<Mode>('view');
  const [base, setBase] = useState<Base>({ etag: detail.etag, xml: detail.xml });
  const [draft, setDraft] = useState(detail.xml);
  const [problems, setProblems] = useState<readonly XmlProblem[]>(NO_PROBLEMS);
  const replace = useReplaceXml(host, uuid);
  const reload = useReloadDetail(host, uuid);
  const changed = draft !== base.xml;

  const open = () => {
    setBase({ etag: detail.etag, xml: detail.xml });
    setDraft(detail.xml);
    setProblems(NO_PROBLEMS);
    replace.reset();
    setMode('edit');
  };

  const close = () => {
    setMode('view');
    setProblems(NO_PROBLEMS);
    replace.reset();
  };

  const apply = () => {
    replace.mutate(
      { etag: base.etag, xml: draft },
      {
        onSuccess: () => {
          notifySuccess(t('edit.xml.applied', { name }));
          close();
        },
        onError: (err) => {
          notifyError(t('edit.xml.failed', { name }), err);
          if (isRevisionConflict(err)) return;
          setProblems(xmlProblems(err));
          setMode('edit');
        },
      },
    );
  };

  /** After a conflict: the current definition becomes the base, the draft stays, and the diff shows it against it. */
  const rebase = async () => {
    const fresh = await reload();
    if (fresh) setBase({ etag: fresh.etag, xml: fresh.xml });
    replace.reset();
    setMode('review');
  };

  const editorFallback = <Text size="sm">{t('edit.xml.loading')}</Text>;

  return (
    <Card withBorder component="section" aria-labelledby="vm-details-xml">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id="vm-details-xml">
          {t('details.xml')}
        </Title>
        {mode === 'view' && (
          <Button variant="default" size="xs" onClick={open}>
            {canEdit ? t('edit.xml.edit') : t('edit.xml.open')}
          </Button>
        )}
      </Group>
      {detail.redacted.length > 0 && (
        <Text size="sm" c="gray.7" mb="xs">
          {t('details.redacted')}
        </Text>
      )}

      {mode === 'view' && (
        <pre className="vireo-xml" aria-label={t('details.xmlLabel')} tabIndex={0}>
          {detail.xml}
        </pre>
      )}

      {mode === 'edit' && (
        <Stack gap="sm">
          {!canEdit && (
            <Text size="sm" c="gray.7">
              {t('edit.xml.readOnly')}
            </Text>
          )}
          {problems.length > 0 && (
            <Alert color="red" role="alert" title={t('edit.xml.rejected')} classNames={{ title: 'vireo-title-danger' }}>
              <List size="sm">
                {problems.map((p, i) => (
                  <List.Item key={i}>{p.line === null ? p.message : t('edit.xml.atLine', { line: p.line, message: p.message })}</List.Item>
                ))}
              </List>
            </Alert>
          )}
          <Suspense fallback={editorFallback}>
            <XmlCodeEditor
              value={draft}
              onChange={canEdit ? setDraft : undefined}
              readOnly={!canEdit}
              label={t('edit.xml.editorLabel')}
              problems={problems}
            />
          </Suspense>
          <Group gap="xs">
            {canEdit && (
              <Button color="blue.9" onClick={() => setMode('review')} disabled={!changed}>
                {t('edit.xml.review')}
              </Button>
            )}
            {canEdit && changed && (
              <Button variant="default" onClick={() => setDraft(base.xml)}>
                {t('edit.xml.discard')}
              </Button>
            )}
            <Button variant="default" onClick={close}>
              {t('edit.xml.close')}
            </Button>
          </Group>
        </Stack>
      )}

      {mode === 'review' && (
        <Stack gap="sm">
          <Text size="sm">{changed ? t('edit.xml.diffIntro') : t('edit.unchanged')}</Text>
          <EditErrorAlert
            error={replace.error}
            conflictMessage={t('edit.xml.conflict')}
            onReload={() => void rebase()}
          />
          <Suspense fallback={editorFallback}>
            <XmlDiffView key={`${base.etag}\n${draft}`} original={base.xml} modified={draft} label={t('edit.xml.diffLabel')} />
          </Suspense>
          <Group gap="xs">
            <Button color="blue.9" onClick={apply} loading={replace.isPending} disabled={!changed || isRevisionConflict(replace.error)}>
              {t('edit.xml.apply')}
            </Button>
            <Button variant="default" onClick={() => setMode('edit')}>
              {t('edit.xml.backToEdit')}
            </Button>
          </Group>
        </Stack>
      )}
    </Card>
  );
}
