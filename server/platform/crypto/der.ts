/**
 * A minimal DER (X.690) encoder and strict decoder: just what the GB/T 35275 package needs.
 *
 * Strict on purpose: a package is untrusted input, and a lenient BER reader is where ASN.1 parsers
 * have their bugs. The decoder takes definite, minimally encoded lengths only, single-byte tags
 * only (every tag GB/T 35275 uses fits), bounded depth, and refuses trailing bytes.
 */

export class DerError extends Error {
  override readonly name = 'DerError';
}

export const TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  UTC_TIME: 0x17,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

const CONSTRUCTED = 0x20;
const CONTEXT = 0x80;
const MAX_DEPTH = 24;

// ── Encoding ────────────────────────────────────────────────────────────────

function lengthBytes(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One TLV: tag byte, DER length, content. */
export function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), lengthBytes(content.length), content]);
}

export const sequence = (...items: Buffer[]): Buffer => tlv(TAG.SEQUENCE, Buffer.concat(items));

/** SET OF: DER sorts the encoded elements (X.690 §11.6). */
export const setOf = (...items: Buffer[]): Buffer => tlv(TAG.SET, Buffer.concat([...items].sort(Buffer.compare)));

export const octetString = (bytes: Buffer): Buffer => tlv(TAG.OCTET_STRING, bytes);
export const nullValue = (): Buffer => tlv(TAG.NULL, Buffer.alloc(0));
export const utf8String = (text: string): Buffer => tlv(TAG.UTF8_STRING, Buffer.from(text, 'utf8'));

export function printableString(text: string): Buffer {
  if (!/^[A-Za-z0-9 '()+,\-./:=?]*$/.test(text)) throw new DerError('Not a PrintableString');
  return tlv(TAG.PRINTABLE_STRING, Buffer.from(text, 'latin1'));
}

/** A non-negative INTEGER from a number, a bigint, or unsigned big-endian bytes. */
export function integer(value: number | bigint | Buffer): Buffer {
  let bytes: Buffer;
  if (Buffer.isBuffer(value)) {
    bytes = value;
  } else {
    const n = BigInt(value);
    if (n < 0n) throw new DerError('Negative INTEGERs are not used here');
    const hex = n.toString(16);
    bytes = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
  }
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  bytes = bytes.subarray(start);
  if (bytes.length === 0) bytes = Buffer.from([0]);
  // A set top bit would read as negative: pad with one zero byte.
  if (bytes[0] & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(TAG.INTEGER, bytes);
}

export function objectIdentifier(dotted: string): Buffer {
  const arcs = dotted.split('.').map((a) => {
    if (!/^\d+$/.test(a)) throw new DerError(`Bad OID ${dotted}`);
    return BigInt(a);
  });
  if (arcs.length < 2 || arcs[0] > 2n || (arcs[0] < 2n && arcs[1] > 39n)) throw new DerError(`Bad OID ${dotted}`);
  const out: number[] = [];
  for (const arc of [arcs[0] * 40n + arcs[1], ...arcs.slice(2)]) {
    const group: number[] = [Number(arc & 0x7fn)];
    for (let n = arc >> 7n; n > 0n; n >>= 7n) group.unshift(Number(n & 0x7fn) | 0x80);
    out.push(...group);
  }
  return tlv(TAG.OID, Buffer.from(out));
}

/** UTCTime `YYMMDDHHMMSSZ` (years 1950–2049, X.509's rule). */
export function utcTime(at: Date): Buffer {
  const iso = at.toISOString();
  const year = at.getUTCFullYear();
  if (year < 1950 || year > 2049) throw new DerError('UTCTime covers 1950–2049 only');
  const text = `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return tlv(TAG.UTC_TIME, Buffer.from(text, 'latin1'));
}

/** `[n] EXPLICIT`: a constructed context tag around one complete encoding. */
export const explicit = (n: number, inner: Buffer): Buffer => tlv(CONTEXT | CONSTRUCTED | n, inner);

/** `[n] IMPLICIT` over a primitive type (e.g. OCTET STRING): the content with the context tag. */
export const implicitPrimitive = (n: number, content: Buffer): Buffer => tlv(CONTEXT | n, content);

/** `[n] IMPLICIT` over a constructed type (SET OF …): the elements with a constructed context tag. */
export const implicitConstructed = (n: number, content: Buffer): Buffer => tlv(CONTEXT | CONSTRUCTED | n, content);

// ── Decoding ────────────────────────────────────────────────────────────────

export interface DerNode {
  tag: number;
  /** The content octets. */
  content: Buffer;
  /** The whole TLV as it appeared, for signatures over an exact encoding. */
  raw: Buffer;
  /** Parsed children when the tag is constructed. */
  children: DerNode[];
}

/** Parses exactly one DER value filling the whole buffer. */
export function decode(bytes: Buffer): DerNode {
  const { node, end } = readNode(bytes, 0, 0);
  if (end !== bytes.length) throw new DerError(`${bytes.length - end} trailing byte(s) after the DER value`);
  return node;
}

function readNode(bytes: Buffer, offset: number, depth: number): { node: DerNode; end: number } {
  if (depth > MAX_DEPTH) throw new DerError('DER nested too deeply');
  if (offset >= bytes.length) throw new DerError('Truncated: a value is missing');
  const tag = bytes[offset];
  if ((tag & 0x1f) === 0x1f) throw new DerError('Multi-byte tags are not used here');
  let pos = offset + 1;
  if (pos >= bytes.length) throw new DerError('Truncated: a length is missing');
  const first = bytes[pos++];
  let length: number;
  if (first < 0x80) {
    length = first;
  } else {
    const count = first & 0x7f;
    if (count === 0) throw new DerError('Indefinite lengths are not DER');
    if (count > 4) throw new DerError('Length too large');
    if (pos + count > bytes.length) throw new DerError('Truncated: a length is cut off');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[pos + i];
    if (bytes[pos] === 0 || length < 0x80) throw new DerError('Length not minimally encoded');
    pos += count;
  }
  const end = pos + length;
  if (end > bytes.length) throw new DerError('Truncated: a value is shorter than its length says');
  const content = bytes.subarray(pos, end);
  const children: DerNode[] = [];
  if (tag & CONSTRUCTED) {
    let at = pos;
    while (at < end) {
      const child = readNode(bytes.subarray(0, end), at, depth + 1);
      children.push(child.node);
      at = child.end;
    }
  }
  return { node: { tag, content, raw: bytes.subarray(offset, end), children }, end };
}

/** The node, checked to carry `tag`; `what` names it in the error. */
export function expect(node: DerNode | undefined, tag: number, what: string): DerNode {
  if (!node) throw new DerError(`${what} is missing`);
  if (node.tag !== tag)
    throw new DerError(`${what}: expected tag 0x${tag.toString(16)}, got 0x${node.tag.toString(16)}`);
  return node;
}

/** The children of a SEQUENCE/SET (or constructed context tag), with an exact or bounded count. */
export function items(node: DerNode, what: string, min: number, max = min): DerNode[] {
  if (!(node.tag & CONSTRUCTED)) throw new DerError(`${what} is not constructed`);
  if (node.children.length < min || node.children.length > max) {
    throw new DerError(
      `${what} has ${node.children.length} element(s), expected ${min === max ? min : `${min}–${max}`}`,
    );
  }
  return node.children;
}

export function readOid(node: DerNode | undefined, what: string): string {
  const { content } = expect(node, TAG.OID, what);
  if (content.length === 0 || content[content.length - 1] & 0x80) throw new DerError(`${what}: malformed OID`);
  const arcs: bigint[] = [];
  let value = 0n;
  for (let i = 0; i < content.length; i++) {
    if (value === 0n && content[i] === 0x80) throw new DerError(`${what}: OID arc not minimal`);
    value = (value << 7n) | BigInt(content[i] & 0x7f);
    if (!(content[i] & 0x80)) {
      arcs.push(value);
      value = 0n;
    }
  }
  const head = arcs[0] < 80n ? [arcs[0] / 40n, arcs[0] % 40n] : [2n, arcs[0] - 80n];
  return [...head, ...arcs.slice(1)].join('.');
}

/** A non-negative INTEGER as unsigned big-endian bytes (leading zero pad removed). */
export function readUnsigned(node: DerNode | undefined, what: string): Buffer {
  const { content } = expect(node, TAG.INTEGER, what);
  if (content.length === 0) throw new DerError(`${what}: empty INTEGER`);
  if (content[0] & 0x80) throw new DerError(`${what}: negative INTEGER`);
  if (content.length > 1 && content[0] === 0 && !(content[1] & 0x80))
    throw new DerError(`${what}: INTEGER not minimal`);
  return content[0] === 0 && content.length > 1 ? content.subarray(1) : content;
}

export function readSmallInt(node: DerNode | undefined, what: string): number {
  const bytes = readUnsigned(node, what);
  if (bytes.length > 4) throw new DerError(`${what}: INTEGER too large`);
  return bytes.reduce((n, b) => n * 256 + b, 0);
}

export function readOctets(node: DerNode | undefined, what: string): Buffer {
  return expect(node, TAG.OCTET_STRING, what).content;
}

export function readText(node: DerNode | undefined, what: string): string {
  if (!node || (node.tag !== TAG.UTF8_STRING && node.tag !== TAG.PRINTABLE_STRING)) {
    throw new DerError(`${what}: expected a string`);
  }
  return node.content.toString('utf8');
}

export function readUtcTime(node: DerNode | undefined, what: string): Date {
  const text = expect(node, TAG.UTC_TIME, what).content.toString('latin1');
  const m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) throw new DerError(`${what}: malformed UTCTime`);
  const yy = Number(m[1]);
  const at = new Date(Date.UTC(yy < 50 ? 2000 + yy : 1900 + yy, Number(m[2]) - 1, +m[3], +m[4], +m[5], +m[6]));
  if (Number.isNaN(at.getTime())) throw new DerError(`${what}: malformed UTCTime`);
  return at;
}

export const contextTag = (n: number, constructed: boolean): number => CONTEXT | (constructed ? CONSTRUCTED : 0) | n;
