// The page's side of the offline service worker (./sw.ts): registers it in production builds,
// follows online/offline, and turns a newly deployed version into an update prompt instead of
// swapping the code under a running lecture.
import { useSiteStatus } from './status';

export function watchOnline(): void {
  const update = () => useSiteStatus.setState({ online: navigator.onLine });
  window.addEventListener('online', update);
  window.addEventListener('offline', update);
  update();
}

export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  // Relative to the page: sw.js sits beside index.html, and its scope is that folder, whatever
  // sub-path the site is hosted under.
  navigator.serviceWorker
    .register('./sw.js', { scope: './' })
    .then(watchRegistration)
    .catch((err: unknown) => {
      // No offline copy (e.g. a private window, or a host that serves sw.js wrongly); all else works.
      console.warn('offline copy unavailable:', err instanceof Error ? err.message : err);
    });
}

function watchRegistration(registration: ServiceWorkerRegistration): void {
  const container = navigator.serviceWorker;
  let reloading = false;
  const offerUpdate = (waiting: ServiceWorker) =>
    useSiteStatus.setState({
      updateReady: true,
      applyUpdate: () => {
        reloading = true;
        waiting.postMessage({ type: 'skip-waiting' });
      },
    });
  // The first install takes no prompt (there is no older version); later ones wait for the user.
  const watchInstalling = (worker: ServiceWorker) =>
    worker.addEventListener('statechange', () => {
      if (worker.state === 'installed' && container.controller) offerUpdate(worker);
    });
  if (registration.waiting && container.controller) offerUpdate(registration.waiting);
  if (registration.installing) watchInstalling(registration.installing);
  registration.addEventListener('updatefound', () => {
    if (registration.installing) watchInstalling(registration.installing);
  });
  container.addEventListener('controllerchange', () => {
    if (reloading) window.location.reload();
  });
  void container.ready.then(() => useSiteStatus.setState({ offlineReady: true }));
  // Back online after a while offline: a new version may have been deployed meanwhile.
  window.addEventListener('online', () => void registration.update().catch(() => {}));
}
