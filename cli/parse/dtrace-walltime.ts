// A wall-clock line that a per-second D script prints before each printa, so saved output says
// when each interval ended: `tick-1s { printf("%d\n", walltimestamp / 1000000000); printa(@); }`
//   1796512396                                   <- unindented digits only: seconds since 1970
//   (blank)                                      <- printa's own leading newline
//     access                                     <- key line, then the table
// Keys and scalar values are always indented, so an unindented number is not one of them. The
// unit is told by magnitude: s, ms, µs or ns since 1970 between the years 2000 and 2100.

const DIGITS = /^\d{9,19}$/;
const FIRST_S = 946_684_800n; // 2000-01-01
const LAST_S = 4_102_444_800n; // 2100-01-01
const DIVISORS = [1n, 1_000n, 1_000_000n, 1_000_000_000n] as const;

/** The Unix ms a wall-clock line stands for, or null when the line is not one. */
export function parseWalltimeLine(text: string): number | null {
  if (!DIGITS.test(text)) return null;
  const v = BigInt(text);
  for (const divisor of DIVISORS) {
    const s = v / divisor;
    if (s >= FIRST_S && s < LAST_S) return Number((v * 1000n) / divisor);
  }
  return null;
}
