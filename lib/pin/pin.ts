import path from 'node:path';

import { ArHttpError, ArHttpTypeError, ErrorCodes } from '../errors';
import { type LayerFileScan, nativeBinding, type NativeBinding, type ResolverConfig, type ResolverContext } from '../native/binding';
import { Protocol, resolvedPathProblem } from '../protocol';
import { type PinFile, pinFileText, pinFormat, pinVersion, writeFileAtomically } from './pinFile';
import { type PinCounts, ProgressReporter, terminalProgress } from './progress';

export interface PinOptions {
  /** The resolution server to pin from, written into the file. Default: the environment's (`AR_HTTP_SERVER_URL`). */
  server?: string;
  /** Pin the answers as of this snapshot (`POST /_ar/snapshots` made it) instead of the latest ones. */
  snapshot?: string;
  /** Also write the pin file there, atomically (a temporary file in the same folder, then a rename). */
  out?: string;
  /**
   * `true`: one line on stderr, rewritten a few times a second, when stderr is a terminal. A function:
   * called with the counts instead, at most every 250 ms and once at the end (`done`).
   */
  progress?: boolean | ((counts: PinCounts, done: boolean) => void);
}

/** Something the crawl met and could not follow. */
export interface PinProblem {
  /** The file or identifier. */
  path: string;
  reason: string;
}

export interface PinResult extends PinCounts {
  /** The pin file's content. */
  file: PinFile;
  /** Its text, byte for byte what `out` receives. */
  text: string;
  /** The identifiers left unresolved (null in `pins`), in byte order, each with the first layer naming it. */
  unresolvedPaths: { identifier: string; namedBy: string }[];
  /** Files and URLs that could not be read (their asset paths are not in the pin) and identifiers left out. */
  problems: PinProblem[];
}

// Files per native call, and calls under way at once (libuv's pool has 4 threads).
const scanChunk = 64;
const scansAtOnce = 4;

/** ArSplitPackageRelativePathOuter's first part: the resolver is asked for the package. */
function outerPath(assetPath: string): string {
  const open = assetPath.indexOf('[');
  return assetPath.endsWith(']') && open > 0 ? assetPath.slice(0, open) : assetPath;
}

const isFileRelative = (assetPath: string): boolean => assetPath.startsWith('./') || assetPath.startsWith('../');

/**
 * Whether a relative asset path written in a layer inside a package names a file of that package, as
 * Sdf anchors it (SdfComputeAssetPathRelativeToLayer): `./` and `../` paths always do; others if the
 * package holds them beside the packaged layer or beside its root layer (its first file). Then the
 * resolver is asked for nothing but the package, already read.
 */
function namesPackagedFile(assetPath: string, packagedPath: string[], packagedFiles: Set<string>, root: string): boolean {
  if (isFileRelative(assetPath) || packagedPath.length > 1) return true;
  const inside = (layer: string) => packagedFiles.has(path.posix.normalize(path.posix.join(path.posix.dirname(layer), assetPath)));
  return inside(packagedPath[0]) || inside(root);
}

function contextOf(options: PinOptions): ResolverContext | undefined {
  const context: ResolverContext = {};
  if (options.server !== undefined) context.serverUrl = options.server;
  if (options.snapshot !== undefined) context.snapshot = options.snapshot;
  return Object.keys(context).length === 0 ? undefined : context;
}

function checkOptions(stages: readonly string[], options: PinOptions): void {
  if (!Array.isArray(stages) || stages.length === 0 || stages.some((stage) => typeof stage !== 'string' || stage === '')) {
    throw new ArHttpTypeError(ErrorCodes.INVALID_ARGUMENT, 'stages must be a non-empty array of non-empty strings');
  }
  if (options === null || typeof options !== 'object') {
    throw new ArHttpTypeError(ErrorCodes.INVALID_ARGUMENT, 'options must be an object');
  }
  for (const name of ['server', 'out'] as const) {
    if (options[name] !== undefined && (typeof options[name] !== 'string' || options[name] === '')) {
      throw new ArHttpTypeError(ErrorCodes.INVALID_ARGUMENT, `options.${name} must be a non-empty string`);
    }
  }
  // The snapshot is checked where every context is: by the binding, on the first resolve.
}

/**
 * A pin holds the server's answers as it gives them: settings that put something else in their
 * place would freeze that instead, without a word.
 */
function checkSettings(settings: ResolverConfig): void {
  const refuse = (why: string): never => {
    throw new ArHttpError(ErrorCodes.PIN_FAILED, why);
  };
  if (settings.pinFile) {
    refuse(`AR_HTTP_PIN_FILE=${settings.pinFile} is set: the answers would come from that pin file, not the server; unset it to pin`);
  }
  if (settings.pathMap.length) {
    refuse("AR_HTTP_PATH_MAP is set: a pin holds the server's answers unmapped (whoever reads it maps them); unset it to pin");
  }
  if (settings.remoteRefusal) refuse(`nothing resolves through the server: ${settings.remoteRefusal}`);
}

/** One pin: what it has seen, resolved and read. */
class Crawl {
  readonly counts: PinCounts = { layers: 0, assetPaths: 0, pinned: 0, unresolved: 0 };
  readonly pins: Record<string, string | null> = Object.create(null) as Record<string, string | null>;
  readonly problems: PinProblem[] = [];
  // Identifier -> the first layer naming it ('' for a stage).
  private readonly namedBy = new Map<string, string>();
  private readonly read = new Set<string>();

  constructor(
    private readonly addon: NativeBinding,
    private readonly context: ResolverContext | undefined,
    private readonly progress: ProgressReporter,
  ) {}

  async run(stages: readonly string[]): Promise<void> {
    const stageIds = stages.map((stage) => this.addon.createIdentifier(outerPath(stage)));
    let files = await this.resolve(stageIds.map((id) => ({ id, namedBy: '' })));
    stageIds.forEach((id, i) => {
      if (this.pins[id] === null) throw new ArHttpError(ErrorCodes.PIN_FAILED, `stage ${stages[i]}: neither the filesystem nor the server resolves it`);
    });
    const stageFiles = new Set(files);
    while (files.length > 0) {
      const scans = await this.scan(files);
      const named: { id: string; namedBy: string }[] = [];
      files.forEach((file, i) => {
        const scan = scans[i];
        if (typeof scan === 'string' || !scan.isLayer) {
          const reason = typeof scan === 'string' ? scan : 'not a layer (usda, usdc, usdz)';
          if (stageFiles.has(file)) throw new ArHttpError(ErrorCodes.PIN_FAILED, `stage ${file}: ${reason}`);
          if (typeof scan === 'string') this.problems.push({ path: file, reason });
          return;
        }
        this.counts.layers += 1;
        for (const id of this.identifiersIn(file, scan)) named.push({ id, namedBy: file });
      });
      files = await this.resolve(named);
    }
  }

  /** The identifiers the resolver will be asked for, as the layers of `file` name them. */
  private *identifiersIn(file: string, scan: LayerFileScan): Iterable<string> {
    const packagedFiles = new Set(scan.packagedFiles);
    for (const { packagedPath, assetPaths } of scan.layers) {
      for (const assetPath of assetPaths) {
        if (assetPath === '') continue;
        if (packagedPath.length > 0 && !assetPath.startsWith('/') && namesPackagedFile(assetPath, packagedPath, packagedFiles, scan.packagedFiles[0])) {
          continue;
        }
        // Anchored on the package for a layer inside one, as Ar does.
        yield this.addon.createIdentifier(outerPath(assetPath), file);
      }
    }
  }

  /**
   * Resolves the identifiers not seen before: the filesystem first (a URL answers itself: nothing to
   * pin), the server for the rest (pinned, null when unresolved). Returns the files and URLs not read
   * yet that the answers point to.
   */
  private async resolve(named: { id: string; namedBy: string }[]): Promise<string[]> {
    const fresh: string[] = [];
    for (const { id, namedBy } of named) {
      if (this.namedBy.has(id)) continue;
      this.namedBy.set(id, namedBy);
      const bytes = Buffer.byteLength(id);
      if (bytes > Protocol.maxAssetPathBytes) {
        // A pin file holding it would be refused whole; no server answers it anyway.
        this.problems.push({ path: id, reason: `over ${Protocol.maxAssetPathBytes} bytes, left out (named by ${namedBy})` });
        continue;
      }
      fresh.push(id);
    }
    this.counts.assetPaths += fresh.length;
    const local = await this.addon.resolveLocalMany(fresh);
    const remote = fresh.filter((_, i) => local[i] === '');
    const { resolved: answers, warnings } =
      remote.length === 0 ? { resolved: [], warnings: 0 } : await this.addon.resolveManyAfresh(remote, this.context);
    if (warnings > 0 && answers.includes('')) {
      // '' is also what a failed server gives: a pin must not freeze a failure as "unknown".
      throw new ArHttpError(
        ErrorCodes.PIN_FAILED,
        'the server failed or gave refused answers while pinning (see the warnings above): nothing pinned, ' +
          'since what it left unresolved may be known to it',
      );
    }
    const found = local.filter((resolved) => resolved !== '');
    remote.forEach((id, i) => {
      const answer = answers[i] !== '' && resolvedPathProblem(answers[i]) === null ? answers[i] : null;
      this.pins[id] = answer;
      if (answer === null) {
        this.counts.unresolved += 1;
      } else {
        this.counts.pinned += 1;
        found.push(answer);
      }
    });
    this.progress.update(this.counts);
    const next: string[] = [];
    for (const file of found) {
      if (this.read.has(file)) continue;
      this.read.add(file);
      next.push(file);
    }
    return next;
  }

  /** Each file's scan, a few native calls at a time. */
  private async scan(files: string[]): Promise<(LayerFileScan | string)[]> {
    const scans: (LayerFileScan | string)[] = new Array(files.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < files.length) {
        const start = next;
        next += scanChunk;
        const found = await this.addon.layerAssetPaths(files.slice(start, start + scanChunk));
        found.forEach((scan, i) => {
          scans[start + i] = scan;
        });
        this.progress.update(this.counts);
      }
    };
    await Promise.all(Array.from({ length: scansAtOnce }, worker));
    return scans;
  }

  unresolvedPaths(): { identifier: string; namedBy: string }[] {
    return Object.keys(this.pins)
      .filter((id) => this.pins[id] === null)
      .map((identifier) => ({ identifier, namedBy: this.namedBy.get(identifier) ?? '', bytes: Buffer.from(identifier) }))
      .sort((a, b) => Buffer.compare(a.bytes, b.bytes))
      .map(({ identifier, namedBy }) => ({ identifier, namedBy }));
  }
}

/**
 * Freezes the resolution of `stages` (layer files, or ids the server resolves): reads each stage's
 * layers with the resolver's own scanners (usda, usdc, usdz: sublayers, references, payloads,
 * asset-valued attributes and metadata), resolves every asset path the filesystem does not answer
 * through the server (as of `snapshot` when given), follows every layer the answers point to,
 * recursively, and returns the pin file's content (and writes it to `out`). `AR_HTTP_PIN_FILE` then
 * answers from it with no server. Asset paths the server does not resolve are pinned as null.
 * Layers by URL are read through the content cache (as `fetchAsset` gets them) and their asset
 * paths anchored on the URL as the plugin anchors them: a URL needs no pin, the ids named inside
 * need one. Content that cannot be had is a problem naming the URL.
 */
export async function pin(stages: readonly string[], options: PinOptions = {}): Promise<PinResult> {
  checkOptions(stages, options);
  const addon = nativeBinding();
  const settings = addon.config();
  checkSettings(settings);
  const context = contextOf(options);
  // A refused server URL is told now, even when the filesystem answers everything.
  await addon.resolveManyAfresh([], context);
  const report =
    typeof options.progress === 'function'
      ? options.progress
      : options.progress === true && process.stderr.isTTY
        ? terminalProgress(process.stderr)
        : undefined;
  const progress = new ProgressReporter(report);
  const crawl = new Crawl(addon, context, progress);
  await crawl.run(stages);
  progress.done(crawl.counts);
  const file: PinFile = {
    format: pinFormat,
    version: pinVersion,
    server: options.server ?? settings.serverUrl,
    // AR_HTTP_SNAPSHOT, when set, is what the answers are as of.
    snapshot: options.snapshot ?? (settings.snapshot || null),
    created: new Date().toISOString(),
    pins: crawl.pins,
  };
  const text = pinFileText(file);
  if (options.out !== undefined) writeFileAtomically(options.out, text);
  return { ...crawl.counts, file, text, unresolvedPaths: crawl.unresolvedPaths(), problems: crawl.problems };
}
