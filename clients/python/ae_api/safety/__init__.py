"""
The Safety API from Python, as the product's quick reference uses it:

    from ae_api.safety import PolicyGate, ActionType, PolicyDecision, BudgetTracker, BudgetStatus, Redactor, SecretPattern

PolicyGate and Redactor call the service (`API_URL`, `SAFETY_API_KEY`); BudgetTracker runs the
service's own budget scripts on its Redis (or its REST API with `BudgetTracker.from_url()`).
"""

from ._http import SafetyApiError, ServiceUnavailable
from .budget import (
    BudgetAlreadyExists,
    BudgetError,
    BudgetExceeded,
    BudgetNotFound,
    BudgetStatus,
    BudgetTracker,
    InvalidAmount,
    RestBudgetTracker,
)
from .policy import ActionType, AsyncPolicyGate, PolicyDecision, PolicyGate
from .redaction import Redactor, SecretPattern

__all__ = [
    "ActionType",
    "AsyncPolicyGate",
    "BudgetAlreadyExists",
    "BudgetError",
    "BudgetExceeded",
    "BudgetNotFound",
    "BudgetStatus",
    "BudgetTracker",
    "InvalidAmount",
    "PolicyDecision",
    "PolicyGate",
    "Redactor",
    "RestBudgetTracker",
    "SafetyApiError",
    "SecretPattern",
    "ServiceUnavailable",
]
