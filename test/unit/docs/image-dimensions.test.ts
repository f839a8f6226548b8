import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageDimensions } from '@/lib/docs/image-dimensions';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'docs-images-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, content: string | Buffer): Promise<string> {
  const filePath = path.join(dir, name);
  await writeFile(filePath, content);
  return filePath;
}

function png(width: number, height: number): Buffer {
  const header = Buffer.alloc(24);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(header, 0);
  header.writeUInt32BE(13, 8);
  header.write('IHDR', 12, 'ascii');
  header.writeUInt32BE(width, 16);
  header.writeUInt32BE(height, 20);
  return header;
}

describe('imageDimensions', () => {
  it('reads width and height from an SVG root element', async () => {
    const svg = await file(
      'a.svg',
      '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="760" height="488px" viewBox="0 0 1 1"></svg>',
    );
    expect(await imageDimensions(svg)).toEqual({ width: 760, height: 488 });
  });

  it('falls back to the viewBox when the SVG has no pixel size', async () => {
    const svg = await file(
      'b.svg',
      '<svg viewBox="0 0 640 360" width="100%" xmlns="http://www.w3.org/2000/svg"/>',
    );
    expect(await imageDimensions(svg)).toEqual({ width: 640, height: 360 });
  });

  it('reads a PNG header', async () => {
    expect(await imageDimensions(await file('c.png', png(1200, 630)))).toEqual({ width: 1200, height: 630 });
  });

  it('gives up on files it cannot size instead of guessing', async () => {
    expect(
      await imageDimensions(await file('d.svg', '<svg xmlns="http://www.w3.org/2000/svg"/>')),
    ).toBeUndefined();
    expect(await imageDimensions(await file('e.png', 'not a png at all, just text padding'))).toBeUndefined();
    expect(await imageDimensions(path.join(dir, 'missing.svg'))).toBeUndefined();
  });
});
