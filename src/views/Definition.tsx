// One definition of src/lessons/definitions.ts on the page: its formula typeset by KaTeX (bundled,
// fonts included: no network), and a small circled "i" button a plot title carries to open it in the help
// dialog. The TeX is our own constant, never user input, so its HTML is inserted as KaTeX made it.
import { memo } from 'react';
import katex from 'katex';
import 'katex/dist/katex.min.css';
import { definitionById, type Definition, type DefinitionId } from '../lessons/definitions';
import { useLecture } from '../state/store';

const rendered = new Map<string, string>();
function texHtml(tex: string): string {
  let html = rendered.get(tex);
  if (html === undefined) {
    html = katex.renderToString(tex, { displayMode: true, throwOnError: false, output: 'htmlAndMathml' });
    rendered.set(tex, html);
  }
  return html;
}

export const DefinitionCard = memo(function DefinitionCard({
  def,
  highlight = false,
}: {
  def: Definition;
  highlight?: boolean;
}) {
  return (
    <article
      className={`definition${highlight ? ' highlight' : ''}`}
      id={`def-${def.id}`}
      data-testid={`definition-${def.id}`}
    >
      <h3>{def.name}</h3>
      <div className="formula" dangerouslySetInnerHTML={{ __html: texHtml(def.tex) }} />
      <p>{def.what}</p>
      <p>
        <strong>Collapse:</strong> {def.collapse}
      </p>
      <p className="source">Source: {def.source}</p>
    </article>
  );
});

/** The circled "i" beside a plot title: opens the help dialog at the definition. */
export function DefinitionLink({ id, className }: { id: DefinitionId; className?: string }) {
  const show = useLecture((s) => s.showDefinition);
  const def = definitionById(id);
  return (
    <button
      type="button"
      className={`def-link${className ? ` ${className}` : ''}`}
      onClick={() => show(id)}
      aria-label={`What is ${def.name}?`}
      title={`What is ${def.name}?`}
      data-testid={`def-link-${id}`}
    >
      i
    </button>
  );
}
