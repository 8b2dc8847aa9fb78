import './thumbnail.css';
import { Text } from '@mantine/core';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { screenshotUrl } from './api.js';
import { useVisibleRefresh } from './visible-refresh.js';

/** A screenshot is asked for at most this often, and only while the thumbnail is seen. */
export const THUMBNAIL_REFRESH_MS = 5000;
export const THUMBNAIL_WIDTH = 240;

export interface ScreenThumbnailProps {
  host: string;
  uuid: string;
  name: string;
  /** Only a running VM has a screen to take. */
  running: boolean;
}

/** A live, small picture of the VM's screen (libvirt's screenshot stream, scaled by the server). */
export function ScreenThumbnail({ host, uuid, name, running }: ScreenThumbnailProps) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  const tick = useVisibleRefresh(box, running, THUMBNAIL_REFRESH_MS);
  const [failedTick, setFailedTick] = useState<number | null>(null);
  const showImage = running && tick > 0 && failedTick !== tick;

  const image = showImage ? (
    <img
      className="vireo-thumb-img"
      src={screenshotUrl(host, uuid, THUMBNAIL_WIDTH, tick)}
      alt={t('consoles.thumbnail.alt', { name })}
      width={THUMBNAIL_WIDTH}
      onError={() => setFailedTick(tick)}
    />
  ) : (
    <Text size="xs" className="vireo-thumb-empty">
      {t('consoles.thumbnail.unavailable')}
    </Text>
  );
  return (
    <div ref={box} className="vireo-thumb" data-testid="screen-thumbnail" data-tick={tick}>
      {image}
    </div>
  );
}
