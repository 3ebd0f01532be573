import { buffer } from 'node:stream/consumers';
import yauzl from 'yauzl';

/** One entry of a zip as yauzl reads it: its path, its bytes and its Unix mode. */
export interface ZipEntry {
  path: string;
  content: Buffer;
  mode: number;
  mtime: Date;
}

/** Every entry of a zip, in archive order, read and inflated with yauzl (CRC checked). */
export async function readZip(zip: Buffer): Promise<ZipEntry[]> {
  const file = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(zip, { lazyEntries: true, strictFileNames: true }, (error, opened) =>
      error ? reject(error) : resolve(opened),
    ),
  );
  const entries: ZipEntry[] = [];
  await new Promise<void>((resolve, reject) => {
    file.on('error', reject);
    file.on('end', () => resolve());
    file.on('entry', (entry: yauzl.Entry) => {
      file.openReadStream(entry, (error, stream) => {
        if (error) return reject(error);
        buffer(stream).then((content) => {
          entries.push({
            path: entry.fileName,
            content,
            mode: (entry.externalFileAttributes >>> 16) & 0o777,
            mtime: entry.getLastModDate(),
          });
          file.readEntry();
        }, reject);
      });
    });
    file.readEntry();
  });
  return entries;
}
