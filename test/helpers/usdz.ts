import { writeFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';

/** A .usdz: a zip of stored files, each file's data aligned to 64 bytes as the format asks. */
export function writeUsdz(file: string, entries: { name: string; data: Buffer }[]): void {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const nameBytes = Buffer.from(name);
    let pad = (64 - ((offset + 30 + nameBytes.length) % 64)) % 64;
    if (pad > 0 && pad < 4) pad += 64;
    const extra = Buffer.alloc(pad);
    if (pad > 0) {
      extra.writeUInt16LE(0x1986, 0);
      extra.writeUInt16LE(pad - 4, 2);
    }
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(pad, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, extra, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + pad + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  writeFileSync(file, Buffer.concat([...locals, directory, end]));
}
