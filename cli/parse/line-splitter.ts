// Cuts a stream arriving in arbitrary chunks into whole lines, for the line-based parsers.

export class LineSplitter {
  private pending = '';

  /** The whole lines this chunk completes (without "\n" or a trailing "\r"). */
  push(chunk: string): string[] {
    // Only the new chunk is split, so a long line arriving in many small pieces stays linear.
    const lines = chunk.split('\n');
    if (lines.length === 1) {
      this.pending += chunk;
      return [];
    }
    lines[0] = this.pending + lines[0];
    this.pending = lines.pop()!;
    return lines.map(stripCr);
  }

  /** The last line, when the stream did not end with a newline. */
  end(): string[] {
    const rest = this.pending;
    this.pending = '';
    return rest === '' ? [] : [stripCr(rest)];
  }
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
