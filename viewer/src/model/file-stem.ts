// A file name without its extension, the base of every file the viewer offers to save
// ("run.db" -> "run-120-480s.png", "run-marked.db", "run-stacks-0-60s.folded").

/** The name without its last ".ext" ("run.db" -> "run", "a.b.db" -> "a.b"); a name without one as it is. */
export function fileStem(name: string): string {
  return name.replace(/\.[^.]*$/, '');
}
