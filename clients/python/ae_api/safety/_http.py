"""The one place that talks HTTP to the service: standard library only (urllib), JSON in and out."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from typing import Any

DEFAULT_URL = "http://localhost:8000"


class SafetyApiError(Exception):
    """A problem+json answer of the service: `status`, stable `code`, `title`, `detail`, the whole `problem`."""

    def __init__(self, status: int, problem: dict[str, Any]) -> None:
        self.status = status
        self.problem = problem
        self.code: str = str(problem.get("code", "ERROR"))
        self.title: str = str(problem.get("title", "Error"))
        self.detail: str = str(problem.get("detail", ""))
        super().__init__(f"{self.title}: {self.detail}" if self.detail else self.title)


class ServiceUnavailable(SafetyApiError):
    """The service could not be reached, timed out, or answered 5xx."""


def base_url(url: str | None) -> str:
    return (url or os.environ.get("API_URL") or DEFAULT_URL).rstrip("/")


def api_key(key: str | None) -> str | None:
    return key if key is not None else os.environ.get("SAFETY_API_KEY") or None


def call(url: str, key: str | None, method: str, path: str, body: Any = None, timeout: float = 10.0) -> Any:
    """Sends one request to `/api/v1/safety<path>` and returns the JSON answer, or raises SafetyApiError."""
    data = None if body is None else json.dumps(body).encode("utf-8")
    headers = {"accept": "application/json"}
    if data is not None:
        headers["content-type"] = "application/json"
    if key:
        headers["x-api-key"] = key
    request = urllib.request.Request(f"{url}/api/v1/safety{path}", data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
            return json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            problem = json.loads(raw) if raw else {}
        except ValueError:
            problem = {}
        if not isinstance(problem, dict) or "title" not in problem:
            problem = {"title": f"HTTP {error.code}", "detail": str(error.reason), "code": "HTTP_ERROR"}
        if error.code >= 500:
            raise ServiceUnavailable(error.code, problem) from None
        raise SafetyApiError(error.code, problem) from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise ServiceUnavailable(
            0,
            {"title": "Safety API unreachable", "detail": f"{url}: {reason}", "code": "SERVICE_UNAVAILABLE"},
        ) from None
