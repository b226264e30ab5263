/**
 * Minimal writer for a zip of STORED (uncompressed) entries whose sizes are known in advance, as a
 * sequence of buffers. read-rows.ts uses it to hand ExcelJS a clean zip made only of bytes that
 * went through yauzl's size-checked inflater (see there for why).
 */

export interface StoredEntryHeader {
  name: string;
  size: number;
  crc32: number;
}

const DOS_DATE_1980_01_01 = 0x21;

export class StoredZipWriter {
  private offset = 0;
  private readonly central: Buffer[] = [];

  /** The local file header; the caller then emits exactly `size` bytes of data. */
  localHeader(entry: StoredEntryHeader): Buffer {
    const name = Buffer.from(entry.name, 'utf8');
    const header = Buffer.alloc(30 + name.length);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4); // version needed
    header.writeUInt16LE(0x0800, 6); // UTF-8 names
    header.writeUInt16LE(0, 8); // stored
    header.writeUInt16LE(0, 10); // time
    header.writeUInt16LE(DOS_DATE_1980_01_01, 12);
    header.writeUInt32LE(entry.crc32 >>> 0, 14);
    header.writeUInt32LE(entry.size, 18);
    header.writeUInt32LE(entry.size, 22);
    header.writeUInt16LE(name.length, 26);
    header.writeUInt16LE(0, 28);
    name.copy(header, 30);

    const cd = Buffer.alloc(46 + name.length);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4); // made by
    cd.writeUInt16LE(20, 6); // needed
    cd.writeUInt16LE(0x0800, 8);
    cd.writeUInt16LE(0, 10);
    cd.writeUInt16LE(0, 12);
    cd.writeUInt16LE(DOS_DATE_1980_01_01, 14);
    cd.writeUInt32LE(entry.crc32 >>> 0, 16);
    cd.writeUInt32LE(entry.size, 20);
    cd.writeUInt32LE(entry.size, 24);
    cd.writeUInt16LE(name.length, 28);
    // extra length, comment length, disk, internal attrs, external attrs stay 0
    cd.writeUInt32LE(this.offset, 42);
    name.copy(cd, 46);
    this.central.push(cd);

    this.offset += header.length + entry.size;
    return header;
  }

  /** Central directory and end record, after the last entry's data. */
  finish(): Buffer {
    const cd = Buffer.concat(this.central);
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    eocd.writeUInt16LE(this.central.length, 8);
    eocd.writeUInt16LE(this.central.length, 10);
    eocd.writeUInt32LE(cd.length, 12);
    eocd.writeUInt32LE(this.offset, 16);
    return Buffer.concat([cd, eocd]);
  }
}

/**
 * Splits a byte stream only between whole UTF-8 characters. ExcelJS 4.4.0's streaming reader
 * decodes every chunk on its own (`TextDecoder.decode(chunk)` without `stream: true`), so a
 * Chinese character split across two inflate chunks would come out as two U+FFFD.
 */
export class Utf8ChunkAligner {
  private carry: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer {
    const data = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    const cut = completeUtf8Length(data);
    this.carry = cut < data.length ? Buffer.from(data.subarray(cut)) : Buffer.alloc(0);
    return data.subarray(0, cut);
  }

  flush(): Buffer {
    const rest = this.carry;
    this.carry = Buffer.alloc(0);
    return rest;
  }
}

function completeUtf8Length(b: Buffer): number {
  let i = b.length - 1;
  let continuation = 0;
  while (i >= 0 && continuation < 3 && (b[i] & 0xc0) === 0x80) {
    i -= 1;
    continuation += 1;
  }
  if (i < 0) return b.length;
  const lead = b[i];
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return b.length - i >= need ? b.length : i;
}
