import { describe, expect, it } from 'vitest';

import { job } from '../test/fixtures';
import { applyLiveUpdate } from './transcriptions';

describe('applyLiveUpdate', () => {
  const items = [job('a', 'running'), job('b', 'queued')];

  it('moves progress and status in place without a reload', () => {
    const { items: next, reload } = applyLiveUpdate(items, {
      type: 'transcription.updated',
      id: 'a',
      status: 'running',
      progress: { stage: 'transcribing', percent: 42.5, eta_seconds: 12 },
    });
    expect(reload).toBe(false);
    expect(next[0]!.progress).toEqual({ stage: 'transcribing', percent: 42.5, eta_seconds: 12 });
    expect(next[1]).toBe(items[1]);
  });

  it('asks for a reload when a job finishes or is new to this tab', () => {
    expect(applyLiveUpdate(items, { id: 'a', status: 'done' }).reload).toBe(true);
    const failed = applyLiveUpdate(items, { id: 'b', status: 'failed', error: 'unreadable media' });
    expect(failed.reload).toBe(true);
    expect(failed.items[1]).toMatchObject({ status: 'failed', error: 'unreadable media' });
    expect(applyLiveUpdate(items, { id: 'new', status: 'queued' }).reload).toBe(true);
  });

  it('removes deleted jobs and ignores unknown statuses', () => {
    expect(applyLiveUpdate(items, { id: 'a', status: 'deleted' }).items.map((j) => j.id)).toEqual([
      'b',
    ]);
    expect(applyLiveUpdate(items, { id: 'a', status: 'exploded' }).items[0]!.status).toBe(
      'running',
    );
  });
});
