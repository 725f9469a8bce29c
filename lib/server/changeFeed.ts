import type { ServerResponse } from 'node:http';

import fastifyPlugin from 'fastify-plugin';

import { Protocol } from '../protocol';
import type { Change, MappingStore } from '../store/MappingStore';
import { errorBodySchema, sendError } from './errorReplies';
import { type PluginScopeOptions, setUpPluginScope } from './pluginScope';

export interface ChangeFeedOptions extends PluginScopeOptions {
  /** The store whose changes are streamed. */
  store: MappingStore;
  /** Streams open at once, at most (default 1,000): more are answered 503. */
  maxClients?: number;
}

// A client that reads slower than changes come is dropped past this many unsent bytes; it comes
// back with Last-Event-ID and reads the rest from the store.
const maxUnsentBytes = 1024 * 1024;
const pageSize = 500;

/** One change as the protocol's event: two percent-encoded lines, the asset path and the new resolved path. */
export function eventOf(change: Change): string {
  const resolved = change.newResolvedPath === null ? '' : encodeURIComponent(change.newResolvedPath);
  return `id: ${change.id}\nevent: change\ndata: ${encodeURIComponent(change.assetPath)}\ndata: ${resolved}\n\n`;
}

/** Last-Event-ID: a change number, else undefined (start with the changes to come). */
function lastEventIdOf(header: string | string[] | undefined): number | undefined {
  const text = Array.isArray(header) ? header[0] : header;
  if (text === undefined || !/^\d{1,15}$/.test(text.trim())) return undefined;
  return Number(text.trim());
}

/** One open stream: replays from the store what it missed, then sends changes as they come. */
class Stream {
  private sent: number;
  private replaying = true;
  private readonly waiting: Change[] = [];
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly response: ServerResponse,
    after: number,
    private readonly done: () => void,
  ) {
    this.sent = after;
    this.heartbeat = setInterval(() => this.write(':\n\n'), Protocol.keepAliveEventSeconds * 1000);
    response.on('close', () => this.end());
  }

  async replay(store: MappingStore): Promise<void> {
    try {
      for (;;) {
        const page = await store.changesAfter(this.sent, pageSize);
        for (const change of page) this.send(change);
        if (page.length < pageSize || this.response.destroyed) break;
      }
    } catch {
      // The store is away: the client comes back with Last-Event-ID.
      this.response.destroy();
      return;
    }
    this.replaying = false;
    for (const change of this.waiting.splice(0)) this.send(change);
  }

  /** A change as it comes: held while the replay runs, never sent twice. */
  live(change: Change): void {
    if (this.replaying) {
      this.waiting.push(change);
      if (this.waiting.length > pageSize * 20) this.response.destroy();
      return;
    }
    this.send(change);
  }

  private send(change: Change): void {
    if (change.id <= this.sent) return;
    this.sent = change.id;
    this.write(eventOf(change));
  }

  private write(text: string): void {
    if (this.response.destroyed) return;
    this.response.write(text);
    if (this.response.writableLength > maxUnsentBytes) this.response.destroy();
  }

  end(): void {
    clearInterval(this.heartbeat);
    if (!this.response.destroyed) this.response.end();
    this.done();
  }
}

/**
 * Fastify plugin: `GET /_ar/events`, the store's changes as Server-Sent Events (the protocol's
 * `eventsPath`), under the prefix it is registered with. A client sending `Last-Event-ID` gets
 * every change after it first, read from the store's history. With `token`, it requires it.
 */
export const changeFeed = fastifyPlugin<ChangeFeedOptions>(
  async (scope, options) => {
    const { store, maxClients = 1000 } = options;
    setUpPluginScope(scope, options);
    const streams = new Set<Stream>();
    const stopListening = store.subscribe({ change: (change) => streams.forEach((stream) => stream.live(change)) });
    // Before the server closes: it would wait for these streams, which never end by themselves.
    scope.addHook('preClose', async () => {
      stopListening();
      streams.forEach((stream) => stream.end());
    });

    scope.get(
      Protocol.eventsPath,
      {
        schema: {
          summary: 'The changes of mappings, as Server-Sent Events',
          operationId: 'changeEvents',
          description:
            'One event named change per changed mapping, in order; its id is the change number, its data two lines: ' +
            'the percent-encoded asset path and the percent-encoded new resolved path (empty when removed). ' +
            'Send Last-Event-ID to get every change after it first.',
          headers: { type: 'object', properties: { 'last-event-id': { type: 'string' } } },
          response: {
            200: { description: 'The stream', content: { 'text/event-stream': { schema: { type: 'string' } } } },
            503: { description: 'Too many streams open', ...errorBodySchema },
          },
        },
      },
      async (request, reply) => {
        if (streams.size >= maxClients) return sendError(reply, 503, 'too many change feeds are open');
        const after = lastEventIdOf(request.headers['last-event-id']) ?? (await store.lastChangeId());
        reply.hijack();
        reply.raw.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          'x-accel-buffering': 'no',
        });
        reply.raw.write(':ar-http change feed\n\n');
        const stream = new Stream(reply.raw, after, () => streams.delete(stream));
        streams.add(stream);
        await stream.replay(store);
      },
    );
  },
  { name: 'ar-http-change-feed', fastify: '5.x', encapsulate: true },
);
