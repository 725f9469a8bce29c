/** How far a pin has got. */
export interface PinCounts {
  /** Layer files read (text, crate, usdz), the stages included. */
  layers: number;
  /** Distinct identifiers the layers name (local ones included). */
  assetPaths: number;
  /** Identifiers the server answered. */
  pinned: number;
  /** Identifiers neither the filesystem nor the server answered (null in the pin file). */
  unresolved: number;
}

const everyMs = 250;

/**
 * Calls `report` with the counts at most every {@link everyMs}, and once more at the end: a stage of
 * 10,000 layers must not spend its time printing.
 */
export class ProgressReporter {
  private last = 0;

  constructor(private readonly report: ((counts: PinCounts, done: boolean) => void) | undefined) {}

  update(counts: PinCounts): void {
    const now = Date.now();
    if (this.report === undefined || now - this.last < everyMs) return;
    this.last = now;
    this.report({ ...counts }, false);
  }

  done(counts: PinCounts): void {
    this.report?.({ ...counts }, true);
  }
}

/** One line on a terminal, rewritten in place: layers read, asset paths, pins. */
export function terminalProgress(stream: NodeJS.WriteStream): (counts: PinCounts, done: boolean) => void {
  return (counts, done) => {
    const line = `pin: ${counts.layers} layers read, ${counts.assetPaths} asset paths, ${counts.pinned} pinned, ${counts.unresolved} unresolved`;
    stream.write(`\r\x1b[K${line}${done ? '\n' : ''}`);
  };
}
