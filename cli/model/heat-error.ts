// The one error type users see: a single line saying what went wrong and how to fix it.
// Everything else that escapes is a bug and is reported as such by cli/main.ts.

export class HeatError extends Error {
  /**
   * @param message what went wrong, naming the file or flag
   * @param hint what to do about it
   * @param exitCode process exit status @default 1
   */
  constructor(
    message: string,
    readonly hint?: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'HeatError';
  }

  /** The line printed to stderr. */
  toLine(): string {
    return this.hint
      ? `heat-record: ${this.message} (${this.hint})`
      : `heat-record: ${this.message}`;
  }
}
