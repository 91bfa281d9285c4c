/** The local Discord stand-in for end-to-end tests. See standin.ts. */
export * from './standin.js';
export * from './limits.js';
export * from './fixtures.js';
export * as interactions from './interactions.js';
export { parseMultipart, boundaryOf, type MultipartPart } from './multipart.js';
