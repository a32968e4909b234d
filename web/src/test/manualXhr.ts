/** XMLHttpRequests a test answers by hand (uploads with progress), one per request, in order. */
import { act } from '@testing-library/react';

export class ManualXHR {
  static all: ManualXHR[] = [];
  status = 0;
  responseText = '';
  upload: { onprogress: ((ev: ProgressEvent) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  body: FormData | null = null;
  constructor() {
    ManualXHR.all.push(this);
  }
  open() {}
  setRequestHeader() {}
  abort() {}
  send(body: FormData) {
    this.body = body;
  }
  progress(loaded: number, total: number) {
    act(() => this.upload.onprogress?.({ lengthComputable: true, loaded, total } as ProgressEvent));
  }
  async answer(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    await act(async () => this.onload?.());
  }
}
