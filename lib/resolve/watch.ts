import { EventEmitter, on } from 'node:events';

import { nativeBinding, type ResolverChange } from '../native/binding';

/**
 * What {@link watch} returns: emits `'change'` with each {@link ResolverChange}, in order, and
 * `'resync'` when changes may have been missed: the feed came back after it broke (every kept
 * answer was dropped), or this thread was too busy to take 10,000 batches of them. Iterable with
 * `for await`. `close()` stops it.
 */
export class ChangeWatch extends EventEmitter {
  private stop: (() => void) | undefined;

  constructor() {
    super();
    this.stop = nativeBinding().watchChanges((changes, everything) => {
      if (everything) this.emit('resync');
      for (const change of changes) this.emit('change', change);
    });
  }

  /** Stops listening; the binding goes on following the feed for what it keeps. */
  close(): void {
    this.stop?.();
    this.stop = undefined;
    this.emit('close');
  }

  /** The changes as they come, until `close()`. */
  async *[Symbol.asyncIterator](): AsyncGenerator<ResolverChange> {
    const closed = new AbortController();
    this.once('close', () => closed.abort());
    try {
      for await (const [change] of on(this, 'change', { signal: closed.signal })) yield change as ResolverChange;
    } catch (error) {
      if (!closed.signal.aborted) throw error;
    }
  }
}

/**
 * Follows the change feed of the environment's resolution server (`GET /_ar/events`), as
 * `AR_HTTP_WATCH=1` makes the binding and the plugin do from the start: the answers kept of each
 * changed asset path are dropped, then the change is emitted. Reconnects with `Last-Event-ID`,
 * waiting from 250 ms up to 30 s between attempts while the server is away. Does not keep the
 * process alive.
 */
export function watch(): ChangeWatch {
  return new ChangeWatch();
}
