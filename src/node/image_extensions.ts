/** File extensions treated as images when listing directories (lower case, with the dot). */
export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.jpe', '.jfif', '.png', '.webp', '.tif', '.tiff', '.gif', '.avif'] as const;
/** One of IMAGE_EXTENSIONS. */
export type ImageExtension = (typeof IMAGE_EXTENSIONS)[number];

/** True when `path` ends with one of IMAGE_EXTENSIONS, in any case. */
export function hasImageExtension(path: string): boolean {
  const lower = path.toLowerCase();
  return IMAGE_EXTENSIONS.some((extension) => lower.endsWith(extension));
}
