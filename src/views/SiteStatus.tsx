// The site's own state, above every view: offline (and what still works), and a newer version
// waiting to be loaded. Both matter in a lecture hall with a poor network. Fixed in a corner, out
// of the page's grid, and the offline note can be dismissed so it never hides a lecture.
import { useEffect, useState } from 'react';
import { useSiteStatus } from '../offline/status';

export function SiteStatus() {
  const online = useSiteStatus((s) => s.online);
  const offlineReady = useSiteStatus((s) => s.offlineReady);
  const updateReady = useSiteStatus((s) => s.updateReady);
  const applyUpdate = useSiteStatus((s) => s.applyUpdate);
  const [dismissed, setDismissed] = useState(false);
  // Going offline again brings the note back.
  useEffect(() => setDismissed(false), [online]);
  const showOffline = !online && !dismissed;
  if (!showOffline && !updateReady) return null;
  return (
    <div className="site-status">
      {showOffline ? (
        <div className="banner note" role="status" data-testid="offline-banner">
          <span>
            Offline: everything on this page still works
            {offlineReady ? ' (it reloads from this device’s copy)' : ''} except loading a data set from a
            URL; files from this device still load.
          </span>
          <button type="button" onClick={() => setDismissed(true)} aria-label="Dismiss">
            ×
          </button>
        </div>
      ) : null}
      {updateReady ? (
        <div className="banner note" role="status" data-testid="update-banner">
          <span>A new version of this page is available.</span>
          <button type="button" onClick={applyUpdate} data-testid="update-reload">
            Reload to update
          </button>
        </div>
      ) : null}
    </div>
  );
}
