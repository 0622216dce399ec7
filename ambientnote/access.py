"""The roles an account holds, which decide what it may do: clinician (encounters), compliance (the audit log),
admin (accounts, safety settings, the store).

A leaf module, below the store, the audit and the faces alike, so every role check names the same member
(``session.require(AccountRole.admin, …)``). A ``str``: the store keeps the roles as the plain words.
"""

from __future__ import annotations

from enum import StrEnum


class AccountRole(StrEnum):
    clinician = "clinician"
    compliance = "compliance"
    admin = "admin"


ROLES = tuple(role.value for role in AccountRole)  # as the store, the CLI and the admin page spell them
