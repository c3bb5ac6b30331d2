// The one error the file loaders throw for bad input: it names the file and, where there is
// one, the 1-based line, so the UI can show "cora.cites, line 17: unknown node id …".
// Both the file name and the reason are cut short and stripped of control characters here,
// so that no message (whatever a file or a URL holds) can grow past a few hundred characters:
// a message quoting a 20 MB field once froze the page while it was laid out.

/** The most characters of a reason a message keeps. */
export const MAX_REASON_CHARS = 400;
/** The most characters of a file name (or URL) a message keeps. */
export const MAX_FILE_NAME_CHARS = 120;

/** `s` on one line (control characters as spaces), cut to `max` characters with an ellipsis. */
export function clip(s: string, max: number): string {
  // Only the head is looked at, so a huge string costs nothing more than a short one.
  const head = s.length > max + 1 ? s.slice(0, max + 1) : s;
  const clean = head.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

export class DataFileError extends Error {
  /** The file's name as given to the parser (cut short when long). */
  readonly file: string;
  /** 1-based line of the problem, when it has one. */
  readonly line?: number;
  /** The problem alone, without the file and line prefix. */
  readonly reason: string;

  constructor(file: string, line: number | undefined, reason: string) {
    const f = clip(file, MAX_FILE_NAME_CHARS);
    const r = clip(reason, MAX_REASON_CHARS);
    super(line === undefined ? `${f}: ${r}` : `${f}, line ${line}: ${r}`);
    this.name = 'DataFileError';
    this.file = f;
    this.line = line;
    this.reason = r;
  }
}
