import './thumbnail.css';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { screenshotUrl } from './api.js';
import { useQueuedImage } from './screenshot-queue.js';
import { useVisibleRefresh } from './visible-refresh.js';

/** A screenshot is asked for at most this often, and only while the thumbnail is seen. */
export const THUMBNAIL_REFRESH_MS = 5000;
export const THUMBNAIL_WIDTH = 240;

/** The widths asked of the server (it scales the screen down to them): the details overview's and a list row's. */
export const THUMBNAIL_WIDTHS = { overview: THUMBNAIL_WIDTH, row: 128 } as const;
export type ThumbnailSize = keyof typeof THUMBNAIL_WIDTHS;

export interface ScreenThumbnailProps {
  host: string;
  uuid: string;
  name: string;
  /** Only a running VM has a screen to take; otherwise the placeholder, and nothing is asked of the server. */
  running: boolean;
  /** `row`: the VM list's small box (thumbnail.css). */
  size?: ThumbnailSize;
  /** The placeholder's text (default "No screenshot"). */
  emptyText?: string;
}

/**
 * A live, small picture of the VM's screen (libvirt's screenshot stream, scaled by the server), refreshed while seen
 * and loaded through the page's shared screenshot queue.
 */
export function ScreenThumbnail({ host, uuid, name, running, size = 'overview', emptyText }: ScreenThumbnailProps) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  const tick = useVisibleRefresh(box, running, THUMBNAIL_REFRESH_MS);
  const width = THUMBNAIL_WIDTHS[size];
  const image = useQueuedImage(running && tick > 0 ? screenshotUrl(host, uuid, width, tick) : null);

  return (
    <div ref={box} className="vireo-thumb" data-size={size} data-running={running} data-testid="screen-thumbnail" data-tick={tick}>
      {image.src !== null ? (
        <img className="vireo-thumb-img" src={image.src} alt={t('consoles.thumbnail.alt', { name })} width={width} onLoad={image.onLoad} onError={image.onError} />
      ) : (
        <span className="vireo-thumb-empty">{emptyText ?? t('consoles.thumbnail.unavailable')}</span>
      )}
    </div>
  );
}
