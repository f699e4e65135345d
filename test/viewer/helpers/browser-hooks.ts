// The one place a browser test file gets its Chromium: started in beforeAll (after the viewer is
// built and the file's recordings are written), closed in afterAll with its servers and temp folder.

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { useTempDir } from '../../helpers/temp-dir.js';
import { launchChromium, startViewer, type ViewerSession } from './browser.js';
import { ensureViewerBuilt } from './viewer-build.js';

/** A ViewerSession usable from the test bodies, plus the path of a file in its folder. */
export interface FileViewerSession extends ViewerSession {
  /** A path in the session's temp folder (the folder whose recordings `serve(name)` serves). */
  path(name: string): string;
}

/**
 * For this test file: a temp folder, `prepare` writing its recordings, then the viewer (built if
 * needed) and Chromium serving them; all closed and removed after the file's tests.
 * @param prefix the temp folder's name prefix, e.g. 'viewer-scrub-'
 * @param prepare writes the recordings (paths from its argument) before Chromium starts
 */
export function useViewerSession(
  prefix: string,
  prepare: (path: (name: string) => string) => void | Promise<void> = () => {},
): FileViewerSession {
  const path = useTempDir(prefix);
  let started: ViewerSession | undefined;
  const session = (): ViewerSession => {
    if (!started) throw new Error('the viewer session starts in beforeAll');
    return started;
  };
  beforeAll(async () => {
    await prepare(path);
    started = await startViewer(path(''));
  });
  afterAll(async () => {
    await started?.close();
  });
  return {
    get browser() {
      return session().browser;
    },
    serve: (name) => session().serve(name),
    home: () => session().home(),
    close: () => session().close(),
    path,
  };
}

/** Chromium for the file's tests and a temp folder, for tests that start their own servers. */
export interface FileChromium {
  readonly browser: Browser;
  /** A path in the file's temp folder. */
  path(name: string): string;
  /** The viewer's build folder (dist/viewer), built before Chromium started. */
  readonly viewerRoot: string;
}

/**
 * For this test file: the viewer built, Chromium launched in beforeAll and closed in afterAll,
 * and a temp folder removed afterwards.
 * @param prefix the temp folder's name prefix, e.g. 'viewer-live-'
 */
export function useChromium(prefix: string): FileChromium {
  const path = useTempDir(prefix);
  let browser: Browser | undefined;
  let viewerRoot: string | undefined;
  beforeAll(async () => {
    viewerRoot = await ensureViewerBuilt();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('Chromium starts in beforeAll');
    return value;
  };
  return {
    get browser() {
      return ready(browser);
    },
    get viewerRoot() {
      return ready(viewerRoot);
    },
    path,
  };
}
