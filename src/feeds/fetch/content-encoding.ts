import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync, type ZlibOptions } from 'node:zlib';

/**
 * Undoes Content-Encoding (gzip, deflate, br; several in a row) with a
 * ceiling on the decoded size: `maxOutputLength` makes zlib stop as soon as
 * the output passes it, so a small "zip bomb" costs no more than the cap.
 * "deflate" is zlib-wrapped by the standard and raw in the wild: both are read.
 */

export type Decoded = { ok: true; bytes: Buffer } | { ok: false; tooLarge: boolean; message: string };

function decodeOne(encoding: string, input: Buffer, options: ZlibOptions): Buffer | undefined {
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      return gunzipSync(input, options);
    case 'br':
      return brotliDecompressSync(input, options);
    case 'deflate':
      try {
        return inflateSync(input, options);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw error;
        return inflateRawSync(input, options);
      }
    case 'identity':
    case '':
      return input;
    default:
      return undefined;
  }
}

/** `contentEncoding` as the header gives it, e.g. "gzip" or "deflate, br" (applied in that order). */
export function decodeContent(input: Buffer, contentEncoding: string | undefined, maxBytes: number): Decoded {
  const encodings = (contentEncoding ?? '')
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter(Boolean)
    .reverse();
  let bytes = input;
  for (const encoding of encodings) {
    try {
      const decoded = decodeOne(encoding, bytes, { maxOutputLength: maxBytes + 1 });
      if (!decoded) return { ok: false, tooLarge: false, message: `unsupported Content-Encoding “${encoding}”` };
      bytes = decoded;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        return { ok: false, tooLarge: true, message: `more than ${maxBytes} bytes once decompressed` };
      }
      return { ok: false, tooLarge: false, message: `the ${encoding} body is corrupt (${(error as Error).message})` };
    }
  }
  if (bytes.byteLength > maxBytes) return { ok: false, tooLarge: true, message: `more than ${maxBytes} bytes once decompressed` };
  return { ok: true, bytes };
}
