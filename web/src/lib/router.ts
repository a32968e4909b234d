/** React Router options shared by the app's BrowserRouter and the tests' MemoryRouter. */
// Opt in to v7 behaviour now: silences the upgrade warnings and makes the v7 move a no-op.
export const ROUTER_FUTURE = { v7_startTransition: true, v7_relativeSplatPath: true } as const;
