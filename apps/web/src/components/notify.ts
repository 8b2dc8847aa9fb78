/**
 * The app's one way of telling the user how a change went: Mantine notifications, shown by `AppNotifications`
 * (mounted once in app.tsx). A failure says what the server said, libvirt's own message first, so nothing fails
 * silently.
 */
import './notify.css';
import { Notifications, notifications } from '@mantine/notifications';
import { createElement, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.js';

/** The close button's accessible name in the current language (kept by AppNotifications). */
let dismissLabel = 'Dismiss';

/** The notifications container; inside the i18n provider, so the close buttons are named in the user's language. */
export function AppNotifications(): ReactElement {
  const { t } = useTranslation();
  dismissLabel = t('common.dismiss');
  return createElement(Notifications, { position: 'top-right' });
}

/** What went wrong, in the words closest to the source: libvirt's message, else the problem's detail, else its title. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.libvirt?.message ?? error.detail ?? error.title;
  if (error instanceof Error) return error.message;
  return String(error);
}

// Mantine's notification text is a light grey below 4.5:1 on white: the app's own class darkens it.
const common = () => ({ closeButtonProps: { 'aria-label': dismissLabel }, classNames: { description: 'vireo-notify-text' } });

export function notifySuccess(title: string, message?: string): void {
  notifications.show({ ...common(), ...(message === undefined ? { message: title } : { title, message }), color: 'teal', autoClose: 5000, role: 'status' });
}

/** A failed change: stays until dismissed, so a libvirt message can be read in full. */
export function notifyError(title: string, error: unknown): void {
  notifications.show({ ...common(), title, message: errorMessage(error), color: 'red', autoClose: false, role: 'alert' });
}
