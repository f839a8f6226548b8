import { open } from 'node:fs/promises';
import path from 'node:path';
import type { Element, Root } from 'hast';
import { visit } from 'unist-util-visit';

export interface ImageDimensions {
  width: number;
  height: number;
}

/** Enough bytes to hold an SVG root element's attributes or a PNG header. */
const HEAD_BYTES = 4096;

async function readHead(file: string): Promise<Buffer | undefined> {
  let handle;
  try {
    handle = await open(file, 'r');
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } catch {
    return undefined;
  } finally {
    await handle?.close();
  }
}

function svgDimensions(head: string): ImageDimensions | undefined {
  const root = /<svg\b[^>]*>/i.exec(head)?.[0];
  if (root === undefined) return undefined;
  const attribute = (name: string) => new RegExp(`\\s${name}\\s*=\\s*["']([^"']*)["']`, 'i').exec(root)?.[1];
  const pixels = (value: string | undefined) => {
    const match = value === undefined ? null : /^\s*(\d+(?:\.\d+)?)\s*(px)?\s*$/.exec(value);
    return match?.[1] === undefined ? undefined : Number(match[1]);
  };
  const width = pixels(attribute('width'));
  const height = pixels(attribute('height'));
  if (width !== undefined && height !== undefined) return { width, height };
  const viewBox = attribute('viewBox')
    ?.trim()
    .split(/[\s,]+/)
    .map(Number);
  if (viewBox?.length === 4 && viewBox.every(Number.isFinite) && viewBox[2]! > 0 && viewBox[3]! > 0) {
    return { width: viewBox[2]!, height: viewBox[3]! };
  }
  return undefined;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngDimensions(head: Buffer): ImageDimensions | undefined {
  if (head.length < 24 || !head.subarray(0, 8).equals(PNG_SIGNATURE)) return undefined;
  return { width: head.readUInt32BE(16), height: head.readUInt32BE(20) };
}

/** Intrinsic size of an SVG or PNG file, or undefined when it cannot be read or is another format. */
export async function imageDimensions(file: string): Promise<ImageDimensions | undefined> {
  const head = await readHead(file);
  if (head === undefined) return undefined;
  const extension = path.extname(file).toLowerCase();
  if (extension === '.svg') return svgDimensions(head.toString('utf8'));
  if (extension === '.png') return pngDimensions(head);
  return undefined;
}

/**
 * Gives images served from public/ their intrinsic width and height, so the browser reserves their space before
 * they load: without it, a diagram loading above a `#section` the reader jumped to pushes that section away.
 */
export function rehypeImageDimensions(options: { publicDir: string }) {
  const publicRoot = path.resolve(options.publicDir);
  return async (tree: Root) => {
    const images: Element[] = [];
    visit(tree, 'element', (node: Element) => {
      if (
        node.tagName === 'img' &&
        typeof node.properties.src === 'string' &&
        node.properties.src.startsWith('/')
      ) {
        images.push(node);
      }
    });
    await Promise.all(
      images.map(async (image) => {
        let relative: string;
        try {
          relative = decodeURI(String(image.properties.src).split(/[?#]/)[0] ?? '');
        } catch {
          return;
        }
        const file = path.resolve(publicRoot, `.${relative}`);
        if (!file.startsWith(publicRoot + path.sep)) return;
        const size = await imageDimensions(file);
        if (size === undefined) return;
        image.properties.width = size.width;
        image.properties.height = size.height;
      }),
    );
  };
}
