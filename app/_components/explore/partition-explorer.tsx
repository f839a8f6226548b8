'use client';

import './explore.css';
import { useCallback, useState } from 'react';
import type { ExplorerMessage } from '@/lib/explorer/contract';
import { ConsumersView } from './consumers-view';
import { MessageBrowser, type BrowserTarget, type Seek } from './message-browser';
import { asText, base64ToBytes } from './payload';
import { MAX_SEND_BYTES, SendForm, type SendDraft } from './send-form';

/** A partition's page: the browser, the send form ("Send again" fills it) and the topic's consumers. */
export function PartitionExplorer({ target, initial }: { target: BrowserTarget; initial: Seek }) {
  const [draft, setDraft] = useState<SendDraft>({
    stream: target.stream,
    topic: target.topic,
    encoding: 'json',
    data: '{"hello": "from the explorer"}',
    headers: [],
    version: 0,
  });
  const [resendNote, setResendNote] = useState<string | undefined>(undefined);

  const sendAgain = useCallback(
    (message: ExplorerMessage) => {
      if (message.payloadTruncated || message.payloadBytes > MAX_SEND_BYTES) {
        setResendNote(
          `Message ${message.offset} is ${message.payloadBytes} bytes: too big to send again from here.`,
        );
        return;
      }
      const bytes = base64ToBytes(message.payloadBase64);
      const text = asText(bytes);
      let encoding: SendDraft['encoding'] = 'base64';
      if (text !== undefined) {
        encoding = 'text';
        try {
          JSON.parse(text);
          encoding = 'json';
        } catch {
          // plain text
        }
      }
      setResendNote(
        `Loaded message ${message.offset} into the form below: change the topic if you like, then Send.`,
      );
      setDraft((d) => ({
        stream: target.stream,
        topic: target.topic,
        encoding,
        data: text ?? message.payloadBase64,
        headers: (message.headers ?? []).map((h) => ({ key: h.key, kind: h.kind, value: h.value })),
        version: d.version + 1,
      }));
      document.getElementById('send-form')?.scrollIntoView({ block: 'start' });
    },
    [target.stream, target.topic],
  );

  return (
    <div className="grid gap-8">
      <MessageBrowser target={target} initial={initial} onSendAgain={sendAgain} />
      <div id="send-form" className="grid gap-2">
        {resendNote ? (
          <p className="lab-note" role="status">
            {resendNote}
          </p>
        ) : null}
        <SendForm key={draft.version} draft={draft} />
      </div>
      <ConsumersView stream={target.stream} topic={target.topic} />
    </div>
  );
}
