"""
Per-run money budgets. `BudgetTracker(redis)` works directly on a `redis.asyncio.Redis` with the
service's own Lua scripts (generated from the TypeScript adapter into `_budget_lua.py`) and key
layout, so a budget created here is the budget the REST API shows: integer micro-dollars, atomic
spends, the same events. `BudgetTracker.from_url()` does the same over the REST API.
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from . import _budget_lua, _http

MICROS = 1_000_000
DEFAULT_TENANT = "default"


class BudgetError(Exception):
    """A budget call refused: `code` is the service's problem code."""

    def __init__(self, code: str, message: str, **details: Any) -> None:
        super().__init__(message)
        self.code = code
        self.details = details


class BudgetExceeded(BudgetError):
    """The spend does not fit in what is left; nothing was recorded."""


class BudgetNotFound(BudgetError):
    pass


class BudgetAlreadyExists(BudgetError):
    pass


class InvalidAmount(BudgetError):
    pass


@dataclass(frozen=True)
class BudgetStatus:
    """A run's budget, field for field the REST API's `BudgetStatus` (amounts in USD)."""

    run_id: str
    limit: float
    spent: float
    reserved: float
    remaining: float
    exceeded: bool
    fraction_used: float
    percent_used: float  # deprecated: use fraction_used
    state: str
    thresholds_crossed: list[float] = field(default_factory=list)
    alert_thresholds: list[float] = field(default_factory=list)
    created_at: str = ""
    updated_at: str = ""
    expires_at: str = ""

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "BudgetStatus":
        known = {name for name in cls.__dataclass_fields__}
        return cls(**{name: value for name, value in data.items() if name in known})


def to_micros(amount: float | int | str | Decimal, name: str = "amount") -> int:
    """USD → integer micro-dollars, exactly: at most 6 decimals, greater than 0 (as the service requires)."""
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        raise InvalidAmount("BUDGET_INVALID_AMOUNT", f"{name} must be a decimal number of USD") from None
    if not value.is_finite() or value <= 0:
        raise InvalidAmount("BUDGET_INVALID_AMOUNT", f"{name} must be greater than 0")
    micros = value * MICROS
    if micros != micros.to_integral_value():
        raise InvalidAmount("BUDGET_INVALID_AMOUNT", f"{name} must have at most 6 decimal places")
    return int(micros)


def _iso(ms: int) -> str:
    moment = datetime.fromtimestamp(ms / 1000, tz=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


class _RedisLike(Protocol):
    def register_script(self, script: str) -> Any: ...


class BudgetTracker:
    """
    Budgets on the service's Redis. Options mirror the service's settings (keep them equal):
    `ttl_seconds` (BUDGET_TTL_SECONDS), `max_limit` (MAX_RUN_BUDGET), `default_limit`
    (DEFAULT_RUN_BUDGET); `tenant` scopes the runs like an API key of that tenant does.
    Threshold alerts are recorded in the run's events as the service records them; the service's
    alert channels (webhook, metrics) only fire for spends made through the service.
    """

    def __init__(
        self,
        redis: _RedisLike,
        *,
        tenant: str | None = None,
        key_prefix: str = "safety:budget",
        ttl_seconds: int = 7 * 24 * 3600,
        default_limit: float = 10.0,
        max_limit: float = 100.0,
        alert_thresholds: tuple[float, ...] = (0.5, 0.8, 1.0),
        idempotency_ttl_seconds: int = 24 * 3600,
        events_max_len: int = 1000,
    ) -> None:
        self._tenant = None if tenant in (None, DEFAULT_TENANT) else tenant
        self._prefix = key_prefix
        self._ttl_ms = ttl_seconds * 1000
        self._default_limit = default_limit
        self._max_limit_micros = to_micros(max_limit, "max_limit")
        self._thresholds = alert_thresholds
        self._idempotency_ttl_ms = idempotency_ttl_seconds * 1000
        self._max_len = str(events_max_len)
        self._create = redis.register_script(_budget_lua.CREATE)
        self._status = redis.register_script(_budget_lua.STATUS)
        self._spend = redis.register_script(_budget_lua.SPEND)

    @staticmethod
    def from_url(url: str | None = None, api_key: str | None = None, *, timeout: float = 10.0) -> "RestBudgetTracker":
        """The same calls over the REST API, for callers without access to the service's Redis."""
        return RestBudgetTracker(url, api_key, timeout=timeout)

    async def create_budget(
        self, run_id: str, limit: float | None = None, alert_thresholds: list[float] | None = None
    ) -> BudgetStatus:
        limit_micros = to_micros(self._default_limit if limit is None else limit, "limit")
        if limit_micros > self._max_limit_micros:
            raise BudgetError("BUDGET_LIMIT_TOO_HIGH", f"limit {limit} is above the maximum run budget")
        ppm = [to_micros(t, "alert_thresholds") for t in (alert_thresholds or self._thresholds)]
        ppm.sort()
        if any(p > MICROS for p in ppm) or len(set(ppm)) != len(ppm):
            raise BudgetError("BUDGET_INVALID_ARGUMENT", "alert_thresholds must be distinct fractions in (0, 1]")
        # The spend at which each threshold fires: the smallest integer ≥ limit × fraction (as the service).
        threshold_micros = [(limit_micros * p + MICROS - 1) // MICROS for p in ppm]
        reply = await self._create(
            keys=self._keys(run_id),
            args=[
                limit_micros,
                ",".join(map(str, threshold_micros)),
                ",".join(map(str, ppm)),
                secrets.token_hex(8),
                self._ttl_ms,
                self._max_len,
            ],
        )
        if _text(reply[0]) == "BUDGET_ALREADY_EXISTS":
            raise BudgetAlreadyExists("BUDGET_ALREADY_EXISTS", f"A budget already exists for run_id: {run_id}")
        return self._status_from(run_id, reply)

    async def get_status(self, run_id: str) -> BudgetStatus:
        return self._status_from(run_id, await self._status(keys=self._keys(run_id), args=[self._max_len]))

    async def check_can_spend(self, run_id: str, amount: float) -> bool:
        micros = to_micros(amount)
        status = await self.get_status(run_id)
        return micros <= round(status.remaining * MICROS)

    async def spend(
        self, run_id: str, amount: float, *, idempotency_key: str | None = None, allow_overage: bool = False
    ) -> BudgetStatus:
        """Records a spend atomically; raises BudgetExceeded (nothing recorded) when it does not fit."""
        micros = to_micros(amount)
        keys = self._keys(run_id)
        overage = "1" if allow_overage else "0"
        reply = await self._spend(
            keys=[*keys, f"{keys[0]}:idem:{idempotency_key or ''}"],
            args=[
                micros,
                overage,
                f"spend|{micros}|{overage}" if idempotency_key else "",
                self._idempotency_ttl_ms,
                self._ttl_ms,
                self._max_len,
            ],
        )
        code = _text(reply[0])
        if code == "IDEMPOTENCY_KEY_REUSED":
            raise BudgetError("IDEMPOTENCY_KEY_REUSED", f"Idempotency key {idempotency_key} was used for another spend")
        status = self._status_from(run_id, reply)
        if code == "BUDGET_EXCEEDED":
            raise BudgetExceeded(
                "BUDGET_EXCEEDED",
                f"Spending {amount} would exceed the budget of run_id {run_id}: {status.remaining} of {status.limit} remaining.",
                remaining=status.remaining,
                limit=status.limit,
            )
        return status

    def _keys(self, run_id: str) -> list[str]:
        scoped = run_id if self._tenant is None else f"{self._tenant}/{run_id}"
        base = f"{self._prefix}:{{{scoped}}}"
        return [base, f"{base}:holds", f"{base}:rsv", f"{base}:events"]

    def _status_from(self, run_id: str, reply: list[Any]) -> BudgetStatus:
        if _text(reply[0]) == "BUDGET_NOT_FOUND":
            raise BudgetNotFound("BUDGET_NOT_FOUND", f"Budget not found for run_id: {run_id}")
        limit, spent, reserved, created, updated = (int(_text(v)) for v in reply[1:6])
        ppm_csv, crossed = _text(reply[6]), int(_text(reply[7]))
        thresholds = [int(p) / MICROS for p in ppm_csv.split(",")] if ppm_csv else []
        return BudgetStatus(
            run_id=run_id,
            limit=limit / MICROS,
            spent=spent / MICROS,
            reserved=reserved / MICROS,
            remaining=max(0, limit - spent - reserved) / MICROS,
            exceeded=spent > limit,
            fraction_used=(spent * MICROS // limit) / MICROS,
            percent_used=(spent * 10_000 // limit) / 100,
            state="exhausted" if spent >= limit else "warning" if crossed > 0 else "active",
            thresholds_crossed=thresholds[:crossed],
            alert_thresholds=thresholds,
            created_at=_iso(created),
            updated_at=_iso(updated),
            expires_at=_iso(updated + self._ttl_ms),
        )


class RestBudgetTracker:
    """BudgetTracker's calls over the REST API (`/budget/...`), with the same results and errors."""

    _ERRORS: dict[str, type[BudgetError]] = {
        "BUDGET_EXCEEDED": BudgetExceeded,
        "BUDGET_NOT_FOUND": BudgetNotFound,
        "BUDGET_ALREADY_EXISTS": BudgetAlreadyExists,
        "BUDGET_INVALID_AMOUNT": InvalidAmount,
    }

    def __init__(self, url: str | None = None, api_key: str | None = None, *, timeout: float = 10.0) -> None:
        self.url = _http.base_url(url)
        self.api_key = _http.api_key(api_key)
        self.timeout = timeout

    async def create_budget(
        self, run_id: str, limit: float | None = None, alert_thresholds: list[float] | None = None
    ) -> BudgetStatus:
        body: dict[str, Any] = {"run_id": run_id}
        if limit is not None:
            body["limit"] = limit
        if alert_thresholds is not None:
            body["alert_thresholds"] = alert_thresholds
        return BudgetStatus.from_json(await self._call("POST", "/budget/create", body))

    async def get_status(self, run_id: str) -> BudgetStatus:
        return BudgetStatus.from_json(await self._call("GET", f"/budget/{run_id}"))

    async def check_can_spend(self, run_id: str, amount: float) -> bool:
        answer = await self._call("POST", "/budget/can-spend", {"run_id": run_id, "amount": amount})
        return bool(answer["can_spend"])

    async def spend(
        self, run_id: str, amount: float, *, idempotency_key: str | None = None, allow_overage: bool = False
    ) -> BudgetStatus:
        body: dict[str, Any] = {"run_id": run_id, "amount": amount}
        if idempotency_key is not None:
            body["idempotency_key"] = idempotency_key
        if allow_overage:
            body["allow_overage"] = True
        return BudgetStatus.from_json(await self._call("POST", "/budget/spend", body))

    async def _call(self, method: str, path: str, body: Any = None) -> Any:
        try:
            return await asyncio.to_thread(_http.call, self.url, self.api_key, method, path, body, self.timeout)
        except _http.SafetyApiError as error:
            kind = self._ERRORS.get(error.code)
            if kind is None:
                raise
            details = {name: value for name, value in error.problem.items() if name != "code"}
            raise kind(error.code, error.detail, **details) from None


def _text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)
