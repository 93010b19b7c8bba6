"""What a route takes from the app it is in: the settings, by `Depends(get_settings)`
(`SettingsDep`).

`create_app(settings)` overrides `get_settings` (`app.dependency_overrides`) with its own settings,
so a test builds an app on any settings without touching the environment. What the app opens at
start-up (the snapshots, the query threads) is on `request.app.state`: `snapshots` and `limits`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from starlette.requests import Request

from kg.config import Settings
from kg.server.limits import Limits
from kg.server.snapshots import Snapshots


def get_settings() -> Settings:
    """The settings of the app; `create_app` provides them."""
    raise LookupError("No settings: build the app with kg.server.app.create_app(settings).")


SettingsDep = Annotated[Settings, Depends(get_settings)]  # a route's parameter: `settings: SettingsDep`


def snapshots(request: Request) -> Snapshots:
    """The store the app reads (its newest snapshot: `.ox`) and writes."""
    return request.app.state.snapshots


def limits(request: Request) -> Limits:
    """How the app's evaluations run: under the query timeout, in its query threads."""
    return request.app.state.limits


__all__ = ["SettingsDep", "get_settings", "limits", "snapshots"]
