// Files dropped anywhere on the page load as data. While files are dragged over the page the
// <html> element carries `data-dragging`, which the stylesheet turns into a drop hint.
import { useEffect } from 'react';

function hasFiles(e: DragEvent): boolean {
  return Array.from(e.dataTransfer?.types ?? []).includes('Files');
}

export function usePageDrop(onFiles: (files: File[]) => void): void {
  useEffect(() => {
    const root = document.documentElement;
    let depth = 0;
    const clear = () => {
      depth = 0;
      delete root.dataset.dragging;
    };
    const onEnter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth++;
      root.dataset.dragging = 'true';
    };
    const onLeave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      if (--depth <= 0) clear();
    };
    const onOver = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault(); // allows the drop
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const onDrop = (e: DragEvent) => {
      const files = Array.from(e.dataTransfer?.files ?? []);
      clear();
      if (!files.length) return;
      e.preventDefault(); // the browser would otherwise open the file
      onFiles(files);
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('dragover', onOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('drop', onDrop);
      clear();
    };
  }, [onFiles]);
}
