import { useCallback, useState } from 'react';

/** The files chosen for the next batch: picked with the file input or dropped on the studio. */
export function useChosenFiles() {
  const [files, setFiles] = useState<File[]>([]);
  // A new key re-creates the file input: after a submit or a drop it must not show stale names.
  const [pickerKey, setPickerKey] = useState(0);
  const add = useCallback((more: File[]) => {
    setFiles((old) => [...old, ...more]);
    setPickerKey((key) => key + 1);
  }, []);
  return {
    files,
    pickerKey,
    add,
    /** The file input's choice replaces whatever it chose before. */
    pick: (picked: File[]) => setFiles(picked),
    remove: (index: number) => setFiles((old) => old.filter((_, i) => i !== index)),
    clear: () => {
      setFiles([]);
      setPickerKey((key) => key + 1);
    },
  };
}

export type ChosenFiles = ReturnType<typeof useChosenFiles>;
