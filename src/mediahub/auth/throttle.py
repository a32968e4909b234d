"""Password guessing is throttled without letting a guesser lock the owner out (ASVS 2.2.1).

Three budgets of failed password sign-ins, all moving windows in Redis shared by every API
process (`core/ratelimit.py`):

* per address and account (`RATE_LIMIT_LOGIN_FAILURES`): one address guessing one account
  gets 429 after a few failures;
* per address (`RATE_LIMIT_LOGIN_FAILURES`): one address spraying many accounts likewise;
* per account (`RATE_LIMIT_LOGIN_ACCOUNT_FAILURES`): many addresses guessing one account.
  Once it is spent, only addresses that have themselves failed for this account are refused;
  an address with no failure for it still gets its attempt, so the owner signing in from
  their own device is never denied by someone else's guesses. Every new address an attacker
  brings buys it one more guess at most.

Only failures count, so normal use never meets a limit.
"""

from __future__ import annotations

from mediahub.config import Settings
from mediahub.core.ratelimit import RateLimiter

_SCOPE = "login"


class LoginThrottle:
    """The sign-in guessing budgets for one attempt: `address` trying `account`."""

    def __init__(self, limiter: RateLimiter, settings: Settings, *, address: str,
                 account: str) -> None:
        self._limiter = limiter
        self._rule = settings.rate_limit_login_failures
        self._account_rule = settings.rate_limit_login_account_failures
        self._address = ("address", address)
        self._pair = ("pair", address, account.lower())
        self._account = ("account", account.lower())

    async def ensure_allowed(self) -> None:
        """429 if this address has spent its budget, or the account's and it has failed too."""
        limiter = self._limiter
        await limiter.ensure_allowed(self._rule, _SCOPE, *self._address,
                                     what="failed sign-ins from this address")
        await limiter.ensure_allowed(self._rule, _SCOPE, *self._pair,
                                     what="failed sign-ins for this account from this address")
        if await limiter.used(self._rule, _SCOPE, *self._pair):
            await limiter.ensure_allowed(self._account_rule, _SCOPE, *self._account,
                                         what="failed sign-ins for this account")

    async def failed(self) -> None:
        """Count a wrong password against every budget."""
        await self._limiter.record(self._rule, _SCOPE, *self._address)
        await self._limiter.record(self._rule, _SCOPE, *self._pair)
        await self._limiter.record(self._account_rule, _SCOPE, *self._account)
