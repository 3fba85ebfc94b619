"""PolicyGate over the service's `POST /check`: may the agent do this?"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from . import _http


class ActionType(str, Enum):
    EXECUTE_CODE = "execute_code"
    DEPLOY = "deploy"
    CREATE_BILLING = "create_billing"
    DELETE_FILES = "delete_files"
    NETWORK_ACCESS = "network_access"


@dataclass(frozen=True)
class PolicyDecision:
    """The service's decision, as `POST /check` returns it (snake_case fields)."""

    allowed: bool
    decision: str
    reason: str
    rule_ids: list[str] = field(default_factory=list)
    requires_approval: bool = False
    action: str = ""
    risk: str = "high"
    decision_id: str | None = None
    approval_id: str | None = None
    approved_by: list[str] | None = None
    approval_error: str | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "PolicyDecision":
        known = {name for name in cls.__dataclass_fields__}
        return cls(**{name: value for name, value in data.items() if name in known})

    @classmethod
    def deny(cls, action: str, reason: str, rule_id: str) -> "PolicyDecision":
        return cls(allowed=False, decision="deny", reason=reason, rule_ids=[rule_id], action=action, risk="high")


class PolicyGate:
    """
    Asks the service (`API_URL`, `SAFETY_API_KEY` by default). Fails closed: when the service cannot
    be reached or answers an error, the decision is a deny that says why, not an exception the caller
    might forget to catch; pass `raise_on_error=True` to get the exception instead.
    `enable_code_execution=False` denies `execute_code` here, without a call.
    """

    def __init__(
        self,
        enable_code_execution: bool = True,
        url: str | None = None,
        api_key: str | None = None,
        *,
        timeout: float = 10.0,
        raise_on_error: bool = False,
    ) -> None:
        self.enable_code_execution = enable_code_execution
        self.url = _http.base_url(url)
        self.api_key = _http.api_key(api_key)
        self.timeout = timeout
        self.raise_on_error = raise_on_error

    def check_action(
        self, action: ActionType | str, context: dict[str, Any], *, approval_id: str | None = None
    ) -> PolicyDecision:
        name = action.value if isinstance(action, ActionType) else str(action)
        if name == ActionType.EXECUTE_CODE.value and not self.enable_code_execution:
            return PolicyDecision.deny(name, "Code execution is disabled (enable_code_execution=False).", "client.code_execution_disabled")
        body: dict[str, Any] = {"action": name, "context": context}
        if approval_id is not None:
            body["approval_id"] = approval_id
        try:
            return PolicyDecision.from_json(_http.call(self.url, self.api_key, "POST", "/check", body, self.timeout))
        except _http.SafetyApiError as error:
            if self.raise_on_error:
                raise
            return PolicyDecision.deny(name, f"Denied because the policy check failed ({error}); failing closed.", "client.check_failed")

    async def acheck_action(
        self, action: ActionType | str, context: dict[str, Any], *, approval_id: str | None = None
    ) -> PolicyDecision:
        """check_action for asyncio agents (the HTTP call runs in a worker thread)."""
        return await asyncio.to_thread(self.check_action, action, context, approval_id=approval_id)


class AsyncPolicyGate(PolicyGate):
    """PolicyGate whose `check_action` is a coroutine."""

    async def check_action(  # type: ignore[override]
        self, action: ActionType | str, context: dict[str, Any], *, approval_id: str | None = None
    ) -> PolicyDecision:
        return await asyncio.to_thread(PolicyGate.check_action, self, action, context, approval_id=approval_id)
