"""The service's Redactor (`POST /redact`): secrets out of text before it is logged or returned."""

from __future__ import annotations

from dataclasses import dataclass

from . import _http


@dataclass(frozen=True)
class SecretPattern:
    """One detector of the service's catalogue; its name is the `[REDACTED:<name>]` placeholder."""

    name: str
    description: str
    custom: bool = False


class Redactor:
    """
    Redacts through the service, so Python agents use exactly the catalogue the service logs with.
    A failed call raises (SafetyApiError or ServiceUnavailable): text is never passed through unredacted.
    """

    def __init__(self, url: str | None = None, api_key: str | None = None, *, timeout: float = 10.0) -> None:
        self.url = _http.base_url(url)
        self.api_key = _http.api_key(api_key)
        self.timeout = timeout

    def redact(self, text: str) -> str:
        return str(_http.call(self.url, self.api_key, "POST", "/redact", {"text": text}, self.timeout)["redacted"])

    def redact_env_vars(self, text: str, names: list[str]) -> str:
        """Masks the values of these environment variables wherever they appear (and known secret patterns)."""
        body = {"text": text, "env_vars": list(names)}
        return str(_http.call(self.url, self.api_key, "POST", "/redact", body, self.timeout)["redacted"])

    def patterns(self) -> list[SecretPattern]:
        answer = _http.call(self.url, self.api_key, "GET", "/redact/patterns", None, self.timeout)
        return [SecretPattern(p["name"], p["description"], bool(p.get("custom", False))) for p in answer["patterns"]]
