import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { startRuntime } from './state/runtime';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
// Engines, URL sync and the play loop live outside React (StrictMode would start them twice).
startRuntime();
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
