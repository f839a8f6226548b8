import matter from 'gray-matter';

/** A doc's front matter is wrong in a way a human must fix (the build fails loudly instead of guessing). */
export class DocFrontMatterError extends Error {
  override readonly name = 'DocFrontMatterError';
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

export interface DocFrontMatter {
  title: string | undefined;
  description: string | undefined;
  order: number | undefined;
}

export interface ParsedDocSource {
  frontMatter: DocFrontMatter;
  /** Markdown after the front matter block. */
  body: string;
  /** Lines before the body in the file, so positions in the body map back to the file for error messages. */
  bodyLineOffset: number;
}

function lineCount(text: string): number {
  return text.split('\n').length;
}

function optionalString(data: Record<string, unknown>, key: string, file: string): string | undefined {
  const value = data[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new DocFrontMatterError(file, `front matter "${key}" must be a string, got ${typeof value}`);
  }
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function optionalOrder(data: Record<string, unknown>, file: string): number | undefined {
  const value = data.order;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new DocFrontMatterError(
      file,
      `front matter "order" must be a finite number, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

export function parseDocSource(source: string, file: string): ParsedDocSource {
  let parsed: matter.GrayMatterFile<string>;
  try {
    // An options object (even empty) bypasses gray-matter's cache, which hands out one shared mutable result per input.
    parsed = matter(source, {});
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new DocFrontMatterError(file, `front matter is not valid YAML: ${reason}`);
  }
  const data: Record<string, unknown> =
    typeof parsed.data === 'object' && parsed.data !== null ? (parsed.data as Record<string, unknown>) : {};
  return {
    frontMatter: {
      title: optionalString(data, 'title', file),
      description: optionalString(data, 'description', file),
      order: optionalOrder(data, file),
    },
    body: parsed.content,
    // gray-matter's content is the file's tail after the closing delimiter.
    bodyLineOffset: source.endsWith(parsed.content) ? lineCount(source) - lineCount(parsed.content) : 0,
  };
}
