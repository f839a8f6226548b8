/**
 * iggy://user:password@host:port parsing. Written by hand rather than with WHATWG URL because
 * URL errors echo the whole input, password included; every message here is built from parts
 * that cannot contain the password.
 */

import { isIPv4, isIPv6 } from 'node:net';
import { invalidArgument } from './errors';

export const DEFAULT_IGGY_PORT = 8090;
const SCHEMES = ['iggy:', 'iggy+tcp:'];

export interface IggyUrl {
  /** IPv6 hosts without brackets, ready for net.connect */
  host: string;
  port: number;
  username: string;
  password: string;
  /** "host:port" (IPv6 in brackets), never credentials */
  address: string;
  /** iggy://user@host:port, no password */
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

  let host: string;
  let portText: string | undefined;
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close < 0) fail('the IPv6 address is missing its closing bracket');
    host = authority.slice(1, close);
    if (!isIPv6(host)) fail('the host is not a valid IPv6 address');
    const after = authority.slice(close + 1);
    if (after !== '') {
      if (!after.startsWith(':')) fail('unexpected characters after the IPv6 address');
      portText = after.slice(1);
    }
  } else {
    const portColon = authority.lastIndexOf(':');
    host = portColon < 0 ? authority : authority.slice(0, portColon);
    portText = portColon < 0 ? undefined : authority.slice(portColon + 1);
    if (host === '') fail('the host is missing');
    if (!isIPv4(host) && !HOSTNAME.test(host)) {
      fail(
        host.includes(':')
          ? 'IPv6 hosts must be written in brackets, e.g. [::1]'
          : `the host '${host}' is not a valid host name`,
      );
    }
  }

  let port = DEFAULT_IGGY_PORT;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText)) fail('the port must be a number from 1 to 65535');
    port = Number(portText);
    if (port < 1 || port > 65535) fail('the port must be a number from 1 to 65535');
  }

  const address = formatAddress(host, port);
  const shown = `iggy://${encodeURIComponent(username)}@${address}`;
  const parsed: IggyUrl = { host, port, username, password, address, toString: () => shown };
  // Keep the password out of JSON.stringify, util.inspect and spreads that log the object.
  Object.defineProperty(parsed, 'password', { value: password, enumerable: false });
  Object.defineProperty(parsed, 'toString', { value: () => shown, enumerable: false });
  return parsed;
}
