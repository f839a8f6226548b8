/** Server and connection introspection. */

import { ReadCode } from '../constants';
import { decodeClientDetails, decodeClients, decodeStats } from '../responses';
import { command, noBody, read } from './command';

export const systemCommands = {
  getStats: command({ name: 'GetStats', kind: read(ReadCode.GetStats), encode: noBody, decode: decodeStats }),
  getMe: command({ name: 'GetMe', kind: read(ReadCode.GetMe), encode: noBody, decode: decodeClientDetails }),
  getClients: command({
    name: 'GetClients',
    kind: read(ReadCode.GetClients),
    encode: noBody,
    decode: decodeClients,
  }),
};
