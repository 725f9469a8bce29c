/**
 * The warnings on `stderr` that hold `start`, each from `start` on: the same on both backends, whatever each
 * puts before a warning (`ar-http warning: `, TfWarn's place, Node's process-warning prefix).
 */
export function warningsFrom(stderr: string, start: string): string[] {
  return stderr.split('\n').filter((line) => line.includes(start)).map((line) => line.slice(line.indexOf(start)));
}

/** The lines of `stderr` that are not about `start`, but for Node's hint after its first process warning. */
export function otherLines(stderr: string, start: string): string[] {
  return stderr.split('\n').filter((line) => line && !line.includes(start) && !line.startsWith('(Use `node --trace-warnings'));
}

/** The lines of `stderr`, but for empty ones and Node's hint after its first process warning. */
export function stderrLines(stderr: string): string[] {
  return otherLines(stderr, '\0');
}
