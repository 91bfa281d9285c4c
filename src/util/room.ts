/**
 * Bytes with room around them: a view whose ArrayBuffer has free space before and after it, which
 * whoever sends the bytes may overwrite to frame them in place instead of copying them into a new
 * buffer. The preview worker writes each WAV that way (src/audio/worker.ts), and the multipart
 * upload (src/discord/restApi.ts) then writes its part headers into the room: a 2.6 MiB preview
 * goes out without a copy on the event loop.
 *
 *   const wav = withRoom(Buffer.from(arrayBuffer, 16384, bytes));
 *   roomAround(wav); // { before: 16384, after: arrayBuffer.byteLength - 16384 - bytes }
 */
const roomy = new WeakSet<Uint8Array>();

/** Marks `data`: the bytes of its ArrayBuffer outside the view are free for its sender to overwrite. */
export function withRoom<T extends Uint8Array>(data: T): T {
  roomy.add(data);
  return data;
}

/** Free bytes before and after `data` in its ArrayBuffer (0 and 0 unless marked by withRoom). */
export function roomAround(data: Uint8Array): { readonly before: number; readonly after: number } {
  if (!roomy.has(data)) return { before: 0, after: 0 };
  return { before: data.byteOffset, after: data.buffer.byteLength - data.byteOffset - data.byteLength };
}
