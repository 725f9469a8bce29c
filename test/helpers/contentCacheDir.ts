import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * The user cache folder of every test and of the processes tests start (jest's setupFiles runs this first): the
 * content cache's default folder, `$XDG_CACHE_HOME/ar-http`, then lies in the system's temporary folder, never in
 * ~/.cache. Tests of the content cache set `AR_HTTP_CONTENT_CACHE_DIR` to folders of their own.
 */
export const testCacheHome = path.join(tmpdir(), 'ar-http-test-cache-home');

process.env.XDG_CACHE_HOME = testCacheHome;
