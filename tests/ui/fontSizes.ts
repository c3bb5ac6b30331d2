// Measures the smallest text a viewer can see on the page, in CSS pixels as drawn: every
// visible text node (HTML or SVG, an SVG's own scaling included) and every visible form
// control's value. Run inside the page with page.evaluate(smallestVisibleText).
export interface TextSize {
  px: number;
  text: string;
  where: string;
}

/** The visible text items of the page, smallest first (at most `limit`). Self-contained: it is serialized into the page. */
export function smallestVisibleText(limit: number): TextSize[] {
  const vw = window.innerWidth;
  const vh = window.innerHeight;
  const out: TextSize[] = [];
  const describe = (el: Element): string => {
    const parts: string[] = [];
    for (let e: Element | null = el; e && parts.length < 3; e = e.parentElement) {
      const id = e.getAttribute('data-testid');
      const cls = e.getAttribute('class');
      parts.push(`${e.tagName.toLowerCase()}${id ? `[${id}]` : ''}${cls ? `.${cls.split(' ')[0]}` : ''}`);
    }
    return parts.join(' < ');
  };
  const onScreen = (rects: DOMRectList | DOMRect[]): boolean =>
    Array.from(rects).some(
      (r) => r.width > 0.5 && r.height > 0.5 && r.right > 0 && r.bottom > 0 && r.left < vw && r.top < vh,
    );
  const sizeOf = (el: Element): number => {
    let px = parseFloat(getComputedStyle(el).fontSize);
    if (el instanceof SVGElement) {
      const m = (el as SVGGraphicsElement).getScreenCTM?.();
      if (m) px *= Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
    }
    return px;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = (n.textContent ?? '').trim();
    const el = n.parentElement;
    if (!text || !el) continue;
    if (el.closest('option, select, script, style, title, .sr-only, .katex-mathml')) continue;
    if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
    range.selectNodeContents(n);
    if (!onScreen(range.getClientRects())) continue;
    out.push({ px: sizeOf(el), text: text.slice(0, 40), where: describe(el) });
  }
  for (const el of Array.from(
    document.querySelectorAll('select, input[type="number"], input[type="text"], textarea'),
  )) {
    if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
    if (!onScreen([el.getBoundingClientRect()])) continue;
    const value =
      el instanceof HTMLSelectElement ? (el.selectedOptions[0]?.text ?? '') : (el as HTMLInputElement).value;
    out.push({ px: sizeOf(el), text: value.slice(0, 40), where: describe(el) });
  }
  out.sort((a, b) => a.px - b.px);
  return out.slice(0, limit);
}
