// Builds the CLI once before the tests, so subprocess tests run the same dist/ that the
// package's bin entries point at (npm ci builds it too; this keeps local runs fresh).

import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
}
