import { useRef, useState, type DragEvent, type ReactNode } from 'react';

import { useI18n } from '../../i18n/I18nProvider';

function carriesFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes('Files');
}

/** An area files can be dropped on (the whole studio); shows a hint while files hover over it. */
export function DropZone({
  onFiles,
  children,
}: {
  onFiles(files: File[]): void;
  children: ReactNode;
}) {
  const { t } = useI18n();
  const [over, setOver] = useState(false);
  // dragenter/dragleave fire for every child element crossed: count them.
  const depth = useRef(0);
  return (
    <div
      className={`mh-dropzone ${over ? 'mh-dropzone-over' : ''}`}
      data-testid="dropzone"
      onDragEnter={(e) => {
        if (!carriesFiles(e)) return;
        e.preventDefault();
        depth.current += 1;
        setOver(true);
      }}
      onDragOver={(e) => {
        if (!carriesFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={(e) => {
        if (!carriesFiles(e)) return;
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setOver(false);
      }}
      onDrop={(e) => {
        if (!carriesFiles(e)) return;
        e.preventDefault();
        depth.current = 0;
        setOver(false);
        const files = Array.from(e.dataTransfer.files);
        if (files.length) onFiles(files);
      }}
    >
      {over && (
        <div className="mh-dropzone-hint" aria-hidden="true">
          {t('studio.dropHere')}
        </div>
      )}
      {children}
    </div>
  );
}
