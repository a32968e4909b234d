import { fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { auth } from '../../api/client';
import { json } from '../../test/http';
import { renderWithProviders } from '../../test/render';
import { LoginForm } from './LoginForm';

/** A server with no session that refuses every sign-in and registration with `answer`. */
function refusing(answer: object, status: number) {
  return vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(String(input), init);
    const path = new URL(request.url).pathname;
    if (path === '/api/auth/refresh')
      return json({ detail: 'no', code: 'auth.not_signed_in' }, 401);
    return json(answer, status);
  });
}

async function submit(username: string, password: string) {
  fireEvent.change(screen.getByLabelText(/Имя пользователя|Username/), {
    target: { value: username },
  });
  fireEvent.change(screen.getByLabelText(/^(Пароль|Password)$/), { target: { value: password } });
  const [button] = screen.getAllByRole('button', { name: /Войти|Создать аккаунт/ });
  if (button) fireEvent.click(button);
  return screen.findByRole('alert');
}

afterEach(() => {
  auth.clear();
  vi.unstubAllGlobals();
});

describe('LoginForm', () => {
  it('shows a wrong password in Russian, not the server text', async () => {
    const detail = { detail: 'wrong username or password', code: 'auth.bad_credentials' };
    vi.stubGlobal('fetch', refusing(detail, 401));
    renderWithProviders(<LoginForm />, { language: 'ru' });
    const alert = await submit('alice', 'not-the-password');
    expect(alert).toHaveTextContent('Неверное имя пользователя или пароль.');
  });

  it('shows the rules before the first try, and an invalid username without a regex', async () => {
    const invalid = {
      detail: [{ type: 'username.invalid', loc: ['body', 'username'], msg: 'x', ctx: {} }],
      code: 'username.invalid',
      params: { field: 'username', min: 3, max: 32, allowed: 'A-Z a-z 0-9 _ . -' },
    };
    vi.stubGlobal('fetch', refusing(invalid, 422));
    renderWithProviders(<LoginForm />, { language: 'ru' });
    fireEvent.click(screen.getByRole('button', { name: 'Нет аккаунта? Создайте' }));
    expect(screen.getByText(/Не короче 8 символов/)).toBeInTheDocument();
    expect(screen.getByLabelText(/^Пароль$/)).toHaveAccessibleDescription(/Не короче 8 символов/);
    const alert = await submit('a!', 'long enough passphrase');
    expect(alert).toHaveTextContent('Имя пользователя — от 3 до 32 символов');
    expect(alert.textContent).not.toMatch(/\^|\$|\[/);
  });
});
