/**
 * iggy://user:password@host:port parsing, and the seed-list form of a cluster
 * (iggy://user:password@host1:port1,host2:port2,…). Written by hand rather than with WHATWG URL because
 * URL errors echo the whole input, password included; every message here is built from parts
 * that cannot contain the password.
 */

import { isIPv4, isIPv6 } from 'node:net';
import { invalidArgument } from './errors';

export const DEFAULT_IGGY_PORT = 8090;
/** A seed list names the nodes of one cluster; more than this is a typo or a pasted list of something else. */
export const MAX_SEEDS = 16;
const SCHEMES = ['iggy:', 'iggy+tcp:'];

/** One node address of a seed list. */
export interface IggySeed {
  /** IPv6 hosts without brackets, ready for net.connect */
  host: string;
  port: number;
  /** "host:port" (IPv6 in brackets) */
  address: string;
}

export interface IggyUrl {
  /** The first seed's host (IPv6 without brackets, ready for net.connect) */
  host: string;
  port: number;
  username: string;
  password: string;
  /** The first seed's "host:port" (IPv6 in brackets), never credentials */
  address: string;
  /** Every host of the URL in the order given; one entry for a single-node URL. */
  seeds: IggySeed[];
  /** iggy://user@host:port[,host:port…], no password */
  toString(): string;
}

const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62}))*\.?$/;

function fail(message: string): never {
  throw invalidArgument(`invalid Iggy URL: ${message} (expected iggy://user:password@host:port)`);
}

function decodeComponent(raw: string, what: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return fail(`the ${what} is not valid percent-encoding`);
  }
}

export function formatAddress(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** A seed entry as it may be shown in an error: it comes after the credentials, but keep it short and printable. */
function shownEntry(entry: string): string {
  const printable = entry.replace(/[^\x21-\x7e]/g, '?');
  return printable.length > 60 ? `${printable.slice(0, 57)}...` : printable;
}

/** One `host[:port]` of the authority; `position` (1-based) is given only for a list of several. */
function parseSeed(authority: string, position: number | undefined): IggySeed {
  const bad = (message: string): never =>
    fail(position === undefined ? message : `host ${position} ('${shownEntry(authority)}'): ${message}`);
  if (authority === '') bad('the host is missing');
  let host: string;
  let portText: string | undefined;
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close < 0) bad('the IPv6 address is missing its closing bracket');
    host = authority.slice(1, close);
    if (!isIPv6(host)) bad('the host is not a valid IPv6 address');
    const after = authority.slice(close + 1);
    if (after !== '') {
      if (!after.startsWith(':')) bad('unexpected characters after the IPv6 address');
      portText = after.slice(1);
    }
  } else {
    const portColon = authority.lastIndexOf(':');
    host = portColon < 0 ? authority : authority.slice(0, portColon);
    portText = portColon < 0 ? undefined : authority.slice(portColon + 1);
    if (host === '') bad('the host is missing');
    if (!isIPv4(host) && !HOSTNAME.test(host)) {
      bad(
        host.includes(':')
          ? 'IPv6 hosts must be written in brackets, e.g. [::1]'
          : `the host '${host}' is not a valid host name`,
      );
    }
  }

  let port = DEFAULT_IGGY_PORT;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText)) bad('the port must be a number from 1 to 65535');
    port = Number(portText);
    if (port < 1 || port > 65535) bad('the port must be a number from 1 to 65535');
  }
  return { host, port, address: formatAddress(host, port) };
}

export function parseIggyUrl(url: string): IggyUrl {
  if (typeof url !== 'string' || url.trim() === '') fail('it is empty');
  const text = url.trim();
  const schemeEnd = text.indexOf('://');
  if (schemeEnd < 0) fail('it must start with iggy:// or iggy+tcp://');
  const scheme = `${text.slice(0, schemeEnd).toLowerCase()}:`;
  if (!SCHEMES.includes(scheme)) {
    const shown = /^[A-Za-z][A-Za-z0-9+.-]{0,20}$/.test(scheme.slice(0, -1))
      ? `'${scheme}//'`
      : 'this scheme';
    fail(`${shown} is not supported; use iggy:// or iggy+tcp://`);
  }
  const rest = text.slice(schemeEnd + 3);
  // The last '@' separates credentials from the host, so an unencoded '@' in a password still works.
  const at = rest.lastIndexOf('@');
  if (at < 0) fail('a username and password are required (iggy://user:password@host:port)');
  const userinfo = rest.slice(0, at);
  const afterAt = rest.slice(at + 1);
  const colon = userinfo.indexOf(':');
  if (colon < 0) fail('a password is required after the username (user:password@)');
  const username = decodeComponent(userinfo.slice(0, colon), 'username');
  const password = decodeComponent(userinfo.slice(colon + 1), 'password');
  if (username === '') fail('the username is empty');
  if (password === '') fail('the password is empty');

  const authorityEnd = afterAt.search(/[/?#]/);
  const authority = authorityEnd < 0 ? afterAt : afterAt.slice(0, authorityEnd);
  const tail = authorityEnd < 0 ? '' : afterAt.slice(authorityEnd);
  if (tail !== '' && tail !== '/') fail('paths, query strings and fragments are not supported');

  if (authority === '') fail('the host is missing');
  const entries = authority.split(',');
  if (entries.length > MAX_SEEDS)
    fail(`a seed list holds at most ${MAX_SEEDS} hosts, this one has ${entries.length}`);
  const seeds: IggySeed[] = [];
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    const seed = parseSeed(entry.trim(), entries.length > 1 ? index + 1 : undefined);
    const key = seed.address.toLowerCase();
    if (seen.has(key)) fail(`host ${index + 1} (${seed.address}) appears twice in the seed list`);
    seen.add(key);
    seeds.push(seed);
  });
  const { host, port } = seeds[0]!;
  const address = formatAddress(host, port);
  const shown = `iggy://${encodeURIComponent(username)}@${seeds.map((s) => s.address).join(',')}`;
  const parsed: IggyUrl = { host, port, username, password, address, seeds, toString: () => shown };
  // Keep the password out of JSON.stringify, util.inspect and spreads that log the object.
  Object.defineProperty(parsed, 'password', { value: password, enumerable: false });
  Object.defineProperty(parsed, 'toString', { value: () => shown, enumerable: false });
  return parsed;
}
