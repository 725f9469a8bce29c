import { run, type RunResult } from './run';

/**
 * `usdcat source -o target` with OpenUSD's own resolver only: a text layer written as crate.
 * Tried again, up to 3 times, when usdcat aborts (at exit, "pure virtual method called": a race
 * in oneTBB's shutdown, seen on a loaded 2-core machine after the file was written). The message
 * may follow others (USD_WRITE_NEW_USDC_FILES_AS_VERSION's banner) or be lost with the abort, so
 * the abort is what counts. Only OpenUSD's own code runs here. Any other error is returned at once.
 */
export async function writeCrate(usdcat: string, source: string, target: string, env: Record<string, string> = {}): Promise<RunResult> {
  for (let attempt = 1; ; attempt += 1) {
    const converted = await run(usdcat, [source, '-o', target], { PXR_PLUGINPATH_NAME: '', ...env });
    if (attempt === 3 || (converted.signal !== 'SIGABRT' && !converted.stderr.includes('pure virtual method called'))) {
      return converted;
    }
  }
}
