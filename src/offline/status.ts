// What the page knows about the network and the offline copy, for the banner (../views/SiteStatus.tsx).
import { create } from 'zustand';

export interface SiteStatus {
  /** The browser's own `navigator.onLine` (false is reliable; true may still mean a bad network). */
  online: boolean;
  /** A service worker holds this version's files: the page will load without the network. */
  offlineReady: boolean;
  /** A newer deployment has been downloaded and waits for the user to load it. */
  updateReady: boolean;
  /** Ask the waiting version to take over; the page reloads when it has. Set by ./register.ts. */
  applyUpdate: () => void;
}

export const useSiteStatus = create<SiteStatus>(() => ({
  online: typeof navigator === 'undefined' ? true : navigator.onLine,
  offlineReady: false,
  updateReady: false,
  applyUpdate: () => {},
}));
