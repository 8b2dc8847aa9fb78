/**
 * The VM list's "Show screens" choice: remembered per browser (off until turned on: a list of thumbnails costs the
 * host a screendump per running VM every few seconds), and only for those allowed screenshots (operators, admins).
 */
import type { Role } from '@vireo/api';

export const SCREENS_STORAGE_KEY = 'vireo.vmList.screens';

/** The screenshot route's role: viewers never see the toggle nor ask for a picture. */
export function canTakeScreens(role: Role): boolean {
  return role !== 'viewer';
}

export function readScreensPreference(): boolean {
  try {
    return globalThis.localStorage?.getItem(SCREENS_STORAGE_KEY) === 'on';
  } catch {
    // Storage refused (privacy settings): the default.
    return false;
  }
}

export function writeScreensPreference(on: boolean): void {
  try {
    globalThis.localStorage?.setItem(SCREENS_STORAGE_KEY, on ? 'on' : 'off');
  } catch {
    // Not remembered, still applied for this page.
  }
}
