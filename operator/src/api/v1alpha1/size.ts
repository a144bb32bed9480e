// Electric's size format (see runtime/src/config/env-values.ts parseSize): whole bytes, or a number with a suffix
// k, m, g (powers of 1000) or K, M, G (powers of 1024). The CRD accepts either an integer or such a string.

/** The string form the CRD accepts, as a CEL-compatible (RE2) regular expression. */
export const sizePattern = '^[0-9]+[kmgKMG]?$';

const binarySuffixes = [
  ['G', 1024 ** 3],
  ['M', 1024 ** 2],
  ['K', 1024],
] as const;

/** The shortest exact binary form of a byte count: 2147483648 → "2G", 268435456 → "256M", 1000 → "1000". */
export function formatSize(bytes: number): string {
  for (const [suffix, unit] of binarySuffixes) {
    if (bytes >= unit && bytes % unit === 0) return `${bytes / unit}${suffix}`;
  }
  return String(bytes);
}
