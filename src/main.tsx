import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { registerServiceWorker, watchOnline } from './offline/register';
import { startRuntime } from './runtime/depth';
import { isPlainVisit, startIntro } from './state/intro';
import { installTestHooks } from './testHooks';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
// Engines, URL sync and the play loop live outside React (StrictMode would start them twice).
// Whether the link named any settings is read first: the URL sync writes them all in.
const plainVisit = isPlainVisit(window.location.hash);
installTestHooks();
startRuntime();
watchOnline();
// The offline copy: built sites only (the dev server and its tests must always get fresh code).
// After `load`, so that its downloads do not compete with the page's own.
if (import.meta.env.PROD) window.addEventListener('load', registerServiceWorker, { once: true });
if (plainVisit) startIntro();
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
