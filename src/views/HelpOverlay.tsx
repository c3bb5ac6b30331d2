import { useEffect, useRef } from 'react';
import { useLecture } from '../state/store';
import { SHORTCUTS } from './shortcuts';
import { DEFINITIONS } from '../lessons/definitions';
import { DefinitionCard } from './Definition';

export function HelpOverlay() {
  const open = useLecture((s) => s.helpOpen);
  const topic = useLecture((s) => s.helpTopic);
  const setOpen = useLecture((s) => s.setHelpOpen);
  const body = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open || !topic) return;
    body.current?.querySelector(`#def-${topic}`)?.scrollIntoView({ block: 'start' });
  }, [open, topic]);
  if (!open) return null;
  return (
    <div className="help-backdrop" onClick={() => setOpen(false)}>
      <div
        className="help"
        role="dialog"
        aria-modal="true"
        aria-label="Help: definitions and keyboard shortcuts"
        data-testid="help-overlay"
        onClick={(e) => e.stopPropagation()}
      >
        <div className="help-body" ref={body}>
          <h2>What the plots show</h2>
          <div className="definitions" data-testid="definitions">
            {DEFINITIONS.map((d) => (
              <DefinitionCard key={d.id} def={d} highlight={d.id === topic} />
            ))}
          </div>
          <h2>Keyboard shortcuts</h2>
          <dl>
            {SHORTCUTS.map(([k, what]) => (
              <div key={k}>
                <dt>
                  <kbd>{k}</kbd>
                </dt>
                <dd>{what}</dd>
              </div>
            ))}
          </dl>
        </div>
        <button type="button" onClick={() => setOpen(false)}>
          Close
        </button>
      </div>
    </div>
  );
}
