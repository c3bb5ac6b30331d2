import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { startRuntime } from './state/runtime';
import { isPlainVisit, startIntro } from './state/intro';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
// Engines, URL sync and the play loop live outside React (StrictMode would start them twice).
// Whether the link named any settings is read first: the URL sync writes them all in.
const plainVisit = isPlainVisit(window.location.hash);
startRuntime();
if (plainVisit) startIntro();
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
