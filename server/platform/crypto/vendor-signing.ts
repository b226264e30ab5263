import { createHash, createHmac } from 'node:crypto';

/**
 * The request-signing algorithms that external services prescribe (R10 part 6): Aliyun's POP signature
 * v1 (HMAC-SHA1) and Tencent Cloud's TC3-HMAC-SHA256. They authenticate a request to the vendor; they
 * protect no data of the platform (that is the SM suite of the crypto provider), so they cannot be SM3.
 * Kept here, beside the provider, so every use of a hash or MAC in the code base is in this directory.
 */
export function hmacSha1Base64(key: string, data: string): string {
  return createHmac('sha1', key).update(data, 'utf8').digest('base64');
}

export function hmacSha256(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

export function sha256Hex(data: string): string {
  return createHash('sha256').update(data, 'utf8').digest('hex');
}
