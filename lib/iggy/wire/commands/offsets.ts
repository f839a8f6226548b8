/** Consumer offsets: store, get, delete. */

import { Operation, ReadCode } from '../constants';
import {
  encodeDeleteConsumerOffsetBody,
  encodeGetConsumerOffsetBody,
  encodeStoreConsumerOffsetBody,
} from '../requests';
import { decodeConsumerOffset } from '../responses';
import { command, noResult, partition, read } from './command';

export const offsetCommands = {
  store: command({
    name: 'StoreConsumerOffset',
    kind: partition(Operation.StoreConsumerOffset),
    encode: encodeStoreConsumerOffsetBody,
    decode: noResult,
  }),
  get: command({
    name: 'GetConsumerOffset',
    kind: read(ReadCode.GetConsumerOffset),
    encode: encodeGetConsumerOffsetBody,
    decode: decodeConsumerOffset,
  }),
  delete: command({
    name: 'DeleteConsumerOffset',
    kind: partition(Operation.DeleteConsumerOffset),
    encode: encodeDeleteConsumerOffsetBody,
    decode: noResult,
  }),
};
