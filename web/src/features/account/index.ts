/** What other features may use from account: the sign-in guard for pages that need a user. */
export { RequireAuth } from './LoginForm';
