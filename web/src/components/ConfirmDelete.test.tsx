import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';

import { I18nProvider } from '../i18n/I18nProvider';
import { ConfirmDelete } from './ConfirmDelete';

function renderConfirm(language: 'en' | 'ru', busy = false) {
  const onConfirm = vi.fn();
  const onCancel = vi.fn();
  render(
    <I18nProvider language={language}>
      <ConfirmDelete
        id="q"
        question="Delete it?"
        busy={busy}
        onConfirm={onConfirm}
        onCancel={onCancel}
      />
    </I18nProvider>,
  );
  return { onConfirm, onCancel };
}

describe('ConfirmDelete', () => {
  it('asks, focuses Cancel, and deletes only on Delete', () => {
    const { onConfirm, onCancel } = renderConfirm('en');
    expect(screen.getByRole('alertdialog', { name: 'Delete it?' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Cancel' })).toHaveFocus();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onCancel).toHaveBeenCalledOnce();
    expect(onConfirm).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    expect(onConfirm).toHaveBeenCalledOnce();
  });

  it('speaks Russian and cannot be confirmed twice while busy', () => {
    renderConfirm('ru', true);
    expect(screen.getByRole('button', { name: 'Удалить' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Отмена' })).toBeEnabled();
  });
});
