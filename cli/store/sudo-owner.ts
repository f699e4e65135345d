// Under sudo, files the recorder creates should belong to the person who ran sudo, not to root,
// so they can be shared, moved and deleted without sudo.

import { chownSync, existsSync } from 'node:fs';

/** The invoking user's uid/gid when running under sudo as root, else null. */
export function sudoUser(
  env: NodeJS.ProcessEnv = process.env,
): { uid: number; gid: number } | null {
  const uid = Number(env.SUDO_UID);
  const gid = Number(env.SUDO_GID);
  if (
    process.getuid?.() !== 0 ||
    !Number.isInteger(uid) ||
    !Number.isInteger(gid) ||
    env.SUDO_UID === undefined
  )
    return null;
  return { uid, gid };
}

/** Chowns a file (and its SQLite side files) to the sudo user, if any. Failures are ignored: ownership is a courtesy. */
export function giveToSudoUser(path: string): void {
  const owner = sudoUser();
  if (!owner) return;
  for (const p of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      if (existsSync(p)) chownSync(p, owner.uid, owner.gid);
    } catch {
      // e.g. a file system without ownership (vfat): the recording itself is unaffected.
    }
  }
}
