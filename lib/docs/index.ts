import 'server-only';

export { type DocsLocation, defaultDocsLocation, docsLocationAt } from './docs-location';
export { DocFrontMatterError } from './front-matter';
export type { DocHeading, HeadingDepth } from './headings';
export {
  type Doc,
  type DocSummary,
  type DocWithNeighbours,
  findDocWithNeighbours,
  summaryOf,
  isValidDocSlug,
  listDocs,
  loadAllDocs,
  loadDoc,
} from './load-docs';
export { type DocLinkProblem, findDocLinkProblems, findLinkProblems, formatLinkProblem } from './check-links';
export { type RenderMarkdownOptions, renderMarkdown } from './render-markdown';
