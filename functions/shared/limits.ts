/** The default pixel limit of both functions (16383 × 16383): an image over it is rejected, never decoded. */
export const MAX_IMAGE_PIXELS = 16383 * 16383;
