// bpftrace's compile and attach errors, said in terms of the script the user wrote. bpftrace
// reports positions in the program file heat-record hands it and echoes that program's line
// under each error, which shows the rewritten script (keyed by second, split by parity: see
// bpftrace-second-maps.ts), and the same error twice. The rewrite keeps every line where it
// was, so an error's line number is the user's: keep the located messages, name the line, drop
// the echo and the ~~~ marks.

/** "/tmp/x/program.bt:1:52-67: ERROR: message" (also WARNING); bpftrace 0.17 and later. */
const LOCATED = /^(.*?):(\d+):\d+(?:-\d+)?: (ERROR|WARNING): (.*)$/;

export interface ScriptOrigin {
  /** The file bpftrace was given. */
  programFile: string;
  /** Lines of it that are the user's script; later ones are heat-record's own. */
  scriptLines: number;
  /** How the user gave the script: "-e", "-s FILE", "--preset NAME". */
  source: string;
}

/**
 * One line describing why bpftrace refused the program, or null when its stderr holds no error
 * message (then its last lines are shown as they are).
 */
export function describeBpftraceErrors(
  stderr: readonly string[],
  origin: ScriptOrigin,
): string | null {
  const said: string[] = [];
  let errors = 0;
  for (const raw of stderr) {
    const line = raw.trim();
    const located = LOCATED.exec(line);
    if (located && located[1] === origin.programFile) {
      const n = Number(located[2]);
      const where =
        n <= origin.scriptLines
          ? `line ${n} of ${scriptName(origin.source)}`
          : `line ${n} of the program (in the part heat-record adds)`;
      said.push(`${where}: ${located[3] === 'WARNING' ? 'warning: ' : ''}${located[4]}`);
      if (located[3] === 'ERROR') errors++;
    } else if (line.startsWith('ERROR: ') && !line.includes('RLIMIT_MEMLOCK')) {
      said.push(line.slice('ERROR: '.length));
      errors++;
    }
  }
  return errors > 0 ? [...new Set(said)].join(' / ') : null;
}

/** "-e" -> "the -e program", "-s run.bt" -> "run.bt", "--preset x" -> "preset x". */
function scriptName(source: string): string {
  if (source === '-e') return 'the -e program';
  if (source.startsWith('-s ')) return source.slice(3);
  if (source.startsWith('--preset ')) return `preset ${source.slice('--preset '.length)}`;
  return source;
}
