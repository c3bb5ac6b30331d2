// The one error the file loaders throw for bad input: it names the file and, where there is
// one, the 1-based line, so the UI can show "cora.cites, line 17: unknown node id …".

export class DataFileError extends Error {
  /** The file's name as given to the parser. */
  readonly file: string;
  /** 1-based line of the problem, when it has one. */
  readonly line?: number;
  /** The problem alone, without the file and line prefix. */
  readonly reason: string;

  constructor(file: string, line: number | undefined, reason: string) {
    super(line === undefined ? `${file}: ${reason}` : `${file}, line ${line}: ${reason}`);
    this.name = 'DataFileError';
    this.file = file;
    this.line = line;
    this.reason = reason;
  }
}
