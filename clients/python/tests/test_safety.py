"""
ae_api.safety against the real service (API_URL) and its real Redis (REDIS_URL): run by
apps/safety-api/test/python-client.e2e-spec.ts with Debian's python3, python3-pytest and python3-redis.
"""

from __future__ import annotations

import ast
import asyncio
import json
import os
import re
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import pytest
import redis.asyncio

from ae_api.safety import (
    ActionType,
    AsyncPolicyGate,
    BudgetExceeded,
    BudgetNotFound,
    BudgetStatus,
    BudgetTracker,
    PolicyGate,
    Redactor,
    SecretPattern,
    ServiceUnavailable,
)

API_URL = os.environ["API_URL"]
REDIS_URL = os.environ["REDIS_URL"]
README = Path(__file__).resolve().parents[3] / "README.md"


def rest(method: str, path: str, body: Any = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        f"{API_URL}/api/v1/safety{path}", data=data, method=method, headers={"content-type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def run_id(name: str) -> str:
    return f"py-{name}-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def tracker():
    client = redis.asyncio.Redis.from_url(REDIS_URL, decode_responses=True)
    yield BudgetTracker(client)
    asyncio.run(client.aclose() if hasattr(client, "aclose") else client.close())


def quick_reference() -> str:
    """The README's Python quick reference, exactly as written there."""
    blocks = re.findall(r"^```python\n(.*?)^```", README.read_text(encoding="utf-8"), flags=re.S | re.M)
    return next(block for block in blocks if "from ae_api.safety import (" in block)


def test_the_quick_reference_runs_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    # The snippet connects to Redis on localhost:6379; this test's Redis stands in for it.
    real = redis.asyncio.Redis
    url = REDIS_URL

    class TestRedis(real):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.pop("host", None)
            kwargs.pop("port", None)
            connection = redis.asyncio.connection.parse_url(url)
            super().__init__(*args, host=connection["host"], port=connection["port"], db=connection.get("db", 0), **kwargs)

    monkeypatch.setattr(redis.asyncio, "Redis", TestRedis)
    source = quick_reference()
    code = compile(source, "README.md", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    namespace: dict[str, Any] = {}

    async def run() -> None:
        result = eval(code, namespace)  # noqa: S307 - the README's own snippet
        if asyncio.iscoroutine(result):
            await result

    asyncio.run(run())
    assert namespace["decision"].allowed is True
    assert namespace["can_spend"] is True
    status = namespace["status"]
    assert isinstance(status, BudgetStatus)
    assert (status.run_id, status.limit, status.spent) == ("run-123", 10.0, 0.05)
    assert namespace["clean"] != "API key: sk-1234567890abcdef"
    assert "user:pass" not in namespace["clean"]
    assert namespace["clean"].startswith("DATABASE_URL=")


def test_a_budget_made_in_python_is_the_one_the_rest_api_shows(tracker: BudgetTracker) -> None:
    async def flow() -> None:
        rid = run_id("py-to-rest")
        await tracker.create_budget(rid, 2.5)
        await tracker.spend(rid, 0.35)
        rest("POST", "/budget/spend", {"run_id": rid, "amount": 0.4})
        ours = await tracker.get_status(rid)
        theirs = rest("GET", f"/budget/{rid}")
        assert ours == BudgetStatus.from_json(theirs)
        assert set(theirs) == set(BudgetStatus.__dataclass_fields__)
        assert (ours.spent, ours.remaining) == (0.75, 1.75)

        reverse = run_id("rest-to-py")
        rest("POST", "/budget/create", {"run_id": reverse, "limit": 1, "alert_thresholds": [0.5]})
        status = await tracker.spend(reverse, 0.6)
        assert status.thresholds_crossed == [0.5] and status.state == "warning"
        assert rest("GET", f"/budget/{reverse}")["spent"] == 0.6
        events = rest("GET", f"/budget/{reverse}/events")["events"]
        assert [e["type"] for e in events] == ["budget_created", "spent", "threshold_crossed"]

    asyncio.run(flow())


def test_fifty_concurrent_spends_never_overspend(tracker: BudgetTracker) -> None:
    async def flow() -> None:
        rid = run_id("race")
        await tracker.create_budget(rid, 1.0)
        outcomes = await asyncio.gather(*(tracker.spend(rid, 0.03) for _ in range(50)), return_exceptions=True)
        spent = [o for o in outcomes if isinstance(o, BudgetStatus)]
        refused = [o for o in outcomes if isinstance(o, BudgetExceeded)]
        assert len(spent) + len(refused) == 50
        assert len(spent) == 33
        final = await tracker.get_status(rid)
        assert final.spent == 0.99 and final.spent <= final.limit
        assert rest("GET", f"/budget/{rid}")["spent"] == 0.99

    asyncio.run(flow())


def test_budget_errors_are_typed(tracker: BudgetTracker) -> None:
    async def flow() -> None:
        with pytest.raises(BudgetNotFound):
            await tracker.get_status(run_id("missing"))
        rid = run_id("exceed")
        await tracker.create_budget(rid, 0.1)
        with pytest.raises(BudgetExceeded) as raised:
            await tracker.spend(rid, 0.2)
        assert raised.value.details["remaining"] == 0.1
        # Idempotent: the same key applies once.
        await tracker.spend(rid, 0.05, idempotency_key="k-1")
        assert (await tracker.spend(rid, 0.05, idempotency_key="k-1")).spent == 0.05

    asyncio.run(flow())


def test_the_rest_variant_gives_the_same_results() -> None:
    async def flow() -> None:
        rest_tracker = BudgetTracker.from_url(API_URL)
        rid = run_id("rest")
        await rest_tracker.create_budget(rid, 3.0)
        assert await rest_tracker.check_can_spend(rid, 2.0)
        status = await rest_tracker.spend(rid, 2.0)
        assert (status.spent, status.remaining) == (2.0, 1.0)
        with pytest.raises(BudgetExceeded) as raised:
            await rest_tracker.spend(rid, 1.5)
        assert raised.value.details["remaining"] == 1.0

    asyncio.run(flow())


def test_policy_gate_fails_closed_and_can_raise_instead() -> None:
    down = PolicyGate(url="http://127.0.0.1:9")
    decision = down.check_action(ActionType.DEPLOY, {"environment": "staging"})
    assert (decision.allowed, decision.decision) == (False, "deny")
    assert "unreachable" in decision.reason and "failing closed" in decision.reason
    with pytest.raises(ServiceUnavailable):
        PolicyGate(url="http://127.0.0.1:9", raise_on_error=True).check_action(ActionType.DEPLOY, {"environment": "x"})
    # Code execution disabled: denied here, without a call (the unreachable URL proves it).
    local = PolicyGate(enable_code_execution=False, url="http://127.0.0.1:9")
    assert local.check_action(ActionType.EXECUTE_CODE, {"command": "ls"}).rule_ids == ["client.code_execution_disabled"]


def test_policy_gate_decides_like_the_service_sync_and_async() -> None:
    gate = PolicyGate(enable_code_execution=True)
    denied = gate.check_action(ActionType.EXECUTE_CODE, {"command": "rm -rf /"})
    assert (denied.allowed, denied.decision) == (False, "deny") and denied.rule_ids
    approval = asyncio.run(AsyncPolicyGate().check_action(ActionType.DEPLOY, {"environment": "production"}))
    assert approval.requires_approval and approval.decision == "approval"
    assert asyncio.run(gate.acheck_action(ActionType.EXECUTE_CODE, {"command": "ls"})).allowed


def test_redactor_uses_the_service_catalogue() -> None:
    redactor = Redactor()
    patterns = redactor.patterns()
    assert all(isinstance(p, SecretPattern) for p in patterns)
    assert "OPENAI_API_KEY" in {p.name for p in patterns}
    assert redactor.redact("key sk-1234567890abcdef") == "key [REDACTED:OPENAI_API_KEY]"
    assert "hunter2" not in redactor.redact_env_vars("PASSWORD=hunter2 and again hunter2", ["PASSWORD"])
