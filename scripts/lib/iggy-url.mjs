// Reads IGGY_URL for `npm run demo`: iggy://USER:PASSWORD@HOST:PORT, or a seed list of a cluster's nodes,
// iggy://USER:PASSWORD@HOST:PORT,HOST:PORT,HOST:PORT. `new URL()` cannot take the list (a port with a comma
// in it is invalid), so this parses the address part itself. Never puts the password in an error message.

export const DEFAULT_PORT = 8090;
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

export class IggyUrlError extends Error {}

/** One `host:port` (or `[v6]:port`, or a bare host on port 8090) of the address list. */
function parseAddress(text) {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+))(?::(\d{1,5}))?$/.exec(text);
  if (!match) throw new IggyUrlError(`"${text}" is not HOST:PORT`);
  const host = match[1] ?? match[2];
  const port = match[3] === undefined ? DEFAULT_PORT : Number(match[3]);
  if (port < 1 || port > 65535) throw new IggyUrlError(`port ${port} is not in 1..65535`);
  return { host, port };
}

/** How a node is written in messages and in the app's seed list. */
export function formatAddress({ host, port }) {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export function isLocalHost(host) {
  return LOCAL_HOSTS.has(host);
}

/**
 * { username, password, nodes: [{ host, port }] } from an iggy:// URL with one address or several.
 * Throws IggyUrlError with a message fit for the terminal.
 */
export function parseIggyUrl(raw) {
  const match = /^(iggy|iggy\+tcp):\/\/(?:([^@/?#]*)@)?([^/?#]+)\/?$/i.exec(raw.trim());
  if (!match) {
    const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(raw)?.[1];
    throw new IggyUrlError(
      scheme && !/^iggy(\+tcp)?$/i.test(scheme)
        ? `IGGY_URL must start with iggy:// (got ${scheme}://). This app speaks Iggy's TCP protocol only.`
        : 'IGGY_URL is not iggy://USER:PASSWORD@HOST:PORT (or HOST:PORT,HOST:PORT,… for a cluster).',
    );
  }
  const [user = '', password = ''] = (match[2] ?? '').split(/:(.*)/s);
  let nodes;
  try {
    nodes = match[3].split(',').map((part) => parseAddress(part.trim()));
  } catch (error) {
    throw new IggyUrlError(`IGGY_URL: ${error.message}`);
  }
  const seen = new Set(nodes.map(formatAddress));
  if (seen.size !== nodes.length) throw new IggyUrlError('IGGY_URL lists the same address twice.');
  let username;
  let decodedPassword;
  try {
    username = decodeURIComponent(user);
    decodedPassword = decodeURIComponent(password);
  } catch {
    throw new IggyUrlError('IGGY_URL: the user or password has a bad %-escape.');
  }
  return { username, password: decodedPassword, nodes };
}

/** The IGGY_URL the app gets: the same credentials and the given nodes, as a seed list when there are several. */
export function formatIggyUrl({ username, password }, nodes) {
  const auth = `${encodeURIComponent(username)}:${encodeURIComponent(password)}@`;
  return `iggy://${auth}${nodes.map(formatAddress).join(',')}`;
}
